/**
 * The manager's day trend in real headless Chromium against the real stack:
 * over the last week (range=week:previous, whose days the test fills but
 * the first), the chart draws the collector's /api/v1/trends answer —
 * seven production days, the first 无数据 (no state carries into it either) — and its units add up to the week's
 * units in the workspace's headline number. Run alone:
 *
 *   npx vite build && npx vitest run dashboard/test/trend.e2e.test.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineCalendar, resolveRange } from '../../core/calendar/calendar';
import type { StationEvent } from '../../core/events';
import type { TrendPoint } from '../../core/kpi/trend';
import { referencePlant } from '../../core/plant';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { postAll, simulateLine, unitsIn, waitForUnits } from './support/simulated-line';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let stack: Stack;
let browser: Browser;
const events: StationEvent[] = [];
let week: { from: number; to: number };
const line = referencePlant().lines[0];
if (!line) throw new Error('the reference plant has no line');

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` (npm test does) before the browser tests');
  }
  const now = Date.now();
  const resolved = resolveRange(lineCalendar(line), 'week:previous', now);
  if (!resolved.ok) throw new Error(resolved.reason);
  week = resolved;
  stack = await startStack({ clock: () => now, config: { maxAgeSeconds: 30 * 86_400 } });
  browser = await launchChromium();
  // Two hours of each production day but the first, which stays without data (a later empty day would inherit the stations' states).
  for (let d = 1; d < 7; d += 1) events.push(...simulateLine({ from: week.from + d * DAY + 2 * HOUR, to: week.from + d * DAY + 4 * HOUR, seed: 20 + d }));
  await postAll(stack, events);
  await waitForUnits(stack, week.from, week.to, unitsIn(events, week.from, week.to));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('manager day trend', () => {
  it('draws the days of the last week, with the empty day as no data, and their units add up to the week', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    // Listening before the page loads: a trend answered from kept points can arrive before goto resolves.
    const answered = page.waitForResponse((r) => r.url().includes('/api/v1/trends'), { timeout: 25_000 });
    await page.goto(`${stack.baseUrl}/?line=A1&range=week:previous`);
    const answer = await answered;
    expect(answer.status()).toBe(200);
    const points = ((await answer.json()) as { points: TrendPoint[] }).points;
    expect(points).toHaveLength(7);
    expect(points.map((p) => p.status)).toEqual(['no_data', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(points[0]?.oee).toBeNull();
    const total = unitsIn(events, week.from, week.to);
    expect(points.reduce((s, p) => s + p.units, 0)).toBe(total);
    const card = page.getByTestId('chart-trend');
    await card.locator('canvas').waitFor();
    expect(await card.locator('h2').textContent()).toContain('每日产量 vs 计划 · OEE');
    expect(await page.getByTestId('trend-error').count()).toBe(0);
    await expect.poll(async () => Number((await page.getByTestId('kpi-units-value').textContent())?.replace(/,/g, ''))).toBe(total);
    if (process.env.TREND_SCREENSHOT) await card.screenshot({ path: process.env.TREND_SCREENSHOT });
  });
});
