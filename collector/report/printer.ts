/**
 * Renders the dashboard's report page to an A4 PDF with headless Chromium
 * (the system's /usr/bin/chromium through playwright-core; never a
 * downloaded browser), started when a report is due and closed after it.
 * The page reads only `GET /api/v1/report`, a public read like
 * `GET /api/v1/kpi`, so the browser needs no person's session and no secret
 * travels in its URL.
 */
import { accessSync, constants } from 'node:fs';
import { chromium } from 'playwright-core';

/** The flags dashboard/test/support/browser.ts launches with: a container, no network chatter. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Longest a page may take to load its report, ms. */
const RENDER_TIMEOUT_MS = 60_000;

export class ReportRenderError extends Error {
  constructor(
    /** `chromium_missing`, or the API's code the page showed (`unknown_shift`, …), or `render_failed`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReportRenderError';
  }
}

/** Whether Chromium can be started: `{ok:false, reason}` names what is missing. */
export function chromiumStatus(executablePath: string): { ok: true } | { ok: false; reason: string } {
  try {
    accessSync(executablePath, constants.X_OK);
    return { ok: true };
  } catch {
    return {
      ok: false,
      reason: `Chromium is not at ${executablePath} (TAKTLINE_CHROMIUM): install Debian's chromium package (scripts/ensure-system.sh) to have shift reports rendered to PDF`,
    };
  }
}

/**
 * Opens `url` (the report page), waits until it says it is ready and prints
 * it. A page that shows an error (a shift that does not exist, …) is
 * refused with that error's code: never a PDF of an error or a blank page.
 */
export async function renderPdf(executablePath: string, url: string): Promise<Buffer> {
  const status = chromiumStatus(executablePath);
  if (!status.ok) throw new ReportRenderError('chromium_missing', status.reason);
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    await page.goto(url, { timeout: RENDER_TIMEOUT_MS });
    const ready = page.locator('[data-testid=report-page][data-ready=yes], [data-testid=report-page][data-ready=error]');
    await ready.waitFor({ timeout: RENDER_TIMEOUT_MS });
    if ((await ready.getAttribute('data-ready')) === 'error') {
      const problem = page.getByTestId('report-error');
      throw new ReportRenderError((await problem.getAttribute('data-code')) ?? 'render_failed', (await problem.textContent()) ?? 'the report page showed an error');
    }
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
