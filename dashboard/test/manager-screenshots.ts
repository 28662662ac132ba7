/**
 * Takes the manager-workspace screenshots in docs/screenshots/ from the real
 * stack (influxd + collector serving dist/dashboard) in headless Chromium,
 * with the simulator's reference line run over the last two shifts. The
 * shots show the last (complete) shift.
 *
 *   npx vite build && npx tsx dashboard/test/manager-screenshots.ts
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lineCalendar, previousShift } from '../../core/calendar/calendar';
import { referencePlant } from '../../core/plant';
import { startStack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { postAll, simulateLine, unitsIn, waitForUnits } from './support/simulated-line';

const OUT = join(import.meta.dirname, '../../docs/screenshots');

async function main(): Promise<void> {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` first');
  }
  mkdirSync(OUT, { recursive: true });
  const line = referencePlant().lines[0];
  if (!line) throw new Error('the reference plant has no line');
  const now = Date.now();
  const last = previousShift(lineCalendar(line), now);
  if (!last) throw new Error('the reference calendar has no previous shift');
  const stack = await startStack();
  const browser = await launchChromium();
  try {
    const events = simulateLine({ from: last.start - 3_600_000, to: now, seed: 11 });
    await postAll(stack, events);
    await waitForUnits(stack, last.start, last.end, unitsIn(events, last.start, last.end), 60_000);

    for (const lang of ['zh-CN', 'en'] as const) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/?line=A1&lang=${lang}`);
      await page.getByTestId('range-shift:previous').click();
      await page.getByTestId('kpi-units-value').waitFor();
      await page.waitForFunction(() => !document.querySelector('[data-testid=loading]'));
      await page.locator('[data-testid=chart-timeline] canvas').first().waitFor();
      await page.getByTestId('drill-availability').click();
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.waitForTimeout(500); // the charts' lazy paint
      const file = `manager-${lang === 'zh-CN' ? 'zh' : 'en'}.png`;
      await page.screenshot({ path: join(OUT, file), fullPage: true });
      console.log(`wrote docs/screenshots/${file}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
