/**
 * bench/wall-busy: main-thread time of the wall in real headless Chromium,
 * per real minute, with the line's stations changing as a live line's do
 * (time in state ticks every second on every card). Prints seconds of
 * main-thread task time per minute for each dashboard build given, so two
 * builds are compared in the same run:
 *
 *   npx tsx bench/wall-busy.ts [dashboardDir …]   (default: dist/dashboard)
 */
import { fileURLToPath } from 'node:url';
import { startStack } from '../collector/test/support/stack';
import { launchChromium } from '../dashboard/test/support/browser';
import { demoEvents } from '../dashboard/test/support/demo-events';
import { postAll } from '../dashboard/test/support/simulated-line';

const root = fileURLToPath(new URL('..', import.meta.url));
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const SECONDS = 30;

async function measure(dashboardDir: string): Promise<number> {
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
    const busy = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    };
    const b0 = await busy();
    const t0 = performance.now();
    await page.waitForTimeout(SECONDS * 1000);
    const b1 = await busy();
    return (b1 - b0) / ((performance.now() - t0) / 60_000);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const list = dirs.length > 0 ? dirs : [`${root}dist/dashboard`];
  for (const dir of list) {
    const perMinute = await measure(dir);
    console.log(`${dir}: main-thread busy ${perMinute.toFixed(2)} s per real minute (${SECONDS} s measured)`);
  }
}

void main();
