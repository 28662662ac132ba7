/**
 * The fleet list is for IT: GET /api/v1/screens answers only an admin (an
 * admin's session or the admin token), refuses everyone else with a reason
 * that says how to get in, and the /fleet page in real Chromium asks for an
 * admin's sign-in before it shows any screen. Real collector, real influxd.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlantConfig } from '../../core/plant';
import { startStack, TEST_ADMIN_TOKEN, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { plantOfLines } from './support/plant-lines';

const ADMIN_TOKEN = 'it-admin-personal-token-0123456789';
const SUPERVISOR_TOKEN = 'supervisor-personal-token-0123456789';
const tokenHash = (t: string) => `sha256$${createHash('sha256').update(t).digest('hex')}`;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  const plant = PlantConfig.parse({
    ...plantOfLines(1),
    people: [
      { id: 'it-wang', name: '王工 (IT)', role: 'admin', tokenHash: tokenHash(ADMIN_TOKEN) },
      { id: 'sup-li', name: '李班长', role: 'supervisor', tokenHash: tokenHash(SUPERVISOR_TOKEN) },
    ],
  });
  stack = await startStack({ config: { plant } });
  browser = await launchChromium();
  // One screen in the fleet, so a list that opens has something in it.
  const report = await fetch(`${stack.baseUrl}/api/v1/screens/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ screen: 'hall-3', build: 'b1', view: 'wall:A1', dataAgeSeconds: 2, heapBytes: 30_000_000, reloads: 0 }),
  });
  expect(report.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const screens = (headers: Record<string, string> = {}) => fetch(`${stack.baseUrl}/api/v1/screens`, { headers });
async function sessionCookie(token: string): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('GET /api/v1/screens', () => {
  it('refuses without a sign-in: 401 with how to sign in', async () => {
    const res = await screens();
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('admin_required');
    expect(body.error.message).toContain('POST /api/v1/session');
    expect(body.error.message).toContain('TAKTLINE_ADMIN_TOKEN');
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('refuses a wrong bearer token and a person who is no admin: 403 with why', async () => {
    const wrong = await screens({ authorization: 'Bearer not-the-admin-token-at-all' });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('not_admin');
    // The ingest-style token of a person is not the admin token either.
    expect((await screens({ authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(403);
    const supervisor = await screens({ cookie: await sessionCookie(SUPERVISOR_TOKEN) });
    expect(supervisor.status).toBe(403);
    const body = (await supervisor.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'not_admin' });
    expect(body.error.message).toContain('sup-li is signed in as supervisor');
  });

  it("answers an admin's session and the admin token", async () => {
    const bySession = await screens({ cookie: await sessionCookie(ADMIN_TOKEN) });
    expect(bySession.status).toBe(200);
    expect(((await bySession.json()) as { screens: { screen: string }[] }).screens.map((s) => s.screen)).toEqual(['hall-3']);
    const byToken = await screens({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` });
    expect(byToken.status).toBe(200);
  });
});

describe('/fleet in Chromium', () => {
  it('says the list is for admins and how to sign in, refuses a wrong token, and shows the screens to an admin', { timeout: 60_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(`${stack.baseUrl}/fleet`);
    await expect.poll(() => page.getByTestId('fleet-sign-in-why').textContent(), { timeout: 15_000 }).toContain('仅限管理员');
    expect(await page.getByTestId('fleet-hall-3').count()).toBe(0);
    expect(await page.getByTestId('fleet-sign-in').textContent()).toContain('TAKTLINE_ADMIN_TOKEN');

    await page.getByTestId('fleet-token').fill('a-wrong-token-of-enough-length');
    await page.getByTestId('fleet-token-submit').click();
    await expect.poll(() => page.getByTestId('fleet-sign-in-error').textContent()).toBe('令牌或 PIN 不对');

    // A supervisor gets in, but is told they are no admin.
    await page.getByTestId('fleet-token').fill(SUPERVISOR_TOKEN);
    await page.getByTestId('fleet-token-submit').click();
    await expect.poll(() => page.getByTestId('fleet-sign-in').getAttribute('data-access')).toBe('not_admin');
    expect(await page.getByTestId('fleet-sign-in-why').textContent()).toContain('不是管理员');
    await page.getByTestId('fleet-sign-out').click();
    await expect.poll(() => page.getByTestId('fleet-sign-in').getAttribute('data-access')).toBe('sign_in');

    await page.getByTestId('fleet-token').fill(ADMIN_TOKEN);
    await page.getByTestId('fleet-token-submit').click();
    await expect.poll(() => page.getByTestId('fleet-hall-3').getAttribute('data-status'), { timeout: 10_000 }).toBe('ok');
    expect(await page.getByTestId('fleet-sign-in').count()).toBe(0);
    // The token is not kept in the page: the session cookie is HttpOnly.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.context().close();
  });
});
