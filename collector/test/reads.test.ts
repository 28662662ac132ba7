/**
 * The typed reads against a real influxd, and the memory implementation held
 * to the same answers: the same events (a simulated shift of every shipped
 * scenario's line plus hand-made edge cases: a repeat, a missing result, a
 * stop reason, partner and output reports) are written to both, and every
 * method must answer the same over intervals that start before, inside and
 * across the data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import type { LineConfig } from '../../core/plant';
import { Line } from '../../simulator/model/line';
import { loadScenario } from '../../simulator/model/scenario';
import { memoryStore } from '../influx/memory-reads';
import { influxReads, type EventReads } from '../influx/reads';
import { connectInflux, type EventStore } from '../influx/store';
import { HourRoller } from '../rollup/roller';
import { startTestInfluxd, type TestInfluxd } from './support/influxd';

const HOUR = 3_600_000;
const START = Date.parse('2026-03-02T08:00:00+08:00');
const scenario = loadScenario('breakdowns');
const line: LineConfig = {
  id: scenario.line,
  name: { zh: scenario.name, en: scenario.name },
  timeZone: scenario.timeZone,
  targetPerHour: scenario.targetPerHour,
  stations: scenario.stations.map((s) => ({ id: s.id, name: { zh: s.id, en: s.id } })),
};

function events(): StationEvent[] {
  const out: StationEvent[] = [];
  const sim = new Line({ scenario, seed: 5, startMs: START, runId: 'reads', emit: (e) => out.push(e) });
  sim.runUntil(6 * 3600);
  const l = line.id;
  out.push(
    { type: 'orders', ts: START - 3 * 24 * HOUR, total: 120_000 },
    // Units before the orders snapshot's look-back and between it and the interval.
    { type: 'unit', ts: START - 2 * 24 * HOUR, line: l, unit: 'OLD1' },
    { type: 'unit', ts: START - 2 * HOUR, line: l, unit: 'OLD2', result: 'nok' },
    // A repeat (with and without id) is one point.
    { type: 'unit', ts: START + 5 * HOUR + 17, line: l, unit: 'REP1', id: 'r-1' },
    { type: 'unit', ts: START + 5 * HOUR + 17, line: l, unit: 'REP1' },
    { type: 'state', ts: START - HOUR, line: l, station: 'S02', state: 'fault', reason: 'gripper jam' },
    // A station silent for ten days: its last state is older than the week lineEvents looks in first.
    { type: 'state', ts: START - 10 * 24 * HOUR, line: l, station: 'S99', state: 'maintenance', reason: 'rebuild' },
    { type: 'partner', ts: START + HOUR, partner: 'P-BATT', status: 'at_risk', inventoryHours: 3.5, onTimeRate: 0.9, note: 'late truck' },
    { type: 'partner', ts: START + 2 * HOUR, partner: 'P-BATT', status: 'late' },
    { type: 'partner', ts: START + 2 * HOUR, partner: 'P-SEAT', status: 'ok', inventoryHours: 40 },
    { type: 'output', ts: START + HOUR, entity: 'chain', period: '2026-03', value: 1e9 },
    { type: 'output', ts: START + 3 * HOUR, entity: 'chain', period: '2026-03', value: 2e9 },
    { type: 'output', ts: START + 3 * HOUR, entity: 'P-SEAT', period: '2026-02', value: 5e8 },
  );
  return out;
}

/** Units the simulated run reported nok, and one it did not: what people's defect codes name. */
const nokUnits = (() => {
  const all = events();
  const nok = all.filter((e) => e.type === 'unit' && e.result === 'nok').map((e) => (e as { unit: string }).unit);
  const ok = all.find((e) => e.type === 'unit' && e.result !== 'nok') as { unit: string };
  return [...nok.slice(0, 2), ok.unit];
})();

const byTime = (a: StationEvent, b: StationEvent) => a.ts - b.ts || JSON.stringify(a).localeCompare(JSON.stringify(b));

let influxd: TestInfluxd;
let influx: EventStore;
const memory = memoryStore();

