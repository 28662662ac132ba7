/**
 * The station tablet's lists (stops to classify, nok units to code) load on
 * mount and then again every `everyMs`, one load at a time: the next wait
 * starts when a load has finished, so a slow collector is never asked twice
 * at once. The wait ends with the component's scope.
 */
import { onMounted, onScopeDispose, toValue, type MaybeRefOrGetter } from 'vue';
import { STATION_STOPS_REFRESH_MS } from './station-stops-model';

/** The page's timers, or a test's. */
export interface TabletTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface UseTabletRefreshOptions {
  /** Loads the list; its failure is the caller's to show (it should not reject). */
  load: () => Promise<unknown>;
  /** ms between the end of one load and the next, read before each wait. @default STATION_STOPS_REFRESH_MS; 0 or less: only on mount */
  everyMs?: MaybeRefOrGetter<number | undefined>;
  /** @default the page's setTimeout / clearTimeout */
  timers?: TabletTimers;
}

const PAGE_TIMERS: TabletTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Call in a component's setup: loads on mount, then on the timer until the scope ends. */
export function useTabletRefresh(options: UseTabletRefreshOptions): void {
  const timers = options.timers ?? PAGE_TIMERS;
  let timer: unknown = null;
  let disposed = false;
  function schedule(): void {
    const every = toValue(options.everyMs) ?? STATION_STOPS_REFRESH_MS;
    if (every <= 0 || disposed) return;
    timer = timers.setTimeout(() => {
      timer = null;
      void options.load().then(schedule);
    }, every);
  }
  onMounted(() => void options.load().then(schedule));
  onScopeDispose(() => {
    disposed = true;
    if (timer !== null) timers.clearTimeout(timer);
  });
}
