/**
 * A wall that reloads while its collector is down still comes up, and every
 * glyph it draws is in the self-hosted font: the service worker (src/sw.ts)
 * keeps the page, its scripts and the font subsets. Real Chromium against the
 * real stack; 127.0.0.1 is a secure context, so the worker runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { launchChromium } from './support/browser';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/sw.js'))) throw new Error('dist/dashboard is missing or old: run `npx vite build` first');
  stack = await startStack();
  browser = await launchChromium();
  const now = Date.now();
  await stack.postEvents(['S01', 'S02', 'S03'].map((station) => ({ type: 'state', ts: now - 60_000, line: 'A1', station, state: 'running' })));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the wall offline', () => {
  it('comes back up after a reload with the collector gone, every glyph in Noto Sans SC', { timeout: 60_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${stack.baseUrl}/wall?line=A1`);
    await page.getByTestId('this-hour-value').waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // One more load under the worker's control, as a screen that has run a while has had.
    await page.reload();
    await page.getByTestId('this-hour-value').waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));

    await stack.stopCollector();
    await page.reload();
    // The page itself came from the worker: it is the dashboard, waiting for its collector.
    const waiting = page.getByTestId('waiting');
    await waiting.waitFor();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const text = ((await waiting.textContent()) ?? '').trim();
    expect(text).toBe('正在连接…');
    const glyphs = await page.evaluate(
      (t) => ({ bold: document.fonts.check('700 40px "Noto Sans SC"', t), badge: document.fonts.check('700 40px "Noto Sans SC"', '连接中断 数据 暂无数据') }),
      text,
    );
    expect(glyphs).toEqual({ bold: true, badge: true });
    await page.screenshot({ path: join(import.meta.dirname, '../../dist/wall-offline-reload.png') });
    await page.context().close();
  });
});