beforeAll(async () => {
  influxd = await startTestInfluxd();
  influx = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'taktline' });
  const all = events();
  for (let i = 0; i < all.length; i += 5000) await influx.write(all.slice(i, i + 5000));
  await memory.write(all);
  // The same roller over both: the summaries it writes must read back the same.
  for (const store of [influx, memory]) {
    await new HourRoller({ store, plant: { name: { zh: 'r', en: 'r' }, lines: [line] }, lineNow: () => START + 7 * HOUR, log: () => undefined }).backfill();
  }
}, 60_000);

afterAll(async () => {
  await influxd?.dispose();
});

const intervals: [string, number, number][] = [
  ['whole run', START - 4 * HOUR, START + 7 * HOUR],
  ['inside, off the hour', START + 37 * 60_000 + 123, START + 4 * HOUR + 11 * 60_000],
  ['late start, orders snapshot older than the unit look-back', START + 3 * HOUR, START + 6 * HOUR],
  ['before any data', START - 30 * 24 * HOUR, START - 29 * 24 * HOUR],
];

async function both<T>(read: (r: EventReads) => Promise<T>): Promise<[T, T]> {
  return [await read(influx.reads), await read(memory.reads)];
}

describe.each(intervals)('reads over %s: InfluxDB and memory answer the same', (_name, from, to) => {
  it('lineEvents, every kind and states only', async () => {
    for (const kinds of [undefined, ['state'] as const]) {
      const [a, b] = await both((r) => r.lineEvents(line, from, to, kinds));
      expect([...b.events].sort(byTime)).toEqual([...a.events].sort(byTime));
      expect({ ...b.initialStates }).toEqual({ ...a.initialStates });
    }
  });

  it('unitBuckets at 60, 15 and 1440 minutes', async () => {
    for (const minutes of [60, 15, 1440]) {
      const [a, b] = await both((r) => r.unitBuckets(line, from, to, minutes));
      expect(b).toEqual(a);
    }
  });

  it('cycleStats', async () => {
    const [a, b] = await both((r) => r.cycleStats(line, from, to, 100));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [station, s] of a) {
      const m = b.get(station);
      expect(m && { ...m, mean: null }).toEqual({ ...s, mean: null });
      expect(m?.mean).toBeCloseTo(s.mean ?? Number.NaN, 9);
    }
  });

  it('exportRows of units, cycles and states', async () => {
    for (const [type, fields] of [
      ['unit', ['unit', 'model', 'result', 'id']],
      ['cycle', ['station', 'cycleTime', 'unit', 'result', 'id']],
      ['state', ['station', 'state', 'reason', 'id']],
    ] as const) {
      const [a, b] = await both((r) => r.exportRows(line, type, fields, from, to));
      const key = (x: Record<string, unknown>) => JSON.stringify(x);
      expect(b.map(key).sort()).toEqual(a.map(key).sort());
    }
  });

  it('counts, first unit, orders, partners, output and names', async () => {
    const reads: ((r: EventReads) => Promise<unknown>)[] = [
      (r: EventReads) => r.countUnits([line.id], from, to),
      (r: EventReads) => r.countUnits([line.id, 'nowhere'], null, to),
      (r: EventReads) => r.firstUnitAt(line.id, from, to),
      (r: EventReads) => r.lastUnitAt(line.id, from, to),
      (r: EventReads) => r.latestOrders(to, 7 * 24 * HOUR),
      (r: EventReads) => r.partnerReports(to),
      (r: EventReads) => r.partnerEvents(from, to),
      (r: EventReads) => r.outputReports([{ period: '2026-03', from: Date.parse('2026-03-01T00:00:00+08:00') }, { period: '2026-02', from: Date.parse('2026-02-01T00:00:00+08:00') }], to),
      (r: EventReads) => r.names('partner'),
      (r: EventReads) => r.names('entity'),
      (r: EventReads) => r.rollups(line.id, from, to),
      (r: EventReads) => r.rollups(line.id, from, to, 'line'),
      (r: EventReads) => r.rollups(line.id, from, to, 'cycles'),
      (r: EventReads) => r.rollups(line.id, from, to, 'timeline'),
      (r: EventReads) => r.rollups(line.id, from, to, 'states'),
      (r: EventReads) => r.rollups(line.id, from, to, 'losses'),
      (r: EventReads) => r.rollups(line.id, from, to, 'stops'),
      (r: EventReads) => r.constraintRollups(line.id, 'S02', from, to),
      (r: EventReads) => r.constraintRollups(line.id, 'S02', from, to, 'day'),
      (r: EventReads) => r.shiftingHours(line.id, from, to),
      (r: EventReads) => r.lossHours(line.id, 'S02', from, to),
      (r: EventReads) => r.lossHours(line.id, line.stations.at(-1)?.id ?? 'S01', from, to),
      (r: EventReads) => r.lossLineHours(line.id, from, to),
      (r: EventReads) => r.lossLineHours(line.id, from, to, false),
      // Two nok units (a cycle of theirs too, when one was nok) and a unit that was ok.
      (r: EventReads) => r.nokEventsOf(line, nokUnits, from, to),
      (r: EventReads) => r.cycleTimes(line.id, from, to),
      (r: EventReads) => r.hourActivity(line, from, to),
      (r: EventReads) => r.firstEventAt(line.id),
    ];
    for (const read of reads) {
      const [a, b] = await both(read);
      expect(b).toEqual(a);
    }
  });
});

