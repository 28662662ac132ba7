/**
 * Kiosk rotation configured on the collector and the fleet of screens, in
 * real Chromium against the real stack: a named screen rotates through its
 * playlist on schedule, picks up a changed playlist without a visit, reports
 * itself to the fleet (which the admin page lists and /metrics counts, and
 * which warns once it goes silent), and a new dashboard build reaches it by
 * itself. The collector serves a copy of the built dashboard, so the test can
 * deploy a "new build" by rewriting that copy's version.json.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, TEST_ADMIN_TOKEN, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';
import { plantLineIds, plantOfLines } from './support/plant-lines';

const DIST = join(import.meta.dirname, '../../dist/dashboard');
let dir: string;
let kioskFile: string;
let dashboardDir: string;
let stack: Stack;
let browser: Browser;
/** An IT admin who signs in on /fleet with a personal token (stored hashed). */
const ADMIN_PERSON_TOKEN = 'it-admin-personal-token-0123456789';
const ADMIN_PERSON = { id: 'it-wang', name: 'IT', role: 'admin' as const, lines: [], stations: [], notify: {}, tokenHash: `sha256$${createHash('sha256').update(ADMIN_PERSON_TOKEN).digest('hex')}` };

function writeKiosk(playlist: unknown[], extra: Record<string, unknown> = {}): void {
  writeFileSync(kioskFile, JSON.stringify({ refreshSeconds: 1, silentAfterSeconds: 6, staleAfterSeconds: 120, screens: { 'hall-3': { playlist } }, ...extra }));
}

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  dir = mkdtempSync(join(tmpdir(), 'taktline-kiosk-'));
  kioskFile = join(dir, 'kiosk.json');
  dashboardDir = join(dir, 'dashboard');
  cpSync(DIST, dashboardDir, { recursive: true });
  writeKiosk([
    { view: 'wall', line: 'A1', seconds: 5 },
    { view: 'plant', seconds: 5 },
  ]);
  stack = await startStack({ config: { plant: { ...plantOfLines(2), people: [ADMIN_PERSON] }, kioskFile, dashboardDir } });
  browser = await launchChromium();
  const now = Date.now();
  await stack.postEvents(
    plantLineIds(2).flatMap((line) => [
      ...['S01', 'S02', 'S03', 'S04', 'S05'].map((station) => ({ type: 'state', ts: now - 60_000, line, station, state: 'running' })),
      { type: 'unit', ts: now - 30_000, line, unit: `${line}-1` },
    ]),
  );
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const view = (page: Page) => page.getByTestId('kiosk').getAttribute('data-view');
/** Time until the kiosk shows `want`, ms. */
async function until(page: Page, want: string, timeoutMs = 12_000): Promise<number> {
  const t0 = Date.now();
  await expect.poll(() => view(page), { timeout: timeoutMs, interval: 100 }).toBe(want);
  return Date.now() - t0;
}

