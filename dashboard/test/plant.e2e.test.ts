/**
 * `/plant`: every line of the plant on one screen, in real Chromium against
 * the real stack with a plant file of several lines. Each card shows its
 * line's own numbers and condition and links to its wall; 1 and 12 lines fit
 * 1080p and 4K in both languages with no card off screen and no label cut.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { startOfLocalHour } from '../../core/time/zone';
import { launchChromium } from './support/browser';
import { plantLineIds, plantOfLines } from './support/plant-lines';

let browser: Browser;
const stacks = new Map<number, Stack>();

/** A stack with `n` lines: units in the last minutes on each, every other line stopped (all stations starved), one down. */
async function plantStack(n: number): Promise<Stack> {
  const stack = await startStack({ config: { plant: plantOfLines(n), kpiRefreshMs: 1000 } });
  // The units must fall in this local clock hour (what the card counts): not in the hour's first seconds.
  const intoHour = Date.now() - startOfLocalHour(Date.now(), 'Asia/Shanghai');
  if (intoHour < 15_000) await new Promise((r) => setTimeout(r, 15_000 - intoHour));
  const now = Date.now();
  const unitsFrom = Math.max(startOfLocalHour(now, 'Asia/Shanghai') + 1000, now - 300_000);
  const events: unknown[] = [];
  plantLineIds(n).forEach((line, i) => {
    const state = i === 1 ? 'fault' : i % 2 === 1 ? 'starved' : 'running';
    for (const station of ['S01', 'S02', 'S03', 'S04', 'S05']) {
      events.push({ type: 'state', ts: now - 600_000, line, station, state: 'running' });
      events.push({ type: 'state', ts: now - 120_000, line, station, state: station === 'S03' || state !== 'fault' ? state : 'running' });
    }
    // i + 1 units in this hour's last minutes, so every card's count is its own.
    for (let u = 0; u <= i; u += 1) events.push({ type: 'unit', ts: unitsFrom + u * 1000, line, unit: `${line}-${u}` });
  });
  const res = await stack.postEvents(events);
  expect(res.status).toBe(200);
  stacks.set(n, stack);
  return stack;
}

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  browser = await launchChromium();
  await plantStack(12);
  await plantStack(1);
});

afterAll(async () => {
  await browser?.close();
  for (const s of stacks.values()) await s.stop();
});

async function openPlant(stack: Stack, size: { width: number; height: number }, lang: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: size })).newPage();
  await page.goto(`${stack.baseUrl}/plant?lang=${lang}`);
  await page.getByTestId('plant-grid').waitFor();
  await expect.poll(() => page.locator('[data-testid="plant-this-hour"]').count()).toBe(stacks.get(12) === stack ? 12 : 1);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(300);
  return page;
}

describe('plant overview', () => {
  it("shows each line's own numbers and condition, each card linking to its wall", async () => {
    const stack = stacks.get(12) as Stack;
    const page = await openPlant(stack, { width: 1920, height: 1080 }, 'zh-CN');
    const ids = plantLineIds(12);
    for (const [i, id] of ids.entries()) {
      const card = page.getByTestId(`plant-line-${id}`);
      expect(await card.getAttribute('href')).toBe(`/wall?line=${id}`);
      expect(await card.getByTestId('plant-this-hour').textContent()).toMatch(new RegExp(`^${i + 1} /`));
      expect(await card.getAttribute('data-condition')).toBe(i === 1 ? 'down' : i % 2 === 1 ? 'stopped' : 'running');
    }
    expect(await page.getByTestId('plant-line-A2').getByTestId('plant-condition').textContent()).toBe('停机');
    await page.getByTestId('plant-line-B1').click();
    await page.getByTestId('this-hour-value').waitFor();
    expect(new URL(page.url()).searchParams.get('line')).toBe('B1');
    await page.context().close();
  });

  for (const n of [12, 1]) {
    for (const lang of ['zh-CN', 'en']) {
      for (const size of [
        { width: 1920, height: 1080 },
        { width: 3840, height: 2160 },
      ]) {
        it(`fits ${n} line(s) at ${size.width}×${size.height} in ${lang}: every card on screen, no label cut`, async () => {
          const page = await openPlant(stacks.get(n) as Stack, size, lang);
          const fit = await page.evaluate(() => {
            const cards = [...document.querySelectorAll('[data-testid^="plant-line-"]')].map((c) => c.getBoundingClientRect());
            const cut: string[] = [];
            for (const el of document.querySelectorAll<HTMLElement>('[data-testid="plant-view"] *')) {
              const own = [...el.childNodes].some((x) => x.nodeType === Node.TEXT_NODE && (x.textContent ?? '').trim() !== '');
              if (own && el.clientWidth > 0 && getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth + 1) cut.push((el.textContent ?? '').trim());
            }
            return {
              offScreen: cards.filter((r) => r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5 || r.width < 50).length,
              cut,
              scroll: document.documentElement.scrollHeight > innerHeight,
            };
          });
          expect(fit).toEqual({ offScreen: 0, cut: [], scroll: false });
          await page.context().close();
        });
      }
    }
  }
});
