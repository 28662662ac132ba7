/**
 * The wall view in real headless Chromium against the real stack (influxd +
 * collector serving dist/dashboard). `npm test` runs `vite build` before
 * vitest, so dist/dashboard exists here; run alone, build it first:
 *
 *   npx vite build && npx vitest run dashboard/test
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { startOfLocalHour } from '../../core/time/zone';
import { launchChromium } from './support/browser';

let stack: Stack;
let browser: Browser;
/** Completion times of every unit posted, epoch ms: what "this hour" must count. */
const unitTimes: number[] = [];

/** Units posted in the current local clock hour of line A1 (Asia/Shanghai). */
function expectedThisHour(): number {
  const now = Date.now();
  const start = startOfLocalHour(now, 'Asia/Shanghai');
  return unitTimes.filter((t) => t >= start && t <= now).length;
}

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` (npm test does) before the browser tests');
  }
  stack = await startStack();
  browser = await launchChromium();
  // Some history: five stations running, units over the last ten minutes.
  const now = Date.now();
  const stations = ['S01', 'S02', 'S03', 'S04', 'S05'];
  const res = await stack.postEvents([
    ...stations.map((station) => ({ type: 'state', ts: now - 600_000, line: 'A1', station, state: 'running' })),
    ...[4, 6, 8].map((min, i) => ({ type: 'unit', ts: now - min * 60_000, line: 'A1', unit: `E2E-${i}` })),
    // Two minutes of downtime, so the shift panel has its longest content (the top downtime) to fit.
    { type: 'state', ts: now - 5 * 60_000, line: 'A1', station: 'S05', state: 'fault', reason: 'gripper' },
    { type: 'state', ts: now - 3 * 60_000, line: 'A1', station: 'S05', state: 'running' },
  ]);
  unitTimes.push(now - 4 * 60_000, now - 6 * 60_000, now - 8 * 60_000);
  expect(res.status).toBeLessThan(300);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openWall(size: { width: number; height: number }, query = ''): Promise<Page> {
  const context = await browser.newContext({ viewport: size });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/wall?line=A1${query}`);
  await page.getByTestId('this-hour-value').waitFor();
  return page;
}

const number = async (page: Page, testid: string) => Number(await page.getByTestId(testid).textContent());