interface FleetAnswer {
  screens: { screen: string; build: string; view: string; status: string; reloads: number; lastSeen: number; dataAgeSeconds: number | null }[];
}
/** The fleet list is for admins (dashboard/test/fleet-admin.e2e.test.ts): the test reads it with the admin token. */
const fleet = async () => (await (await fetch(`${stack.baseUrl}/api/v1/screens`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).json()) as FleetAnswer;
/** /metrics counts the screens by status as the fleet list has them. */
async function metricsMatchFleet(): Promise<boolean> {
  const [list, text] = [await fleet(), await (await fetch(`${stack.baseUrl}/metrics`)).text()];
  return (['ok', 'stale', 'silent'] as const).every((status) => text.includes(`taktline_screens{status="${status}"} ${list.screens.filter((s) => s.status === status).length}\n`));
}
const hall3 = async () => (await fleet()).screens.find((s) => s.screen === 'hall-3');

describe('kiosk rotation and the fleet', () => {
  it('rotates the playlist on schedule and picks up a changed playlist without a visit', { timeout: 60_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${stack.baseUrl}/kiosk?screen=hall-3`);
    await until(page, 'wall:A1');
    await page.getByTestId('this-hour-value').waitFor();
    await page.evaluate(() => ((window as unknown as { sameVisit: boolean }).sameVisit = true));
    const toPlant = await until(page, 'plant');
    await page.getByTestId('plant-grid').waitFor();
    const back = await until(page, 'wall:A1');
    // Each item stays its dwell time (5 s), give or take a poll.
    expect(back).toBeGreaterThan(4000);
    expect(back).toBeLessThan(7000);
    expect(toPlant).toBeLessThan(7000);

    writeKiosk([{ view: 'wall', line: 'A2', seconds: 30 }]);
    await until(page, 'wall:A2', 8000);
    expect(await page.getByTestId('line-name').textContent()).toBe('总装 A2 线（新能源）');
    // Same page: nobody reloaded or visited it.
    expect(await page.evaluate(() => (window as unknown as { sameVisit?: boolean }).sameVisit)).toBe(true);
    await page.context().close();
    writeKiosk([
      { view: 'wall', line: 'A1', seconds: 5 },
      { view: 'plant', seconds: 5 },
    ]);
  });

  it('says in the screen\'s language when the collector names no such screen', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${stack.baseUrl}/kiosk?screen=hall-9`);
    await expect.poll(() => page.getByTestId('kiosk-waiting').textContent()).toContain('未知屏幕：hall-9');
    await page.context().close();
  });

  it('reports to the fleet, which lists it, counts it in /metrics and warns when it goes silent', { timeout: 60_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${stack.baseUrl}/kiosk?screen=hall-3`);
    await page.getByTestId('this-hour-value').waitFor();
    const build = (JSON.parse(readFileSync(join(dashboardDir, 'version.json'), 'utf8')) as { build: string }).build;
    await expect.poll(async () => (await hall3())?.view, { timeout: 10_000 }).toMatch(/^(wall:A1|plant)$/);
    const entry = await hall3();
    expect(entry).toMatchObject({ build, status: 'ok' });
    expect(entry?.dataAgeSeconds).toBeLessThan(120);
    expect(Date.now() - (entry?.lastSeen ?? 0)).toBeLessThan(5000);

    const admin = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await admin.goto(`${stack.baseUrl}/fleet`);
    // The fleet page needs an admin's sign-in.
    await admin.getByTestId('fleet-token').fill(ADMIN_PERSON_TOKEN);
    await admin.getByTestId('fleet-token-submit').click();
    await expect.poll(() => admin.getByTestId('fleet-hall-3').getAttribute('data-status')).toBe('ok');
    expect(await metricsMatchFleet()).toBe(true);

    await page.context().close(); // the screen goes dark
    await expect.poll(() => admin.getByTestId('fleet-hall-3').getAttribute('data-status'), { timeout: 15_000 }).toBe('silent');
    expect(await admin.getByTestId('fleet-hall-3').getByTestId('fleet-warning').textContent()).toMatch(/\d+ 秒未上报/);
    expect((await fleet()).screens.filter((s) => s.status === 'silent').length).toBeGreaterThanOrEqual(1);
    expect(await metricsMatchFleet()).toBe(true);
    await admin.context().close();
  });

  it('reloads by itself onto a new dashboard build, at a switch between views', { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${stack.baseUrl}/kiosk?screen=hall-3`);
    await page.getByTestId('this-hour-value').waitFor();
    await expect.poll(async () => (await hall3())?.status).toBe('ok');
    const before = (await hall3())?.reloads ?? 0;
    // Deploy: the collector now serves a build with another id.
    writeFileSync(join(dashboardDir, 'version.json'), JSON.stringify({ build: 'next-build' }));
    await expect.poll(async () => (await hall3())?.reloads, { timeout: 60_000, interval: 500 }).toBeGreaterThan(before);
    // The reloaded page reports again.
    await expect.poll(async () => (await hall3())?.status, { timeout: 10_000 }).toBe('ok');
    await page.context().close();
  });
});
