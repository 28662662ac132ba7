/**
 * The shift report's handover through the real parts: the partner-shortage
 * scenario with frequent breakdowns runs over a whole early shift into a
 * collector on a real influxd; in the real Chromium the outgoing supervisor
 * signs in on the report page, writes notes and signs; an edit after signing
 * is refused with a reason; the incoming supervisor acknowledges; a
 * correction makes version 2 that links version 1. The collector renders the
 * signed version's PDF with its own Chromium and announces it through a
 * webhook (a real local HTTP receiver); the PDF, turned into PNG pages by
 * pdftoppm, carries the notes and the signature. With TAKTLINE_SCREENSHOTS=1
 * the page and the PDF's first page go to docs/screenshots/. Run alone:
 *
 *   npx vite build && TAKTLINE_SCREENSHOTS=1 npx vitest run dashboard/test/handover.e2e.test.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPin } from '../../collector/auth/secrets';
import { call, eventually, signIn, startHttpReceiver, WEBHOOK_SECRET, type HttpReceiver } from '../../collector/test/support/andon';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { DEFAULT_ANDON_CONFIG } from '../../core/andon/config';
import { referencePlant } from '../../core/plant';
import type { HandoverView } from '../../core/report/handover';
import type { ShiftReport } from '../../core/report/shift-report';
import { launchChromium } from './support/browser';
import { partnerShortageShift } from './support/partner-shortage';
import { postAll, unitsIn, waitForUnits } from './support/simulated-line';

const HOUR = 3_600_000;
const RUN_HOURS = 8.25;
const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');
const SAVE = process.env.TAKTLINE_SCREENSHOTS === '1';
/** Where the PNG pages of the PDFs are left for a person to look at (TAKTLINE_PDF_PAGES), else a temp dir removed after. */
const PAGES_DIR = process.env.TAKTLINE_PDF_PAGES ?? null;

let stack: Stack;
let browser: Browser;
let hook: HttpReceiver;
let report: ShiftReport;
let key: string;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` (npm test does) before the browser tests');
  }
  hook = await startHttpReceiver('plain');
  const plant = referencePlant();
  // The incoming supervisor, and a webhook among the andon channels for report notices.
  plant.people?.push({ id: 'sun.li', name: '孙丽', role: 'supervisor', lines: ['A1'], stations: [], pinHash: await hashPin('4545', { N: 1024, r: 8, p: 1 }), notify: {} });
  plant.andon = { ...DEFAULT_ANDON_CONFIG, channels: [{ id: 'hook', kind: 'webhook', url: `${hook.url}/hooks/reports`, secret: WEBHOOK_SECRET }] };
  const sim = partnerShortageShift({ hours: RUN_HOURS, runId: 'handover' });
  stack = await startStack({ clock: () => sim.start + RUN_HOURS * HOUR, config: { plant, maxAgeSeconds: 30 * 86_400, publicUrl: 'https://taktline.plant.test' } });
  browser = await launchChromium();
  await postAll(stack, sim.events);
  await waitForUnits(stack, sim.start, sim.start + RUN_HOURS * HOUR, unitsIn(sim.events, sim.start, sim.start + RUN_HOURS * HOUR), 60_000);
  const res = await call(stack.baseUrl, null, 'GET', '/api/v1/report?line=A1&range=shift:previous');
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  report = res.body as ShiftReport;
  key = report.shift.key;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await hook?.close();
});

async function open(version?: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1400 } });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/report?line=A1&shift=${encodeURIComponent(key)}${version ? `&version=${version}` : ''}`);
  await page.locator('[data-testid=report-page][data-ready=yes]').waitFor();
  return page;
}

async function signInOnPage(page: Page, person: string, pin: string): Promise<void> {
  await page.getByTestId('handover-person').fill(person);
  await page.getByTestId('handover-pin').fill(pin);
  await page.getByTestId('handover-sign-in').click();
  await page.getByTestId('handover-me').waitFor();
}

