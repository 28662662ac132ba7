/**
 * The stored loss pieces (`loss_hour`, `loss_line_hour`) over the memory store, rolled by the
 * collector's HourRoller (summaries and shifting pieces beside them), and the long loss read from
 * them: the time terms, their episodes, the shortages, the plan, the good units and the shares equal
 * the raw waterfall over the whole range exactly, the timeline equals core's bucket rule over the raw
 * path's own ms per hour or day; with cuts at hour, day and week edges and mid-hour, closed and open.
 * Then the lifecycle: a late state event re-rolls, pending hours become final, a row of another
 * LOSS_VERSION is rolled again. Each test shows that the stored pieces stood for the range (little
 * read raw), so none passes by reading everything raw.
 */
import { describe, expect, it } from 'vitest';
import { lineCalendar, plannedIntervals } from '../../core/calendar/calendar';
import type { StateEvent, StationEvent } from '../../core/events';
import { localDayOf } from '../../core/kpi/day-rollup';
import type { LineConfig } from '../../core/plant';
import type { LossReport } from '../../core/loss/types';
import { computeLosses } from '../../core/loss/waterfall';
import { startOfLocalHour } from '../../core/time/zone';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine } from '../../simulator/model/scenario';
import { longLosses } from '../history/long-range';
import { memoryStore } from '../influx/memory-reads';
import { LOSS_VERSION } from '../influx/points';
import type { EventReads } from '../influx/reads';
import { MonthRollups, writingThrough } from '../rollup/month-cache';
import { HourRoller } from '../rollup/roller';
import { rawBucketTimeline } from './support/loss-buckets';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Sim {
  line: LineConfig;
  start: number;
  end: number;
  events: StationEvent[];
}

const sims = new Map<string, Sim>();
function simulate(name: string, hours: number): Sim {
  const key = `${name}|${hours}`;
  const hit = sims.get(key);
  if (hit) return hit;
  const scenario = loadScenario(name);
  const start = Date.parse(scenario.start);
  const events: StationEvent[] = [];
  new Line({ scenario, seed: 7, startMs: start, runId: `loss-${name}`, emit: (e) => events.push(e) }).runUntil(hours * 3600);
  const sim = { line: scenarioLine(scenario), start, end: start + hours * HOUR, events };
  sims.set(key, sim);
  return sim;
}

/** The store with the sim's events, rolled as app.ts rolls (the HourRoller through the kept months' write-through store) as of `now`. */
async function rolled(sim: Sim, now: number) {
  const store = memoryStore();
  await store.write(sim.events.filter((e) => e.ts <= now));
  const log: string[] = [];
  const roller = new HourRoller({
    store: writingThrough(store, new MonthRollups(store.reads)),
    plant: { name: { zh: 'p', en: 'p' }, lines: [sim.line] },
    lineNow: () => now,
    log: (m) => log.push(m),
    backfillStepHours: 24,
  });
  await roller.backfill();
  return { store, roller, log };
}

/** The long read and the raw waterfall over the store's events, and the share of the range whose states the long read read raw. */
async function compare(reads: EventReads, line: LineConfig, from: number, to: number, now: number, timelineByDayMs?: number) {
  let stateMs = 0;
  const counting: EventReads = {
    ...reads,
    lineEvents: (l, a, b, kinds) => {
      if (kinds?.length === 1 && kinds[0] === 'state') stateMs += b - a;
      return reads.lineEvents(l, a, b, kinds);
    },
  };
  const end = Math.min(to, now + 1);
  const partnerEvents = await reads.partnerEvents(from - DAY, end);
  const got = await longLosses(counting, line, from, to, now, 'custom', { partnerEvents, ...(timelineByDayMs !== undefined ? { timelineByDayMs } : {}) });
  const { events, initialStates } = await reads.lineEvents(line, from, end, ['state', 'unit', 'cycle']);
  const analysis = computeLosses({ line, events: [...events, ...partnerEvents], from, to, now, initialStates });
  const asOf = Math.min(Math.max(now, from), to);
  const resolution = to - from > (timelineByDayMs ?? 31 * DAY) ? 'day' : 'hour';
  const timeline = rawBucketTimeline(analysis.timelines, plannedIntervals(lineCalendar(line), from, asOf), { start: from, end: asOf }, line.timeZone, resolution);
  return { got, raw: analysis.report, timeline, resolution, rawShare: stateMs / (asOf - from) };
}

/** Time terms (every cause charged from time: to the thousandth, seconds, episodes) by cause. */
function timeTerms(r: LossReport) {
  const kinds = new Set(['downtime', 'starved', 'blocked', 'no_data']);
  return r.losses.filter((l) => kinds.has(l.cause.kind)).sort((x, y) => JSON.stringify(x.cause).localeCompare(JSON.stringify(y.cause)));
}

const units = (r: LossReport, kind: string) => r.losses.filter((l) => l.cause.kind === kind).reduce((s, l) => s + l.units, 0);

