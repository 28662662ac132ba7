/**
 * Partners end to end: the simulator's partner-shortage scenario runs
 * in-process, its events go through the public ingest API into a real
 * InfluxDB, and the collector's material-risk alert must fire before the
 * simulated starvation, naming the station that starves and the partner.
 * Then the registry's admin API: tokens, validation, and a registry that
 * survives a restart.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaterialRiskAlert } from '../../core/cluster/material-risk';
import { referencePartnerRegistry } from '../../core/cluster/reference';
import type { StateEvent, StationEvent } from '../../core/events';
import { referencePlant } from '../../core/plant';
import { zoneOffsetMs } from '../../core/time/zone';
import { Line } from '../../simulator/model/line';
import { loadScenario } from '../../simulator/model/scenario';
import { buildApp } from '../app';
import { DEFAULT_COLLECTOR_CONFIG } from '../config';
import { connectInflux } from '../influx/store';
import type { PartnerView } from '../partners/routes';
import { startStack, TEST_ADMIN_TOKEN, type Stack } from './support/stack';

const HOUR = 3_600_000;
const RUN_HOURS = 5;
const SEED = 1;

interface PartnersBody {
  now: number;
  source: string;
  partners: PartnerView[];
  alerts: MaterialRiskAlert[];
}

/** The scenario's start time of day on a recent day with the same weekday, so ingest accepts its events. */
function recentStart(iso: string, timeZone: string): number {
  const original = Date.parse(iso);
  const weeks = Math.floor((Date.now() - RUN_HOURS * HOUR - original) / (7 * 24 * HOUR));
  const moved = original + weeks * 7 * 24 * HOUR;
  return moved + zoneOffsetMs(original, timeZone) - zoneOffsetMs(moved, timeZone);
}

async function getJson<T>(stack: Stack, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.baseUrl}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