describe('the stored loss rows', () => {
  it('read back from InfluxDB as the roller wrote them: final hours with charges, episodes and starved segments, as memory holds them', async () => {
    const [a, b] = await both((r) => r.lossHours(line.id, 'S02', START - HOUR, START + 7 * HOUR));
    expect(b).toEqual(a);
    const finals = a.filter((h) => h.status === 'final');
    expect(finals.length).toBeGreaterThan(2);
    expect(finals.some((h) => h.charges.some((c) => c.episodes.length > 0 && c.episodes.some((e) => e.constraint !== null)))).toBe(true);
    const [la, lb] = await both((r) => r.lossLineHours(line.id, START - HOUR, START + 7 * HOUR));
    expect(lb).toEqual(la);
    expect(la.filter((h) => h.status === 'final').every((h) => h.known)).toBe(true);
  });
});

describe('single-row reads asked together', () => {
  it('travel in one request and answer each what it asks alone', async () => {
    const statements: string[] = [];
    const batched = influxReads({ query: (q) => (statements.push(q), influx.query(q)) });
    // Every hour of the run and the empty ones around it: counts, first and last units, orders, some with nothing to find.
    const asks = Array.from({ length: 14 }, (_, h) => START + (h - 3) * HOUR);
    const together = await Promise.all(
      asks.flatMap((a) => [
        batched.countUnits([line.id], a, a + HOUR),
        batched.firstUnitAt(line.id, a, a + HOUR - 1),
        batched.lastUnitAt(line.id, a, a + HOUR - 1),
        batched.latestOrders(a, 2 * 24 * HOUR),
      ]),
    );
    const requests = statements.length;
    const alone: unknown[] = [];
    for (const a of asks) {
      alone.push(await influx.reads.countUnits([line.id], a, a + HOUR), await influx.reads.firstUnitAt(line.id, a, a + HOUR - 1));
      alone.push(await influx.reads.lastUnitAt(line.id, a, a + HOUR - 1), await influx.reads.latestOrders(a, 2 * 24 * HOUR));
    }
    expect(together).toEqual(alone);
    expect(together.filter((x) => x === null).length).toBeGreaterThan(4);
    expect(together.filter((x) => typeof x === 'number' && x > 0).length).toBeGreaterThan(20);
    // 56 statements, at most 24 a request.
    expect(requests).toBe(3);
    expect(statements[0]?.split('; ')).toHaveLength(24);
  });
});

describe('the data is really there', () => {
  it('the simulated run stored units, cycles and states, and a repeat counts once', async () => {
    const { events: e } = await influx.reads.lineEvents(line, START, START + 6 * HOUR);
    expect(e.filter((x) => x.type === 'unit').length).toBeGreaterThan(50);
    expect(e.filter((x) => x.type === 'cycle').length).toBeGreaterThan(500);
    expect(e.filter((x) => x.type === 'unit' && x.unit === 'REP1')).toHaveLength(1);
    await expect(memory.query('SELECT 1')).rejects.toMatchObject({ code: 'influx_query_failed' });
  });
});
