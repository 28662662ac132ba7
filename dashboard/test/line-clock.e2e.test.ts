/**
 * The line clock is the wall clock, and demo time is an explicit mode: no
 * event, however it is stamped, moves the clock the wall shows. Real
 * Chromium against the real stack, once with the demo's own collector
 * settings (scripts/demo-env.ts) and once in production mode.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../collector/config';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { demoCollectorEnv } from '../../scripts/demo-env';
import { launchChromium } from './support/browser';

let browser: Browser;
const stacks: Stack[] = [];

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const s of stacks) await s.stop();
});

async function wallClockShown(stack: Stack): Promise<{ page: Page; shown: () => Promise<number> }> {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(`${stack.baseUrl}/wall?line=A1`);
  await page.getByTestId('clock').waitFor();
  return { page, shown: async () => Number(await page.getByTestId('clock').getAttribute('data-line-now')) };
}

const ids = ['S01', 'S02', 'S03'];

describe('the line clock', () => {
  it("in the demo follows the explicit demo clock: an event far ahead is rejected, one just ahead does not move it", async () => {
    // The demo's settings: the line's clock two hours behind the wall clock, at 60×.
    const env = demoCollectorEnv({ port: 0, influxUrl: 'http://127.0.0.1:1', ingestToken: 'unused-token', dataDir: '/tmp', start: Date.now() - 2 * 3_600_000, speed: 60 });
    const demo = configFromEnv(env);
    const stack = await startStack({ config: { clock: demo.clock, demoStart: demo.demoStart, demoSpeed: demo.demoSpeed, maxFutureSeconds: demo.maxFutureSeconds } });
    stacks.push(stack);
    const lineNow = () => stack.app().board.lineNow('A1');
    await stack.postEvents(ids.map((station) => ({ type: 'state', ts: lineNow() - 60_000, line: 'A1', station, state: 'running' })));

    const ahead = await stack.postEvents([{ type: 'unit', ts: lineNow() + 3_600_000, line: 'A1', unit: 'FAR-AHEAD' }]);
    expect(ahead.status).toBe(400);
    expect(ahead.body).toMatchObject({ accepted: 0, rejected: [{ code: 'too_far_in_future' }] });

    const justAhead = await stack.postEvents([{ type: 'state', ts: lineNow() + 240_000, line: 'A1', station: 'S02', state: 'fault' }]);
    expect(justAhead.status).toBe(200);

    const { page, shown } = await wallClockShown(stack);
    await expect.poll(() => page.getByTestId('station-S02').getAttribute('data-state')).toBe('fault');
    // The wall runs the demo clock (60×), not the newest event's time.
    for (let i = 0; i < 3; i += 1) {
      const [s, expected] = [await shown(), lineNow()];
      expect(Math.abs(s - expected)).toBeLessThan(30_000);
      await page.waitForTimeout(500);
    }
    await page.context().close();
  });

  it('in production is the wall clock: an event stamped minutes ahead is accepted but moves nothing', async () => {
    const stack = await startStack();
    stacks.push(stack);
    const now = Date.now();
    await stack.postEvents(ids.map((station) => ({ type: 'state', ts: now - 60_000, line: 'A1', station, state: 'running' })));
    const res = await stack.postEvents([{ type: 'state', ts: now + 240_000, line: 'A1', station: 'S03', state: 'fault' }]);
    expect(res.status).toBe(200);
    const { page, shown } = await wallClockShown(stack);
    await expect.poll(() => page.getByTestId('station-S03').getAttribute('data-state')).toBe('fault');
    expect(Math.abs((await shown()) - Date.now())).toBeLessThan(3_000);
    // An hour ahead is refused outright.
    const far = await stack.postEvents([{ type: 'unit', ts: Date.now() + 3_600_000, line: 'A1', unit: 'FAR' }]);
    expect(far.status).toBe(400);
    await page.context().close();
  });
});
