/**
 * The shift report through the real parts: the simulator's partner-shortage
 * scenario, with breakdowns made frequent, runs in-process over a whole early
 * shift of a recent day and a quarter hour of the next; every event goes
 * through the public ingest API into a collector on a real influxd, which
 * follows the data's clock (so the early shift has ended and the late one has
 * just begun). `GET /api/v1/report` must carry the numbers `/api/v1/kpi` and
 * `/api/v1/losses` answer for the same shift, refuse bad input with a reason,
 * and say "no data" for a shift without data; real headless Chromium renders
 * the report page to an A4 PDF, which pdftoppm turns into PNG pages
 * (docs/screenshots/report-*.png with TAKTLINE_SCREENSHOTS=1). Run alone:
 *
 *   npx vite build && TAKTLINE_SCREENSHOTS=1 npx vitest run dashboard/test/report.e2e.test.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import type { StationEvent } from '../../core/events';
import type { LineKpis } from '../../core/kpi/line-kpis';
import type { LossReport } from '../../core/loss/types';
import { referencePlant } from '../../core/plant';
import type { ShiftReport } from '../../core/report/shift-report';
import { launchChromium } from './support/browser';
import { partnerShortageShift } from './support/partner-shortage';
import { postAll, unitsIn, waitForUnits } from './support/simulated-line';
import { call, signIn } from '../../collector/test/support/andon';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
/** Simulated from 06:00: the early shift (06:00–14:00) and 15 minutes of the late one. */
const RUN_HOURS = 8.25;
const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');

let stack: Stack;
let browser: Browser;
let events: StationEvent[];
let report: ShiftReport;

async function get<T>(path: string): Promise<{ status: number; body: T & { error?: { code: string; message: string } } }> {
  const res = await fetch(`${stack.baseUrl}${path}`);
  return { status: res.status, body: (await res.json()) as T & { error?: { code: string; message: string } } };
}

