/**
 * A silent plant-floor source on the wall, in real Chromium against a real
 * collector, influxd and Mosquitto: S07 reports over Sparkplug B, whose edge
 * node has not been born (or has died). Its station card must read
 * "信号中断 N 秒" greyed, not its last state in colour, although S07's last
 * state was `running`; the line's live model carries `signalLost`; a birth
 * brings the card back and a death takes it away again, with no event in
 * between, on the live hub's heartbeat.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceStationTags } from '../../core/connectors';
import { PlantConfig, referencePlant } from '../../core/plant';
import { encodeSparkplug } from '../../collector/mqtt/sparkplug';
import { startTestMosquitto, type TestMosquitto } from '../../collector/test/support/mosquitto';
import { startStack, type Stack } from '../../collector/test/support/stack';
import { PLC_TAGS } from '../../simulator/sinks/opcua';
import { launchChromium } from './support/browser';
import { demoEvents } from './support/demo-events';
import { postAll } from './support/simulated-line';

const GROUP = 'Hall3';
const NODE = 'BodyEdge';
const TYPES = { CycleCounter: 'UInt32', CycleTime: 'Double', State: 'Int32', FaultCode: 'String', UnitSerial: 'String', Result: 'Int32', Model: 'String', UnitResult: 'Int32', Andon: 'Boolean' } as const;
const SHOTS = join(import.meta.dirname, '../../docs/screenshots');

let broker: TestMosquitto;
let stack: Stack;
let browser: Browser;
let edge: MqttClient;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '../../dist/dashboard/index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  broker = await startTestMosquitto();
  const base = referencePlant();
  const plant = PlantConfig.parse({
    ...base,
    connectors: { sparkplug: [{ group: GROUP, node: NODE, stations: [referenceStationTags('A1', 'S07', { completesUnit: false, address: (n) => `S07/${n}` })] }] },
  });
  // Heartbeats every half second: a source's change reaches the wall within one.
  stack = await startStack({ config: { plant, heartbeatMs: 500, mqttUrl: broker.url, mqttTopic: 'plant/+/+/events', mqttErrorTopic: 'plant/errors', mqttClientId: 'collector-wall-signal' } });
  const now = Date.now();
  // S07 last said it runs (over HTTP, as a gateway would have before the edge node went away).
  await postAll(stack, [...demoEvents({ now, spanMs: 3_600_000 }), { type: 'state', ts: now - 30_000, line: 'A1', station: 'S07', state: 'running' }]);
  edge = await connectAsync(broker.url, { clientId: 'edge-body' });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await edge?.endAsync();
  await stack?.stop();
  await broker?.dispose();
});

async function publish(type: 'NBIRTH' | 'NDEATH', metrics: { name: string; alias?: number; type: string; value: unknown }[]): Promise<void> {
  const payload = encodeSparkplug({ timestamp: Date.now(), ...(type === 'NDEATH' ? {} : { seq: 0 }), metrics } as Parameters<typeof encodeSparkplug>[0]);
  await edge.publishAsync(`spBv1.0/${GROUP}/${type}/${NODE}`, payload, { qos: 0 });
}
const birth = () =>
  publish('NBIRTH', [
    { name: 'bdSeq', type: 'UInt64', value: 0 },
    ...PLC_TAGS.map((tag, i) => ({ name: `S07/${tag}`, alias: i + 1, type: TYPES[tag], value: tag === 'State' ? 1 : TYPES[tag] === 'String' ? '' : TYPES[tag] === 'Boolean' ? false : 0 })),
  ]);

const card = (page: Page) => page.getByTestId('station-S07');

describe('a silent source on the wall', () => {
  it('shows the station as signal lost, greyed, until its source is born, and again when it dies', { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${stack.baseUrl}/wall?line=A1`);
    await page.getByTestId('this-hour-value').waitFor();

    // Never born: silent since the collector started.
    await expect.poll(() => card(page).getAttribute('data-signal'), { timeout: 15_000 }).toBe('lost');
    expect(await card(page).getByTestId('signal-lost').textContent()).toBe('信号中断');
    expect(await card(page).getByTestId('signal-lost-age').textContent()).toMatch(/^\d+ (秒|分)$/);
    expect(await card(page).textContent()).not.toContain('运行');
    // Greyed, not the green of a running station.
    const look = await card(page).evaluate((el) => ({ filter: getComputedStyle(el).filter, bg: getComputedStyle(el).backgroundColor, border: getComputedStyle(el).borderStyle }));
    expect(look.filter).toContain('grayscale');
    expect(look.border).toBe('dashed');
    expect(look.bg).not.toBe('rgb(21, 128, 61)');
    expect(await card(page).getAttribute('title')).toContain(`${GROUP}/${NODE}`);
    // A station with no such source is as it was.
    expect(await page.getByTestId('station-S08').getAttribute('data-signal')).toBeNull();
    if (process.env.TAKTLINE_SCREENSHOTS === '1') {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'wall-signal-lost-zh.png') });
    }

    // The edge node is born: the card shows its state again, with no event posted.
    await birth();
    await expect.poll(() => card(page).getAttribute('data-signal'), { timeout: 10_000 }).toBeNull();
    expect(await card(page).getAttribute('data-state')).toBe('running');

    // It dies: lost again, counting from its death.
    await publish('NDEATH', [{ name: 'bdSeq', type: 'UInt64', value: 0 }]);
    await expect.poll(() => card(page).getAttribute('data-signal'), { timeout: 10_000 }).toBe('lost');
    expect(await card(page).getByTestId('signal-lost-age').textContent()).toMatch(/^\d+ 秒$/);
    await page.context().close();
  });
});