/** Text and PNG pages of a PDF (pdftotext, pdftoppm); the last page (the notes and the signature) is saved as `save` under docs/screenshots. */
function pdfPages(pdf: Buffer, name: string, save: string | null): { text: string; pages: number } {
  const dir = PAGES_DIR ?? mkdtempSync(join(tmpdir(), 'taktline-handover-'));
  try {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    execFileSync('pdftoppm', ['-png', '-r', '80', file, join(dir, name)]);
    const pngs = readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).sort();
    const last = pngs.at(-1);
    if (save && last) copyFileSync(join(dir, last), join(SCREENSHOTS, save));
    return { text, pages: pngs.length };
  } finally {
    if (!PAGES_DIR) rmSync(dir, { recursive: true, force: true });
  }
}

const handover = async () => (await call(stack.baseUrl, null, 'GET', `/api/v1/reports/handover?line=A1&shift=${encodeURIComponent(key)}`)).body.handover as HandoverView;
const NOTES = 'S05 夹具已更换，观察中。\n下一班：P-BATT-01 电池包库存不足 2 小时，请提前联系供应商。';

describe('the handover of a simulated shift, in the real Chromium', () => {
  it('the outgoing supervisor writes notes and signs on the report page; the page says who signed and when', async () => {
    const page = await open();
    const section = page.getByTestId('report-handover');
    expect(await section.getAttribute('data-state')).toBe('draft');
    expect(await page.getByTestId('handover-state').textContent()).toContain('草稿');
    // Not signed in: no notes box, only the sign-in form.
    expect(await page.getByTestId('handover-notes-input').count()).toBe(0);
    await signInOnPage(page, 'chen.jing', '4444');
    await page.getByTestId('handover-notes-input').fill(NOTES);
    await page.getByTestId('handover-save').click();
    await expect.poll(() => page.getByTestId('handover-notes').textContent()).toBe(NOTES);
    await page.getByTestId('handover-sign').click();
    await expect.poll(() => section.getAttribute('data-state')).toBe('signed');
    const state = (await page.getByTestId('handover-state').textContent()) ?? '';
    expect(state).toContain('已签字：陈静');
    // Signed: the notes box is gone; the correction is offered instead.
    expect(await page.getByTestId('handover-notes-input').count()).toBe(0);
    expect(await page.getByTestId('handover-reason').count()).toBe(1);
    // Station-sent reasons in Chinese on the Chinese page.
    const reasons = await page.getByTestId('report-loss-reason').allTextContents();
    expect(reasons.join(' ')).not.toMatch(/breakdown|waiting for parts/);
    if (SAVE) await page.screenshot({ path: join(SCREENSHOTS, 'report-handover.png'), fullPage: true });
    // In English too.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => page.getByTestId('handover-state').textContent()).toContain('Signed by 陈静');
    expect(await page.getByTestId('report-handover').locator('h2').textContent()).toContain("Supervisors' notes");
    expect((await page.getByTestId('report-loss-reason').allTextContents()).join(' ')).toContain('Breakdown');
    await page.context().close();

    const view = await handover();
    expect(view.versions[0]).toMatchObject({ state: 'signed', notes: NOTES, signed: { by: { id: 'chen.jing', name: '陈静' } } });
    expect(view.history.map((h) => [h.action, h.by.id])).toEqual([
      ['note', 'chen.jing'],
      ['sign', 'chen.jing'],
    ]);
  }, 60_000);

  it('an edit after signing is refused with a reason', async () => {
    const chen = await signIn(stack.baseUrl, 'chen.jing', '4444');
    const edit = await call(stack.baseUrl, chen.cookie, 'POST', '/api/v1/reports/notes', { line: 'A1', shift: key, version: 1, notes: 'changed afterwards' });
    expect([edit.status, edit.body.error.code]).toEqual([409, 'report_signed']);
    expect(edit.body.error.message).toContain('陈静');
    expect((await handover()).versions[0]?.notes).toBe(NOTES);
  });

  it('the signed version is rendered to a PDF by the collector and announced with links, carrying the notes and the signature', async () => {
    const signed = await eventually(async () => {
      const list = await call(stack.baseUrl, null, 'GET', '/api/v1/reports?line=A1');
      return (list.body.reports as { id: string; occasion?: string; handoverVersion?: number }[]).find((r) => r.occasion === 'signed' && r.handoverVersion === 1);
    }, 'the signed PDF', 90_000);
    const notice = await eventually(() => hook.requests.map((r) => JSON.parse(r.body) as { event: string; report: { id: string; pageUrl: string; pdfUrl: string } }).find((b) => b.event === 'report.signed'), 'the notice', 20_000);
    expect(notice.report).toMatchObject({ id: signed.id, pageUrl: `https://taktline.plant.test/report?line=A1&shift=${encodeURIComponent(key)}&version=1`, pdfUrl: `https://taktline.plant.test/api/v1/reports/file?id=${encodeURIComponent(signed.id)}` });
    const res = await fetch(`${stack.baseUrl}/api/v1/reports/file?id=${encodeURIComponent(signed.id)}`);
    const pdf = Buffer.from(await res.arrayBuffer());
    const { text, pages } = pdfPages(pdf, 'signed-v1', SAVE ? 'report-handover-pdf.png' : null);
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(text).toContain('主管备注与交接');
    expect(text).toContain('S05 夹具已更换');
    expect(text).toContain('已签字：陈静');
    // The page's controls are not printed.
    expect(text).not.toContain('PIN');
  }, 120_000);

  it('the incoming supervisor acknowledges; a correction makes version 2 that links version 1', async () => {
    const page = await open();
    await signInOnPage(page, 'sun.li', '4545');
    await page.getByTestId('handover-ack-input').fill('已接班');
    await page.getByTestId('handover-acknowledge').click();
    const section = page.getByTestId('report-handover');
    await expect.poll(() => section.getAttribute('data-state')).toBe('acknowledged');
    expect(await page.getByTestId('handover-state').textContent()).toContain('已确认接班：孙丽');
    await page.getByTestId('handover-sign-out').click();

    await signInOnPage(page, 'chen.jing', '4444');
    await page.getByTestId('handover-reason').fill('S07 停机为缺料，非设备故障');
    await page.getByTestId('handover-correct').click();
    await expect.poll(() => section.getAttribute('data-version')).toBe('2');
    expect(await section.getAttribute('data-state')).toBe('draft');
    expect(await page.getByTestId('handover-correction').textContent()).toContain('更正第 1 版');
    expect(await page.getByTestId('handover-versions').textContent()).toContain('已被第 2 版取代');
    // Version 2 starts from version 1's notes.
    expect(await page.getByTestId('handover-notes-input').inputValue()).toBe(NOTES);
    await page.context().close();

    const view = await handover();
    expect(view.current).toBe(2);
    expect(view.versions.map((v) => [v.version, v.state, v.supersedes, v.supersededBy])).toEqual([
      [1, 'superseded', null, 2],
      [2, 'draft', 1, null],
    ]);
    expect(view.versions[0]?.acknowledged).toMatchObject({ by: { id: 'sun.li' }, note: '已接班' });
    // Version 1, asked for by the URL, is still shown as it was signed.
    const old = await open(1);
    expect(await old.getByTestId('handover-state').textContent()).toContain('已被第 2 版取代');
    expect(await old.getByTestId('handover-notes').textContent()).toBe(NOTES);
    await old.context().close();
  }, 60_000);

  it('the manager workspace lists the stored reports of the line with their handover state, page and PDF links', async () => {
    const list = await call(stack.baseUrl, null, 'GET', '/api/v1/reports?line=A1');
    const row = (list.body.shifts as { shift: string; handover: { current: number; state: string; versions: number }; reports: { id: string }[] }[]).find((x) => x.shift === key);
    expect(row?.handover).toEqual({ current: 2, state: 'draft', versions: 2 });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/?line=A1`);
    const listed = page.locator(`[data-testid=report-list-row][data-shift="${key}"]`);
    await listed.waitFor();
    expect(await listed.getAttribute('data-state')).toBe('draft');
    expect(await listed.locator('a').first().getAttribute('href')).toBe(`/report?line=A1&shift=${encodeURIComponent(key)}&version=2`);
    const pdfs = await listed.locator('a.pdf').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(pdfs).toEqual(row?.reports.map((r) => `/api/v1/reports/file?id=${encodeURIComponent(r.id)}`));
    if (SAVE) await page.getByTestId('report-list').screenshot({ path: join(SCREENSHOTS, 'manager-reports.png') });
    await context.close();
  }, 60_000);
});
