/**
 * The shifting-bottleneck roller over the memory store, on simulated lines that change state every
 * cycle: the long read from its stored pieces (collector/history/long-range.ts `longShifting`)
 * equals core's `shiftingOfStates` over the range's raw state events; pending hours are rolled
 * again later, unrollable ones are markers read raw; a late state event re-rolls the pieces whose
 * window it meets; a restart resumes; a row of another version is rolled again.
 */
import { describe, expect, it } from 'vitest';
import { lineCalendar, plannedIntervals } from '../../core/calendar/calendar';
import type { StateEvent, StationEvent } from '../../core/events';
import { shiftingOfStates } from '../../core/kpi/line-kpis';
import type { LineConfig } from '../../core/plant';
import { startOfLocalHour } from '../../core/time/zone';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine } from '../../simulator/model/scenario';
import { longShifting } from '../history/long-range';
import { memoryStore } from '../influx/memory-reads';
import type { EventReads } from '../influx/reads';
import { SHIFTING_VERSION, type ShiftingHour } from '../influx/points';
import { ShiftingRoller } from './shifting-roller';

const MIN = 60_000;
const HOUR = 3_600_000;
const HOURS = 30;

function simulate(name: string, seed: number): { line: LineConfig; start: number; end: number; events: StationEvent[] } {
  const scenario = loadScenario(name);
  const start = Date.parse(scenario.start);
  const events: StationEvent[] = [];
  new Line({ scenario, seed, startMs: start, runId: `shifting-${name}`, emit: (e) => events.push(e) }).runUntil(HOURS * 3600);
  return { line: scenarioLine(scenario), start, end: start + HOURS * HOUR, events: events.filter((e) => e.type === 'state') };
}

async function setup(name: string, options: { maxReachMs?: number; now?: number } = {}) {
  const sim = simulate(name, 3);
  const store = memoryStore();
  await store.write(sim.events);
  const log: string[] = [];
  const roller = new ShiftingRoller({ store, lines: [sim.line], log: (m) => log.push(m), backfillStepHours: 6, ...(options.maxReachMs ? { maxReachMs: options.maxReachMs } : {}) });
  const from = startOfLocalHour(sim.start, sim.line.timeZone);
  const now = options.now ?? sim.end + 7 * MIN;
  const rolled = await roller.backfill(sim.line, from, startOfLocalHour(now, sim.line.timeZone), now, () => false);
  return { sim, store, roller, log, from, now, rolled };
}

/** The long read (`longShifting`) against the raw computation over the store's events, and how much of the range it read raw. */
async function compare(reads: EventReads, line: LineConfig, events: readonly StationEvent[], from: number, to: number, now: number) {
  let rawMs = 0;
  const counting: EventReads = {
    ...reads,
    lineEvents: (l, a, b, kinds) => {
      rawMs += b - a;
      return reads.lineEvents(l, a, b, kinds);
    },
  };
  const asOf = Math.min(Math.max(now, from), to);
  const got = await longShifting(counting, line, from, to, now, plannedIntervals(lineCalendar(line), from, asOf));
  const { initialStates } = await reads.lineEvents(line, from, from, ['state']);
  const truth = shiftingOfStates({ line, events: events.filter((e) => e.ts >= from), from, to, now, initialStates });
  return { got, truth, rawShare: rawMs / (asOf - from) };
}

