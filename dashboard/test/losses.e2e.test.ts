/**
 * The loss waterfall in real headless Chromium against the real stack
 * (influxd + collector serving dist/dashboard): the simulator's
 * partner-shortage scenario runs in-process over a recent morning, all five
 * hours go through the public ingest API, and the collector follows the
 * data's clock, so the morning shift is the one in progress. The manager
 * workspace must draw the waterfall the collector's `GET /api/v1/losses`
 * computes (plan → causes → good units, exactly), name the supplier as the
 * largest loss's owner, drill into its episode on the line's clock, list
 * the shortage, and say 无数据 for an interval without data. A second
 * stack holds the morning only up to 40 minutes into the shortage: the
 * wall's bottleneck tag must sit on the starved S07, not on the stations
 * blocked before it, and the shift panel name the partner's loss in units
 * as the live channel carries it. `npm test`
 * builds the dashboard first; run alone:
 *
 *   npx vite build && npx vitest run dashboard/test/losses.e2e.test.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineLive } from '../../core/live';
import { startStack, type Stack } from '../../collector/test/support/stack';
import type { LossReport } from '../../core/loss/types';
import { referencePlant } from '../../core/plant';
import { launchChromium } from './support/browser';
import { partnerShortage } from './support/partner-shortage';
import { postAll } from './support/simulated-line';

let stack: Stack;
let browser: Browser;
let report: LossReport;

/** `M/D HH:mm` of `ts` on the line's clock (Shanghai), as the workspace writes it in zh-CN. */
const shanghai = (ts: number) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ts);

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` (npm test does) before the browser tests');
  }
  const { events } = partnerShortage({ seed: 1 });
  // The collector's clock stands at the end of the morning (the line clock is the wall clock, here the test's).
  const end = Math.max(...events.map((e) => e.ts));
  stack = await startStack({ clock: () => end, config: { plant: referencePlant() } });
  browser = await launchChromium();
  await postAll(stack, events); // waits until InfluxDB has them
  const res = await fetch(`${stack.baseUrl}/api/v1/losses?line=A1&range=shift:current`);
  expect(res.status).toBe(200);
  report = (await res.json()) as LossReport;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function open(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}${path}`);
  return page;
}

describe('loss waterfall, from the partner-shortage scenario', () => {
  it("draws the collector's waterfall, with the supplier owning the largest loss and its episode on the line clock", async () => {
    // The scenario's point, as the collector accounts it: the partner is the largest loss.
    expect(report.status).toBe('ok');
    const first = report.losses[0];
    expect(first?.cause).toMatchObject({ kind: 'starved', partner: 'P-BATT-01' });
    expect(report.planUnits - report.losses.reduce((s, t) => s + t.units, 0)).toBeCloseTo(report.goodUnits, 6);

    const page = await open('/?line=A1');
    await page.locator('[data-testid=loss-waterfall] canvas').waitFor();
    const bars = await page.locator('[data-testid=loss-bars] button').evaluateAll((els) =>
      els.map((el) => ({ kind: el.getAttribute('data-kind'), units: Number(el.getAttribute('data-units')), text: el.textContent?.replace(/\s+/g, ' ').trim() })),
    );
    // Plan first, good units last, and every unit in between charged to a cause: the bars add up exactly.
    expect(bars[0]).toMatchObject({ kind: 'plan', units: report.planUnits });
    expect(bars.at(-1)).toMatchObject({ kind: 'actual', units: report.goodUnits });
    const causes = bars.slice(1, -1);
    expect(causes.reduce((s, b) => s + b.units, 0)).toBeCloseTo(report.planUnits - report.goodUnits, 6);
    expect(causes[0]).toMatchObject({ kind: 'starved', units: first?.units });
    expect(causes[0]?.text).toContain('缺料 P-BATT-01');

    // Who owns it.
    expect(await page.locator('[data-testid=loss-top-1] [data-testid=loss-top-cause]').textContent()).toBe('缺料 P-BATT-01');
    expect(await page.locator('[data-testid=loss-top-1] [data-testid=loss-top-owner]').textContent()).toBe('供应商 P-BATT-01');

    // Its bar drills into its episodes, on the line's clock.
    await page.getByTestId('loss-bar-1').click();
    const rows = page.getByTestId('loss-episode');
    await rows.first().waitFor();
    const episode = first?.episodes[0];
    if (!episode) throw new Error('the shortage has no episode');
    const cells = await rows.first().locator('td').allTextContents();
    expect(cells.slice(0, 2)).toEqual([shanghai(episode.from), shanghai(episode.to)]);

    // The shortage is a fact of its own, with the station it starved.
    const shortage = report.shortages.find((s) => s.partner === 'P-BATT-01');
    expect(shortage?.station).toBe('S07');
    expect(await page.getByTestId('loss-shortage-P-BATT-01').locator('td').nth(1).textContent()).toBe('S07');
    await page.locator('[data-testid=loss-bottleneck-timeline] canvas').waitFor();

    // In English too.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('[data-testid=loss-top-1] [data-testid=loss-top-owner]').textContent()).toBe('supplier P-BATT-01');
    await page.context().close();
  });

  it('says 无数据 for an interval without events, never a number', async () => {
    const from = report.range.from - 7 * 24 * 3_600_000;
    const page = await open(`/?line=A1&from=${from}&to=${from + 3_600_000}`);
    await page.getByTestId('loss-no-data').waitFor();
    expect(await page.getByTestId('loss-no-data').textContent()).toContain('无数据');
    expect(await page.getByTestId('loss-bars').count()).toBe(0);
    expect(await page.getByTestId('loss-top').count()).toBe(0);
    await page.context().close();
  });
});

describe('the wall during the shortage', () => {
  let during: Stack;
  beforeAll(async () => {
    const { events, starvation } = partnerShortage({ seed: 1 });
    // The shift's losses are computed with its KPIs: every 2 s here instead of every half minute.
    const shown = events.filter((e) => e.ts < starvation.ts + 40 * 60_000);
    const end = Math.max(...shown.map((e) => e.ts));
    during = await startStack({ clock: () => end, config: { plant: referencePlant(), kpiRefreshMs: 2000 } });
    await postAll(during, shown);
  }, 90_000);
  afterAll(async () => {
    await during?.stop();
  });

  it('tags the starved station as the bottleneck and names the shortage in units', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${during.baseUrl}/wall?line=A1`);
    const loss = page.getByTestId('shift-largest-loss');
    await loss.waitFor({ timeout: 60_000 });
    // What the live channel says, read from the same collector the page is on.
    const live = await page.evaluate(async () => {
      const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/v1/live?line=A1`);
      return new Promise<unknown>((resolve) =>
        ws.addEventListener('message', (m) => {
          const msg = JSON.parse(String(m.data)) as { type?: string };
          if (msg.type !== 'snapshot') return;
          resolve(msg);
          ws.close();
        }),
      );
    });
    const losses = (live as { line: LineLive }).line.losses;
    expect(losses?.bottleneck.station).toBe('S07');
    expect(losses?.largestLoss?.cause.partner).toBe('P-BATT-01');
    await expect.poll(() => page.locator('[data-testid=stations] li:has([data-testid=bottleneck])').getAttribute('data-testid')).toBe('station-S07');
    expect(await page.getByTestId('station-S06').getAttribute('data-state')).toBe('blocked');
    expect(await loss.textContent()).toBe(`缺料 P-BATT-01 −${Math.round(losses?.largestLoss?.units ?? NaN)} 台`);
    await context.close();
  }, 60_000);
});
