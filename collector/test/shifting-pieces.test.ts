/**
 * The shifting-bottleneck hour pieces through a real influxd: the collector's roller (as app.ts
 * builds it, through the kept months' write-through store) backfills `shifting_hour` beside the
 * summaries, and the long KPI read, which takes the shifting bottleneck from those pieces and raw
 * state timelines at their edges, equals the raw computation over the range's events: with edges
 * between hours, while the range is open (pending hours near now), and with a small reach that
 * makes hours unrollable markers. A row rolled again as a marker after it was final (InfluxDB
 * merges fields, so the old `stations` stay) reads as a marker. The loss pieces rolled beside them
 * (`loss_hour`, `loss_line_hour`) give the long loss waterfall the raw one's time terms, episodes,
 * shortages and shares, and the timeline by hour (collector/test/loss-pieces.test.ts has the rest).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineCalendar, plannedIntervals } from '../../core/calendar/calendar';
import type { StationEvent } from '../../core/events';
import { computeLineKpis, shiftingOfStates } from '../../core/kpi/line-kpis';
import type { LineConfig } from '../../core/plant';
import { startOfLocalHour } from '../../core/time/zone';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine } from '../../simulator/model/scenario';
import { longLineKpis, longLosses, longShifting } from '../history/long-range';
import { computeLosses } from '../../core/loss/waterfall';
import type { LossReport } from '../../core/loss/types';
import { rawBucketTimeline } from './support/loss-buckets';
import { SHIFTING_VERSION } from '../influx/points';
import type { EventReads } from '../influx/reads';
import { connectInflux, type EventStore } from '../influx/store';
import { MonthRollups, writingThrough } from '../rollup/month-cache';
import { HourRoller } from '../rollup/roller';
import { startTestInfluxd, type TestInfluxd } from './support/influxd';

const MIN = 60_000;
const HOUR = 3_600_000;
const HOURS = 30;

interface Run {
  line: LineConfig;
  start: number;
  now: number;
  maxReachMs?: number;
}

let influxd: TestInfluxd;
let store: EventStore;
const log: string[] = [];
const runs: Run[] = [];

beforeAll(async () => {
  influxd = await startTestInfluxd();
  store = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'taktline' });
  for (const [name, id, maxReachMs] of [
    ['reference', 'REF', undefined],
    ['breakdowns', 'BRK', undefined],
    ['reference', 'SHORTREACH', 60 * MIN],
  ] as const) {
    const scenario = { ...loadScenario(name), line: id };
    const start = Date.parse(scenario.start);
    const events: StationEvent[] = [];
    new Line({ scenario, seed: 5, startMs: start, runId: `shifting-${id}`, emit: (e) => events.push(e) }).runUntil(HOURS * 3600);
    for (let i = 0; i < events.length; i += 10_000) await store.write(events.slice(i, i + 10_000));
    const run: Run = { line: scenarioLine(scenario), start, now: start + HOURS * HOUR + 4 * MIN, ...(maxReachMs ? { maxReachMs } : {}) };
    runs.push(run);
    const roller = new HourRoller({
      store: writingThrough(store, new MonthRollups(store.reads)),
      plant: { name: { zh: 'p', en: 'p' }, lines: [run.line] },
      lineNow: () => run.now,
      log: (m) => log.push(m),
      backfillStepHours: 12,
      ...(maxReachMs ? { shifting: { maxReachMs } } : {}),
    });
    await roller.backfill();
  }
}, 240_000);

afterAll(async () => {
  await influxd?.dispose();
});

/** Where two answers differ, numbers to a relative 1e-9 (float rounding of sums), everything else exactly. */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? [] : [`${path}: ${a} ≠ ${b}`];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
}

/** The store's reads, counting how many ms of raw state events were read alone (what the stored pieces spare). */
function countingStateReads(): { counting: EventReads; rawMs: () => number } {
  let ms = 0;
  const counting: EventReads = {
    ...store.reads,
    lineEvents: (l, a, b, kinds) => {
      if (kinds?.length === 1 && kinds[0] === 'state') ms += b - a;
      return store.reads.lineEvents(l, a, b, kinds);
    },
  };
  return { counting, rawMs: () => ms };
}

async function raw(run: Run, from: number, to: number, now: number) {
  const { events, initialStates } = await store.reads.lineEvents(run.line, from, Math.min(to, now + 1));
  return { kpis: computeLineKpis({ line: run.line, events, from, to, now, initialStates }), shifting: shiftingOfStates({ line: run.line, events, from, to, now, initialStates }) };
}

