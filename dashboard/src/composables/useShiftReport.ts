/**
 * Loads the shift report the URL names (`/report?line=A1&shift=…&draft=1`)
 * once, and says when it is ready (`data-ready` on the page, which the PDF
 * renderer waits for).
 */
import { shallowRef, ref, type Ref, type ShallowRef } from 'vue';
import { ApiError, type FetchLike } from '../services/api-json';
import { fetchReport, type ReportQuery, type ShiftReport } from '../services/report-api';

export interface UseShiftReportOptions {
  query: ReportQuery;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
}

export interface UseShiftReportReturn {
  report: ShallowRef<ShiftReport | null>;
  error: Ref<ApiError | null>;
  loading: Ref<boolean>;
}

export function useShiftReport(options: UseShiftReportOptions): UseShiftReportReturn {
  const report = shallowRef<ShiftReport | null>(null);
  const error = ref<ApiError | null>(null);
  const loading = ref(true);
  fetchReport(options.query, options.fetch ?? ((input, init) => globalThis.fetch(input, init)))
    .then((r) => {
      report.value = r;
    })
    .catch((e: unknown) => {
      error.value = e instanceof ApiError ? e : new ApiError('network', String(e), null, true);
    })
    .finally(() => {
      loading.value = false;
    });
  return { report, error, loading };
}