async function open(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 } });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}${path}`);
  await page.locator('[data-testid=report-page][data-ready=yes], [data-testid=report-page][data-ready=error]').waitFor();
  return page;
}

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` (npm test does) before the browser tests');
  }
  const sim = partnerShortageShift({ hours: RUN_HOURS, runId: 'report' });
  events = sim.events;
  // The line clock is the wall clock: here the test's, standing where the simulated run ends.
  stack = await startStack({ clock: () => sim.start + RUN_HOURS * HOUR, config: { plant: referencePlant(), maxAgeSeconds: 30 * 86_400 } });
  browser = await launchChromium();
  await postAll(stack, events);
  await waitForUnits(stack, sim.start, sim.start + RUN_HOURS * HOUR, unitsIn(events, sim.start, sim.start + RUN_HOURS * HOUR), 60_000);
  const res = await get<ShiftReport>('/api/v1/report?line=A1&range=shift:previous');
  expect(res.status, JSON.stringify(res.body.error)).toBe(200);
  report = res.body;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('GET /api/v1/report', () => {
  it('reports the ended early shift with the breakdown and the shortage, with the numbers of /api/v1/kpi and /api/v1/losses', async () => {
    expect(report).toMatchObject({ status: 'ok', draft: false, line: 'A1', shift: { id: 'early' } });
    const { start, end } = report.shift;
    const [kpi, losses] = await Promise.all([
      get<LineKpis>(`/api/v1/kpi?line=A1&from=${start}&to=${end}`),
      get<LossReport>(`/api/v1/losses?line=A1&from=${start}&to=${end}`),
    ]);
    expect(kpi.status).toBe(200);
    expect(losses.status).toBe(200);
    // Output against plan, hour by hour and in total, as the KPI endpoint counts it.
    expect(report.output.hours).toEqual(kpi.body.hourly.map((h) => ({ label: h.label, start: h.start, end: h.end, plan: h.plan, units: h.units, goodUnits: h.goodUnits })));
    expect(report.output).toMatchObject({ plan: kpi.body.kpis.planTotal.value, units: kpi.body.kpis.units.value, goodUnits: kpi.body.kpis.goodUnits.value });
    expect(report.output.units).toBe(unitsIn(events, start, end));
    expect(report.oee).toMatchObject({ availability: kpi.body.oee.availability, performance: kpi.body.oee.performance, quality: kpi.body.oee.quality, oee: kpi.body.oee.oee });
    expect(report.backlog.backlog).toBe(kpi.body.backlog.backlog);
    // The waterfall: the same plan, good units and largest losses, and the rest summed.
    expect(report.losses.planUnits).toBe(losses.body.planUnits);
    expect(report.losses.goodUnits).toBe(losses.body.goodUnits);
    // The largest losses by name; gains (buffers drained) by name too, never netted into the rest.
    expect(report.losses.top.map((t) => [t.cause, t.units])).toEqual(losses.body.losses.filter((t) => t.units > 0).slice(0, report.losses.top.length).map((t) => [t.cause, t.units]));
    expect(report.losses.gains.map((t) => t.units)).toEqual(losses.body.losses.filter((t) => t.units < 0).map((t) => t.units));
    expect(report.losses.otherUnits).toBeGreaterThanOrEqual(0);
    const all = [...report.losses.top.map((t) => t.units), ...report.losses.gains.map((t) => t.units), report.losses.otherUnits].reduce((s, u) => s + u, 0);
    expect(all).toBeCloseTo(losses.body.losses.reduce((s, t) => s + t.units, 0), 6);
    expect(report.shortages).toEqual(losses.body.shortages);
    // The point of the scenario: a shortage of P-BATT-01 at S07, and a breakdown among the losses.
    expect(report.shortages.some((s) => s.partner === 'P-BATT-01' && s.station === 'S07')).toBe(true);
    expect(losses.body.losses.some((t) => t.cause.kind === 'downtime' && t.cause.state === 'fault' && t.units > 0)).toBe(true);
    // The shift key answers the same report as range=shift:previous.
    const byKey = await get<ShiftReport>(`/api/v1/report?line=A1&shift=${encodeURIComponent(report.shift.key)}`);
    expect(byKey.body).toEqual(report);
  });

  it('answers bad input with a status and a reason a person can act on', async () => {
    const day = report.shift.day;
    const cases: [string, number, string][] = [
      [`shift=${encodeURIComponent('yesterday')}`, 400, 'invalid_shift'],
      [`shift=${encodeURIComponent('2026-02-30/early')}`, 400, 'invalid_shift'],
      [`shift=${encodeURIComponent(`${day}/graveyard`)}`, 404, 'unknown_shift'],
      // The late shift began 15 minutes ago on the data's clock.
      [`shift=${encodeURIComponent(`${day}/late`)}`, 409, 'shift_not_ended'],
      ['range=shift:current', 409, 'shift_not_ended'],
      ['range=day:today', 400, 'unknown_range'],
      [`shift=${encodeURIComponent(report.shift.key)}&range=shift:previous`, 400, 'invalid_parameter'],
      ['range=shift:previous&draft=yes', 400, 'invalid_parameter'],
    ];
    for (const [query, status, code] of cases) {
      const res = await get<ShiftReport>(`/api/v1/report?line=A1&${query}`);
      expect([query, res.status, res.body.error?.code]).toEqual([query, status, code]);
      expect(res.body.error?.message.length).toBeGreaterThan(10);
    }
    const unknownLine = await get<ShiftReport>('/api/v1/report?line=Z9&range=shift:previous');
    expect([unknownLine.status, unknownLine.body.error?.code]).toEqual([404, 'unknown_line']);
    // A draft of the shift in progress: the figures so far, marked as a draft.
    const draft = await get<ShiftReport>('/api/v1/report?line=A1&range=shift:current&draft=1');
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ draft: true, shift: { key: `${day}/late` } });
    expect(draft.body.asOf).toBeLessThan(draft.body.shift.end);
  });

  it('says no data for a shift of the line without data, never a figure', async () => {
    const weekBefore = new Date(report.shift.start - WEEK + 12 * HOUR).toISOString().slice(0, 10);
    const res = await get<ShiftReport>(`/api/v1/report?line=A1&shift=${weekBefore}/early`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('no_data');
    expect(res.body.oee).toMatchObject({ availability: null, performance: null, quality: null, oee: null });
    expect(res.body.output.units).toBe(null);
  });
});

describe('the report page in the real Chromium', () => {
  it('shows the numbers of the API, in zh-CN first and in English on a switch', async () => {
    const page = await open(`/report?line=A1&shift=${encodeURIComponent(report.shift.key)}`);
    const attr = (id: string, name: string) => page.getByTestId(id).getAttribute(name);
    expect(await page.locator('h1').textContent()).toContain('班次报告');
    expect(Number(await attr('report-output-total', 'data-units'))).toBe(report.output.units);
    expect(Number(await attr('report-output-total', 'data-good'))).toBe(report.output.goodUnits);
    expect(Number(await attr('report-oee-oee', 'data-value'))).toBe(report.oee.oee);
    expect(Number(await attr('report-loss-plan', 'data-units'))).toBe(report.losses.planUnits);
    expect(Number(await attr('report-loss-good', 'data-units'))).toBe(report.losses.goodUnits);
    const rows = await page.getByTestId('report-loss').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-units'))));
    expect(rows).toEqual(report.losses.top.map((t) => t.units));
    expect(await page.getByTestId('report-hour').count()).toBe(report.output.hours.length);
    expect(await page.locator('[data-testid=report-shortage][data-partner=P-BATT-01] td').nth(1).textContent()).toBe('S07');

    // In English too, on the same numbers.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('Shift report');
    await page.context().close();
  });

  it('says 无数据 for a shift without data and gives the reason for a shift that does not exist', async () => {
    const weekBefore = new Date(report.shift.start - WEEK + 12 * HOUR).toISOString().slice(0, 10);
    const empty = await open(`/report?line=A1&shift=${weekBefore}/early`);
    expect(await empty.getByTestId('report-no-data').textContent()).toContain('无数据');
    expect(await empty.getByTestId('report-oee').count()).toBe(0);
    await empty.context().close();
    const missing = await open(`/report?line=A1&shift=${report.shift.day}/graveyard`);
    expect(await missing.getByTestId('report-error').getAttribute('data-code')).toBe('unknown_shift');
    expect(await missing.getByTestId('report-error').textContent()).toContain('graveyard');
    await missing.context().close();
  });
});