function expectSame(c: Awaited<ReturnType<typeof compare>>) {
  const { got, raw } = c;
  expect(got.status).toBe(raw.status);
  expect(got.planUnits).toBe(raw.planUnits);
  expect(got.goodUnits).toBe(raw.goodUnits);
  expect(timeTerms(got)).toEqual(timeTerms(raw));
  expect(got.shortages).toEqual(raw.shortages);
  expect(got.bottleneck.stations).toEqual(raw.bottleneck.stations);
  expect(got.bottleneck.resolution).toBe(c.resolution);
  expect(got.bottleneck.timeline).toEqual(c.timeline);
  // Productive time is exact, so speed + micro-stops + unexplained are (their split is the summaries', docs/performance.md).
  const productive = (r: LossReport) => units(r, 'speed') + units(r, 'microstop') + units(r, 'unexplained');
  expect(Math.abs(productive(got) - productive(raw))).toBeLessThan(1e-9);
}

describe('the long loss read from stored loss pieces equals the raw waterfall', () => {
  it.each(['reference', 'partner-shortage', 'breakdowns', 'bottleneck', 'night-shift'])('%s: cuts mid-hour and at hour and day edges, closed and open, reading little raw', async (name) => {
    const sim = simulate(name, 50);
    const now = sim.end + 4 * MIN;
    const { store } = await rolled(sim, now);
    const tz = sim.line.timeZone;
    const day = localDayOf(sim.start + 26 * HOUR, tz);
    const hour = startOfLocalHour(sim.start, tz) + 2 * HOUR;
    const ranges: [number, number, number][] = [
      [sim.start + 17 * MIN + 431, sim.end - HOUR + 5 * MIN, now],
      [hour, hour + 46 * HOUR, now],
      [day.start, day.end, now],
      // Open: now inside the range, its last hours not rolled or pending.
      [sim.start + 2 * HOUR + 59 * MIN, sim.end + HOUR, sim.end - 3 * HOUR + 7 * MIN + 3],
    ];
    let shortages = 0;
    let episodes = 0;
    let rawShare = Infinity;
    for (const [a, b, at] of ranges) {
      const c = await compare(store.reads, sim.line, a, b, at);
      expectSame(c);
      rawShare = Math.min(rawShare, c.rawShare);
      shortages += c.raw.shortages.length;
      episodes += timeTerms(c.raw).reduce((n, l) => n + l.episodes.length, 0);
    }
    // Not vacuous: the stored pieces stood for most of a range (night-shift's last 18 hours stay pending: a station's period runs up to now).
    expect(rawShare).toBeLessThan(0.5);
    expect(episodes).toBeGreaterThan(0);
    if (name === 'partner-shortage') expect(shortages).toBeGreaterThan(0);
  }, 120_000);

  it('over nine days: cuts at week edges, and the timeline by local day past the stated length', async () => {
    const sim = simulate('reference', 9 * 24);
    const now = sim.end + 4 * MIN;
    const { store } = await rolled(sim, now);
    const tz = sim.line.timeZone;
    const first = localDayOf(sim.start + 12 * HOUR, tz);
    // A week from local midnight to local midnight, and one from mid-hour to mid-hour.
    const week: [number, number] = [first.end, first.end + 7 * DAY];
    for (const [a, b, byDay] of [
      [week[0], week[1], undefined],
      [week[0], week[1], 2 * DAY],
      [sim.start + 7 * MIN + 3, sim.end - 3 * HOUR - 11 * MIN, 2 * DAY],
    ] as const) {
      const c = await compare(store.reads, sim.line, a, b, now, byDay);
      expectSame(c);
      expect(c.rawShare).toBeLessThan(0.2);
      if (byDay !== undefined) expect(c.got.bottleneck.timeline.every((s) => s.to - s.from >= HOUR || s.from === a || s.to === b || s.to === Math.min(b, now))).toBe(true);
    }
    // Every episode list is the raw path's top 50: the stored pieces kept enough.
    const c = await compare(store.reads, sim.line, week[0], week[1], now);
    expect(timeTerms(c.raw).some((l) => l.episodes.length === 50)).toBe(true);
  }, 240_000);
});