describe('the shifting-bottleneck roller and the long read from its pieces', () => {
  it.each(['reference', 'bottleneck', 'breakdowns'])('equal the raw computation over ranges with edges between hours, one still open (%s)', async (name) => {
    const { sim, store, from, now, rolled } = await setup(name);
    expect(rolled).toBe(HOURS);
    const rows = await store.reads.shiftingHours(sim.line.id, from, now);
    expect(rows).toHaveLength(HOURS);
    expect(rows.filter((r) => r.status === 'final').length).toBeGreaterThan(HOURS / 2);
    const all = store.events.all();
    const ranges: [number, number, number][] = [
      [sim.start + 17 * MIN + 431, sim.end - 2 * HOUR + 5 * MIN, now],
      [sim.start + 3 * HOUR + 1, sim.end + 5 * HOUR, now],
      // Open: now inside the range, the hours before it pending or never rolled.
      [sim.start + 2 * HOUR + 59 * MIN, sim.end + HOUR, sim.end - 3 * HOUR + 7 * MIN + 3],
    ];
    let rawShare = 0;
    for (const [a, b, at] of ranges) {
      const c = await compare(store.reads, sim.line, all, a, b, at);
      expect(c.got.stations).toEqual(c.truth.stations);
      expect(c.got.plannedMs).toBe(c.truth.plannedMs);
      rawShare = Math.max(rawShare, c.rawShare);
    }
    // Not vacuous: the pieces stood for most of each range.
    expect(rawShare).toBeLessThan(0.6);
  });

  it('hours whose deciding period runs at now are pending, and a later tick makes them final, still equal to raw', async () => {
    // Seconds after an hour closed: the first such instant at which an hour is pending.
    let found: { early: number; got: Awaited<ReturnType<typeof setup>>; pending: number[] } | null = null;
    const sim0 = simulate('reference', 3);
    for (let k = 4; k < 14 && found === null; k += 1) {
      const early = startOfLocalHour(sim0.end - k * HOUR, sim0.line.timeZone) + 2_000;
      const got = await setup('reference', { now: early });
      const pending = (await got.store.reads.shiftingHours(got.sim.line.id, got.from, early)).filter((r) => r.status === 'pending').map((r) => r.start);
      if (pending.length > 0) found = { early, got, pending };
    }
    expect(found).not.toBeNull();
    const { got, pending } = found as NonNullable<typeof found>;
    const { sim, store, roller, from } = got;
    const now = sim.end + 3 * MIN;
    await roller.tick(sim.line, startOfLocalHour(now, sim.line.timeZone), now);
    const after = new Map((await store.reads.shiftingHours(sim.line.id, from, now)).map((r) => [r.start, r]));
    for (const p of pending) expect(after.get(p)?.status).toBe('final');
    const c = await compare(store.reads, sim.line, store.events.all(), sim.start + 31 * MIN, now, now);
    expect(c.got.stations).toEqual(c.truth.stations);
  });

  it('an hour whose deciding period reaches past the reach is a marker, computed raw by the read', async () => {
    const { sim, store, from, now } = await setup('reference', { maxReachMs: 60 * MIN });
    const rows = await store.reads.shiftingHours(sim.line.id, from, now);
    const markers = rows.filter((r) => r.status === 'unrollable');
    expect(markers.length).toBeGreaterThan(0);
    expect(markers.every((m) => m.stations.length === 0)).toBe(true);
    expect(rows.some((r) => r.status === 'final')).toBe(true);
    const c = await compare(store.reads, sim.line, store.events.all(), sim.start + 13 * MIN + 7, sim.end - 61 * MIN, now);
    expect(c.got.stations).toEqual(c.truth.stations);
    expect(c.got.plannedMs).toBe(c.truth.plannedMs);
  });

  it('a late state event re-rolls the pieces whose window it meets: the read still equals raw, and would not without the re-roll', async () => {
    const { sim, store, roller, from, now } = await setup('reference');
    const before = new Map((await store.reads.shiftingHours(sim.line.id, from, now)).map((r) => [r.start, JSON.stringify(r)]));
    // A fault reported late in a blocked or starved stretch of a station in planned time (hours 8 to 20), one that changes the raw answer.
    const range: [number, number] = [sim.start + 29 * MIN, sim.end - HOUR - 3 * MIN];
    const hour = { start: from + 8 * HOUR, end: from + 20 * HOUR };
    const planned = plannedIntervals(lineCalendar(sim.line), hour.start, hour.end);
    const states = store.events.all().filter((e): e is StateEvent => e.type === 'state').sort((x, y) => x.ts - y.ts);
    const gaps: { station: string; start: number; end: number }[] = [];
    for (const [i, e] of states.entries()) {
      if (e.ts < hour.start || e.ts >= hour.end || (e.state !== 'blocked' && e.state !== 'starved')) continue;
      const next = states.slice(i + 1).find((x) => x.station === e.station);
      if (next && next.ts - e.ts > 10_000 && planned.some((p) => p.start <= e.ts && next.ts <= p.end)) gaps.push({ station: e.station, start: e.ts, end: next.ts });
    }
    const lateIn = (g: { station: string; start: number }): StateEvent => ({ type: 'state', ts: g.start + 1_000, line: sim.line.id, station: g.station, state: 'fault', reason: 'late-fault' });
    const shares = (extra: StateEvent[]) => shiftingOfStates({ line: sim.line, events: [...states, ...extra], from: range[0], to: range[1], now }).stations;
    const unchanged = JSON.stringify(shares([]));
    const gap = gaps.find((g) => JSON.stringify(shares([lateIn(g)])) !== unchanged);
    expect(gap).toBeDefined();
    const late = [lateIn(gap as (typeof gaps)[number])];
    const t = (late[0] as StateEvent).ts;
    const pre = await compare(store.reads, sim.line, store.events.all(), sim.start + 29 * MIN, sim.end - HOUR - 3 * MIN, now);
    await store.write(late);
    const stale = await compare(store.reads, sim.line, store.events.all(), ...range, now);
    // The event changes the answer, and the pieces stored before it no longer add up to it.
    expect(stale.truth.stations).not.toEqual(pre.truth.stations);
    // The pieces stored before the event no longer add up to the raw answer.
    expect(stale.got.stations).not.toEqual(stale.truth.stations);
    const written: number[] = [];
    const write = store.writeShiftingHours;
    store.writeShiftingHours = (hours) => (written.push(...hours.map((h) => h.start)), write(hours));
    roller.stored(late);
    await roller.tick(sim.line, startOfLocalHour(now, sim.line.timeZone), now);
    const fresh = await compare(store.reads, sim.line, store.events.all(), ...range, now);
    expect(fresh.got.stations).toEqual(fresh.truth.stations);
    // Re-rolled: the hour holding t and every hour whose stored window meets [t, t'] (t' the station's next event), and no other.
    const next = states.find((e) => e.station === (late[0] as StateEvent).station && e.ts > t)?.ts ?? now;
    const rows = [...before.values()].map((r) => JSON.parse(r) as ShiftingHour);
    const meets = rows.filter((r) => r.window.start <= next && r.window.end >= t);
    expect(meets.length).toBeGreaterThan(1);
    // (The pending hours near now are tried again at every tick.)
    const pending = rows.filter((r) => r.status === 'pending').map((r) => r.start);
    expect(new Set(written)).toEqual(new Set([startOfLocalHour(t, sim.line.timeZone), ...meets.map((r) => r.start), ...pending]));
  });

  it('a restart resumes: the second start rolls only what the first did not reach', async () => {
    const sim = simulate('reference', 3);
    const store = memoryStore();
    await store.write(sim.events);
    const from = startOfLocalHour(sim.start, sim.line.timeZone);
    const now = sim.end + 7 * MIN;
    const to = startOfLocalHour(now, sim.line.timeZone);
    let steps = 0;
    // Stopped after its first step of 6 hours.
    const first = await new ShiftingRoller({ store, lines: [sim.line], log: () => undefined, backfillStepHours: 6 }).backfill(sim.line, from, to, now, () => steps++ >= 1);
    expect(first).toBe(6);
    const pendingFirst = (await store.reads.shiftingHours(sim.line.id, from, to)).filter((r) => r.status === 'pending').length;
    const log: string[] = [];
    const second = await new ShiftingRoller({ store, lines: [sim.line], log: (m) => log.push(m), backfillStepHours: 6 }).backfill(sim.line, from, to, now, () => false);
    expect(second).toBe(HOURS - 6 + pendingFirst);
    expect(log.at(-1)).toMatch(new RegExp(`${second} hours rolled`));
    expect(await store.reads.shiftingHours(sim.line.id, from, to)).toHaveLength(HOURS);
  });

  it('a row of another version, a missing one and the pending ones are rolled again at start, and only those', async () => {
    const { sim, store, from, now } = await setup('reference');
    const to = startOfLocalHour(now, sim.line.timeZone);
    const rows = await store.reads.shiftingHours(sim.line.id, from, to);
    const pending = rows.filter((r) => r.status === 'pending').length;
    const old = rows.find((r) => r.status === 'final') as (typeof rows)[number];
    store.events.shifting.set(`${sim.line.id}|${old.start}`, { ...old, version: SHIFTING_VERSION - 1, stations: [] });
    store.events.shifting.delete(`${sim.line.id}|${(rows[5] as (typeof rows)[number]).start}`);
    const again = await new ShiftingRoller({ store, lines: [sim.line], log: () => undefined }).backfill(sim.line, from, to, now, () => false);
    expect(again).toBe(2 + pending);
    const back = (await store.reads.shiftingHours(sim.line.id, from, to)).find((r) => r.start === old.start);
    expect(back).toEqual(old);
  });
});
