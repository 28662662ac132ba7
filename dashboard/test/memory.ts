/**
 * Does the wall screen's memory stay flat? Feeds the real stack `hours` of
 * line time at 60× (one minute of line time per second, clock = events, as in
 * the demo), so the page runs `hours` real minutes with its clock ticking and
 * updates arriving every second; prints the page's JS heap after a forced GC,
 * its DOM node and listener counts every half hour of line time. A figure,
 * not a test: judge the slope after the first hour (the trend fills up).
 *
 *   npx vite build && npx tsx dashboard/test/memory.ts [hours=10]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startStack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { demoEvents } from './support/demo-events';

const HOUR = 3_600_000;

async function main(): Promise<void> {
  const hours = Number(process.argv[2] ?? 10);
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('run `npx vite build` first');
  const stack = await startStack({ config: { clock: 'events' } });
  const browser = await launchChromium();
  try {
    const now = Date.now();
    const from = now - hours * HOUR;
    const events = demoEvents({ now, spanMs: hours * HOUR, seed: 7 });
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const post = async (batch: typeof events) => {
      const res = await stack.postEvents(batch);
      if (res.status >= 300) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    };
    await post(events.filter((e) => Number(e.ts) <= from + 60_000));
    await page.goto(`${stack.baseUrl}/wall?line=A1`);
    await page.getByTestId('this-hour-value').waitFor();
    await page.locator('[data-testid=trend] canvas').waitFor();

    const sample = async (label: string) => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
      console.log(
        `${label.padEnd(10)} heap ${(m('JSHeapUsedSize') / 1024 / 1024).toFixed(2).padStart(6)} MiB  nodes ${String(m('Nodes')).padStart(5)}  listeners ${String(m('JSEventListeners')).padStart(4)}`,
      );
    };
    await sample('start');
    let updates = 0;
    for (let t = from + 60_000; t < now; t += 60_000) {
      const slice = events.filter((e) => Number(e.ts) >= t && Number(e.ts) < t + 60_000);
      if (slice.length > 0) {
        await post(slice);
        updates += 1;
      }
      await new Promise((r) => setTimeout(r, 1000)); // 60× real time
      const minute = Math.round((t - from) / 60_000);
      if (minute % 30 === 0) await sample(`${(minute / 60).toFixed(1)} h`);
    }
    await sample('end');
    console.log(`${updates} batches posted over ${hours} h of line time`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
