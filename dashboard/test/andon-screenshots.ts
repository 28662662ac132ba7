/**
 * Takes the andon screenshots in docs/screenshots/ from the real stack
 * (influxd + collector serving dist/dashboard, real notification receivers)
 * in headless Chromium: the wall with open calls, the station tablet in
 * Chinese (portrait) and English (landscape), and the manager's call list
 * with one call's escalation timeline and a failing channel.
 *
 *   npx vite build && npx tsx dashboard/test/andon-screenshots.ts
 *
 * The calls are made through the public API by the plant's people (and one
 * pull cord), with the collector's clock moved on between steps so the
 * escalation really happens.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_ANDON_SETTINGS } from '../../collector/andon/settings';
import { andonPlant, call, signIn, startHttpReceiver, startSmtpReceiver } from '../../collector/test/support/andon';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { referencePlant } from '../../core/plant';
import { launchChromium } from './support/browser';
import { demoEvents } from './support/demo-events';
import { postAll } from './support/simulated-line';

const OUT = join(import.meta.dirname, '../../docs/screenshots');
const NAMES: Record<string, string> = { op1: '王芳', tl1: '李强', mt1: '赵磊', sv1: '陈静', mg1: '刘洋', ad1: '周敏' };

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(800);
}

async function main(): Promise<void> {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  mkdirSync(OUT, { recursive: true });
  const webhook = await startHttpReceiver('plain');
  const wecom = await startHttpReceiver('robot');
  const ding = await startHttpReceiver('robot');
  const smtp = await startSmtpReceiver();
  wecom.failWith = 500; // a robot that keeps failing: the manager sees the warning

  // The reference line (20 stations, Asia/Shanghai) with the test plant's people, renamed, and its andon settings.
  const test = await andonPlant({ webhook: webhook.url, wecom: wecom.url, dingtalk: ding.url, smtpPort: smtp.port });
  const plant = referencePlant();
  plant.people = (test.people ?? []).map((p) => ({ ...p, name: NAMES[p.id] ?? p.name, stations: p.id === 'op1' ? ['S01', 'S02'] : p.stations }));
  plant.andon = {
    ...test.andon!,
    kinds: [
      { id: 'maintenance', label: { zh: '设备维修', en: 'Maintenance' }, priority: 'high' },
      { id: 'material', label: { zh: '物料', en: 'Material' }, priority: 'high' },
      { id: 'quality', label: { zh: '质量', en: 'Quality' }, priority: 'normal' },
      { id: 'help', label: { zh: '求助', en: 'Help' }, priority: 'normal' },
      { id: 'safety', label: { zh: '安全', en: 'Safety' }, priority: 'critical' },
    ],
    resolutionReasons: [
      { id: 'repaired', label: { zh: '已维修', en: 'Repaired' } },
      { id: 'material_delivered', label: { zh: '物料已送达', en: 'Material delivered' } },
      { id: 'adjusted', label: { zh: '已调整', en: 'Adjusted' } },
      { id: 'other', label: { zh: '其他', en: 'Other' } },
    ],
  };
  let offset = 0;
  const clock = () => Date.now() + offset;
  const later = (seconds: number) => void (offset += seconds * 1000);
  /** Moves the clock on in steps of 10 s, giving the collector's andon tick (50 ms) time to escalate on the way. */
  const wait = async (seconds: number) => {
    for (let s = 0; s < seconds; s += 10) {
      later(Math.min(10, seconds - s));
      await new Promise((r) => setTimeout(r, 60));
    }
  };
  const stack: Stack = await startStack({
    clock,
    config: { plant, andon: { ...DEFAULT_ANDON_SETTINGS, tickMs: 50, notify: { ...DEFAULT_ANDON_SETTINGS.notify, retryMinMs: 50, retryMaxMs: 200 } } },
  });
  let browser: Browser | null = null;
  try {
    const cookie = new Map<string, string>();
    for (const id of ['op1', 'tl1', 'mt1', 'sv1']) {
      const pin = { op1: '1111', tl1: '2222', mt1: '3333', sv1: '4444' }[id] ?? '';
      const s = await signIn(stack.baseUrl, id, pin);
      if (!s.cookie) throw new Error(`${id} could not sign in: ${JSON.stringify(s.body)}`);
      cookie.set(id, s.cookie);
    }
    const api = async (who: string, path: string, body: Record<string, unknown>) => {
      const res = await call(stack.baseUrl, cookie.get(who) ?? null, 'POST', path, body);
      if (res.status >= 300) throw new Error(`${path} by ${who} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.call as { id: string };
    };
    const raise = (who: string, station: string, kind: string) => api(who, '/api/v1/andon/calls', { line: 'A1', station, kind });
    const act = (who: string, id: string, action: string, extra: Record<string, unknown> = {}) => api(who, '/api/v1/andon/actions', { call: id, action, ...extra });

    // Earlier in the shift: calls that were answered, one after escalating, and one cancelled.
    const a = await raise('sv1', 'S09', 'maintenance');
    later(70);
    await act('tl1', a.id, 'acknowledge');
    later(290);
    await act('mt1', a.id, 'resolve', { reason: 'repaired', note: '更换拧紧枪电池' });
    const b = await raise('sv1', 'S07', 'material');
    await wait(230); // past 3 min: escalated to maintenance
    await act('mt1', b.id, 'acknowledge');
    later(150);
    await act('tl1', b.id, 'resolve', { reason: 'material_delivered', note: '电池包已由 AGV 送到' });
    const c = await raise('sv1', 'S11', 'help');
    later(40);
    await act('sv1', c.id, 'cancel');
    later(600);

    // Now: a pull cord at S06, a material call at S02 that the team leader took, and a fresh quality call.
    const cord = await stack.postEvents([{ type: 'andon', ts: clock(), line: 'A1', station: 'S06', kind: 'maintenance' }]);
    if (cord.status >= 300) throw new Error(`pull cord answered ${cord.status}: ${JSON.stringify(cord.body)}`);
    later(40);
    const d = await raise('op1', 'S02', 'material');
    later(95);
    await act('tl1', d.id, 'acknowledge');
    await wait(100); // S06 is past 3 min: escalated to maintenance
    await raise('sv1', 'S12', 'quality');
    later(20);
    await new Promise((r) => setTimeout(r, 300));

    // The line's stations, up to now on the collector's clock.
    const now = clock();
    await postAll(stack, demoEvents({ now, spanMs: 2 * 3_600_000 }));
    await new Promise((r) => setTimeout(r, 1500)); // the wecom robot fails three times in a row

    browser = await launchChromium();
    const shots: { file: string; width: number; height: number; path: string; signIn?: [string, string]; full?: boolean; testid?: string; click?: string }[] = [
      { file: 'wall-andon-1080p-zh.png', width: 1920, height: 1080, path: '/wall?line=A1&lang=zh-CN' },
      { file: 'wall-andon-1080p-en.png', width: 1920, height: 1080, path: '/wall?line=A1&lang=en' },
      { file: 'station-tablet-zh.png', width: 800, height: 1280, path: '/station?line=A1&station=S06&lang=zh-CN', signIn: ['tl1', '2222'] },
      { file: 'station-tablet-en.png', width: 1280, height: 800, path: '/station?line=A1&station=S02&lang=en' },
      { file: 'station-tablet-pin-zh.png', width: 1280, height: 800, path: '/station?line=A1&station=S02&lang=zh-CN', signIn: ['op1', '9'] },
      { file: 'manager-andon-zh.png', width: 1440, height: 900, path: '/?line=A1&lang=zh-CN', testid: 'andon-section', click: `andon-row-${b.id}` },
      { file: 'manager-andon-en.png', width: 1440, height: 900, path: '/?line=A1&lang=en', testid: 'andon-section', click: `andon-row-${b.id}` },
    ];
    for (const shot of shots) {
      const context = await browser.newContext({ viewport: { width: shot.width, height: shot.height }, hasTouch: shot.path.startsWith('/station') });
      const page = await context.newPage();
      await page.goto(`${stack.baseUrl}${shot.path}`);
      if (shot.path.startsWith('/wall')) await page.getByTestId('andon-panel').waitFor();
      if (shot.path.startsWith('/station')) await page.getByTestId('station-calls').waitFor();
      if (shot.signIn) {
        const [who, pin] = shot.signIn;
        await page.getByTestId(`person-${who}`).tap();
        for (const digit of pin === '9' ? '9999' : pin) await page.getByTestId(`pin-${digit}`).tap();
        await page.getByTestId('pin-submit').tap();
        await page.getByTestId(pin === '9' ? 'sign-in-error' : 'signed-in-as').waitFor();
      }
      if (shot.testid) {
        await page.getByTestId(shot.testid).waitFor();
        await page.getByTestId('andon-calls').waitFor();
        if (shot.click) await page.getByTestId(shot.click).click();
        await page.getByTestId('step-resolved').waitFor();
        await settle(page);
        await page.getByTestId(shot.testid).screenshot({ path: join(OUT, shot.file) });
      } else {
        await settle(page);
        await page.screenshot({ path: join(OUT, shot.file) });
      }
      console.log(`wrote docs/screenshots/${shot.file}`);
      await context.close();
    }
  } finally {
    await browser?.close();
    await stack.stop();
    await Promise.all([webhook.close(), wecom.close(), ding.close(), smtp.close()]);
  }
}

await main();
