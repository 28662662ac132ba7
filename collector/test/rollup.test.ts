/**
 * Rollups against the raw computation, through a real influxd: every shipped
 * scenario runs for 30 simulated hours on its own line, the roller's
 * start-up backfill summarises the closed hours, and the long-range reads
 * (summaries of whole hours, raw events at the edges) must equal the raw
 * reads: unit counts, cycle counts, min, max, takt compliance and state
 * seconds exactly, percentiles within half a bucket. Then the properties the
 * roller promises: rolling again writes no second point, a late event
 * re-rolls its hour, a restart rolls what is missing or out of date.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent, UnitDefectEvent } from '../../core/events';
import { withPeoplesDefects } from '../../core/reasons/defects';
import { CYCLE_PERCENTILE_ERROR_SECONDS } from '../../core/kpi/hour-summary';
import { stateTimeline, timeInStates } from '../../core/kpi/states';
import { taktTargetSeconds } from '../../core/kpi/throughput';
import type { LineConfig, PlantConfig } from '../../core/plant';
import { startOfLocalHour } from '../../core/time/zone';
import { Line } from '../../simulator/model/line';
import { loadScenario } from '../../simulator/model/scenario';
import { computeLineKpis, type LineKpis } from '../../core/kpi/line-kpis';
import { constraintMicroErrorSeconds } from '../../core/kpi/loss-rollup';
import { computeLosses, DEFAULT_LOSS_OPTIONS, intervalConstraint, microStopCap, type LossAnalysis } from '../../core/loss/waterfall';
import type { LossReport } from '../../core/loss/types';
import { lineCalendar, plannedIntervals, productionDay } from '../../core/calendar/calendar';
import { rawBucketTimeline } from './support/loss-buckets';
import { DEFAULT_SHIFT_PATTERN } from '../../core/calendar/reference';
import { localDayOf, mergeDay } from '../../core/kpi/day-rollup';
import { localTime } from '../../core/time/civil';
import { trendBuckets, trendPoint } from '../../core/kpi/trend';
import { deliveredUnits, hourlyUnits, longCycleStats, longLineKpis, longLosses, rollupPlan } from '../history/long-range';
import { trendAnswer } from '../history/trend-route';
import { TrendPointMemo } from '../history/trend-memo';
import type { EventReads } from '../influx/reads';
import { connectInflux, type EventStore } from '../influx/store';
import { MonthRollups, writingThrough } from '../rollup/month-cache';
import { HourRoller } from '../rollup/roller';
import { startTestInfluxd, type TestInfluxd } from './support/influxd';
import { oneShiftPlant } from './support/plant';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
/**
 * From 06:00 (21:00 for the night shift) on day 1 to past 06:00 (22:00) of day 3: one whole production day
 * (06:00 to 06:00, the line's dayStart), summarised as a day.
 */
const HOURS = 50;
const SCENARIOS = readdirSync(new URL('../../simulator/scenarios/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

interface Run {
  line: LineConfig;
  start: number;
  events: StationEvent[];
}

const runs: Run[] = [];
let influxd: TestInfluxd;
let store: EventStore;
let plant: PlantConfig;
const backfillLog: string[] = [];
let backfilled = 0;
const lineNow = (run: Run) => run.start + HOURS * HOUR + 10 * 60_000;

beforeAll(async () => {
  influxd = await startTestInfluxd();
  store = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'taktline' });
  for (const name of SCENARIOS) {
    // Each scenario on its own line, so one database holds them all.
    const scenario = { ...loadScenario(name), line: name.replace(/[^A-Za-z0-9]/g, '') };
    const start = Date.parse(scenario.start);
    const events: StationEvent[] = [];
    new Line({ scenario, seed: 11, startMs: start, runId: `rollup-${name}`, emit: (e) => events.push(e) }).runUntil(HOURS * 3600);
    const line: LineConfig = {
      id: scenario.line,
      name: { zh: name, en: name },
      timeZone: scenario.timeZone,
      targetPerHour: scenario.targetPerHour,
      stations: scenario.stations.map((s) => ({ id: s.id, name: { zh: s.id, en: s.id } })),
    };
    for (let i = 0; i < events.length; i += 10_000) await store.write(events.slice(i, i + 10_000));
    runs.push({ line, start, events });
  }
  plant = { name: { zh: 'rollup', en: 'rollup' }, lines: runs.map((r) => r.line) };
  const roller = new HourRoller({ store, plant, lineNow: (id) => lineNow(runs.find((r) => r.line.id === id) as Run), log: (m) => backfillLog.push(m), backfillStepHours: 12 });
  backfilled = await roller.backfill();
}, 240_000);

afterAll(async () => {
  await influxd?.dispose();
});

/** An interval with partial hours at both ends. */
const interval = (run: Run): [number, number] => [run.start + 17 * 60_000 + 431, run.start + (HOURS - 1) * HOUR + 5 * 60_000];

describe('the start-up backfill', () => {
  it('rolled every closed hour of every line and logged its progress', () => {
    expect(backfilled).toBe(runs.length * HOURS);
    expect(backfillLog.filter((m) => m.includes('checked')).length).toBeGreaterThanOrEqual(runs.length * 3);
    expect(backfillLog.at(-1)).toMatch(new RegExp(`checked \\d+ of \\d+ days, ${HOURS} hours rolled`));
  });
});