describe('the loss pieces’ lifecycle in the roller', () => {
  it('a late state event re-rolls the hours it changes: the read equals raw with it, and did not before the re-roll', async () => {
    const sim = simulate('reference', 50);
    const now = sim.end + 4 * MIN;
    const { store, roller } = await rolled(sim, now);
    const range: [number, number] = [sim.start + 29 * MIN, sim.end - HOUR - 3 * MIN];
    // A fault reported late in the middle of a running stretch of the constraint in planned time, long enough to matter.
    const c0 = await compare(store.reads, sim.line, ...range, now);
    const constraint = c0.raw.losses.find((l) => l.cause.kind === 'downtime')?.cause.station ?? (sim.line.stations[0]?.id as string);
    const planned = plannedIntervals(lineCalendar(sim.line), range[0] + 10 * HOUR, range[0] + 30 * HOUR);
    const p = planned.find((x) => x.end - x.start > 40 * MIN) as { start: number; end: number };
    const t = p.start + 7 * MIN + 123;
    const late: StateEvent[] = [
      { type: 'state', ts: t, line: sim.line.id, station: constraint, state: 'fault', reason: 'late-fault' },
      { type: 'state', ts: t + 15 * MIN, line: sim.line.id, station: constraint, state: 'running' },
    ];
    await store.write(late);
    const stale = await compare(store.reads, sim.line, ...range, now);
    expect(timeTerms(stale.raw)).not.toEqual(timeTerms(c0.raw));
    // Without the re-roll the stored pieces still say what they said before the event.
    expect(timeTerms(stale.got)).not.toEqual(timeTerms(stale.raw));
    roller.stored(late);
    await roller.tick();
    const fresh = await compare(store.reads, sim.line, ...range, now);
    expectSame(fresh);
    expect(fresh.raw.losses.some((l) => l.cause.reason === 'late-fault')).toBe(true);
    expect(fresh.rawShare).toBeLessThan(0.5);
  }, 120_000);

  it('hours rolled pending (their windows open at now) become final at a later tick, and the read equals raw then', async () => {
    const sim = simulate('reference', 50);
    // Just after an hour closed: its charge or shifting window still runs at now.
    let found: { store: Awaited<ReturnType<typeof rolled>>['store']; roller: HourRoller; pending: number[]; early: number } | null = null;
    for (let k = 3; k < 14 && found === null; k += 1) {
      const early = startOfLocalHour(sim.end - k * HOUR, sim.line.timeZone) + 20_000;
      const r = await rolled(sim, early);
      const pending = (await r.store.reads.lossLineHours(sim.line.id, sim.start - HOUR, early)).filter((x) => x.status === 'pending').map((x) => x.start);
      if (pending.length > 0) found = { ...r, pending, early };
    }
    expect(found).not.toBeNull();
    const { store, roller, pending, early } = found as NonNullable<typeof found>;
    // The rest of the events arrive; the pending hours are rolled again at the next tick.
    const rest = sim.events.filter((e) => e.ts > early);
    await store.write(rest);
    roller.stored(rest);
    const now = sim.end + 4 * MIN;
    const later = new HourRoller({ store, plant: { name: { zh: 'p', en: 'p' }, lines: [sim.line] }, lineNow: () => now, log: () => undefined });
    await later.backfill();
    const rows = new Map((await store.reads.lossLineHours(sim.line.id, sim.start - HOUR, now)).map((r) => [r.start, r]));
    for (const h of pending) expect(rows.get(h)?.status).toBe('final');
    expect((await store.reads.lossHours(sim.line.id, sim.line.stations[0]?.id as string, pending[0] as number, (pending[0] as number) + 1))[0]?.status).toBe('final');
    const c = await compare(store.reads, sim.line, sim.start + 31 * MIN, now, now);
    expectSame(c);
    void roller;
  }, 240_000);

  it('a row of another LOSS_VERSION is rolled again at start, and until then its hour is read raw', async () => {
    const sim = simulate('reference', 50);
    const now = sim.end + 4 * MIN;
    const { store } = await rolled(sim, now);
    const lines = [...store.events.lossLines.values()].filter((r) => r.status === 'final');
    const old = lines[10] as (typeof lines)[number];
    // The hour's line row of an older version over constraint rows with wrong numbers: read, they would change the answer.
    store.events.lossLines.set(`${old.line}|${old.start}`, { ...old, version: LOSS_VERSION - 1 });
    for (const [k, r] of store.events.losses) if (r.start === old.start) store.events.losses.set(k, { ...r, productiveMs: r.productiveMs + 600_000 });
    const range: [number, number] = [sim.start + 17 * MIN, sim.end - HOUR];
    expectSame(await compare(store.reads, sim.line, ...range, now));
    const log: string[] = [];
    await new HourRoller({ store, plant: { name: { zh: 'p', en: 'p' }, lines: [sim.line] }, lineNow: () => now, log: (m) => log.push(m) }).backfill();
    // That hour and the pending ones near now, no other.
    const pending = lines.length === 0 ? 0 : [...store.events.shifting.values()].filter((r) => r.status === 'pending').length;
    expect(log.some((m) => new RegExp(`shifting-bottleneck pieces of line ${sim.line.id}: checked .*, ${1 + pending} hours rolled`).test(m))).toBe(true);
    expect(store.events.lossLines.get(`${old.line}|${old.start}`)?.version).toBe(LOSS_VERSION);
    const c = await compare(store.reads, sim.line, ...range, now);
    expectSame(c);
    expect(c.rawShare).toBeLessThan(0.5);
  }, 120_000);
});
