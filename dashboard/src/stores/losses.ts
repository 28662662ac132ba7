/**
 * The loss report the manager workspace shows: which line and interval, the
 * report for them, and the last error as the API worded it. Thin: the
 * request lives in services/losses-api.ts. A newer selection supersedes an
 * older request (aborted, its answer ignored), so quick clicks on the range
 * picker never show another interval's waterfall. A refresh that fails keeps
 * the last report of the same selection on screen, with the error beside it;
 * a new selection drops the old report at once.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { DEFAULT_RANGE } from './history';
import { useLatestAnswer } from '../composables/useLatestAnswer';
import type { RangeSelection } from '../services/history-api';
import { fetchLosses } from '../services/losses-api';

/** While the interval still runs, how often its losses are asked again, ms (the workspace's own refresh). */
export const LOSS_REFRESH_MS = 60_000;

const sameRange = (a: RangeSelection, b: RangeSelection) =>
  a.kind === 'calendar' ? b.kind === 'calendar' && a.range === b.range : b.kind === 'custom' && a.from === b.from && a.to === b.to;

export const useLossesStore = defineStore('losses', () => {
  const line = ref<string | null>(null);
  const range = ref<RangeSelection>(DEFAULT_RANGE);
  // The report for the current selection (null while none has arrived for it), kept through a failed refresh.
  const { data: report, loading, error, configure, load, cancel } = useLatestAnswer({
    query: () => (line.value ? { line: line.value, range: range.value } : null),
    fetchAnswer: fetchLosses,
    onError: 'keep',
  });
  let timer: ReturnType<typeof setInterval> | null = null;

  /** Shows `next` (a line, an interval or both) and loads it; a changed selection drops the report shown. */
  function select(next: { line?: string; range?: RangeSelection }): Promise<void> {
    const changed = (next.line !== undefined && next.line !== line.value) || (next.range !== undefined && !sameRange(next.range, range.value));
    if (next.line !== undefined) line.value = next.line;
    if (next.range !== undefined) range.value = next.range;
    if (changed) report.value = null; // never another interval's numbers under this one's name
    return load();
  }

  /**
   * Every `intervalMs`, loads again while `running()` says the interval has
   * not ended and nothing is in flight; a second call replaces the first timer.
   */
  function startRefresh(running: () => boolean, intervalMs = LOSS_REFRESH_MS): void {
    if (timer !== null) clearInterval(timer);
    timer = setInterval(() => {
      if (running() && !loading.value) void load();
    }, intervalMs);
  }

  /** Stops the timer and any request in flight (the view unmounts). */
  function stop(): void {
    if (timer !== null) clearInterval(timer);
    timer = null;
    cancel();
  }

  return { line, range, report, loading, error, configure, load, select, startRefresh, stop };
});