/** Polls until `ready` holds: ingest acknowledges once events are in the spool, InfluxDB gets them shortly after. */
async function until<T>(read: () => Promise<T>, ready: (value: T) => boolean, what: string, deadlineMs = 15_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let stack: Stack;
/** The collector's data dir, where the admin API saves the registry. */
let dataDir: string;
let start: number;
let events: StationEvent[];
/** The first simulated starvation of a station for want of P-BATT-01's parts. */
let starvation: StateEvent;

beforeAll(async () => {
  const scenario = loadScenario('partner-shortage');
  start = recentStart(scenario.start, scenario.timeZone);
  events = [];
  const line = new Line({ scenario, seed: SEED, startMs: start, runId: `partners-${SEED}`, emit: (e) => events.push(e) });
  line.runUntil(RUN_HOURS * 3600);
  const found = events.find(
    (e): e is StateEvent => e.type === 'state' && e.state === 'starved' && (e.reason ?? '').includes('P-BATT-01'),
  );
  if (!found) throw new Error('the partner-shortage scenario did not starve a station for P-BATT-01');
  starvation = found;
  // The reference plant: the scenario's line A1 with the same 20 stations and the default calendar.
  dataDir = mkdtempSync(join(tmpdir(), 'taktline-partners-'));
  stack = await startStack({ config: { plant: referencePlant(), dataDir } });
  // Only what the collector could know before the starvation.
  const before = events.filter((e) => e.ts < starvation.ts);
  for (let i = 0; i < before.length; i += 5000) {
    const { status, body } = await stack.postEvents(before.slice(i, i + 5000));
    expect(status).toBe(200);
    expect(body).toMatchObject({ rejected: [] });
  }
  const lastReport = Math.max(...before.filter((e) => e.type === 'partner' && e.partner === 'P-BATT-01').map((e) => e.ts));
  await until(
    () => getJson<PartnersBody>(stack, `/api/v1/partners?now=${starvation.ts - 1}`),
    (r) => r.body.partners.find((p) => p.id === 'P-BATT-01')?.status?.reportedAt === lastReport,
    "P-BATT-01's last report before the starvation in InfluxDB",
  );
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('material-risk alert in the partner-shortage scenario', () => {
  const reportsBefore = (partner: string) =>
    events.filter((e) => e.type === 'partner' && e.partner === partner && e.ts < starvation.ts).map((e) => e.ts);

  it('fires before the simulated starvation, naming the starving station and the partner', async () => {
    const now = starvation.ts - 1;
    const { status, body } = await getJson<PartnersBody>(stack, `/api/v1/partners?now=${now}`);
    expect(status).toBe(200);
    const alert = body.alerts.find((a) => a.partner === 'P-BATT-01');
    expect(alert).toBeDefined();
    expect(alert).toMatchObject({ level: 'critical', partner: 'P-BATT-01', partnerName: { zh: '东湖动力电池', en: 'Donghu Power Battery' } });
    expect(alert?.reasons).toContain('runs_out_before_delivery');
    // The station the simulator starved, with its name from the plant.
    expect(alert?.stations.map((s) => [s.line, s.station])).toEqual([[starvation.line, starvation.station]]);
    expect(alert?.stations[0]?.name).toEqual({ zh: '电池包', en: 'Battery pack' });
    expect(alert?.message.en).toContain(`${starvation.station} Battery pack`);
    // The prediction from the newest report is within a quarter of an hour of the simulated starvation.
    expect(Math.abs((alert?.starvesAt ?? 0) - starvation.ts)).toBeLessThanOrEqual(15 * 60_000);
    // The seat partner delivers throughout: no critical alert for it.
    expect(body.alerts.find((a) => a.partner === 'P-SEAT-01')?.level).not.toBe('critical');
    // The partner view carries the status the partner reported.
    expect(body.partners.find((p) => p.id === 'P-BATT-01')?.status).toMatchObject({ status: 'late' });
    expect(body.partners.find((p) => p.id === 'P-GLAS-01')).toMatchObject({ status: null, alert: null, inDistrict: false });
  });

  it('raises it at least half an hour ahead, and not before the disruption', async () => {
    // Ask as of each report of the partner: the first one that raises a critical alert.
    let firstCritical: number | null = null;
    let firstAlert: MaterialRiskAlert | undefined;
    for (const ts of reportsBefore('P-BATT-01')) {
      const { status, body } = await getJson<{ alerts: MaterialRiskAlert[] }>(stack, `/api/v1/partners/alerts?now=${ts}`);
      expect(status).toBe(200);
      const alert = body.alerts.find((a) => a.partner === 'P-BATT-01');
      if (ts < start + 2 * HOUR) {
        // Before the outage (hour 2) deliveries keep up: a low-stock warning at most.
        expect(alert?.level ?? 'none').not.toBe('critical');
      }
      if (alert?.level === 'critical' && firstCritical === null) {
        firstCritical = ts;
        firstAlert = alert;
      }
    }
    expect(firstCritical).not.toBeNull();
    const leadMinutes = (starvation.ts - (firstCritical ?? 0)) / 60_000;
    console.log(`material-risk alert for P-BATT-01 raised ${leadMinutes.toFixed(0)} min before ${starvation.station} starved (seed ${SEED})`);
    expect(leadMinutes).toBeGreaterThanOrEqual(30);
    // It says what will happen, and when: ahead of time, near the simulated starvation.
    expect(firstAlert?.message.en).toContain(`${starvation.station} Battery pack will starve`);
    expect(firstAlert?.message.zh).toContain(`${starvation.station} 电池包 将停线待料`);
    expect(firstAlert?.starvesAt).toBeGreaterThan(firstCritical ?? Infinity);
    expect(Math.abs((firstAlert?.starvesAt ?? 0) - starvation.ts)).toBeLessThanOrEqual(30 * 60_000);
  });
});

describe('partner registry admin API', () => {
  const put = (body: unknown, token?: string) =>
    fetch(`${stack.baseUrl}/api/v1/partners`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('serves the demo registry to anyone, without secrets', async () => {
    const { status, body } = await getJson<PartnersBody>(stack, '/api/v1/partners');
    expect(status).toBe(200);
    expect(body.source).toBe('default');
    expect(body.partners.map((p) => p.id)).toEqual(referencePartnerRegistry().partners.map((p) => p.id));
    expect(JSON.stringify(body)).not.toContain(TEST_ADMIN_TOKEN);
  });

  it('asks for the admin token and rejects a wrong one', async () => {
    const registry = referencePartnerRegistry();
    const anonymous = await put(registry);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthorized', message: "send 'Authorization: Bearer <admin token>'" } });
    const wrong = await put(registry, stack.ingestToken);
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('rejects an invalid registry naming the field, and changes nothing', async () => {
    const registry = referencePartnerRegistry();
    registry.partners[1]!.stations = [{ line: 'A1', station: 'S99' }];
    const res = await put(registry, TEST_ADMIN_TOKEN);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_registry', message: "partners.1.stations.0.station: line A1 has no station 'S99'" },
    });
    const notJson = await fetch(`${stack.baseUrl}/api/v1/partners`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: '{"partners": [',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    expect((await getJson<PartnersBody>(stack, '/api/v1/partners')).body.source).toBe('default');
  });

  it('saves a valid registry in the data dir, and it survives a restart', async () => {
    const registry = referencePartnerRegistry();
    registry.categories.push({ id: 'tyres', name: { zh: '轮胎', en: 'Tyres' } });
    registry.partners.push({
      id: 'P-TYRE-01',
      name: { zh: '云岭轮胎', en: 'Yunling Tyres' },
      category: 'tyres',
      tier: 1,
      inDistrict: true,
      stations: [{ line: 'A1', station: 'S13' }],
      inventoryPolicy: { minHours: 4, deliveryEveryHours: 4, firstDeliveryAt: '01:00' },
    });
    const res = await put(registry, TEST_ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ source: 'admin', partners: registry.partners.length });
    expect(existsSync(join(dataDir, 'partners.json'))).toBe(true);

    await stack.stopCollector();
    await stack.startCollector();
    const { body } = await getJson<PartnersBody>(stack, '/api/v1/partners');
    expect(body.source).toBe('admin');
    expect(body.partners.find((p) => p.id === 'P-TYRE-01')).toMatchObject({
      categoryName: { zh: '轮胎', en: 'Tyres' },
      stations: [{ line: 'A1', station: 'S13', name: { zh: '车轮', en: 'Wheels' } }],
    });
    const raw = await getJson<typeof registry>(stack, '/api/v1/partners/registry');
    expect(raw.body).toEqual(registry);
  });

  it('answers 403 with how to enable writes when no admin token is configured', async () => {
    const store = await connectInflux({ url: stack.influxd.url, token: '', org: 'taktline', bucket: 'taktline' });
    const otherDir = mkdtempSync(join(tmpdir(), 'taktline-partners-noadmin-'));
    const app = buildApp({ config: { ...DEFAULT_COLLECTOR_CONFIG, plant: referencePlant(), dataDir: otherDir, adminToken: '', influxUrl: stack.influxd.url }, store });
    try {
      await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
      const port = (app.server.address() as AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/partners`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        body: JSON.stringify(referencePartnerRegistry()),
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'admin_disabled', message: expect.stringContaining('set TAKTLINE_ADMIN_TOKEN') as string } });
      expect(existsSync(join(otherDir, 'partners.json'))).toBe(false);
    } finally {
      await app.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
