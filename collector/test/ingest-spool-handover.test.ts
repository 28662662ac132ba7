/**
 * The InfluxDB writer takes a batch this process just appended as it was
 * handed over (no second JSON.parse of the record), and the spool keeps a
 * request's own bytes when validation changed no event. That must never change
 * what reaches InfluxDB: the full app (every observer of durable events
 * included) writes exactly the events a restart decodes from the spool's
 * records, in the same order, as the same lines of line protocol.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { STATION_STATES } from '../../core/vocabulary';
import { buildApp } from '../app';
import { DEFAULT_COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import { eventToLine } from '../influx/points';
import { influxReads } from '../influx/reads';
import type { EventStore } from '../influx/store';
import { decodeBatch } from '../spool/batch';
import { Spool } from '../spool/spool';
import { seededRandom } from './support/seeded-random';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'taktline-handover-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const TOKEN = 'handover-test-token';

describe('the writer and the spool', () => {
  it('writes exactly what a restart decodes from the spool: the same events, in order, as the same lines', async () => {
    const written: StationEvent[] = [];
    const store: EventStore = {
      write: async (events) => {
        written.push(...events);
      },
      writeRollups: async () => undefined,
      writeShiftingHours: async () => undefined,
      writeLossHours: async () => undefined,
      query: async () => [],
      reads: influxReads({ query: async () => [] }),
      info: () => ({ url: 'memory:', reachable: true, product: 'unknown', version: null, name: 'memory', writePath: 'v2', error: null }),
      refreshInfo: async () => store.info(),
      close: async () => undefined,
    };
    const config: CollectorConfig = { ...DEFAULT_COLLECTOR_CONFIG, host: '127.0.0.1', port: 0, dataDir, ingestTokens: [TOKEN], dashboardDir: '', kpiRefreshMs: 3_600_000 };
    const app = buildApp({ config, store });
    await app.start();
    await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const next = seededRandom(77);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const chars = ['a', 'Z', '0', ' ', ',', '=', '"', '\\', "'", 'é', '急', '😀', '{', ']'];
    const text = () => Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(chars)).join('');
    const start = Date.now() - 600_000;
    let n = 0;
    const event = (): Record<string, unknown> => {
      n += 1;
      const ts = start + n;
      const station = `S0${1 + Math.floor(next() * 5)}`;
      const id = next() < 0.8 ? { id: `h-${n}` } : {};
      const kind = next();
      if (kind < 0.5) return { type: 'cycle', ts, line: 'A1', station, cycleTime: pick([0.1 + 0.2, 118.5, 1e-7, 86_400, 61]), result: pick(['ok', 'nok']), unit: `U${n}`, ...id };
      if (kind < 0.8) return { type: 'state', ts, line: 'A1', station, state: pick(STATION_STATES), ...(next() < 0.5 ? { reason: text() } : {}), ...id };
      return { type: 'unit', ts, line: 'A1', unit: `U${n}`, ...(next() < 0.5 ? { result: 'nok', defect: 'scratch' } : {}), ...id };
    };
    for (let batch = 0; batch < 40; batch += 1) {
      const events = Array.from({ length: 1 + Math.floor(next() * 200) }, event);
      const res = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(events) });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: events.length, rejected: [] });
    }
    for (let i = 0; i < 500 && app.metrics.spool().unwrittenEvents > 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(app.metrics.spool().unwrittenEvents).toBe(0);
    await app.close();

    // What a restart reads: every record of the spool, decoded from its payload.
    const spool = await Spool.open({ dir: join(dataDir, 'spool'), maxBytes: DEFAULT_COLLECTOR_CONFIG.spoolMaxBytes, retainMs: 3_600_000 });
    const decoded: StationEvent[] = [];
    for (let from = 0; ; ) {
      const records = await spool.read(from, 1 << 20);
      if (records.length === 0) break;
      for (const record of records) decoded.push(...(decodeBatch(record.payload)?.events ?? []));
      from = records[records.length - 1]!.end;
    }
    await spool.close();
    expect(decoded.length).toBe(n);
    // The same events field for field. Only the key order may differ: a record that keeps a request's own bytes
    // (every event accepted as sent) decodes in the sender's key order, the handed-over events are in the schema's.
    expect(written).toStrictEqual(decoded);
    expect(written.map(eventToLine)).toEqual(decoded.map(eventToLine));
  });
});
