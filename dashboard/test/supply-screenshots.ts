/**
 * Takes the supply-chain screenshots in docs/screenshots/ (supply-wall-zh/en
 * at 1920×1080 with an active material-risk alert, supply-manager-zh/en) from
 * the real stack in headless Chromium. The simulator's partner-shortage
 * scenario runs in-process over a recent morning; only the events up to
 * 50 minutes before S07 starves are posted, and the collector follows the
 * data's clock, so the alert is live: P-BATT-01's battery packs run out and
 * S07 will starve.
 *
 *   npx vite build && npx tsx dashboard/test/supply-screenshots.ts
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { referencePlant } from '../../core/plant';
import { startStack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { partnerShortage } from './support/partner-shortage';
import { postAll } from './support/simulated-line';

const OUT = join(import.meta.dirname, '../../docs/screenshots');
/** How long before the simulated starvation the screen is looked at, ms. */
const LEAD_MS = 50 * 60_000;

async function main(): Promise<void> {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` first');
  }
  mkdirSync(OUT, { recursive: true });
  const { events, starvation } = partnerShortage({ seed: 1 });
  // The screen is looked at LEAD_MS before the starvation: an explicit demo clock set there, at real speed.
  const stack = await startStack({ config: { plant: referencePlant(), clock: 'demo', demoStart: starvation.ts - LEAD_MS, demoSpeed: 1 } });
  const browser = await launchChromium();
  try {
    await postAll(
      stack,
      events.filter((e) => e.ts < starvation.ts - LEAD_MS),
    );
    for (const lang of ['zh-CN', 'en'] as const) {
      const suffix = lang === 'zh-CN' ? 'zh' : 'en';
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: lang });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}/wall?line=A1&lang=${lang}`);
      await page.getByTestId('supply-alert').waitFor();
      await page.locator('[data-testid=trend] canvas').waitFor();
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.waitForTimeout(600);
      await page.screenshot({ path: join(OUT, `supply-wall-${suffix}.png`) });
      console.log(`wrote docs/screenshots/supply-wall-${suffix}.png`);

      await page.goto(`${stack.baseUrl}/?line=A1&lang=${lang}`);
      const section = page.getByTestId('supply-section');
      await page.getByTestId('supply-partner-table').waitFor();
      await section.locator('[data-testid=supply-chart-contributions] canvas').waitFor();
      await section.locator('[data-testid=supply-chart-monthly] canvas').waitFor();
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.waitForTimeout(600);
      await section.screenshot({ path: join(OUT, `supply-manager-${suffix}.png`) });
      console.log(`wrote docs/screenshots/supply-manager-${suffix}.png`);
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