describe('shifting-bottleneck pieces stored in InfluxDB and read back by the long KPI read', () => {
  it('the backfill wrote one row per closed hour, through the collector’s store, and logged its progress', async () => {
    for (const run of runs) {
      const rows = await store.reads.shiftingHours(run.line.id, run.start, run.now);
      expect(rows.map((r) => r.start)).toEqual(Array.from({ length: HOURS }, (_, i) => startOfLocalHour(run.start, run.line.timeZone) + i * HOUR));
      expect(rows.every((r) => r.version === SHIFTING_VERSION)).toBe(true);
      const finals = rows.filter((r) => r.status === 'final');
      expect(finals.length).toBeGreaterThan(run.maxReachMs ? 0 : HOURS / 2);
      for (const r of finals) expect(r.stations.map((s) => s.station)).toEqual(run.line.stations.map((s) => s.id));
      expect(log.some((m) => m.includes(`shifting-bottleneck pieces of line ${run.line.id}: checked`))).toBe(true);
    }
    // The small reach leaves hours to markers.
    expect((await store.reads.shiftingHours('SHORTREACH', 0, Date.now() * 2)).some((r) => r.status === 'unrollable')).toBe(true);
  });

  it.each([0, 1, 2])('every KPI over a range with edges between hours equals the raw computation, closed and open (line %i)', async (i) => {
    const run = runs[i] as Run;
    const from = run.start + 17 * MIN + 431;
    const to = run.start + (HOURS - 1) * HOUR + 5 * MIN;
    for (const now of [run.now, to - 3 * HOUR + 7 * MIN + 3]) {
      const { counting, rawMs } = countingStateReads();
      const [long, truth] = await Promise.all([longLineKpis(counting, run.line, from, to, now), raw(run, from, to, now)]);
      // Durations from summed hours differ from the raw path's by float rounding only; the shifting shares not at all.
      expect(differences(long.bottleneck, truth.kpis.bottleneck)).toEqual([]);
      expect(differences(long.kpis, truth.kpis.kpis)).toEqual([]);
      expect(long.bottleneck.ranking.map((s) => [s.station, s.soleShare, s.shiftingShare])).toEqual(truth.kpis.bottleneck.ranking.map((s) => [s.station, s.soleShare, s.shiftingShare]));
      const asOf = Math.min(now, to);
      const shifting = await longShifting(store.reads, run.line, from, to, now, plannedIntervals(lineCalendar(run.line), from, asOf));
      expect(shifting).toEqual({ stations: truth.shifting.stations, plannedMs: truth.shifting.plannedMs });
      // The pieces stood for most of the range: far less than all of it was read raw.
      if (!run.maxReachMs) expect(rawMs() / (asOf - from)).toBeLessThan(0.5);
    }
  });

  it.each([0, 1])('the long loss waterfall from the stored loss pieces equals the raw one, reading little raw (line %i)', async (i) => {
    const run = runs[i] as Run;
    const from = run.start + 17 * MIN + 431;
    const to = run.start + (HOURS - 1) * HOUR + 5 * MIN;
    const now = run.now;
    const { counting, rawMs } = countingStateReads();
    const long = await longLosses(counting, run.line, from, to, now, 'custom', { partnerEvents: [], months: new MonthRollups(store.reads) });
    const { events, initialStates } = await store.reads.lineEvents(run.line, from, Math.min(to, now + 1), ['state', 'unit', 'cycle']);
    const truth = computeLosses({ line: run.line, events, from, to, now, initialStates });
    const timeKinds = new Set(['downtime', 'starved', 'blocked', 'no_data']);
    const timeTerms = (r: LossReport) => r.losses.filter((l) => timeKinds.has(l.cause.kind)).sort((x, y) => JSON.stringify(x.cause).localeCompare(JSON.stringify(y.cause)));
    expect(timeTerms(long)).toEqual(timeTerms(truth.report));
    expect(timeTerms(long).length).toBeGreaterThan(0);
    expect(long.shortages).toEqual(truth.report.shortages);
    expect(long.planUnits).toBe(truth.report.planUnits);
    expect(long.bottleneck.stations).toEqual(truth.report.bottleneck.stations);
    const asOf = Math.min(now, to);
    expect(long.bottleneck.timeline).toEqual(rawBucketTimeline(truth.timelines, plannedIntervals(lineCalendar(run.line), from, asOf), { start: from, end: asOf }, run.line.timeZone, 'hour'));
    // The stored pieces stood for most of the range (the shifting read and the loss read each read the edges).
    expect(rawMs() / (asOf - from)).toBeLessThan(0.5);
  });

  it('a final row rolled again as a marker reads as a marker, without its old stations', async () => {
    const run = runs[0] as Run;
    const [row] = (await store.reads.shiftingHours(run.line.id, run.start, run.now)).filter((r) => r.status === 'final');
    expect(row).toBeDefined();
    const final = row as NonNullable<typeof row>;
    await store.writeShiftingHours([{ ...final, status: 'unrollable', stations: [], plannedMs: 0 }]);
    const [back] = await store.reads.shiftingHours(run.line.id, final.start, final.start + 1);
    expect(back).toMatchObject({ status: 'unrollable', stations: [] });
    await store.writeShiftingHours([final]);
    expect((await store.reads.shiftingHours(run.line.id, final.start, final.start + 1))[0]).toEqual(final);
  });
});
