/**
 * The station tablet's stops to classify, in real headless Chromium against
 * the real stack (influxd + collector serving dist/dashboard): S01's two
 * stops of the day appear on S01's tablet (S02's does not), the starvation
 * for P-BATT-01's parts with "缺料" as its first suggestion; the operator signs
 * in with a PIN and taps it once, and GET /api/v1/stops lists it classified
 * by them and the downtime Pareto counts its time under the reason. When a
 * team leader has classified the other stop in the meantime, the operator's
 * tap is refused and the tablet says who classified it as what. Every
 * control of the list is a finger's target (≥ 64 px). The station's nok unit
 * takes its defect code in one tap, and the loss report counts it under that
 * code and station. Build first:
 *
 *   npx vite build && npx vitest run dashboard/test/station-stops.e2e.test.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { andonPlant, call, signIn as apiSignIn } from '../../collector/test/support/andon';
import { startStack, type Stack } from '../../collector/test/support/stack';
import type { StopRecord } from '../../core/reasons/stops';
import { launchChromium } from './support/browser';

const MIN = 60_000;
let stack: Stack;
let browser: Browser;
const start = Date.now() - 40 * MIN;
const range = `from=${start - 10 * MIN}&to=${Date.now() + MIN}`;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('build the dashboard first: npx vite build');
  stack = await startStack({ config: { plant: await andonPlant(null) } });
  const state = (station: string, ts: number, s: string, reason?: string) => ({ type: 'state', line: 'A1', station, ts, state: s, ...(reason ? { reason } : {}) });
  const res = await stack.postEvents([
    state('S01', start - MIN, 'running'),
    state('S02', start - MIN, 'running'),
    state('S01', start, 'fault'),
    state('S02', start + 5 * MIN, 'fault'),
    state('S01', start + 10 * MIN, 'running'),
    state('S02', start + 12 * MIN, 'running'),
    state('S01', start + 20 * MIN, 'starved', 'waiting for parts from P-BATT-01'),
    state('S01', start + 28 * MIN, 'running'),
    { type: 'cycle', line: 'A1', station: 'S01', cycleTime: 60, ts: start + 30 * MIN, unit: 'VIN-7', result: 'nok' },
    { type: 'cycle', line: 'A1', station: 'S01', cycleTime: 60, ts: start + 31 * MIN, unit: 'VIN-8', result: 'ok' },
  ]);
  if (res.status !== 200) throw new Error(`posting failed: ${JSON.stringify(res.body)}`);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signIn(page: Page, person: string, pin: string): Promise<void> {
  await page.getByTestId(`person-${person}`).tap();
  for (const d of pin) await page.getByTestId(`pin-${d}`).tap();
  await page.getByTestId('pin-submit').tap();
}

const stops = async (): Promise<StopRecord[]> => (await call(stack.baseUrl, null, 'GET', `/api/v1/stops?line=A1&${range}`)).body.records as StopRecord[];

describe('/station: stops to classify', () => {
  it('shows the station\'s stops, classifies one in one tap, and says why a stop someone else classified is refused', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/station?line=A1&station=S01`);
    const listed = page.locator('[data-testid^="tablet-stop-S"]:not([data-testid^="tablet-stop-open"])');
    await expect.poll(() => listed.count()).toBe(2);
    const ids = await listed.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.replace('tablet-stop-', '') ?? ''));
    expect(ids.every((id) => id.startsWith('S01.'))).toBe(true);
    const [starved, fault] = ids as [string, string];
    expect(await page.getByTestId(`tablet-stop-${starved}`).textContent()).toContain('P-BATT-01');

    await signIn(page, 'op1', '1111');
    await page.getByTestId('signed-in-as').waitFor();
    const first = page.getByTestId(`tablet-stop-${starved}`).locator('[data-testid="suggestions"] button').first();
    expect(await first.textContent()).toContain('缺料');
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="station-stops"] button')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ what: el.dataset.testid ?? '', h: Math.round(el.getBoundingClientRect().height), w: Math.round(el.getBoundingClientRect().width) }))
        .filter((b) => b.h < 64 || b.w < 64),
    );
    expect(small).toEqual([]);
    // docs/screenshots/station-stops.png is retaken on request only, so a test run leaves the work tree as it was.
    if (process.env.TAKTLINE_SCREENSHOTS === '1') await page.screenshot({ path: join(import.meta.dirname, '../../docs/screenshots/station-stops.png'), fullPage: true });

    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(new URL(r.url()).pathname);
    });
    await first.tap();
    await expect.poll(() => page.getByTestId('stops-notice').textContent()).toContain('已分类为“缺料”（operator op1）');
    expect(posts).toEqual(['/api/v1/stops/classify']);
    await expect.poll(() => listed.count()).toBe(1);

    // The collector has it: classified by the operator, and its time under the reason in the Pareto.
    const record = (await stops()).find((r) => r.id === starved);
    expect(record?.current).toMatchObject({ source: 'person', by: { id: 'op1' }, parts: [{ reason: 'parts_shortage', category: 'material' }] });
    const pareto = (await call(stack.baseUrl, null, 'GET', `/api/v1/history/downtime?line=A1&${range}`)).body as { reasons: { byReason: { reason: string | null; seconds: number }[] } };
    expect(pareto.reasons.byReason.find((r) => r.reason === 'parts_shortage')?.seconds).toBe(8 * 60);

    // A team leader classifies the fault from a laptop; the operator's tap on the stale tablet is refused and says by whom.
    const tl = await apiSignIn(stack.baseUrl, 'tl1', '2222');
    expect((await call(stack.baseUrl, tl.cookie, 'POST', '/api/v1/stops/classify', { line: 'A1', stop: fault, reason: 'breakdown' })).status).toBe(201);
    await page.getByTestId('category-machine').tap();
    await page.getByTestId('tablet-reason-robot').tap();
    await expect.poll(() => page.getByTestId('stops-problem').textContent()).toContain('此停机已由 team_leader tl1 分类为“设备故障”');
    await expect.poll(() => page.getByTestId('stops-none').isVisible()).toBe(true);
    expect((await stops()).find((r) => r.id === fault)?.current?.by?.id).toBe('tl1');
    await context.close();
  });

  it('gives the station\'s nok unit its defect code in one tap; the loss report counts it by defect and station', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/station?line=A1&station=S01`);
    await signIn(page, 'op1', '1111');
    await page.getByTestId('nok-VIN-7').waitFor();
    expect(await page.getByTestId('nok-VIN-8').count()).toBe(0);
    await page.getByTestId('defect-scratch').tap();
    await expect.poll(() => page.getByTestId('nok-notice').textContent()).toBe('VIN-7 已记为“划伤”（operator op1）');
    await expect.poll(() => page.getByTestId('nok-none').isVisible()).toBe(true);
    const losses = (await call(stack.baseUrl, null, 'GET', `/api/v1/losses?line=A1&${range}`)).body as { qualityByDefect: { defect: string | null; station: string | null; units: number }[] };
    expect(losses.qualityByDefect).toEqual([{ defect: 'scratch', station: 'S01', units: 1 }]);
    await context.close();
  });
});
