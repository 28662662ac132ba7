/**
 * The manager workspace's stop-reason and defect panels in real headless
 * Chromium against the real stack (influxd + collector serving
 * dist/dashboard): after an operator classifies one stop and gives a nok unit
 * its defect code, the reliability table lists MTBF/MTTR under the reason and
 * the unclassified in their own row, the loss section shows the unclassified
 * share the collector computes with its trend, and quality losses by defect
 * and station. With TAKTLINE_SCREENSHOTS=1 it retakes
 * docs/screenshots/manager-reasons.png. Build first:
 *
 *   npx vite build && npx vitest run dashboard/test/manager-reasons.e2e.test.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { andonPlant, call, signIn } from '../../collector/test/support/andon';
import { startStack, type Stack } from '../../collector/test/support/stack';
import type { StopReasonsPart, StopRecord } from '../../core/reasons/stops';
import { launchChromium } from './support/browser';

const MIN = 60_000;
let stack: Stack;
let browser: Browser;
const now = Date.now();
const start = now - 60 * MIN;
const stations = ['S01', 'S02', 'S03', 'S04', 'S05'];

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('build the dashboard first: npx vite build');
  stack = await startStack({ config: { plant: await andonPlant(null) } });
  const events: Record<string, unknown>[] = [];
  for (const st of stations) events.push({ type: 'state', line: 'A1', station: st, ts: start - MIN, state: 'running' });
  events.push(
    { type: 'state', line: 'A1', station: 'S01', ts: start + 5 * MIN, state: 'fault' },
    { type: 'state', line: 'A1', station: 'S01', ts: start + 15 * MIN, state: 'running' },
    { type: 'state', line: 'A1', station: 'S02', ts: start + 30 * MIN, state: 'starved', reason: 'waiting for parts from P-BATT-01' },
    { type: 'state', line: 'A1', station: 'S02', ts: start + 36 * MIN, state: 'running' },
  );
  for (let i = 0; i < 25; i += 1) {
    const ts = start + i * 2 * MIN;
    const nok = i === 7 || i === 12;
    for (const st of stations) events.push({ type: 'cycle', line: 'A1', station: st, cycleTime: 100, ts: ts - 1000, unit: `VIN-${i}`, result: nok && st === 'S02' ? 'nok' : 'ok' });
    events.push({ type: 'unit', line: 'A1', unit: `VIN-${i}`, ts, result: nok ? 'nok' : 'ok', ...(i === 12 ? { defect: 'leak' } : {}) });
  }
  const res = await stack.postEvents(events);
  if (res.status !== 200 || (res.body as { rejected: unknown[] }).rejected.length > 0) throw new Error(`posting failed: ${JSON.stringify(res.body)}`);
  await stack.drained();
  const { cookie } = await signIn(stack.baseUrl, 'op1', '1111');
  const records = (await call(stack.baseUrl, null, 'GET', '/api/v1/stops?line=A1&range=shift:current')).body.records as StopRecord[];
  const fault = records.find((r) => r.station === 'S01');
  if (!fault) throw new Error('no S01 stop record');
  expect((await call(stack.baseUrl, cookie, 'POST', '/api/v1/stops/classify', { line: 'A1', stop: fault.id, reason: 'breakdown' })).status).toBe(201);
  expect((await call(stack.baseUrl, cookie, 'POST', '/api/v1/units/defect', { line: 'A1', unit: 'VIN-7', station: 'S02', defect: 'torque' })).status).toBe(201);
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('manager: stop reasons and defects', () => {
  it('shows MTBF/MTTR by reason, the unclassified share and its trend, and quality by defect and station, as the collector computes them', async () => {
    const reasons = (await call(stack.baseUrl, null, 'GET', '/api/v1/kpi?line=A1&range=shift:current')).body.reasons as StopReasonsPart;
    expect(reasons.unclassifiedShare).toBeCloseTo(360 / 960, 6);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/?line=A1`);
    const breakdown = page.getByTestId('reliability-row-breakdown');
    await breakdown.waitFor();
    const cells = async (id: string) => (await page.getByTestId(id).locator('td').allTextContents()).map((t) => t.trim());
    expect(await cells('reliability-row-breakdown')).toEqual(['设备故障', '设备', '1', expect.stringMatching(/小时/), '10 分', '10 分']);
    expect((await cells('reliability-row-none'))[0]).toBe('未分类');
    await page.getByTestId('reliability-by-category').click();
    expect((await cells('reliability-row-material')).slice(0, 2)).toEqual(['物料', '1']);

    await expect.poll(() => page.getByTestId('unclassified-total').textContent()).toBe(`${Math.round((reasons.unclassifiedShare ?? 0) * 100)} %`);
    expect(await page.locator('[data-testid^="trend-"]').count()).toBe(reasons.trend.points.length);
    expect((await cells('quality-torque-S02')).slice(0, 3)).toEqual(['扭矩不合格', 'S02', '1']);
    expect((await cells('quality-leak-end')).slice(0, 3)).toEqual(['淋雨渗漏', '下线', '1']);
    expect((await cells('quality-none-end')).slice(0, 3)).toEqual(['未填缺陷', '下线', '1']);
    if (process.env.TAKTLINE_SCREENSHOTS === '1') {
      await page.getByTestId('reliability-by-reason').click();
      await page.getByTestId('loss-section').screenshot({ path: join(import.meta.dirname, '../../docs/screenshots/manager-reasons-losses.png') });
      await page.getByTestId('reliability').screenshot({ path: join(import.meta.dirname, '../../docs/screenshots/manager-reasons-reliability.png') });
    }
    await context.close();
  });
});
