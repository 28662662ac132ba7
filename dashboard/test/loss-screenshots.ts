/**
 * Takes the loss-accounting screenshots in docs/screenshots/ from the real
 * stack in headless Chromium, with the simulator's partner-shortage scenario
 * run in-process over a recent morning (the collector follows the data's
 * clock):
 *
 * - loss-manager-zh/en.png: the manager's loss section for the morning shift
 *   (all five simulated hours posted), the largest loss drilled open;
 * - loss-wall-zh/en.png: the wall 40 minutes into the shortage, S07 starved
 *   for P-BATT-01's battery packs: the bottleneck tag on the starved
 *   station and the shift's largest loss in units.
 *
 *   npx vite build && npx tsx dashboard/test/loss-screenshots.ts
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startStack } from '../../collector/test/support/stack';
import { referencePlant } from '../../core/plant';
import { launchChromium } from './support/browser';
import { partnerShortage } from './support/partner-shortage';
import { postAll } from './support/simulated-line';

const OUT = join(import.meta.dirname, '../../docs/screenshots');
/** How far into the shortage the wall is looked at, ms. */
const INTO_SHORTAGE_MS = 40 * 60_000;

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(800); // the charts' lazy paint, and glyphs loaded after it
}

async function main(): Promise<void> {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` first');
  }
  mkdirSync(OUT, { recursive: true });
  const { events, starvation } = partnerShortage({ seed: 1 });
  const browser = await launchChromium();
  try {
    // The wall, during the shortage.
    // The collector's clock stands where the screen is looked at (the line clock is never learned from events).
    const shown = events.filter((e) => e.ts < starvation.ts + INTO_SHORTAGE_MS);
    const shownEnd = Math.max(...shown.map((e) => e.ts));
    const during = await startStack({ clock: () => shownEnd, config: { plant: referencePlant(), kpiRefreshMs: 2000 } });
    try {
      await postAll(during, shown);
      for (const lang of ['zh-CN', 'en'] as const) {
        const suffix = lang === 'zh-CN' ? 'zh' : 'en';
        const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: lang });
        const page = await context.newPage();
        await page.goto(`${during.baseUrl}/wall?line=A1&lang=${lang}`);
        await page.getByTestId('shift-largest-loss').waitFor({ timeout: 60_000 });
        await page.locator('[data-testid=trend] canvas').waitFor();
        await settle(page);
        await page.screenshot({ path: join(OUT, `loss-wall-${suffix}.png`) });
        console.log(`wrote docs/screenshots/loss-wall-${suffix}.png: ${await page.getByTestId('shift-largest-loss').textContent()}, bottleneck on ${await page.locator('[data-testid=stations] li:has([data-testid=bottleneck])').getAttribute('data-testid')}`);
        await context.close();
      }
    } finally {
      await during.stop();
    }

    // The manager's waterfall, after the whole morning.
    const end = Math.max(...events.map((e) => e.ts));
    const after = await startStack({ clock: () => end, config: { plant: referencePlant() } });
    try {
      await postAll(after, events);
      for (const lang of ['zh-CN', 'en'] as const) {
        const suffix = lang === 'zh-CN' ? 'zh' : 'en';
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang });
        const page = await context.newPage();
        await page.goto(`${after.baseUrl}/?line=A1&lang=${lang}`);
        await page.locator('[data-testid=loss-waterfall] canvas').waitFor();
        await page.locator('[data-testid=loss-bottleneck-shares] canvas').waitFor();
        await page.getByTestId('loss-bar-1').click();
        await page.getByTestId('loss-episodes').waitFor();
        await settle(page);
        await page.getByTestId('loss-section').screenshot({ path: join(OUT, `loss-manager-${suffix}.png`) });
        console.log(`wrote docs/screenshots/loss-manager-${suffix}.png`);
        await context.close();
      }
    } finally {
      await after.stop();
    }
  } finally {
    await browser.close();
  }
}

await main();
