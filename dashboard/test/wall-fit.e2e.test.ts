/**
 * Both languages fit at 1080p and 4K with the reference plant's names (20
 * stations, the longest English ones): no label on the wall is cut. A label
 * is cut when its content is wider than its box (scrollWidth > clientWidth),
 * which is what an ellipsis or a hidden overflow hides. Real Chromium, real
 * stack; a line in trouble, so the longest strings (top downtime with its
 * reason, bottleneck tag, partner alerts) are on screen.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { demoEvents } from './support/demo-events';
import { postAll } from './support/simulated-line';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  stack = await startStack({ config: { kpiRefreshMs: 1000 } }); // the bottleneck tag is on the strip within a second
  browser = await launchChromium();
  const now = Date.now();
  await postAll(stack, [
    ...demoEvents({ now, spanMs: 2 * 3_600_000 }),
    // The shift's top downtime: over an hour, with a long reason of the station's own.
    { type: 'state', ts: now - 75 * 60_000, line: 'A1', station: 'S02', state: 'fault', reason: 'wire harness connector fixture broken' },
    { type: 'state', ts: now - 4 * 60_000, line: 'A1', station: 'S02', state: 'running' },
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Every element with text of its own whose content is wider than its box, with what it says. */
const CLIPPED = () => {
  const out: { text: string; scroll: number; client: number; testid: string | null }[] = [];
  for (const el of document.querySelectorAll<HTMLElement>('[data-testid="live-view"] *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
    if (!own || el.clientWidth === 0) continue;
    const style = getComputedStyle(el);
    if (style.display === 'inline') continue; // inline boxes have no scroll box; their block parent is checked
    if (el.scrollWidth > el.clientWidth + 1) {
      out.push({ text: (el.textContent ?? '').trim().slice(0, 80), scroll: el.scrollWidth, client: el.clientWidth, testid: el.closest('[data-testid]')?.getAttribute('data-testid') ?? null });
    }
  }
  return out;
};

describe('the wall fits', () => {
  for (const lang of ['zh-CN', 'en'] as const) {
    for (const size of [
      { width: 1920, height: 1080 },
      { width: 3840, height: 2160 },
    ]) {
      it(`${lang} at ${size.width}×${size.height}: no label is cut`, { timeout: 60_000 }, async () => {
        const page = await (await browser.newContext({ viewport: size })).newPage();
        await page.goto(`${stack.baseUrl}/wall?line=A1&lang=${lang}`);
        await page.getByTestId('this-hour-value').waitFor();
        // The shift's longest line: its largest loss (with loss accounting) or its top downtime.
        await page.locator('[data-testid="shift-largest-loss"], [data-testid="shift-top-downtime"]').first().waitFor();
        await page.getByTestId('bottleneck').waitFor({ timeout: 20_000 });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await page.waitForTimeout(500);
        expect(await page.evaluate(CLIPPED)).toEqual([]);
        await page.context().close();
      });
    }
  }
});
