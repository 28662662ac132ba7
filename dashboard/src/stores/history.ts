/**
 * The manager workspace's state: which line and interval it shows, the data
 * for them, and the last error as the API worded it. Thin: the requests live
 * in services/history-api.ts. A newer selection supersedes an older request
 * (aborted, its answer ignored), so quick clicks never show stale numbers.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { fetchManagerData, type FetchLike, type ManagerData, type RangeSelection } from '../services/history-api';
import { createLatestRequest } from '../services/latest-request';

/** What the workspace shows first: the shift in progress. */
export const DEFAULT_RANGE: RangeSelection = { kind: 'calendar', range: 'shift:current' };

export const useHistoryStore = defineStore('history', () => {
  const line = ref<string | null>(null);
  const range = ref<RangeSelection>(DEFAULT_RANGE);
  /** Data for the current selection; null while nothing matching it has arrived. */
  const data = shallowRef<ManagerData | null>(null);
  const loading = ref(false);
  const error = ref<{ code: string; message: string } | null>(null);

  let fetchFn: FetchLike | undefined;
  let base = '';
  const latest = createLatestRequest();

  /** Injects the fetch function and API base (tests, or a dashboard served apart from its collector). */
  function configure(options: { fetch?: FetchLike; base?: string }): void {
    fetchFn = options.fetch;
    base = options.base ?? '';
  }

  /** (Re)loads the current selection. Resolves when it has landed, failed, or been superseded. */
  async function load(): Promise<void> {
    const lineId = line.value;
    if (!lineId) return;
    loading.value = true;
    const outcome = await latest.run((signal) => fetchManagerData({ line: lineId, range: range.value }, fetchFn ?? globalThis.fetch, base, signal));
    if (outcome.kind === 'superseded') return;
    loading.value = false;
    if (outcome.kind === 'ok') {
      data.value = outcome.value;
      error.value = null;
    } else {
      // The charts would otherwise show another interval's numbers under this one's name.
      data.value = null;
      error.value = outcome.error;
    }
  }

  /** Shows `next` (a line, an interval or both) and loads it. */
  function select(next: { line?: string; range?: RangeSelection }): Promise<void> {
    if (next.line !== undefined) line.value = next.line;
    if (next.range !== undefined) range.value = next.range;
    return load();
  }

  /** Stops any request in flight (the view unmounts). */
  function cancel(): void {
    latest.cancel();
    loading.value = false;
  }

  return { line, range, data, loading, error, configure, load, select, cancel };
});