describe.each(SCENARIOS)('rollups equal the raw computation (%s)', (name) => {
  const run = () => runs[SCENARIOS.indexOf(name)] as Run;

  it('reads the whole production day from its day summary, the other whole hours from theirs, and only the edges raw', async () => {
    const [from, to] = interval(run());
    const plan = await rollupPlan(store.reads, run().line, from, to);
    const days = plan.rollups.filter((r) => r.end - r.start > HOUR);
    expect(days).toHaveLength(1);
    // The production day, dayStart to dayStart, not local midnight to midnight: a trend's day bucket is one summary.
    const day = productionDay(lineCalendar(run().line), run().start + 30 * HOUR);
    expect(days.map((d) => [d.start, d.end])).toEqual([[day.start, day.end]]);
    expect(plan.rollups.length).toBe(HOURS - 2 - 23);
    expect(plan.raw).toHaveLength(2);
    // Without day summaries, every whole hour.
    expect((await rollupPlan(store.reads, run().line, from, to, 'stations', false)).rollups.length).toBe(HOURS - 2);
  });

  it('hourly units and good units are exactly the raw counts', async () => {
    const [from, to] = interval(run());
    const combined = await hourlyUnits(store.reads, run().line, from, to);
    const raw = new Map((await store.reads.unitBuckets(run().line, from, to, 60)).map((b) => [b.start, { units: b.units, good: b.good }]));
    expect(combined).toEqual(raw);
    expect([...raw.values()].reduce((n, b) => n + b.units, 0)).toBeGreaterThan(100);
  });

  it('cycle counts, min, max and takt compliance are exact; percentiles within half a bucket', async () => {
    const [from, to] = interval(run());
    const takt = taktTargetSeconds(run().line.targetPerHour);
    const combined = await longCycleStats(store.reads, run().line, from, to, takt);
    const raw = await store.reads.cycleStats(run().line, from, to, takt);
    expect([...combined.keys()].sort()).toEqual([...raw.keys()].sort());
    for (const [station, r] of raw) {
      const c = combined.get(station);
      expect(c, station).toBeDefined();
      if (!c) continue;
      expect({ count: c.count, min: c.min, max: c.max, withinTakt: c.withinTakt }).toEqual({ count: r.count, min: r.min, max: r.max, withinTakt: r.withinTakt });
      expect(c.mean).toBeCloseTo(r.mean ?? Number.NaN, 9);
      for (const p of ['p10', 'p50', 'p90'] as const) {
        expect(Math.abs((c[p] ?? Number.NaN) - (r[p] ?? Number.NaN)), `${station} ${p}`).toBeLessThanOrEqual(CYCLE_PERCENTILE_ERROR_SECONDS + 1e-9);
      }
    }
  });

  it('seconds in each state per station add up to the raw timeline', async () => {
    const r = run();
    const from = r.start + HOUR;
    const to = r.start + (HOURS - 1) * HOUR;
    const rollups = await store.reads.rollups(r.line.id, from, to);
    expect(rollups).toHaveLength(HOURS - 2);
    const { events, initialStates } = await store.reads.lineEvents(r.line, from, to, ['state']);
    for (const station of r.line.stations) {
      const own = events.filter((e) => e.type === 'state' && e.station === station.id).sort((a, b) => a.ts - b.ts);
      const raw = timeInStates(stateTimeline(own as never, from, to, initialStates[station.id]));
      const summed = Object.fromEntries(Object.keys(raw).map((k) => [k, 0])) as Record<string, number>;
      for (const h of rollups) {
        const s = h.stations.find((x) => x.station === station.id);
        for (const [k, v] of Object.entries(s?.stateSeconds ?? {})) summed[k] = (summed[k] ?? 0) + v;
      }
      // Milliseconds exactly: the sums differ only by float rounding far below a millisecond.
      for (const [k, v] of Object.entries(raw)) expect(Math.round((summed[k] ?? 0) * 1000), `${station.id} ${k}`).toBe(Math.round(v * 1000));
    }
  });
});

/** Fields a cycle-time summary gives within half a bucket; every other number must match to float rounding. */
const PERCENTILE_KEYS = new Set(['p50Seconds', 'p90Seconds']);

