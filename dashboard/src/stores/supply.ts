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
import { ref } from 'vue';
import { useLatestAnswer } from '../composables/useLatestAnswer';
import { fetchSupply } from '../services/supply-api';

/** How often the wall asks again, ms: partner reports and orders arrive every 15 minutes or so. */
export const SUPPLY_REFRESH_MS = 60_000;

export const useSupplyStore = defineStore('supply', () => {
  const line = ref<string | null>(null);
  /** Evaluate as of this instant (a past range's end); null: the collector's clock. */
  const asOf = ref<number | null>(null);
  // Newest answer for `line`; the last good one stays on screen through failed refreshes of the same line.
  const { data, loading, error, configure, load, cancel } = useLatestAnswer({
    query: () => (line.value ? { line: line.value, now: asOf.value } : null),
    fetchAnswer: fetchSupply,
    onError: 'keep',
  });
  let timer: ReturnType<typeof setInterval> | null = null;

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
    cancel();
  }

  return { line, asOf, data, loading, error, configure, load, select, startRefresh, stop };
});
