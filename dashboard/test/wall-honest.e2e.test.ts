/**
 * "The wall never lies", in real headless Chromium against the real stack.
 * The collector's clock is set to 06:20:30 (Asia/Shanghai) of yesterday and
 * runs on from there, so the early shift is 20.5 minutes old: 10.25 units
 * due, shown as 10.
 *
 *   npx vite build --logLevel warn && npx vitest run dashboard/test/wall-honest.e2e.test.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';

/** Yesterday 06:20:30 in Shanghai (UTC+8, no DST) = 22:20:30 UTC the day before. */
function shiftMorning(): number {
  const d = new Date(Date.now() - 86_400_000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - 1, 22, 20, 30);
}

const T0 = shiftMorning();
const realStart = Date.now();
/** The collector's clock: 06:20:30 when the file starts, then running in real time. */
const clock = () => T0 + (Date.now() - realStart);

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` first');
  }
  stack = await startStack({ clock, config: { kpiRefreshMs: 1000 } });
  browser = await launchChromium();
  const shiftStart = T0 - 20.5 * 60_000;
  const stations = ['S01', 'S02', 'S03', 'S04', 'S05'];
  const res = await stack.postEvents([
    ...stations.map((station) => ({ type: 'state', ts: shiftStart, line: 'A1', station, state: 'running' })),
    // Twelve units in the first 18 minutes: two ahead of the 10 due.
    ...Array.from({ length: 12 }, (_, i) => ({ type: 'unit', ts: shiftStart + (i + 1) * 90_000, line: 'A1', unit: `HON-${i}` })),
    // S05 down for 16 min 30 s at T0; everything else starved since 06:19.
    { type: 'state', ts: T0 - 990_000, line: 'A1', station: 'S05', state: 'fault', reason: 'gripper' },
    ...stations.slice(0, 4).map((station) => ({ type: 'state', ts: T0 - 90_000, line: 'A1', station, state: 'starved' })),
  ]);
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openWall(query = ''): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(`${stack.baseUrl}/wall?line=A1${query}`);
  await page.getByTestId('this-hour-value').waitFor();
  await page.getByTestId('shift-units').waitFor();
  return page;
}

/** Whether `testid`'s element, or a box it sits in, is drawn without colour. */
const greyed = (page: Page, testid: string) =>
  page.getByTestId(testid).evaluate((el) => {
    for (let e: Element | null = el; e; e = e.parentElement) if (getComputedStyle(e).filter.includes('grayscale')) return true;
    return false;
  });

describe('the wall never lies', () => {
  it('shows a stopped line in red, not green, even when the count is ahead of plan', async () => {
    const page = await openWall();
    expect(await page.getByTestId('this-hour-value').textContent()).toBe('12');
    // 12 built against 10 due would be green by the count alone; every station is stopped.
    expect(await page.getByTestId('this-hour').getAttribute('class')).toContain('tone-bad');
    expect(await page.getByTestId('shift').getAttribute('class')).toContain('tone-bad');
    await page.context().close();
  });

  it('computes the shift gap from the numbers it shows', async () => {
    const page = await openWall();
    const text = (await page.getByTestId('shift-units').textContent()) ?? '';
    const [units, due] = (text.match(/\d+/g) ?? []).map(Number);
    expect([units, due]).toEqual([12, 10]);
    expect(await page.getByTestId('shift-gap').textContent()).toBe('+2');
    await page.context().close();
  });

  it('writes durations in words, never like a clock', async () => {
    const page = await openWall();
    const s05 = page.getByTestId('station-S05').getByTestId('time-in-state');
    expect(await s05.textContent()).toMatch(/^16分\d\d秒$/);
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => s05.textContent()).toMatch(/^16 min \d\d s$/);
    // Nothing on the wall but the clock and the takt countdown looks like h:mm.
    const clockLike = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="stations"], [data-testid="shift"], [data-testid="takt"] .sub')]
        .map((e) => e.textContent ?? '')
        .filter((t) => /\d:\d\d/.test(t)),
    );
    expect(clockLike).toEqual([]);
    await page.context().close();
  });

  it('writes every tooltip in the chosen language, with no raw epoch values', async () => {
    const page = await openWall('&lang=en');
    await page.getByTestId('bottleneck').waitFor({ timeout: 20_000 });
    const titles = await page.evaluate(() => [...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title') ?? ''));
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.filter((t) => /\d{11,}/.test(t))).toEqual([]);
    expect(titles.filter((t) => /[\u3400-\u9fff]/.test(t))).toEqual([]);
    await page.context().close();
  });

  it('names an unknown line and lists the lines there are, each linking to its wall', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${stack.baseUrl}/wall?line=B9`);
    await expect.poll(() => page.getByTestId('unknown-line').textContent()).toContain('B9');
    const link = page.getByTestId('known-lines').locator('a');
    expect(await link.getAttribute('href')).toBe('/wall?line=A1');
    expect(await link.textContent()).toContain('总装 A1 线');
    await link.click();
    await page.getByTestId('this-hour-value').waitFor();
    await page.context().close();
  });

  it('greys every figure, the station strip and the shift panel when the collector dies, and its badge still renders', async () => {
    const page = await openWall();
    await expect.poll(() => page.getByTestId('live-view').getAttribute('data-stale')).toBe('false');
    expect(await greyed(page, 'stations')).toBe(false);
    // The page has been up a moment: whatever it fetches at load is in.
    await page.evaluate(() => document.fonts.ready.then(() => undefined));

    await stack.stopCollector();
    await expect.poll(() => page.getByTestId('live-view').getAttribute('data-stale'), { timeout: 15_000 }).toBe('true');
    for (const testid of ['this-hour', 'units-per-hour', 'takt', 'shift', 'stations', 'trend']) {
      expect(await greyed(page, testid), testid).toBe(true);
    }
    // The badge itself keeps its colour, and every glyph of it is in the self-hosted font.
    expect(await greyed(page, 'data-age')).toBe(false);
    const badge = (await page.getByTestId('data-age').textContent())?.trim() ?? '';
    expect(badge).toContain('连接中断');
    const fontReady = await page.evaluate((text) => document.fonts.check('700 40px "Noto Sans SC"', text), badge);
    expect(fontReady).toBe(true);
    await page.context().close();
  });
});
