/**
 * The supply panels in real headless Chromium against the real stack
 * (influxd + collector serving dist/dashboard): the simulator's
 * partner-shortage scenario runs in-process and its partner, orders, output
 * and line events go through the public ingest API up to 50 minutes before
 * S07 starves. The collector follows the data's clock, so the material-risk
 * alert is live; the wall and the manager workspace must both show it and
 * the cluster's numbers as the API computes them. `npm test` builds the
 * dashboard first; run alone:
 *
 *   npx vite build && npx vitest run dashboard/test/supply.e2e.test.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import type { MaterialRiskAlert } from '../../core/cluster/material-risk';
import { referencePlant } from '../../core/plant';
import { launchChromium } from './support/browser';
import { partnerShortage } from './support/partner-shortage';
import { postAll } from './support/simulated-line';

/** The parts of `GET /api/v1/cluster` and `/api/v1/orders` checked here (docs/api.md). */
interface ClusterAnswer {
  year: number;
  target: { valueYuan: number; year: number };
  yearToDateYuan: number;
  annualizedRunRateYuan: number | null;
}
interface OrdersAnswer {
  backlog: number | null;
}

/** What the screens should print for an amount, one decimal: "1137.1 亿元" / "113.7 bn yuan" (no grouping below 10 000). */
const yi = (yuan: number | null) => `${(Math.round((yuan ?? NaN) / 1e7) / 10).toFixed(1).replace(/\.0$/, '')} 亿元`;
const bn = (yuan: number | null) => `${(Math.round((yuan ?? NaN) / 1e8) / 10).toFixed(1).replace(/\.0$/, '')} bn yuan`;

/** The screens are looked at this long before the simulated starvation, ms. */
const LEAD_MS = 50 * 60_000;

let stack: Stack;
let browser: Browser;
let alert: MaterialRiskAlert;
let cluster: ClusterAnswer;
let orders: OrdersAnswer;

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${stack.baseUrl}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** `HH:mm` of `ts` in Shanghai, the line's zone. */
const shanghaiClock = (ts: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ts);

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` (npm test does) before the browser tests');
  }
  const { events, starvation } = partnerShortage({ seed: 1 });
  // An explicit demo clock at the moment the screen is looked at, running at real speed.
  stack = await startStack({ config: { plant: referencePlant(), clock: 'demo', demoStart: starvation.ts - LEAD_MS, demoSpeed: 1 } });
  browser = await launchChromium();
  const shown = events.filter((e) => e.ts < starvation.ts - LEAD_MS);
  expect(shown.some((e) => e.type === 'orders') && shown.some((e) => e.type === 'output') && shown.some((e) => e.type === 'partner')).toBe(true);
  await postAll(stack, shown); // waits until InfluxDB has them
  const alerts = (await getJson<{ alerts: MaterialRiskAlert[] }>('/api/v1/partners/alerts')).alerts;
  const found = alerts.find((a) => a.partner === 'P-BATT-01');
  if (!found || found.level !== 'critical' || found.starvesAt === null) throw new Error(`no critical alert for P-BATT-01: ${JSON.stringify(alerts)}`);
  alert = found;
  cluster = await getJson<ClusterAnswer>('/api/v1/cluster');
  orders = await getJson<OrdersAnswer>('/api/v1/orders?line=A1');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function open(path: string, size = { width: 1920, height: 1080 }): Promise<Page> {
  const context = await browser.newContext({ viewport: size });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}${path}`);
  return page;
}

describe('supply panels, from the partner-shortage scenario', () => {
  it('the wall shouts the alert (partner, station, time on the line clock) and shows orders and the goal, still without scrollbars', async () => {
    const page = await open('/wall?line=A1');
    await page.getByTestId('supply-alert').waitFor();
    expect(await page.getByTestId('supply-partners').getAttribute('data-alert')).toBe('P-BATT-01');
    expect(await page.getByTestId('supply-alert-head').textContent()).toBe('缺料预警 · 东湖动力电池');
    const text = await page.getByTestId('supply-alert').textContent();
    expect(text).toContain(`S07 电池包 将于 ${shanghaiClock(alert.starvesAt ?? 0)} 停线待料`);
    expect(text).toMatch(/（\d+ 分钟后）/);
    expect(await page.getByTestId('supply-backlog').textContent()).toBe(new Intl.NumberFormat('zh-CN').format(orders.backlog ?? NaN));
    const goal = await page.getByTestId('supply-goal-sub').textContent();
    // The demo's data is in the year before the target: the wall holds the annualised pace against it.
    const figure = cluster.year === cluster.target.year ? cluster.yearToDateYuan : cluster.annualizedRunRateYuan;
    expect(await page.getByTestId('supply-goal-figure').textContent()).toContain(yi(figure).replace(' 亿元', ''));
    expect(await page.getByTestId('supply-goal-figure').textContent()).toContain('/ 1000 亿元');
    expect(goal).toContain(yi(cluster.yearToDateYuan));

    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('supply-alert').textContent()).toContain(`S07 Battery pack starves at ${shanghaiClock(alert.starvesAt ?? 0)}`);

    for (const size of [
      { width: 1920, height: 1080 },
      { width: 3840, height: 2160 },
    ]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      const fit = await page.evaluate(() => {
        const doc = document.documentElement;
        const strip = document.querySelector('[data-testid="supply-strip"]')?.getBoundingClientRect();
        const alertBox = document.querySelector('[data-testid="supply-alert"]') as HTMLElement | null;
        return {
          scrollW: doc.scrollWidth,
          scrollH: doc.scrollHeight,
          clientW: doc.clientWidth,
          clientH: doc.clientHeight,
          stripBottom: strip?.bottom ?? Infinity,
          alertCut: alertBox ? alertBox.scrollWidth > alertBox.clientWidth : true,
          alertPx: alertBox ? parseFloat(getComputedStyle(alertBox).fontSize) : 0,
        };
      });
      expect(fit.scrollW).toBeLessThanOrEqual(fit.clientW);
      expect(fit.scrollH).toBeLessThanOrEqual(fit.clientH);
      expect(fit.stripBottom).toBeLessThanOrEqual(size.height);
      expect(fit.alertCut).toBe(false);
      // Readable across the hall: about 3 % of the screen height.
      expect(fit.alertPx).toBeGreaterThanOrEqual(size.height * 0.028);
    }
    await page.context().close();
  });

  it('the manager workspace shows the alert, the partner table, the goal and the chain gaps', async () => {
    const page = await open('/?line=A1&lang=en', { width: 1440, height: 900 });
    await page.getByTestId('supply-partner-table').waitFor();
    expect(await page.getByTestId('supply-alert-P-BATT-01').textContent()).toContain('S07 Battery pack will starve');
    expect(await page.getByTestId('supply-status-P-BATT-01').textContent()).toBe(
      { late: 'Late', down: 'Down', at_risk: 'At risk', ok: 'OK' }[alert.status],
    );
    expect(await page.getByTestId('supply-manager-backlog').textContent()).toBe(new Intl.NumberFormat('en').format(orders.backlog ?? NaN));
    expect(await page.locator('[data-testid=supply-goal-ytd] dd').textContent()).toContain(bn(cluster.yearToDateYuan));
    expect(await page.locator('[data-testid=supply-goal-target] dd').textContent()).toContain('100 bn yuan');
    expect(await page.locator('[data-testid=supply-gaps] .gap-tag').allTextContents()).toEqual(['Glass', 'ADAS software', 'Lidar']);
    await page.locator('[data-testid=supply-chart-contributions] canvas').waitFor();
    await page.context().close();
  });
});
