/**
 * `useScreenReport`: a named screen (`?screen=hall-3`) tells the collector
 * how it is doing (build, what it shows, data age, heap, reloads) every
 * `reportEvery` seconds, and watches for a newer dashboard build; when one is
 * served it sets `newBuild` in the screen store, and the view reloads at a
 * quiet moment (the kiosk between two views; a plain wall right away, the
 * collector having just answered). Timers are disposed with the scope.
 */
import { onScopeDispose } from 'vue';
import { BUILD } from '../build-info';
import { fetchServedBuild, type ScreenReport } from '../services/fleet-api';
import { useScreenStore } from '../stores/screen';

export interface UseScreenReportOptions {
  /** Reloads of this page so far (see services/reload-count.ts). */
  reloads: number;
  /** Seconds between reports until the collector says otherwise. @default 30 */
  reportEverySeconds?: number;
  /** Seconds between build checks. @default 300 */
  buildCheckSeconds?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Used JS heap, bytes; null where the browser does not tell. @default performance.memory (Chromium) */
  heapBytes?: () => number | null;
}

const chromiumHeap = (): number | null => {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize?: number } }).memory;
  return typeof memory?.usedJSHeapSize === 'number' ? memory.usedJSHeapSize : null;
};

export function useScreenReport(options: UseScreenReportOptions): { report: () => Promise<void>; checkBuild: () => Promise<void> } {
  const screen = useScreenStore();
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const heap = options.heapBytes ?? chromiumHeap;
  let everyMs = (options.reportEverySeconds ?? 30) * 1000;
  let reportTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  async function report(): Promise<void> {
    if (!screen.name) return;
    const body: ScreenReport = {
      screen: screen.name,
      build: BUILD,
      view: screen.view,
      dataAgeSeconds: screen.dataAgeSeconds === null ? null : Math.round(screen.dataAgeSeconds * 10) / 10,
      heapBytes: heap(),
      reloads: options.reloads,
    };
    try {
      const res = await fetchFn('/api/v1/screens/report', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await res.json().catch(() => null)) as { reportEverySeconds?: unknown } | null;
      if (typeof answer?.reportEverySeconds === 'number' && answer.reportEverySeconds >= 1) everyMs = answer.reportEverySeconds * 1000;
    } catch {
      // The collector is away: the next report tries again.
    }
  }

  async function checkBuild(): Promise<void> {
    const served = await fetchServedBuild(fetchFn);
    if (served !== null && served !== BUILD && BUILD !== 'dev') screen.newBuild = served;
  }

  const loop = async () => {
    await report();
    if (!stopped) reportTimer = setTimeout(() => void loop(), everyMs);
  };
  if (screen.name) void loop();
  const buildTimer = setInterval(() => void checkBuild(), (options.buildCheckSeconds ?? 300) * 1000);
  onScopeDispose(() => {
    stopped = true;
    if (reportTimer) clearTimeout(reportTimer);
    clearInterval(buildTimer);
  });
  return { report, checkBuild };
}
