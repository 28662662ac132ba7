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
import { ref, shallowRef } from 'vue';
import { DEFAULT_RANGE } from './history';
import { createLatestRequest } from '../services/latest-request';
import type { RangeSelection } from '../services/history-api';
import { fetchLosses, type FetchLike, type LossReport } from '../services/losses-api';

/** While the interval still runs, how often its losses are asked again, ms (the workspace's own refresh). */
export const LOSS_REFRESH_MS = 60_000;

const sameRange = (a: RangeSelection, b: RangeSelection) =>
  a.kind === 'calendar' ? b.kind === 'calendar' && a.range === b.range : b.kind === 'custom' && a.from === b.from && a.to === b.to;

export const useLossesStore = defineStore('losses', () => {
  const line = ref<string | null>(null);
  const range = ref<RangeSelection>(DEFAULT_RANGE);
  /** The report for the current selection; null while none has arrived for it. */
  const report = shallowRef<LossReport | null>(null);
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

  /** (Re)loads the current selection. Resolves when it has landed, failed, or been superseded. */
  async function load(): Promise<void> {
    const lineId = line.value;
    if (!lineId) return;
    loading.value = true;
    const outcome = await latest.run((signal) => fetchLosses({ line: lineId, range: range.value }, fetchFn ?? globalThis.fetch, base, signal));
    if (outcome.kind === 'superseded') return;
    loading.value = false;
    if (outcome.kind === 'ok') {
      report.value = outcome.value;
      error.value = null;
    } else {
      error.value = outcome.error;
    }
  }

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
    latest.cancel();
    loading.value = false;
  }

  return { line, range, report, loading, error, configure, load, select, startRefresh, stop };
});
