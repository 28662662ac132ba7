/**
 * bench/wall-busy: main-thread time of the wall in real headless Chromium,
 * per real minute, with the line's stations changing as a live line's do
 * (time in state ticks every second on every card). Prints seconds of
 * main-thread task time per minute for each dashboard build given, so two
 * builds are compared in the same run, and the JS heap (after a forced GC)
 * at the end against the heap right after load:
 *
 *   npx tsx bench/wall-busy.ts [dashboardDir …]   (default: dist/dashboard)
 *   npx tsx bench/wall-busy.ts --seconds=60 /tmp/before dist/dashboard
 *
 * Busy is `TaskDuration` (wall-clock time of the main thread's tasks, which
 * on a loaded machine includes the time the renderer waited for a core);
 * `ThreadTime` (the main thread's CPU time) is printed beside it.
 *
 * Goal (issue 15): busy ≤ 1 s per minute, heap from load ≤ 1.1×.
 */
import { fileURLToPath } from 'node:url';
import { startStack } from '../collector/test/support/stack';
import { launchChromium } from '../dashboard/test/support/browser';
import { demoEvents } from '../dashboard/test/support/demo-events';
import { postAll } from '../dashboard/test/support/simulated-line';

const root = fileURLToPath(new URL('..', import.meta.url));
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const SECONDS = Number(process.argv.find((a) => a.startsWith('--seconds='))?.slice(10) ?? 30);

interface Figures {
  /** Main-thread task seconds per real minute. */
  busyPerMinute: number;
  /** Main-thread CPU seconds (ThreadTime) per real minute. */
  cpuPerMinute: number;
  /** JS heap after a forced GC right after load, and at the end, bytes. */
  heapAtLoad: number;
  heapAtEnd: number;
}

async function measure(dashboardDir: string): Promise<Figures> {
  const stack = await startStack({ config: { dashboardDir } });
  const browser = await launchChromium();
  try {
    await postAll(stack, demoEvents({ now: Date.now(), spanMs: 3_600_000 }));
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${stack.baseUrl}/wall?line=A1`);
    await page.getByTestId('this-hour-value').waitFor();
    await page.locator('[data-testid=trend] canvas').waitFor();
    await page.waitForTimeout(5000); // settle: fonts, chart, first fits
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async (name: string) => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    };
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return metric('JSHeapUsedSize');
    };
    const heapAtLoad = await heap();
    const b0 = await metric('TaskDuration');
    const c0 = await metric('ThreadTime');
    const t0 = performance.now();
    await page.waitForTimeout(SECONDS * 1000);
    const b1 = await metric('TaskDuration');
    const c1 = await metric('ThreadTime');
    const minutes = (performance.now() - t0) / 60_000;
    return { busyPerMinute: (b1 - b0) / minutes, cpuPerMinute: (c1 - c0) / minutes, heapAtLoad, heapAtEnd: await heap() };
  } finally {
    await browser.close();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const list = dirs.length > 0 ? dirs : [`${root}dist/dashboard`];
  const results: { dir: string; f: Figures }[] = [];
  for (const dir of list) {
    const f = await measure(dir);
    results.push({ dir, f });
    const mib = (b: number) => (b / 1024 / 1024).toFixed(2);
    console.log(
      `${dir}: main-thread busy ${f.busyPerMinute.toFixed(2)} s (CPU ${f.cpuPerMinute.toFixed(2)} s) per real minute (${SECONDS} s measured); ` +
        `JS heap ${mib(f.heapAtLoad)} → ${mib(f.heapAtEnd)} MiB (${(f.heapAtEnd / f.heapAtLoad).toFixed(2)}× from load)`,
    );
  }
  const first = results[0];
  for (const r of results.slice(1)) {
    if (first) console.log(`${r.dir} against ${first.dir}: busy ${(r.f.busyPerMinute / first.f.busyPerMinute).toFixed(2)}×, CPU ${(r.f.cpuPerMinute / first.f.cpuPerMinute).toFixed(2)}×`);
  }
}

void main();
