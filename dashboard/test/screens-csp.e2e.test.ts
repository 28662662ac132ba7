/**
 * The plant overview, the kiosk, the fleet page and the service worker under
 * the collector's strict Content-Security-Policy (no inline script or style):
 * each renders with no violation, and the worker registers and takes control.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';

let stack: Stack;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/sw.js'))) throw new Error('dist/dashboard is missing or old: run `npx vite build` first');
  dir = mkdtempSync(join(tmpdir(), 'taktline-screens-csp-'));
  const kioskFile = join(dir, 'kiosk.json');
  writeFileSync(kioskFile, JSON.stringify({ refreshSeconds: 1, screens: { lobby: { playlist: [{ view: 'plant', seconds: 5 }, { view: 'wall', line: 'A1', seconds: 5 }] } } }));
  stack = await startStack({ config: { kioskFile } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(path: string): Promise<{ page: Page; reports: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  const reports: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) reports.push(m.text());
  });
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.goto(`${stack.baseUrl}${path}`);
  return { page, reports };
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

describe('screens under the CSP', () => {
  it('the plant overview, a kiosk and the fleet page render with no violation', { timeout: 60_000 }, async () => {
    for (const [path, testid] of [
      ['/plant', 'plant-grid'],
      ['/kiosk?screen=lobby', 'plant-grid'],
      // Without an admin's sign-in the fleet page shows its sign-in form (dashboard/test/fleet-admin.e2e.test.ts).
      ['/fleet', 'fleet-sign-in'],
    ] as const) {
      const { page, reports } = await open(path);
      await page.getByTestId(testid).waitFor({ timeout: 20_000 });
      await page.waitForTimeout(1500);
      expect(await violations(page), path).toEqual([]);
      expect(reports, path).toEqual([]);
      await page.context().close();
    }
  });

  it('the service worker registers and controls the page under the policy', async () => {
    const { page, reports } = await open('/wall?line=A1');
    await page.getByTestId('live-view').waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await page.getByTestId('live-view').waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(`${stack.baseUrl}/sw.js`);
    expect(await violations(page)).toEqual([]);
    expect(reports).toEqual([]);
    await page.context().close();
  });
});
