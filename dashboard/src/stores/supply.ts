/**
 * Supply chain and the cluster goal: partners with their alerts, a line's
 * order book, the cluster's progress. Thin: the requests live in
 * services/supply-api.ts. The wall refreshes it on a timer ({@link
 * startRefresh}, every 60 s); the manager workspace reloads it when its range
 * changes. A newer request supersedes an older one (aborted, its answer
 * ignored). The last good data stays on screen when a refresh fails, with
 * the error beside it, so a wall never goes blank for one lost request.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { createLatestRequest } from '../services/latest-request';
import { fetchSupply, type FetchLike, type SupplyData } from '../services/supply-api';

/** How often the wall asks again, ms: partner reports and orders arrive every 15 minutes or so. */
export const SUPPLY_REFRESH_MS = 60_000;

export const useSupplyStore = defineStore('supply', () => {
  const line = ref<string | null>(null);
  /** Evaluate as of this instant (a past range's end); null: the collector's clock. */
  const asOf = ref<number | null>(null);
  /** Newest answer for `line`; kept through failed refreshes of the same line. */
  const data = shallowRef<SupplyData | null>(null);
  const loading = ref(false);
  const error = ref<{ code: string; message: string } | null>(null);

  let fetchFn: FetchLike | undefined;
  let base = '';
  const latest = createLatestRequest();
  let timer: ReturnType<typeof setInterval> | null = null;

  /** Injects the fetch function and API base (tests, or a dashboard served apart from its collector). */
  function configure(options: { fetch?: FetchLike | undefined; base?: string | undefined }): void {
    fetchFn = options.fetch;
    base = options.base ?? '';
  }

  /** (Re)loads. Resolves when the answer has landed, failed, or been superseded. */
  async function load(): Promise<void> {
    const lineId = line.value;
    if (!lineId) return;
    loading.value = true;
    const outcome = await latest.run((signal) => fetchSupply({ line: lineId, now: asOf.value }, fetchFn ?? globalThis.fetch, base, signal));
    if (outcome.kind === 'superseded') return;
    loading.value = false;
    if (outcome.kind === 'ok') {
      data.value = outcome.value;
      error.value = null;
    } else {
      error.value = outcome.error; // the last good data stays on screen
    }
  }

  /** Shows `next` (a line, an instant or both) and loads it. Another line's data is dropped at once. */
  function select(next: { line?: string; asOf?: number | null }): Promise<void> {
    if (next.line !== undefined && next.line !== line.value) {
      line.value = next.line;
      data.value = null;
    }
    if (next.asOf !== undefined) asOf.value = next.asOf;
    return load();
  }

  /**
   * Loads again every `intervalMs` until {@link stop} (call {@link select}
   * first); a second call replaces the first timer. A request still hanging
   * at the next tick is superseded, never waited for.
   */
  function startRefresh(intervalMs = SUPPLY_REFRESH_MS): void {
    if (timer !== null) clearInterval(timer);
    timer = setInterval(() => void load(), intervalMs);
  }

  /** Stops the timer and any request in flight (the view unmounts). */
  function stop(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
    latest.cancel();
    loading.value = false;
  }

  return { line, asOf, data, loading, error, configure, load, select, startRefresh, stop };
});
