/**
 * The manager workspace in real headless Chromium against the real stack
 * (influxd + collector serving dist/dashboard), with the simulator's
 * reference line over the last shift and the last minutes of this one.
 * Asserts that the range picker changes what the charts and numbers show,
 * and that each range's numbers are the events in it. `npm test` builds
 * first; run alone:
 *
 *   npx vite build && npx vitest run dashboard/test/manager.e2e.test.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentShift, lineCalendar, previousShift, resolveRange, type ShiftInstance } from '../../core/calendar/calendar';
import type { StationEvent } from '../../core/events';
import { referencePlant } from '../../core/plant';
import { formatLocal } from '../../core/time/civil';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { postAll, simulateLine, unitsIn, waitForUnits } from './support/simulated-line';

const MIN = 60_000;
let stack: Stack;
let browser: Browser;
let events: StationEvent[] = [];
let now: number;
let current: ShiftInstance;
let previous: ShiftInstance;
const line = referencePlant().lines[0];
if (!line) throw new Error('the reference plant has no line');
const cal = lineCalendar(line);

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` (npm test does) before the browser tests');
  }
  // The collector's clock stands still inside a shift, so no range can roll over while the test runs.
  const wall = Date.now();
  const shiftNow = currentShift(cal, wall);
  if (!shiftNow) throw new Error('the reference calendar runs around the clock');
  now = Math.min(wall, shiftNow.end - 5 * MIN);
  current = shiftNow;
  previous = previousShift(cal, now) as ShiftInstance;
  stack = await startStack({ clock: () => now });
  browser = await launchChromium();
  // A whole last shift, and only the last 20 minutes of this one: the two cannot count the same.
  events = [
    ...simulateLine({ from: previous.start, to: previous.end, seed: 5 }),
    ...simulateLine({ from: Math.max(current.start, now - 20 * MIN), to: now, seed: 6 }),
  ];
  await postAll(stack, events);
  await waitForUnits(stack, previous.start, previous.end, unitsIn(events, previous.start, previous.end));
  await waitForUnits(stack, current.start, current.end, unitsIn(events, current.start, current.end));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const shown = async (page: Page) => ({
  units: Number((await page.getByTestId('kpi-units-value').textContent())?.replace(/,/g, '')),
  hourlyTotal: Number(await page.getByTestId('hourly-total').getAttribute('data-total')),
  interval: await page.getByTestId('interval').textContent(),
});

describe('manager workspace', () => {
  it('shows what the chosen range holds, and changes with the range picker', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/?line=A1`);
    await page.getByTestId('kpi-units-value').waitFor();

    // This shift: a few units at most, from the last 20 minutes.
    const thisShift = unitsIn(events, current.start, current.end);
    const lastShift = unitsIn(events, previous.start, previous.end);
    expect(lastShift).toBeGreaterThan(150);
    expect(thisShift).toBeLessThan(15);
    await expect.poll(() => shown(page)).toMatchObject({ units: thisShift, hourlyTotal: thisShift });
    expect(await page.getByText('生产管理').count()).toBeGreaterThan(0);
    const before = (await shown(page)).interval;

    await page.getByTestId('range-shift:previous').click();
    await expect.poll(() => shown(page)).toMatchObject({ units: lastShift, hourlyTotal: lastShift });
    expect((await shown(page)).interval).not.toBe(before);
    // Every chart drew, and the bottleneck came with its reason.
    for (const chart of ['chart-hourly', 'chart-uph', 'chart-cycles', 'chart-pareto', 'chart-timeline']) {
      await page.locator(`[data-testid=${chart}] canvas`).first().waitFor();
    }
    expect(await page.getByTestId('bottleneck-why').textContent()).toContain(await page.getByTestId('bottleneck-station').textContent());

    // The CSV link of the hourly chart carries the same units.
    const href = await page.getByTestId('chart-hourly-csv').getAttribute('href');
    const csv = await (await fetch(`${stack.baseUrl}${href}`)).text();
    const rows = csv.trim().split('\n').slice(1);
    expect(rows.reduce((s, r) => s + Number(r.split(',')[4]), 0)).toBe(lastShift);

    // Today: every shift of the production day so far.
    const today = resolveRange(cal, 'day:today', now);
    if (!today.ok) throw new Error(today.reason);
    const todayUnits = unitsIn(events, today.from, today.to);
    await page.getByTestId('range-day:today').click();
    await expect.poll(() => shown(page)).toMatchObject({ units: todayUnits, hourlyTotal: todayUnits });

    // Custom: two hours of the last shift typed on the line's clock (Shanghai), whatever the browser's zone.
    const from = previous.start + 60 * MIN;
    const to = from + 120 * MIN;
    await page.getByTestId('range-custom').click();
    // A range that cannot be applied says why, in the screen's language.
    await page.getByTestId('range-from').fill(formatLocal(to, line.timeZone).slice(0, 16));
    await page.getByTestId('range-to').fill(formatLocal(from, line.timeZone).slice(0, 16));
    expect(await page.getByTestId('range-why').textContent()).toBe('结束时间须晚于开始时间');
    await page.getByTestId('range-to').fill(formatLocal(to + 401 * 24 * 60 * MIN, line.timeZone).slice(0, 16));
    expect(await page.getByTestId('range-why').textContent()).toBe('时间范围最长 400 天');
    expect(await page.getByTestId('range-apply').isDisabled()).toBe(true);
    await page.getByTestId('range-from').fill(formatLocal(from, line.timeZone).slice(0, 16));
    await page.getByTestId('range-to').fill(formatLocal(to, line.timeZone).slice(0, 16));
    await page.getByTestId('range-apply').click();
    await expect.poll(() => shown(page)).toMatchObject({ units: unitsIn(events, from, to), hourlyTotal: unitsIn(events, from, to) });
    expect(new URL(page.url()).searchParams.get('from')).toBe(String(from));

    // A number opens its formula.
    await page.getByTestId('drill-availability').click();
    expect(await page.getByTestId('drill-formula').textContent()).toBe('A = (P − D) ÷ P');
    await context.close();
  });

  it('answers the twelve months and the quarter from the picker: every panel but the raw state timeline, which says why it is not drawn', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${stack.baseUrl}/?line=A1`);
    await page.getByTestId('kpi-units-value').waitFor();
    for (const period of ['year', 'quarter']) {
      await page.getByTestId(`range-past-${period}`).click();
      await expect.poll(() => new URL(page.url()).searchParams.has('from')).toBe(true);
      const from = Number(new URL(page.url()).searchParams.get('from'));
      const to = Number(new URL(page.url()).searchParams.get('to'));
      expect(to - from).toBeGreaterThan(31 * 24 * 60 * MIN);
      // The units of the range as the events have them; a range with no event says so instead of counting 0
      // (the simulated shifts lie in this month, so a past quarter or year holds none unless this is its first shift).
      const units = unitsIn(events, from, to);
      if (units > 0) await expect.poll(() => shown(page).then((x) => x.units)).toBe(units);
      else await expect.poll(() => page.getByTestId('kpi-units-value').textContent()).toBe('无数据');
      await page.getByTestId('timeline-too-long').waitFor();
      expect(await page.getByTestId('timeline-too-long').textContent()).toBe('状态时间线最长 31 天：请选择 31 天以内的区间查看。');
      await page.locator('[data-testid=chart-hourly] canvas').first().waitFor();
      await page.getByTestId('export-menu').click();
      expect(await page.getByTestId('export-too-long').isVisible()).toBe(true);
      await page.getByTestId('export-menu').click();
    }
    expect(await page.getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('andon-error').count()).toBe(0);
    expect(refused).toEqual([]);
    await context.close();
  });
});