/** Paths where `a` and `b` differ: numbers beyond float rounding (percentiles beyond half a bucket), anything else by value. */
function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    const key = path.slice(path.lastIndexOf('.') + 1);
    const tolerance = PERCENTILE_KEYS.has(key) ? CYCLE_PERCENTILE_ERROR_SECONDS + 1e-9 : 1e-6 * Math.max(1, Math.abs(b));
    if (Math.abs(a - b) > tolerance) out.push(`${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    else a.forEach((x, i) => differences(x, b[i], `${path}[${i}]`, out));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

async function rawKpis(run: Run, from: number, to: number, now: number): Promise<LineKpis> {
  const { events, initialStates } = await store.reads.lineEvents(run.line, from, Math.min(to, now + 1));
  return computeLineKpis({ line: run.line, events, from, to, now, initialStates });
}

describe.each(SCENARIOS)('KPIs and the downtime Pareto over rollups equal the raw computation (%s)', (name) => {
  const run = () => runs[SCENARIOS.indexOf(name)] as Run;

  it('every KPI, station figure, fault episode, hour and Pareto item, with the interval closed', async () => {
    const [from, to] = interval(run());
    const now = lineNow(run());
    const combined = await longLineKpis(store.reads, run().line, from, to, now);
    const raw = await rawKpis(run(), from, to, now);
    expect(differences(combined, raw)).toEqual([]);
    // The comparison has something to compare: units, cycles, faults and downtime items.
    expect(raw.inputs.counts.units).toBeGreaterThan(100);
    expect(raw.inputs.counts.cycles).toBeGreaterThan(1000);
    expect(raw.downtime.items.length).toBeGreaterThan(0);
    expect(raw.stations.some((s) => s.reliability.failures > 0)).toBe(true);
  });

  it('trend days, their rollups read once for the range and states only at the stored pieces’ edges, equal each day computed raw', async () => {
    const [from, to] = interval(run());
    const now = lineNow(run());
    const asked = new Map<string, number>();
    let stateMs = 0;
    const counted: EventReads = {
      ...store.reads,
      rollups: (...args) => (asked.set('rollups', (asked.get('rollups') ?? 0) + 1), store.reads.rollups(...args)),
      shiftingHours: (...args) => (asked.set('shifting', (asked.get('shifting') ?? 0) + 1), store.reads.shiftingHours(...args)),
      lineEvents: (line, a, b, kinds) => {
        if (kinds?.length === 1 && kinds[0] === 'state') {
          asked.set('states', (asked.get('states') ?? 0) + 1);
          stateMs += b - a;
        }
        return store.reads.lineEvents(line, a, b, kinds);
      },
    };
    const trend = await trendAnswer({ store: { ...store, reads: counted }, plant, lineNow: () => now }, { line: run().line, from, to, now, label: 'custom' }, 'day');
    const spans = trendBuckets(lineCalendar(run().line), from, to, 'day');
    expect(trend.points.map((p) => [p.start, p.end])).toEqual(spans.map((s) => [s.start, s.end]));
    for (const [i, span] of spans.entries()) {
      expect(differences(trend.points[i], trendPoint(await rawKpis(run(), span.start, span.end, now))), `day ${i}`).toEqual([]);
    }
    // Three buckets, one plan: the day, the hours either side of it and the hourly table's hours. The shifting
    // pieces once (twice: with and without the rows' stations); the states only around the buckets' edges, each bucket's at most one read each side.
    expect(asked.get('rollups')).toBeLessThanOrEqual(4);
    expect(asked.get('shifting')).toBeLessThanOrEqual(2);
    expect(asked.get('states')).toBeLessThanOrEqual(2 * spans.length);
    // (night-shift's stations sit offline, an active state, for hours between its shifts: its windows are that long, its edges most of the range.)
    if (name !== 'night-shift') expect(stateMs).toBeLessThan((to - from) / 2);
    expect(trend.points.reduce((n, p) => n + p.units, 0)).toBeGreaterThan(100);
  });

  it('the same while the interval is still open (now inside it, an hour not rolled yet)', async () => {
    const [from, to] = interval(run());
    const now = to - 3 * HOUR + 7 * 60_000 + 3;
    const combined = await longLineKpis(store.reads, run().line, from, to, now);
    const raw = await rawKpis(run(), from, to, now);
    expect(differences(combined, raw)).toEqual([]);
    expect(raw.hourly.some((h) => h.status === 'current')).toBe(true);
  });
});

/** The terms of a report by cause (kind, station, partner, state, reason). */
function terms(report: LossReport): Map<string, LossReport['losses'][number]> {
  return new Map(report.losses.map((l) => [JSON.stringify([l.cause.kind, l.cause.station ?? '', l.cause.partner ?? '', l.cause.state ?? '', l.cause.reason ?? '']), l]));
}

const units = (report: LossReport, kind: string) => report.losses.filter((l) => l.cause.kind === kind).reduce((s, l) => s + l.units, 0);

/**
 * The bound on the speed / micro-stop split (docs/performance.md), units: the
 * long read takes the constraint's productive cycles from 0.1 s buckets and
 * the micro-stop cap from a summary median, each cycle's share within
 * constraintMicroErrorSeconds of the raw one, and only cycles at or over the
 * cap less that much have a share. Counted here from the raw cycles (all of
 * the constraint's: a superset of its productive ones), plus a thousandth for
 * each term's rounding.
 */
function splitBound(analysis: LossAnalysis, events: readonly StationEvent[], run: Run, from: number, end: number): number {
  const constraint = intervalConstraint(run.line, analysis.bottleneck);
  const ideal = taktTargetSeconds(run.line.targetPerHour);
  const times = events
    .filter((e): e is Extract<StationEvent, { type: 'cycle' }> => e.type === 'cycle' && e.station === constraint && e.ts >= from && e.ts < end)
    .map((c) => c.cycleTime)
    .sort((x, y) => x - y);
  const cap = microStopCap(times, ideal, DEFAULT_LOSS_OPTIONS.microStopFactor);
  const err = constraintMicroErrorSeconds(DEFAULT_LOSS_OPTIONS.microStopFactor);
  return (times.filter((t) => t >= cap - err).length * err) / ideal + 0.001;
}

async function bothLosses(run: Run, from: number, to: number, now: number) {
  const end = Math.min(to, now + 1);
  const partnerEvents = await store.reads.partnerEvents(from - 86_400_000, end);
  const combined = await longLosses(store.reads, run.line, from, to, now, 'custom', { partnerEvents });
  const { events, initialStates } = await store.reads.lineEvents(run.line, from, end, ['state', 'unit', 'cycle']);
  const analysis = computeLosses({ line: run.line, events: [...events, ...partnerEvents], from, to, now, initialStates });
  return { combined, raw: analysis.report, analysis, bound: splitBound(analysis, events, run, from, end) };
}

describe.each(SCENARIOS)('the loss waterfall from rollups against the raw waterfall (%s)', (name) => {
  const run = () => runs[SCENARIOS.indexOf(name)] as Run;

  it.each([
    ['closed', (r: Run) => lineNow(r)],
    ['still open (now inside, an hour not rolled yet)', (r: Run) => interval(r)[1] - 3 * HOUR + 7 * 60_000 + 3],
  ])('%s: one attribution — time terms, episodes, bottleneck and shortages exactly, the speed / micro-stop split within the stated bound', async (_label, nowOf) => {
    const [from, to] = interval(run());
    // The long read takes the whole day from its summary: every station's productive cycles as a possible constraint are there.
    const day = (await rollupPlan(store.reads, run().line, from, to, 'losses')).rollups.find((r) => r.end - r.start > HOUR);
    expect(day).toBeDefined();
    for (const s of run().line.stations) {
      const rows = await store.reads.constraintRollups(run().line.id, s.id, day?.start ?? 0, day?.end ?? 0, 'day');
      expect(rows.get(day?.start ?? 0)?.asConstraint).toBeTruthy();
    }
    const { combined, raw, analysis, bound } = await bothLosses(run(), from, to, nowOf(run()));
    expect(combined.status).toBe(raw.status);
    expect(combined.planUnits).toBe(raw.planUnits);
    expect(combined.goodUnits).toBe(raw.goodUnits);
    expect(combined.qualityByDefect).toEqual(raw.qualityByDefect);
    // The shares exactly; the timeline by hour, each hour's station by the whole range's ms in it.
    expect(combined.bottleneck.stations).toEqual(raw.bottleneck.stations);
    expect(combined.bottleneck.resolution).toBe('hour');
    const planned = plannedIntervals(lineCalendar(run().line), from, analysis.asOf);
    expect(combined.bottleneck.timeline).toEqual(rawBucketTimeline(analysis.timelines, planned, { start: from, end: analysis.asOf }, run().line.timeZone, 'hour'));
    expect(combined.bottleneck.timeline.length).toBeGreaterThan(0);
    expect(combined.shortages).toEqual(raw.shortages);
    // Every time term to the thousandth of a unit, its seconds and its episodes: the same constraint, the same charges.
    const timeKinds = new Set(['downtime', 'starved', 'blocked', 'no_data', 'quality']);
    const timeTerms = (r: LossReport) => [...terms(r)].filter(([, l]) => timeKinds.has(l.cause.kind)).sort(([x], [y]) => x.localeCompare(y));
    expect(timeTerms(combined)).toEqual(timeTerms(raw));
    expect(timeTerms(raw).length).toBeGreaterThan(0);
    // Productive time is exact, so speed + micro-stops + unexplained is; speed and micro-stops each within the bound.
    const productive = (r: LossReport) => units(r, 'speed') + units(r, 'microstop') + units(r, 'unexplained');
    expect(Math.abs(productive(combined) - productive(raw))).toBeLessThan(1e-9);
    const speedGap = Math.abs(units(combined, 'speed') - units(raw, 'speed'));
    const microGap = Math.abs(units(combined, 'microstop') - units(raw, 'microstop'));
    expect(speedGap).toBeLessThanOrEqual(bound);
    expect(microGap).toBeLessThanOrEqual(bound);
    expect(Math.abs(units(combined, 'unexplained') - units(raw, 'unexplained'))).toBeLessThanOrEqual(0.002);
    const sum = combined.losses.reduce((s, l) => s + l.units, 0);
    expect(sum).toBeCloseTo(combined.planUnits - combined.goodUnits, 9);
    console.log(`${name} (${_label}): plan ${raw.planUnits}, speed ${units(raw, 'speed').toFixed(3)} vs ${units(combined, 'speed').toFixed(3)}, micro ${units(raw, 'microstop').toFixed(3)} vs ${units(combined, 'microstop').toFixed(3)} (bound ${bound.toFixed(3)})`);
  });
});

describe('people’s defect codes in the long loss read', () => {
  it('go on the nok units and cycles that came without one, as on the raw path', async () => {
    const run = runs.find((r) => r.events.some((e) => e.type === 'unit' && e.result === 'nok' && e.defect === undefined)) as Run;
    const [from, to] = interval(run);
    const now = lineNow(run);
    const nok = run.events.filter((e) => (e.type === 'unit' || e.type === 'cycle') && e.result === 'nok' && e.defect === undefined && e.unit !== undefined && e.ts >= from && e.ts < to);
    const unitNok = nok.filter((e) => e.type === 'unit').slice(0, 2);
    const cycleNok = nok.filter((e) => e.type === 'cycle').slice(0, 1);
    expect(unitNok.length).toBeGreaterThan(0);
    const defects: UnitDefectEvent[] = [...unitNok, ...cycleNok].map((e, i) => ({
      type: 'unit_defect',
      ts: now - 1000 + i,
      id: `people-${i}`,
      line: run.line.id,
      unit: (e as { unit: string }).unit,
      ...(e.type === 'cycle' ? { station: e.station } : {}),
      defect: i === 0 ? 'SCRATCH' : 'DENT',
      actorKind: 'person',
      actorId: 'qa1',
      actorName: 'QA',
      role: 'team_leader',
    }));
    const end = Math.min(to, now + 1);
    const combined = await longLosses(store.reads, run.line, from, to, now, 'custom', { partnerEvents: [], unitDefects: defects });
    const { events, initialStates } = await store.reads.lineEvents(run.line, from, end, ['state', 'unit', 'cycle']);
    const raw = computeLosses({ line: run.line, events: withPeoplesDefects(events, defects), from, to, now, initialStates }).report;
    expect(combined.qualityByDefect).toEqual(raw.qualityByDefect);
    expect(raw.qualityByDefect?.some((q) => q.defect === 'SCRATCH')).toBe(true);
  });
});

describe('the roller', () => {
  const rollupPoints = async (line: string) => Number((await influxd.query(`SELECT count("units") AS "n" FROM "rollup_hour" WHERE "line" = '${line}'`))[0]?.n ?? 0);

  it('rolling an hour again overwrites it: no second point', async () => {
    const run = runs[0] as Run;
    const before = await rollupPoints(run.line.id);
    const roller = new HourRoller({ store, plant, lineNow: () => lineNow(run), log: () => undefined });
    roller.stored(run.events.slice(0, 2000));
    await roller.tick();
    expect(await rollupPoints(run.line.id)).toBe(before);
    expect(before).toBe(HOURS);
  });

  it('a late event re-rolls the hour it lands in, and its day', async () => {
    const run = runs[1] as Run;
    const hour = run.start + 20 * HOUR;
    const late: StationEvent = { type: 'unit', ts: hour + 1234, line: run.line.id, unit: 'LATE-0001', result: 'nok' };
    const [before] = await store.reads.rollups(run.line.id, hour, hour + HOUR);
    const roller = new HourRoller({ store, plant, lineNow: () => lineNow(run), log: () => undefined });
    await store.write([late]);
    roller.stored([late]);
    expect(await roller.tick()).toBeGreaterThanOrEqual(1);
    const [after] = await store.reads.rollups(run.line.id, hour, hour + HOUR);
    expect(after?.units).toBe((before?.units ?? 0) + 1);
    expect(after?.goodUnits).toBe(before?.goodUnits);
    const [from, to] = interval(run);
    const raw = new Map((await store.reads.unitBuckets(run.line, from, to, 60)).map((b) => [b.start, { units: b.units, good: b.good }]));
    expect(await hourlyUnits(store.reads, run.line, from, to)).toEqual(raw);
    // The day summary holds it too: the KPIs over the range (read through the day) still equal the raw ones.
    expect(differences(await longLineKpis(store.reads, run.line, from, to, lineNow(run)), await rawKpis(run, from, to, lineNow(run)))).toEqual([]);
  });

  it('a restart rolls the hours that are missing or out of date, and only those', async () => {
    const run = runs[2] as Run;
    // Two hours lost (as if the collector stopped before rolling them) and an event stored behind the roller's back.
    await influxd.query(`DELETE FROM "rollup_hour" WHERE "line" = '${run.line.id}' AND time >= ${run.start + 10 * HOUR}ms AND time < ${run.start + 12 * HOUR}ms`);
    expect(await rollupPoints(run.line.id)).toBe(HOURS - 2);
    await store.write([{ type: 'cycle', ts: run.start + 20 * HOUR + 99, line: run.line.id, station: run.line.stations[0]?.id ?? 'S01', cycleTime: 7.25 }]);
    const log: string[] = [];
    const restarted = new HourRoller({ store, plant: { ...plant, lines: [run.line] }, lineNow: () => lineNow(run), log: (m) => log.push(m) });
    expect(await restarted.backfill()).toBe(3);
    expect(await rollupPoints(run.line.id)).toBe(HOURS);
    expect(log.filter((m) => m.includes('rollups of line')).at(-1)).toMatch(/3 hours rolled/);
    const [from, to] = interval(run);
    const takt = taktTargetSeconds(run.line.targetPerHour);
    const station = run.line.stations[0]?.id ?? 'S01';
    const combined = (await longCycleStats(store.reads, run.line, from, to, takt)).get(station);
    const raw = (await store.reads.cycleStats(run.line, from, to, takt)).get(station);
    expect(combined?.count).toBe(raw?.count);
    expect(combined?.min).toBe(7.25);
  });
});

describe('day summaries follow the production day', () => {
  const run = () => runs[3] as Run;

  it('a day summary built for another dayStart (local midnight) is not read: the answers stay the raw ones', async () => {
    const r = run();
    const [from, to] = interval(r);
    const now = lineNow(r);
    // As the roller built it when the line's day started at midnight: day 2, 00:00 to 00:00, from its hours.
    const midnight = localDayOf(r.start + 30 * HOUR, r.line.timeZone);
    const [hours, losses] = await Promise.all([store.reads.rollups(r.line.id, midnight.start, midnight.end), store.reads.rollups(r.line.id, midnight.start, midnight.end, 'losses')]);
    for (const h of hours) h.losses = losses.find((l) => l.start === h.start)?.losses ?? null;
    const stale = mergeDay(r.line.id, midnight, hours);
    expect(stale).not.toBeNull();
    await store.writeRollups([stale as NonNullable<typeof stale>], 'day');
    expect(await store.reads.rollups(r.line.id, from, to, 'line', 'day')).toHaveLength(2);

    const plan = await rollupPlan(store.reads, r.line, from, to);
    const day = productionDay(lineCalendar(r.line), r.start + 30 * HOUR);
    expect(plan.rollups.filter((x) => x.end - x.start > HOUR).map((x) => [x.start, x.end])).toEqual([[day.start, day.end]]);
    expect(differences(await longLineKpis(store.reads, r.line, from, to, now), await rawKpis(r, from, to, now))).toEqual([]);

    // dayStart moved to 07:00 and the days not built again yet: no stored day is a production day, every hour is read.
    const moved: LineConfig = { ...r.line, calendar: { ...DEFAULT_SHIFT_PATTERN, dayStart: '07:00' } };
    const hoursOnly = await rollupPlan(store.reads, moved, from, to);
    expect(hoursOnly.rollups.every((x) => x.end - x.start === HOUR)).toBe(true);
    expect(hoursOnly.rollups).toHaveLength(HOURS - 2);
    const takt = taktTargetSeconds(r.line.targetPerHour);
    const rawCycles = await store.reads.cycleStats(r.line, from, to, takt);
    const cyclesOf = (m: Map<string, { count: number; min: number | null; max: number | null; withinTakt: number }>) =>
      [...m].map(([st, c]) => [st, c.count, c.min, c.max, c.withinTakt]).sort();
    expect(cyclesOf(await longCycleStats(store.reads, moved, from, to, takt))).toEqual(cyclesOf(rawCycles));

    // The start-up check builds the days on the new dayStart; they are read again, with the same counts.
    await new HourRoller({ store, plant: { ...plant, lines: [moved] }, lineNow: () => now, log: () => undefined }).backfill();
    const rebuilt = await rollupPlan(store.reads, moved, from, to);
    const movedDays = rebuilt.rollups.filter((x) => x.end - x.start > HOUR);
    expect(movedDays.length).toBeGreaterThanOrEqual(1);
    // 07:00 to 07:00 on the line's clock.
    for (const d of movedDays) expect([localTime(d.start, r.line.timeZone).minuteOfDay, localTime(d.end, r.line.timeZone).minuteOfDay]).toEqual([420, 420]);
    expect(cyclesOf(await longCycleStats(store.reads, moved, from, to, takt))).toEqual(cyclesOf(rawCycles));
  });
});

describe('the collector rolls up what it stores and answers long ranges from it', () => {
  let stack: Stack;
  const collectorPlant = oneShiftPlant({ timeZone: 'Asia/Kolkata', stations: ['S01', 'S02'] });
  const at = startOfLocalHour(Date.now(), 'Asia/Kolkata') - 5 * HOUR;

  beforeAll(async () => {
    stack = await startStack({ config: { plant: collectorPlant } });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('an event posted into a closed hour is rolled, and a 90-day cycles request reads it through the summary', async () => {
    const events = [
      ...Array.from({ length: 40 }, (_, i) => ({ type: 'cycle', ts: at + 17 * 60_000 + i * 60_000, line: 'A1', station: i % 2 ? 'S02' : 'S01', cycleTime: 100 + i })),
      { type: 'unit', ts: at + 30 * 60_000, line: 'A1', unit: 'ROLLED-1' },
    ];
    expect((await stack.postEvents(events)).status).toBe(200);
    // The collector's writer reported these to the roller once InfluxDB confirmed them; the roll is the 10 s timer's work, run now.
    await stack.app().roller.tick();
    const stored = Number((await stack.influxd.query(`SELECT sum("cycles") AS "n" FROM "rollup_hour" WHERE "line" = 'A1' AND time >= ${at}ms AND time < ${at + HOUR}ms`))[0]?.n);
    expect(stored).toBe(40);
    const to = startOfLocalHour(Date.now(), 'Asia/Kolkata');
    const res = await fetch(`${stack.baseUrl}/api/v1/history/cycles?line=A1&from=${to - 90 * 24 * HOUR}&to=${to}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stations: { station: string; count: number; min: number | null; max: number | null }[] };
    expect(body.stations.find((s) => s.station === 'S01')).toMatchObject({ count: 20, min: 100, max: 138 });
    // The summary is what answered: with it gone, the hour is read raw and says the same.
    await stack.influxd.query(`DELETE FROM "rollup_hour"`);
    const raw = (await (await fetch(`${stack.baseUrl}/api/v1/history/cycles?line=A1&from=${to - 90 * 24 * HOUR}&to=${to}`)).json()) as typeof body;
    expect(raw.stations).toEqual(body.stations);
  });

  it('takes 400 days of cycles and refuses more, with the reason', async () => {
    const to = Date.now();
    expect((await fetch(`${stack.baseUrl}/api/v1/history/cycles?line=A1&from=${to - 400 * 24 * HOUR}&to=${to}`)).status).toBe(200);
    const res = await fetch(`${stack.baseUrl}/api/v1/history/cycles?line=A1&from=${to - 401 * 24 * HOUR}&to=${to}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'range_too_long' } });
  });
});

describe('kept months: KPIs over a whole month kept in memory equal the raw computation, and a late event is seen', () => {
  const ZONE = 'Asia/Shanghai';
  const monthLine: LineConfig = {
    id: 'MONTHS',
    name: { zh: 'MONTHS', en: 'MONTHS' },
    timeZone: ZONE,
    targetPerHour: 3,
    stations: ['S01', 'S02', 'S03'].map((id) => ({ id, name: { zh: id, en: id } })),
  };
  const start = Date.parse('2026-10-27T00:00:00+08:00');
  const end = Date.parse('2026-12-03T00:00:00+08:00');
  const now = Date.parse('2026-12-03T10:00:00+08:00');
  /** 15 November: S03 runs all day, so a fault stored late there changes no other hour. */
  const quiet = { start: Date.parse('2026-11-15T00:00:00+08:00'), end: Date.parse('2026-11-16T00:00:00+08:00') };
  const from = Date.parse('2026-10-30T10:17:00.431+08:00');
  const to = Date.parse('2026-12-02T15:05:00+08:00');
  const monthPlant: PlantConfig = { name: { zh: 'm', en: 'm' }, lines: [monthLine] };
  let months: MonthRollups;
  let roller: HourRoller;

  /** A unit every 20 minutes, a cycle per station per unit, and now and then a fault, a starvation or a blocking. */
  function monthEvents(): StationEvent[] {
    let x = 2027;
    const rnd = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 4_294_967_296;
    };
    const out: StationEvent[] = monthLine.stations.map((s) => ({ type: 'state', ts: start, line: 'MONTHS', station: s.id, state: 'running' }));
    let n = 0;
    for (let t = start + 60_000; t < end; t += 1_200_000) {
      n += 1;
      monthLine.stations.forEach((s, i) => out.push({ type: 'cycle', ts: t - (3 - i) * 1000, line: 'MONTHS', station: s.id, cycleTime: 900 + rnd() * 500, unit: `M${n}` }));
      out.push({ type: 'unit', ts: t, line: 'MONTHS', unit: `M${n}`, result: rnd() < 0.05 ? 'nok' : 'ok' });
      if (rnd() < 0.08) {
        const station = monthLine.stations[Math.floor(rnd() * 3)]?.id ?? 'S01';
        if (station === 'S03' && t >= quiet.start - HOUR && t < quiet.end) continue;
        const kind = rnd();
        const state = kind < 0.5 ? 'fault' : kind < 0.75 ? 'starved' : 'blocked';
        out.push({ type: 'state', ts: t + 5, line: 'MONTHS', station, state, ...(state === 'fault' ? { reason: 'servo overload' } : {}) });
        out.push({ type: 'state', ts: t + 5 + 120_000 + Math.floor(rnd() * 900_000), line: 'MONTHS', station, state: 'running' });
      }
    }
    return out;
  }

  beforeAll(async () => {
    const events = monthEvents();
    for (let i = 0; i < events.length; i += 10_000) await store.write(events.slice(i, i + 10_000));
    months = new MonthRollups(store.reads);
    // Wired as the collector wires it (collector/app.ts): the roller writes through the kept months.
    roller = new HourRoller({ store: writingThrough(store, months), plant: monthPlant, lineNow: () => now, log: () => undefined });
    await roller.backfill();
  }, 240_000);

  const november = { start: Date.parse('2026-11-01T00:00:00+08:00'), end: Date.parse('2026-12-01T00:00:00+08:00') };
  const raw = async () => {
    const { events, initialStates } = await store.reads.lineEvents(monthLine, from, Math.min(to, now + 1));
    return computeLineKpis({ line: monthLine, events, from, to, now, initialStates });
  };

  it('November is read once, kept, and every KPI, hour, station figure and Pareto item equals the raw ones, cold and kept', async () => {
    const expected = await raw();
    const cold = await longLineKpis(store.reads, monthLine, from, to, now, undefined, { months });
    // One read of November: its summaries (and its state events, kept for the losses).
    expect(months.stats().misses).toBe(1);
    expect(await months.month(monthLine, november, taktTargetSeconds(monthLine.targetPerHour))).not.toBeNull();
    const hits = months.stats().hits;
    const kept = await longLineKpis(store.reads, monthLine, from, to, now, undefined, { months });
    // Once for its summaries (the shifting bottleneck comes from the stored hour pieces, not the month's state events).
    expect(months.stats()).toMatchObject({ misses: 1, hits: hits + 1 });
    expect(differences(cold, expected)).toEqual([]);
    expect(differences(kept, expected)).toEqual([]);
    // Something to compare: a month of units, faults with episodes, starvation and blocking in the timelines.
    expect(expected.inputs.counts.units).toBeGreaterThan(2000);
    expect(expected.downtime.items.length).toBeGreaterThan(0);
    expect(expected.stations.some((s) => s.reliability.failures > 10)).toBe(true);
    expect(expected.hourly.length).toBeGreaterThan(24 * 30);
    // The backlog's every unit delivered: November from memory, the rest counted, the same number.
    expect(months.keptBefore('MONTHS', now)).toHaveLength(1);
    expect(await deliveredUnits(store.reads, ['MONTHS'], now, months)).toBe(await store.reads.countUnits(['MONTHS'], null, now));
    expect(await deliveredUnits(store.reads, ['MONTHS'], november.end - 1, months)).toBe(await store.reads.countUnits(['MONTHS'], null, november.end - 1));
  });

  it('a late unit, cycle and fault in November, stored and rolled, drop the kept month: the KPIs still equal the raw ones', async () => {
    const before = await longLineKpis(store.reads, monthLine, from, to, now, undefined, { months });
    const deliveredBefore = await deliveredUnits(store.reads, ['MONTHS'], now, months);
    const at = Date.parse('2026-11-15T13:00:00+08:00');
    const late: StationEvent[] = [
      { type: 'unit', ts: at + 1234, line: 'MONTHS', unit: 'LATE-1', result: 'nok' },
      { type: 'cycle', ts: at + 2345, line: 'MONTHS', station: 'S02', cycleTime: 55.5 },
      { type: 'state', ts: at + 60_000, line: 'MONTHS', station: 'S03', state: 'fault', reason: 'late fault' },
      { type: 'state', ts: at + 1_260_000, line: 'MONTHS', station: 'S03', state: 'running' },
    ];
    await store.write(late);
    roller.stored(late);
    expect(await roller.tick()).toBeGreaterThanOrEqual(1);
    const after = await longLineKpis(store.reads, monthLine, from, to, now, undefined, { months });
    expect(differences(after, await raw())).toEqual([]);
    expect(after.inputs.counts.units).toBe(before.inputs.counts.units + 1);
    expect(after.stations.find((s) => s.station === 'S02')?.cycles.minSeconds).toBe(55.5);
    expect(after.downtime.items.some((i) => i.reason === 'late fault')).toBe(true);
    const delivered = await store.reads.countUnits(['MONTHS'], null, now);
    expect(months.keptBefore('MONTHS', now)).toHaveLength(1);
    expect(await deliveredUnits(store.reads, ['MONTHS'], now, months)).toBe(delivered);
    expect(delivered).toBe(deliveredBefore + 1);
  });

  it("trend weeks: closed weeks' points kept; a late unit and fault in one, stored, then rolled, drop its point, each time equal to the raw weeks", async () => {
    const memo = new TrendPointMemo();
    // Wired as the collector wires it (collector/app.ts): what drops a kept month drops the points it touches.
    months.onTouched((line, spans) => memo.touched(line, spans));
    const deps = { store, plant: monthPlant, lineNow: () => now, months, memo };
    const q = { line: monthLine, from, to, now, label: 'custom' };
    const rawWeeks = async () =>
      Promise.all(trendBuckets(lineCalendar(monthLine), from, to, 'week').map(async (s) => {
        const { events, initialStates } = await store.reads.lineEvents(monthLine, s.start, s.end);
        return trendPoint(computeLineKpis({ line: monthLine, events, from: s.start, to: s.end, now, initialStates }));
      }));
    const cold = await trendAnswer(deps, q, 'week');
    expect(differences(cold.points, await rawWeeks())).toEqual([]);
    // The whole weeks inside the range are kept; the partial ones at its edges are not.
    const whole = cold.points.length - 2;
    expect(whole).toBeGreaterThanOrEqual(4);
    expect(memo.stats().points).toBe(whole);
    const hits = memo.stats().hits;
    expect((await trendAnswer(deps, q, 'week')).points).toEqual(cold.points);
    expect(memo.stats().hits).toBe(hits + whole);

    // Late into the third whole week: a nok unit, and a fault of S03.
    const at = Date.parse('2026-11-18T11:00:00+08:00');
    const week = cold.points.findIndex((p) => p.start <= at && at < p.end);
    const late: StationEvent[] = [
      { type: 'unit', ts: at + 777, line: 'MONTHS', unit: 'LATE-TREND', result: 'nok' },
      { type: 'state', ts: at + 90_000, line: 'MONTHS', station: 'S03', state: 'fault', reason: 'late trend fault' },
      { type: 'state', ts: at + 2_000_000, line: 'MONTHS', station: 'S03', state: 'running' },
    ];
    await store.write(late);
    // As the collector's pipeline tells them once InfluxDB confirmed the write.
    roller.stored(late);
    months.stored(late);
    // Stored: the week's point is gone (its hour's summary is not rolled again yet, so it is computed, not kept, until then).
    expect(memo.stats().points).toBe(whole - 1);
    await trendAnswer(deps, q, 'week');
    expect(memo.stats().points).toBe(whole);
    // Rolled: the roller writes the hour's summary again through the kept months, which drops the point again
    // (and the shifting pieces it rolls again, those whose window meets the late states up to S03's next one
    // or now, drop the weeks they are in: a kept point never outlives a piece it was computed from).
    expect(await roller.tick()).toBeGreaterThanOrEqual(1);
    expect(memo.stats().points).toBeLessThanOrEqual(whole - 1);
    const rolled = await trendAnswer(deps, q, 'week');
    expect(differences(rolled.points, await rawWeeks())).toEqual([]);
    expect(rolled.points[week]?.units).toBe((cold.points[week]?.units ?? 0) + 1);
    expect(rolled.points[week]?.goodUnits).toBe(cold.points[week]?.goodUnits);
    expect(rolled.points[week]?.oee?.quality).toBeLessThan(cold.points[week]?.oee?.quality ?? Number.NaN);
    // Kept again, and still right.
    expect(memo.stats().points).toBe(whole);
    expect((await trendAnswer(deps, q, 'week')).points).toEqual(rolled.points);
  });
});
