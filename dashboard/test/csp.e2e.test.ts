/**
 * The built dashboard under the collector's Content-Security-Policy, in real
 * headless Chromium: every view loads and renders with no CSP violation, and
 * the policy is enforced (an inline script injected into the page does not
 * run). Needs a built dashboard: `npx vite build && npx vitest run dashboard/test/csp.e2e.test.ts`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) {
    throw new Error('dist/dashboard is missing: run `npx vite build` (npm test does) before the browser tests');
  }
  stack = await startStack();
  browser = await launchChromium();
  const now = Date.now();
  const res = await stack.postEvents([
    { type: 'state', ts: now - 600_000, line: 'A1', station: 'S01', state: 'running' },
    { type: 'unit', ts: now - 120_000, line: 'A1', unit: 'CSP-1' },
    { type: 'partner', ts: now - 60_000, partner: 'P-BATT-01', status: 'at_risk', inventoryHours: 2 },
  ]);
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

/** Opens `path` with every CSP violation recorded (the DOM event, and Chromium's console report). */
async function open(path: string): Promise<{ page: Page; violations: Violation[]; consoleReports: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  const consoleReports: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) consoleReports.push(m.text());
  });
  await page.addInitScript(() => {
    const list: unknown[] = [];
    (window as unknown as { __cspViolations: unknown[] }).__cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) =>
      list.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
    );
  });
  await page.goto(`${stack.baseUrl}${path}`);
  const violations = () => page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations);
  return { page, violations: await violations(), consoleReports };
}

const violationsOf = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations);

describe('the dashboard under its Content-Security-Policy', () => {
  it('is served with a policy that allows no inline script or style and no framing', async () => {
    for (const path of ['/', '/wall?line=A1', '/assets/']) {
      const res = await fetch(`${stack.baseUrl}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src 'self'(;|$)/);
      expect(csp, path).toMatch(/style-src 'self'(;|$)/);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval|nonce-|sha256-/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('the wall and the manager view (charts and supply panel) render with no violation, the live socket included', async () => {
    const views: [string, string[]][] = [
      ['/wall?line=A1', ['this-hour-value']],
      ['/?line=A1', ['kpi-units-value', 'supply-partner-table']],
      ['/?line=A1&lang=en', ['kpi-units-value', 'supply-partner-table']],
    ];
    for (const [path, testIds] of views) {
      const { page, consoleReports } = await open(path);
      for (const id of testIds) await page.getByTestId(id).first().waitFor({ timeout: 20_000 });
      // ECharts draws on canvas: at least one chart rendered under the policy.
      await page.locator('canvas').first().waitFor({ timeout: 20_000 });
      // Charts draw and the live socket connects after the first paint: give them a moment.
      await page.waitForTimeout(1500);
      expect(await violationsOf(page), path).toEqual([]);
      expect(consoleReports, path).toEqual([]);
      await page.context().close();
    }
  });

  it('the wall gets its live data through the socket under the policy', async () => {
    const { page } = await open('/wall?line=A1');
    await page.getByTestId('this-hour-value').waitFor();
    // The page's socket is open on the collector's side: connect-src let it through.
    await expect.poll(() => stack.app().hub.clientCount(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('this-hour-value').textContent(), { timeout: 15_000 }).toMatch(/\d/);
    expect(await violationsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('is enforced: an inline script injected into the page does not run and is reported', async () => {
    const { page } = await open('/wall?line=A1');
    await page.getByTestId('this-hour-value').waitFor();
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    expect((await violationsOf(page)).map((v) => v.directive)).toContain('script-src-elem');
    await page.context().close();
  });
});
