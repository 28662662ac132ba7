/**
 * The manager workspace's state: which line and interval it shows, the data
 * for them, and the last error as the API worded it. Thin: the requests live
 * in services/history-api.ts. A newer selection supersedes an older request
 * (aborted, its answer ignored), so quick clicks never show stale numbers.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useLatestAnswer } from '../composables/useLatestAnswer';
import { fetchManagerData, type RangeSelection } from '../services/history-api';

/** What the workspace shows first: the shift in progress. */
export const DEFAULT_RANGE: RangeSelection = { kind: 'calendar', range: 'shift:current' };

export const useHistoryStore = defineStore('history', () => {
  const line = ref<string | null>(null);
  const range = ref<RangeSelection>(DEFAULT_RANGE);
  // Data for the current selection; null while nothing matching it has arrived. A failed load drops it:
  // the charts would otherwise show another interval's numbers under this one's name.
  const { data, loading, error, configure, load, cancel } = useLatestAnswer({
    query: () => (line.value ? { line: line.value, range: range.value } : null),
    fetchAnswer: fetchManagerData,
    onError: 'drop',
  });

  /** Shows `next` (a line, an interval or both) and loads it. */
  function select(next: { line?: string; range?: RangeSelection }): Promise<void> {
    if (next.line !== undefined) line.value = next.line;
    if (next.range !== undefined) range.value = next.range;
    return load();
  }

  return { line, range, data, loading, error, configure, load, select, cancel };
});
