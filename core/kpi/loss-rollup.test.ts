/**
 * Each station's productive cycles as a possible constraint (what an hour's
 * summary keeps for a long loss read) against core's raw waterfall with that
 * station configured as the constraint, over simulator runs in memory.
 */
import { describe, expect, it } from 'vitest';
import type { CycleEvent, StationEvent } from '../events';
import { computeLosses, DEFAULT_LOSS_OPTIONS, microStopCap } from '../loss/waterfall';
import type { LineConfig } from '../plant';
import { Line } from '../../simulator/model/line';
import { loadScenario } from '../../simulator/model/scenario';
import { MemorySink } from '../../simulator/sinks/memory';
import {
  constraintCyclesOfPiece,
  constraintMicroErrorSeconds,
  constraintMicroSeconds,
  decodeConstraintCycles,
  emptyConstraintCycles,
  encodeConstraintCycles,
  mergeConstraintCycles,
} from './loss-rollup';
import { taktTargetSeconds } from './throughput';

const HOUR = 3_600_000;
const HOURS = 6;

function run(name: string): { line: LineConfig; events: StationEvent[]; from: number; to: number } {
  const scenario = loadScenario(name);
  const sink = new MemorySink();
  const from = Date.parse(scenario.start);
  new Line({ scenario, seed: 5, startMs: from, runId: `asc-${name}`, emit: (e) => sink.write(e) }).runUntil(HOURS * 3600);
  const line: LineConfig = {
    id: scenario.line,
    name: { zh: name, en: name },
    timeZone: scenario.timeZone,
    targetPerHour: scenario.targetPerHour,
    stations: scenario.stations.map((s) => ({ id: s.id, name: { zh: s.id, en: s.id } })),
    ...(scenario.calendar ? { calendar: scenario.calendar } : {}),
  };
  return { line, events: sink.events as StationEvent[], from, to: from + HOURS * HOUR };
}

describe.each(['breakdowns', 'partner-shortage', 'bottleneck'])('constraintCyclesOfPiece (%s)', (name) => {
  const r = run(name);
  const ideal = taktTargetSeconds(r.line.targetPerHour);
  const whole = constraintCyclesOfPiece({ line: r.line, events: r.events, from: r.from, to: r.to, now: r.to });

  it('for every station: speed + micro-stops of the raw waterfall with that station as the constraint, exactly', () => {
    let some = 0;
    let filtered = 0;
    for (const s of r.line.stations) {
      const raw = computeLosses({ line: { ...r.line, constraintStation: s.id }, events: r.events, from: r.from, to: r.to, now: r.to }).report;
      const seconds = raw.losses.filter((l) => (l.cause.kind === 'speed' || l.cause.kind === 'microstop') && l.cause.station === s.id).reduce((n, l) => n + l.seconds, 0);
      expect(whole.get(s.id)?.slowSeconds ?? 0).toBeCloseTo(seconds, 6);
      if (seconds > 0) some += 1;
      // Only cycles completed while the station was the productive constraint count: all its cycles would be more.
      const all = r.events.filter((e): e is CycleEvent => e.type === 'cycle' && e.station === s.id && e.ts >= r.from && e.ts < r.to).reduce((n, c) => n + Math.max(0, c.cycleTime - ideal), 0);
      if (all - seconds > 0.5) filtered += 1;
    }
    expect(some).toBeGreaterThan(1);
    expect(filtered).toBeGreaterThan(0);
  });

  it('and the micro-stop part at the raw cap within the stated error per cycle near or over the cap', () => {
    const err = constraintMicroErrorSeconds(DEFAULT_LOSS_OPTIONS.microStopFactor);
    for (const s of r.line.stations) {
      const raw = computeLosses({ line: { ...r.line, constraintStation: s.id }, events: r.events, from: r.from, to: r.to, now: r.to }).report;
      const micro = raw.losses.find((l) => l.cause.kind === 'microstop')?.seconds ?? 0;
      const times = r.events
        .filter((e): e is CycleEvent => e.type === 'cycle' && e.station === s.id && e.ts >= r.from && e.ts < r.to)
        .map((c) => c.cycleTime)
        .sort((a, b) => a - b);
      const cap = microStopCap(times, ideal, DEFAULT_LOSS_OPTIONS.microStopFactor);
      const near = times.filter((t) => t >= cap - err).length;
      expect(Math.abs(constraintMicroSeconds(whole.get(s.id) ?? emptyConstraintCycles(), cap) - micro)).toBeLessThanOrEqual(near * err + 1e-9);
    }
  });

  it('hour pieces merged equal the whole run (charges are local in time)', () => {
    const merged = new Map(r.line.stations.map((s) => [s.id, emptyConstraintCycles()]));
    for (let a = r.from; a < r.to; a += HOUR) {
      // Each hour with its own events and the states before it as its look-back, as the roller reads it.
      const own = r.events.filter((e) => e.ts < a + HOUR && (e.type === 'state' || e.ts >= a));
      for (const [st, c] of constraintCyclesOfPiece({ line: r.line, events: own, from: a, to: a + HOUR, now: a + HOUR })) mergeConstraintCycles(merged.get(st) ?? emptyConstraintCycles(), c);
    }
    for (const s of r.line.stations) {
      expect(merged.get(s.id)?.slowSeconds).toBeCloseTo(whole.get(s.id)?.slowSeconds ?? 0, 6);
      expect(merged.get(s.id)?.buckets).toEqual(whole.get(s.id)?.buckets);
    }
  });

  it('survives its stored form', () => {
    for (const c of whole.values()) expect(decodeConstraintCycles(encodeConstraintCycles(c))).toEqual(c);
    expect(decodeConstraintCycles('')).toBeNull();
    expect(decodeConstraintCycles('x|1')).toBeNull();
  });
});
