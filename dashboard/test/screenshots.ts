/**
 * Takes the wall-view screenshots in docs/screenshots/ from the real stack
 * (influxd + collector serving dist/dashboard) in headless Chromium.
 *
 *   npx vite build && npx tsx dashboard/test/screenshots.ts
 *
 * The machine has no CJK system font, so Chinese glyphs in these PNGs prove
 * the self-hosted Noto Sans SC works.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { StationEventInput } from '../../core/events';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { demoEvents } from './support/demo-events';
import { postAll, simulateLine } from './support/simulated-line';

const OUT = join(import.meta.dirname, '../../docs/screenshots');

async function settle(page: Page): Promise<void> {
  await page.getByTestId('this-hour-value').waitFor();
  await page.locator('[data-testid=trend] canvas').waitFor();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(600); // one tick of the local clock, and the chart's lazy paint
}

/** Posts `events` in one-minute slices of the line's clock, as a simulator at speed would. */
async function feed(stack: Stack, events: StationEventInput[], from: number, to: number): Promise<void> {
  for (let t = from; t < to; t += 60_000) {
    const slice = events.filter((e) => Number(e.ts) >= t && Number(e.ts) < Math.min(t + 60_000, to));
    if (slice.length === 0) continue;
    const res = await stack.postEvents(slice);
    if (res.status >= 300) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 300)); // the hub sends at most one update per 250 ms
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` first');
  }
  mkdirSync(OUT, { recursive: true });
  // The wall clock, as in production: the events lead up to now, and the trend chart
  // fills from the history API when a page opens.
  const stack = await startStack();
  const browser = await launchChromium();
  try {
    const now = Date.now();
    // Stations from the demo generator (every state colour on the strip); orders, partner
    // status and the cluster's output from the simulator's reference plant, so the
    // bottom strip shows what a real wall shows.
    const market = simulateLine({ from: now - 2 * 3_600_000, to: now, seed: 7 }).filter((e) => e.type === 'orders' || e.type === 'partner' || e.type === 'output');
    const events: StationEventInput[] = [...market, ...demoEvents({ now, spanMs: 2 * 3_600_000 })].sort((a, b) => Number(a.ts) - Number(b.ts));
    await postAll(stack, events.filter((e) => Number(e.ts) < now - 2 * 3_600_000)); // the cluster's output of the months before
    await feed(stack, events, now - 2 * 3_600_000, now - 3_600_000);

    const shots: { file: string; width: number; height: number; lang: 'zh-CN' | 'en'; path?: string }[] = [
      { file: 'wall-1080p-zh.png', width: 1920, height: 1080, lang: 'zh-CN' },
      { file: 'wall-1080p-en.png', width: 1920, height: 1080, lang: 'en' },
      { file: 'wall-4k-zh.png', width: 3840, height: 2160, lang: 'zh-CN' },
      { file: 'wall-4k-en.png', width: 3840, height: 2160, lang: 'en' },
      { file: 'live-laptop-zh.png', width: 1440, height: 900, lang: 'zh-CN', path: '/live?line=A1' },
    ];
    const pages: { shot: (typeof shots)[number]; page: Page }[] = [];
    for (const shot of shots) {
      const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, locale: shot.lang });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}${shot.path ?? '/wall?line=A1'}&lang=${shot.lang}`);
      await page.getByTestId('this-hour-value').waitFor();
      pages.push({ shot, page });
    }
    await feed(stack, events, now - 3_600_000, now + 1);
    for (const { shot, page } of pages) {
      await settle(page);
      await page.screenshot({ path: join(OUT, shot.file), fullPage: shot.path !== undefined });
      console.log(`wrote docs/screenshots/${shot.file}`);
      await page.context().close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
}

await main();