describe('wall view, live', () => {
  it('shows the numbers change as units and states arrive', async () => {
    const page = await openWall({ width: 1920, height: 1080 });
    const perHourBefore = await number(page, 'units-per-hour-value');
    expect(await number(page, 'this-hour-value')).toBe(expectedThisHour());
    expect(perHourBefore).toBeGreaterThanOrEqual(3);

    const now = Date.now();
    const res = await stack.postEvents([
      { type: 'unit', ts: now - 2000, line: 'A1', unit: 'E2E-NEW-1' },
      { type: 'unit', ts: now - 1000, line: 'A1', unit: 'E2E-NEW-2' },
      { type: 'state', ts: now - 1000, line: 'A1', station: 'S03', state: 'fault', reason: 'e2e' },
    ]);
    expect(res.status).toBeLessThan(300);
    unitTimes.push(now - 2000, now - 1000);

    await expect.poll(() => number(page, 'units-per-hour-value'), { timeout: 10_000 }).toBe(perHourBefore + 2);
    await expect.poll(async () => (await number(page, 'this-hour-value')) - expectedThisHour()).toBe(0);
    await expect.poll(() => page.getByTestId('station-S03').getAttribute('data-state')).toBe('fault');
    await expect.poll(() => page.getByTestId('station-S03').textContent()).toContain('故障');
    // The takt countdown restarted from the newest unit and keeps moving without messages.
    const t1 = await page.getByTestId('takt-value').textContent();
    await expect.poll(() => page.getByTestId('takt-value').textContent(), { timeout: 3000 }).not.toBe(t1);
    await page.context().close();
  });

  for (const size of [
    { width: 1920, height: 1080 },
    { width: 3840, height: 2160 },
    { width: 1366, height: 768 },
  ]) {
    it(`fits ${size.width}×${size.height} without scrollbars or cut-off stations`, async () => {
      const page = await openWall(size);
      await page.locator('[data-testid=trend] canvas').waitFor();
      const fit = await page.evaluate(() => {
        const doc = document.documentElement;
        const last = [...document.querySelectorAll('[data-testid^="station-"]')].at(-1)?.getBoundingClientRect();
        const takt = document.querySelector('[data-testid="takt"]')?.getBoundingClientRect();
        const shift = document.querySelector('[data-testid="shift"]') as HTMLElement | null;
        return {
          scrollW: doc.scrollWidth,
          scrollH: doc.scrollHeight,
          clientW: doc.clientWidth,
          clientH: doc.clientHeight,
          lastBottom: last?.bottom ?? Infinity,
          lastRight: last?.right ?? Infinity,
          taktRight: takt?.right ?? Infinity,
          digitPx: parseFloat(getComputedStyle(document.querySelector('[data-testid="this-hour-value"]') as Element).fontSize),
          // The shift panel's lines must all show whole: none of them past the panel's edges.
          shiftOverflow: shift
            ? Math.max(
                shift.scrollHeight - shift.clientHeight,
                ...[...shift.children].map((c) => c.getBoundingClientRect().bottom - shift.getBoundingClientRect().bottom),
                ...[...shift.children].map((c) => shift.getBoundingClientRect().top - c.getBoundingClientRect().top),
              )
            : 0,
        };
      });
      expect(fit.scrollW).toBeLessThanOrEqual(fit.clientW);
      expect(fit.scrollH).toBeLessThanOrEqual(fit.clientH);
      expect(fit.lastBottom).toBeLessThanOrEqual(size.height);
      expect(fit.lastRight).toBeLessThanOrEqual(size.width);
      expect(fit.taktRight).toBeLessThanOrEqual(size.width);
      expect(fit.shiftOverflow).toBeLessThanOrEqual(1);
      // Huge digits: about an eighth of the screen height, scaling with it.
      expect(fit.digitPx).toBeGreaterThanOrEqual(size.height * 0.12);
      await page.context().close();
    });
  }

  it('keeps an overdue takt of ten minutes and more inside its tile', async () => {
    // A line whose last unit left twelve minutes ago: the countdown reads 超时 12分xx秒, in words, not a clock-like +12:xx.
    const quiet = await startStack();
    try {
      await quiet.postEvents([{ type: 'unit', ts: Date.now() - 12 * 60_000, line: 'A1', unit: 'E2E-LATE' }]);
      const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
      await page.goto(`${quiet.baseUrl}/wall?line=A1`);
      await expect.poll(() => page.getByTestId('takt-value').textContent()).toMatch(/^超时 1\d分\d\d秒$/);
      const clip = await page.getByTestId('takt-value').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(clip.scroll).toBeLessThanOrEqual(clip.client);
      await page.context().close();
    } finally {
      await quiet.stop();
    }
  });

  it('switches language by its button and remembers it across a reload', async () => {
    const page = await openWall({ width: 1920, height: 1080 });
    expect(await page.getByTestId('this-hour').textContent()).toContain('本小时产量');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('this-hour').textContent()).toContain('This hour');
    expect(await page.getByTestId('line-name').textContent()).toBe('Final assembly A1');
    // Every label, not just these: no Chinese character is left on the page (station and partner names included),
    // but for the switch itself, which offers 中文.
    const chineseLeft = () =>
      page.evaluate(() => {
        const body = document.body.cloneNode(true) as HTMLElement;
        body.querySelector('[data-testid="lang-switch"]')?.remove();
        return ((body.textContent ?? '').match(/[\u3400-\u9fff]/g) ?? []).join('');
      });
    await expect.poll(chineseLeft, { timeout: 5000 }).toBe('');
    await page.reload();
    await page.getByTestId('this-hour-value').waitFor();
    expect(await page.getByTestId('units-per-hour').textContent()).toContain('Units per hour');
    await page.context().close();
  });

  it('shows the stale badge when the collector stops, and clears it when it is back', async () => {
    const page = await openWall({ width: 1920, height: 1080 });
    const freshness = () => page.getByTestId('data-age').getAttribute('data-freshness');
    await stack.postEvents([{ type: 'state', ts: Date.now(), line: 'A1', station: 'S01', state: 'running' }]);
    await expect.poll(freshness).toBe('live');

    await stack.stopCollector();
    await expect.poll(freshness, { timeout: 10_000 }).not.toBe('live');
    expect(await page.getByTestId('data-age').textContent()).toContain('连接中断');
    // The numbers stay on screen while the link is down.
    expect(await page.getByTestId('this-hour-value').isVisible()).toBe(true);

    await stack.startCollector();
    // The page reconnects by itself; fresh data clears the badge.
    await stack.postEvents([{ type: 'state', ts: Date.now(), line: 'A1', station: 'S01', state: 'running' }]);
    await expect.poll(freshness, { timeout: 20_000 }).toBe('live');
    await page.context().close();
  });
});
