/**
 * The stored shift reports of a line as a typed function (no Vue):
 * `GET /api/v1/reports?line=` (docs/api.md), grouped by shift with the
 * handover's state, and the links to each report's page and PDF.
 */
import type { HandoverState } from '@core/report/handover';
import { ApiError, getJson, type FetchLike } from './api-json';

/** A stored PDF as the collector lists it (collector/report/archive.ts). */
export interface StoredReportView {
  id: string;
  line: string;
  shift: string;
  version: number;
  replaces: string | null;
  createdAt: number;
  createdBy: { id: string; name: string } | null;
  bytes: number;
  handoverVersion?: number;
  occasion?: 'shift_end' | 'signed';
}

/** One shift of the list (collector/report/reports-routes.ts ReportShiftSummary). */
export interface ReportShiftSummary {
  line: string;
  shift: string;
  handover: { current: number; state: HandoverState; versions: number } | null;
  reports: StoredReportView[];
}

/** `GET /api/v1/reports?line=`: the line's shifts with stored reports, newest first. */
export async function fetchReportShifts(line: string, fetchFn: FetchLike = globalThis.fetch, base = ''): Promise<ReportShiftSummary[]> {
  const body = await getJson(fetchFn, `${base}/api/v1/reports?line=${encodeURIComponent(line)}`);
  if (!Array.isArray(body.shifts)) throw new ApiError('invalid_response', 'GET /api/v1/reports answered without shifts', 200, false);
  return body.shifts as ReportShiftSummary[];
}

/** The report page of a shift (a version of its handover, when given). */
export function reportPageHref(line: string, shift: string, version?: number, base = ''): string {
  return `${base}/report?line=${encodeURIComponent(line)}&shift=${encodeURIComponent(shift)}${version !== undefined ? `&version=${version}` : ''}`;
}

/** A stored PDF. */
export function reportPdfHref(id: string, base = ''): string {
  return `${base}/api/v1/reports/file?id=${encodeURIComponent(id)}`;
}