/** Text and PNG pages of a PDF, by poppler's pdftotext and pdftoppm. */
function pdfPages(pdf: Buffer, savePrefix: string | null): { text: string; pages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'taktline-report-'));
  try {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-png', '-r', '80', file, join(dir, 'page')]);
    const pngs = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    if (savePrefix) pngs.forEach((f, i) => copyFileSync(join(dir, f), join(SCREENSHOTS, `${savePrefix}-${i + 1}.png`)));
    return { text, pages: pngs.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('PDF reports rendered by the collector', () => {
  it('renders an ended shift for a supervisor, stores versions, lists and serves them', async () => {
    const health = await get<{ reports: { ok: boolean } }>('/api/v1/health');
    expect(health.body.reports).toEqual({ ok: true });
    const body = { line: 'A1', shift: report.shift.key };
    expect((await call(stack.baseUrl, null, 'POST', '/api/v1/reports', body)).status).toBe(401);
    const operator = await signIn(stack.baseUrl, 'wang.fang', '1111');
    const refused = await call(stack.baseUrl, operator.cookie, 'POST', '/api/v1/reports', body);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);

    const supervisor = await signIn(stack.baseUrl, 'chen.jing', '4444');
    const first = await call(stack.baseUrl, supervisor.cookie, 'POST', '/api/v1/reports', body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ line: 'A1', shift: report.shift.key, version: 1, replaces: null, createdBy: { id: 'chen.jing', name: '陈静' } });
    const second = await call(stack.baseUrl, supervisor.cookie, 'POST', '/api/v1/reports', body);
    expect(second.body).toMatchObject({ version: 2, replaces: first.body.id });
    const late = await call(stack.baseUrl, supervisor.cookie, 'POST', '/api/v1/reports', { line: 'A1', shift: `${report.shift.day}/late` });
    expect([late.status, late.body.error.code]).toEqual([409, 'shift_not_ended']);
    const missing = await call(stack.baseUrl, supervisor.cookie, 'POST', '/api/v1/reports', { line: 'A1', shift: `${report.shift.day}/graveyard` });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'unknown_shift']);

    const list = await get<{ reports: { id: string }[] }>('/api/v1/reports?line=A1');
    expect(list.body.reports.map((r) => r.id)).toEqual([second.body.id, first.body.id]);
    const res = await fetch(`${stack.baseUrl}/api/v1/reports/file?id=${encodeURIComponent(String(first.body.id))}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The collector's PDF holds the report's words and figures, not a blank page; its pages are the screenshots.
    // The PNG pages go to docs/screenshots only on request, so a test run leaves the work tree as it was.
    const { text, pages } = pdfPages(pdf, process.env.TAKTLINE_SCREENSHOTS === '1' ? 'report' : null);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain('班次报告');
    expect(text).toContain('P-BATT-01');
    expect(text).toContain(String(report.output.units));

    expect((await get('/api/v1/reports/file?id=..%2Fandon-outbox')).status).toBe(400);
    expect((await get('/api/v1/reports/file?id=A1.nothing.v1')).status).toBe(404);
    expect((await get('/api/v1/reports?line=Z9')).status).toBe(404);
  });

  it('says in health and in the answer when Chromium is missing, and the collector runs on', async () => {
    // This stack's clock stands four hours into the reported shift, so that shift has not ended there.
    const bare = await startStack({ clock: () => report.shift.start + 4 * HOUR, config: { plant: referencePlant(), maxAgeSeconds: 30 * 86_400, chromiumPath: '/nonexistent/chromium' } });
    try {
      const health = await fetch(`${bare.baseUrl}/api/v1/health`);
      const h = (await health.json()) as { status: string; reports: { ok: boolean; reason?: string } };
      expect(h.reports.ok).toBe(false);
      expect(h.reports.reason).toContain('/nonexistent/chromium');
      await postAll(bare, events.slice(0, 2000));
      const supervisor = await signIn(bare.baseUrl, 'chen.jing', '4444');
      const answer = await call(bare.baseUrl, supervisor.cookie, 'POST', '/api/v1/reports', { line: 'A1', shift: `${report.shift.day}/early` });
      // Mid-shift on this stack's clock: refused as not ended before Chromium is needed.
      expect([answer.status, answer.body.error.code]).toEqual([409, 'shift_not_ended']);
      const before = `${new Date(report.shift.start - WEEK + 12 * HOUR).toISOString().slice(0, 10)}/early`;
      const noBrowser = await call(bare.baseUrl, supervisor.cookie, 'POST', '/api/v1/reports', { line: 'A1', shift: before });
      expect([noBrowser.status, noBrowser.body.error.code]).toEqual([503, 'chromium_missing']);
      expect((await fetch(`${bare.baseUrl}/api/v1/lines`)).status).toBe(200);
    } finally {
      await bare.stop();
    }
  });
});
