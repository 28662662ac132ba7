import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineCalendar, plannedIntervals, type Span } from '../calendar/calendar';
import type { StateEvent } from '../events';
import { partnerFromReason, shiftingBottleneck } from '../kpi/active-period';
import { stateTimeline, type StateSegment } from '../kpi/states';
import { taktTargetSeconds } from '../kpi/throughput';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine } from '../../simulator/model/scenario';
import { MemorySink } from '../../simulator/sinks/memory';
import { seededRandom } from '../test/support/seeded-random';
import { chargePiece, chargeWindow, combineCharges, type ChargePiece } from './charge-pieces';
import { chargeTime } from './waterfall';

const HOUR = 3_600_000;
const DAYS = 2;
const SCENARIOS = readdirSync(new URL('../../simulator/scenarios/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

function run(name: string) {
  const scenario = loadScenario(name);
  const sink = new MemorySink();
  const start = Date.parse(scenario.start);
  const line = new Line({ scenario, seed: 1, startMs: start, runId: `charges-${name}`, emit: (e) => sink.write(e) });
  line.runUntil((DAYS * 86_400_000) / 1000);
  const config = scenarioLine(scenario);
  const stationIds = config.stations.map((s) => s.id);
  const states = new Map<string, StateEvent[]>(stationIds.map((s) => [s, []]));
  for (const e of sink.events) if (e.type === 'state') states.get(e.station)?.push(e);
  for (const list of states.values()) list.sort((a, b) => a.ts - b.ts);
  return { config, stationIds, states, start, end: start + DAYS * 86_400_000, idealTakt: taktTargetSeconds(config.targetPerHour) };
}

const over = (states: ReadonlyMap<string, readonly StateEvent[]>, span: Span) =>
  new Map<string, StateSegment[]>([...states].map(([s, evs]) => [s, stateTimeline(evs, span.start, span.end)] as const));
const sorted = (r: { charges: ReadonlyMap<string, { ms: number }>; productiveMs: number }) => ({
  charges: [...r.charges].map(([k, v]) => [k, v.ms] as const).sort((a, b) => a[0].localeCompare(b[0])),
  productiveMs: r.productiveMs,
});

/** The roller and a read of each range at every station as the constraint: stored hours whose window lies in the range, raw edges for the rest. */
function check(
  states: ReadonlyMap<string, readonly StateEvent[]>,
  stationIds: readonly string[],
  all: Span,
  plannedOf: (a: number, b: number) => Span[],
  idealTakt: number,
  ranges: readonly Span[],
  rolledAt = all.end,
) {
  // Rolled as of `rolledAt` (the events up to then), read once everything is in.
  const known = { start: all.start, end: rolledAt };
  const timelines = over(new Map([...states].map(([s, evs]) => [s, evs.filter((e) => e.ts <= rolledAt)] as const)), known);
  const input = { stationIds, timelines, planned: plannedOf(known.start, known.end), idealTakt };
  const hours: Span[] = [];
  for (let h = Math.ceil(known.start / HOUR) * HOUR; h + HOUR <= known.end; h += HOUR) hours.push({ start: h, end: h + HOUR });
  const stored = new Map<string, ChargePiece[]>(stationIds.map((s) => [s, []]));
  const cut = new Map<string, ChargePiece[]>(stationIds.map((s) => [s, []]));
  let reaching = 0;
  for (const h of hours) {
    const w = chargeWindow(timelines, h, idealTakt, { known });
    if (w.status !== 'final') continue;
    if (w.window.end > h.end) reaching += 1;
    expect(w.window.end - h.end).toBeLessThanOrEqual(idealTakt * 1000 + 1);
    for (const c of stationIds) {
      stored.get(c)?.push(chargePiece(input, h, w.window, c));
      cut.get(c)?.push(chargePiece(input, h, h, c));
    }
  }
  let naiveWrong = 0;
  for (const range of ranges) {
    const raw = over(states, range);
    const inRange = plannedOf(range.start, range.end);
    const stretches = shiftingBottleneck(raw, inRange).stretches;
    const rawInput = { stationIds, timelines: raw, planned: inRange, idealTakt };
    for (const c of stationIds) {
      const truth = sorted(chargeTime({ ...rawInput, stretches, from: range.start, asOf: range.end, partnerOf: partnerFromReason }, c));
      const combine = (pieces: readonly ChargePiece[]) =>
        sorted(combineCharges({ stationIds, range, planned: inRange, idealTakt, constraint: c, pieces, timelines: raw }));
      expect(combine(stored.get(c) ?? [])).toEqual(truth);
      if (JSON.stringify(combine(cut.get(c) ?? [])) !== JSON.stringify(truth)) naiveWrong += 1;
    }
  }
  return { reaching, naiveWrong };
}

describe('loss charges from pieces, over every shipped scenario', () => {
  it.each(SCENARIOS)('%s: stored hours + raw edges = chargeTime over the whole range, at every station as the constraint', (name) => {
    const r = run(name);
    const cal = lineCalendar(r.config);
    const random = seededRandom(name.length * 31);
    const ranges: Span[] = [{ start: r.start, end: r.end }];
    for (let i = 0; i < 4; i += 1) {
      const a = r.start + Math.round(random() * (r.end - r.start));
      ranges.push({ start: a, end: a + Math.round(random() * (r.end - a)) });
    }
    // (Idle segments here are mostly the paced first station's launch slots, shorter than a takt: the generated timelines below are where the window matters.)
    check(r.states, r.stationIds, { start: r.start - HOUR, end: r.end }, (a, b) => plannedIntervals(cal, a, b), r.idealTakt, ranges);
  });
});

describe('loss charges from pieces, over generated timelines', () => {
  const T0 = Date.UTC(2027, 0, 4);
  it.each([1, 2, 3, 4])('seed %i: idle stretches around one takt long, across hour edges: the window is needed and enough', (seed) => {
    const random = seededRandom(seed + 500);
    const stationIds = Array.from({ length: 3 + (seed % 3) }, (_, i) => `S0${i + 1}`);
    const end = T0 + 2 * 86_400_000;
    const states = new Map<string, StateEvent[]>();
    const kinds = ['running', 'idle', 'idle', 'starved', 'blocked', 'fault'] as const;
    for (const station of stationIds) {
      const evs: StateEvent[] = [];
      for (let t = T0; t < end; t += (3 + Math.floor(random() * 30)) * 10_000) {
        const state = kinds[Math.floor(random() * kinds.length)] ?? 'running';
        evs.push({ type: 'state', line: 'L', station, state, ts: t, ...(state === 'starved' && random() < 0.2 ? { reason: 'waiting for parts from P-1' } : {}) });
      }
      states.set(station, evs);
    }
    // Planned: 06:00–22:00 each day.
    const plannedOf = (a: number, b: number) =>
      [0, 1].flatMap((d) => {
        const s = Math.max(a, T0 + d * 86_400_000 + 6 * HOUR);
        const e = Math.min(b, T0 + d * 86_400_000 + 22 * HOUR);
        return e > s ? [{ start: s, end: e }] : [];
      });
    const ranges: Span[] = [{ start: T0, end }];
    for (let i = 0; i < 5; i += 1) {
      const a = T0 + Math.round(random() * (end - T0));
      ranges.push({ start: a, end: a + Math.round(random() * (end - a)) });
    }
    // Ranges that end 40 s after an hour: an idle stretch across that hour's end is cut by the range (the raw path's edge), not by the hour.
    for (let i = 0; i < 6; i += 1) ranges.push({ start: T0 + i * HOUR, end: T0 + (8 + 3 * i) * HOUR + 40_000 });
    // Rolled 30 s after an hour closed, while an idle stretch across its end may still be open, and read later.
    check(states, stationIds, { start: T0 - HOUR, end }, plannedOf, 120, ranges, T0 + 30 * HOUR + 30_000);
    const { reaching, naiveWrong } = check(states, stationIds, { start: T0 - HOUR, end }, plannedOf, 120, ranges);
    expect(reaching).toBeGreaterThan(0);
    // Cut at the hour's end, an idle stretch that runs on past it looks like the flow's pace: another charge.
    expect(naiveWrong).toBeGreaterThan(0);
  });

  it('an idle stretch of 200 s that begins 60 s before the hour ends is a loss in both hours, not the pace of the flow in the first', () => {
    const h = { start: T0, end: T0 + HOUR };
    const idleFrom = h.end - 60_000;
    const states = new Map<string, StateEvent[]>([
      ['S01', [{ type: 'state', line: 'L', station: 'S01', state: 'running', ts: T0 - HOUR }, { type: 'state', line: 'L', station: 'S01', state: 'idle', ts: idleFrom }, { type: 'state', line: 'L', station: 'S01', state: 'running', ts: idleFrom + 200_000 }]],
    ]);
    const known = { start: T0 - HOUR, end: T0 + 2 * HOUR };
    const timelines = over(states, known);
    const input = { stationIds: ['S01'], timelines, planned: [known], idealTakt: 120 };
    const w = chargeWindow(timelines, h, 120, { known });
    expect(w).toEqual({ status: 'final', window: { start: h.start, end: idleFrom + 120_001 } });
    const starved = (p: ChargePiece) => p.charges.find((c) => c.cause.kind === 'starved')?.ms ?? 0;
    expect(starved(chargePiece(input, h, w.window, 'S01'))).toBe(60_000);
    // Cut at the hour: 60 s of idle, under one takt, would read as the pace of the flow.
    expect(starved(chargePiece(input, h, h, 'S01'))).toBe(0);
    // Rolled 30 s after the hour closed, the stretch is still open and shorter than a takt: not final yet.
    const early = { start: known.start, end: h.end + 30_000 };
    expect(chargeWindow(over(states, early), h, 120, { known: early })).toMatchObject({ status: 'short' });
    // A read whose range ends there cuts the stretch as the raw path does: a hard edge, final.
    expect(chargeWindow(over(states, early), h, 120, { known: early, hard: early })).toMatchObject({ status: 'final' });
  });
});
