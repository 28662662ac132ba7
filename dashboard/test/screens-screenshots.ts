/**
 * Screenshots of the honest wall and the plant overview, from the real stack
 * in headless Chromium, into docs/screenshots/:
 *
 *   npx vite build && npx tsx dashboard/test/screens-screenshots.ts
 *
 * wall-stale-zh.png  the wall after its collector died: everything grey, the badge legible
 * plant-6-lines.png  the plant overview with six lines
 *
 * (The English wall at 1080p, wall-1080p-en.png, comes from screenshots.ts.)
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startStack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { demoEvents } from './support/demo-events';
import { plantLineIds, plantOfLines } from './support/plant-lines';
import { postAll } from './support/simulated-line';

const OUT = join(import.meta.dirname, '../../docs/screenshots');

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(800);
}

async function main(): Promise<void> {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    // The line wall, stale once the collector is gone.
    const wall = await startStack({ config: { kpiRefreshMs: 1000 } });
    try {
      const now = Date.now();
      await postAll(wall, [
        ...demoEvents({ now, spanMs: 2 * 3_600_000 }),
        { type: 'state', ts: now - 40 * 60_000, line: 'A1', station: 'S02', state: 'fault', reason: 'wire harness connector fixture broken' },
        { type: 'state', ts: now - 23 * 60_000, line: 'A1', station: 'S02', state: 'running' },
      ]);
      const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
      await page.goto(`${wall.baseUrl}/wall?line=A1&lang=zh-CN`);
      await page.getByTestId('this-hour-value').waitFor();
      await page.locator('[data-testid=trend] canvas').waitFor();
      await page.getByTestId('bottleneck').waitFor({ timeout: 20_000 });
      await settle(page);
      await wall.stopCollector();
      await page.waitForFunction(() => document.querySelector('[data-testid="live-view"]')?.getAttribute('data-stale') === 'true');
      // Past the link's red threshold (30 s): the badge is red, the frame has its red border.
      await page.waitForFunction(() => document.querySelector('[data-testid="data-age"]')?.getAttribute('data-freshness') === 'red', undefined, { timeout: 45_000 });
      await page.screenshot({ path: join(OUT, 'wall-stale-zh.png') });
      console.log('wrote wall-stale-zh.png');
      await page.context().close();
    } finally {
      await wall.stop();
    }

    // The plant overview: six lines, in every condition.
    const plant = await startStack({ config: { plant: plantOfLines(6), kpiRefreshMs: 1000 } });
    try {
      const now = Date.now();
      const events: unknown[] = [];
      plantLineIds(6).forEach((line, i) => {
        const state = i === 2 ? 'fault' : i === 4 ? 'starved' : 'running';
        for (const station of ['S01', 'S02', 'S03', 'S04', 'S05']) {
          events.push({ type: 'state', ts: now - 2 * 3_600_000, line, station, state: 'running' });
          if (state !== 'running' && (station === 'S03' || state === 'starved')) events.push({ type: 'state', ts: now - 7 * 60_000, line, station, state });
        }
        for (let t = now - 2 * 3_600_000 + 60_000; t < now; t += 120_000 + i * 15_000) events.push({ type: 'unit', ts: t, line, unit: `${line}-${t}` });
      });
      await postAll(plant, events);
      const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
      await page.goto(`${plant.baseUrl}/plant`);
      await page.getByTestId('plant-grid').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="plant-oee"]').length === 6);
      await page.waitForTimeout(2500); // the shift's OEE is computed within a second
      await settle(page);
      await page.screenshot({ path: join(OUT, 'plant-6-lines.png') });
      console.log('wrote plant-6-lines.png');
      await page.context().close();
    } finally {
      await plant.stop();
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
