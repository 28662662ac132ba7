/**
 * The ground truth of a run, from the simulator's own state (never from its
 * events): units, per-station time in each state, and OEE by the definition
 * in DESIGN.md. The exact definitions are in docs/simulator.md; a collector
 * fed this run's events must arrive at the same OEE.
 */
import { zoneOffsetMs } from '../../core/time/zone';
import { cycleMean } from './distributions';
import type { Line } from './line';
import { stationSettings } from './line';
import type { Scenario } from './scenario';
import type { StateSeconds, WaitSeconds } from './station';
import type { OutputLossSummary } from './output-losses';

export interface StationSummary {
  id: string;
  /** Seconds `running` / planned seconds. */
  utilization: number;
  secondsInState: StateSeconds;
  failures: number;
  cycles: number;
  nokCycles: number;
  microStops: number;
  changeovers: number;
  /**
   * Ground truth of every waiting second in planned time: what the station
   * waited for (the station before or after it, a partner's parts, the launch
   * slot), from the model's state, never from its events. Largest first.
   */
  waits: WaitSeconds[];
}

export interface OeeSummary {
  /** Station whose downtime counts, and why it was taken. */
  constraint: string;
  constraintReason: string;
  /** Planned production seconds in [start, end): shifts minus breaks. */
  plannedSeconds: number;
  /** Seconds the constraint spent in `fault` or `maintenance` in [start, end) (only possible in planned time). */
  downtimeSeconds: number;
  /** 3600 / targetPerHour, seconds. */
  idealTaktSeconds: number;
  availability: number;
  performance: number;
  quality: number;
  oee: number;
}

export interface RunSummary {
  scenario: string;
  seed: number;
  runId: string;
  line: string;
  timeZone: string;
  /** Window of the run, [start, end), RFC 3339 in the line's time zone. */
  start: string;
  end: string;
  hours: number;
  /** Units that left the last station in [start, end), ok and nok. */
  units: number;
  goodUnits: number;
  /** units / hours of the window. */
  unitsPerHour: number;
  /** units / planned hours. */
  unitsPerPlannedHour: number;
  oee: OeeSummary;
  stations: StationSummary[];
  /** Per partner: the station it supplies, deliveries in the run (all / on time) and parts in stock at the end. */
  partners: { id: string; station: string; deliveries: number; onTimeDeliveries: number; stockAtEnd: number }[];
  /**
   * Causal ground truth of lost time: every planned second the designed
   * constraint (`oee.constraint`), and the output station, did not work on a
   * unit, by root cause (the wait chain followed in the model, never the
   * events), with the units at the target rate (docs/kpi.md "Ground truth").
   */
  lostTime: { constraint: OutputLossSummary; output: OutputLossSummary };
  /** Events emitted, in total and by type. */
  events: number;
  eventsByType: Record<string, number>;
}

/**
 * The bottleneck by design: the station with the longest effective cycle,
 * mean cycle × (1 + micro-stop share) × (1 + MTTR/MTBF) + expected changeover
 * per unit. Ties go to the earliest station in flow order. A scenario may name
 * its constraint instead.
 */
export function designConstraint(scenario: Scenario): { id: string; reason: string } {
  if (scenario.constraint !== undefined) return { id: scenario.constraint, reason: 'named in the scenario' };
  const models = scenario.models;
  const totalShare = models.reduce((a, m) => a + m.share, 0);
  const meanFactor = models.reduce((a, m) => a + (m.share / totalShare) * m.cycleFactor, 0);
  // Chance that the next lot is another model than the last one.
  const changeChance = 1 - models.reduce((a, m) => a + (m.share / totalShare) ** 2, 0);
  let best = { id: '', effective: -Infinity, mean: 0, availability: 1 };
  for (const s of stationSettings(scenario)) {
    const mean = cycleMean(s.cycle) * meanFactor;
    const micro = s.microStops ? s.microStops.meanSeconds / s.microStops.meanBetweenSeconds : 0;
    const downRatio = s.failures ? s.failures.mttrSeconds / s.failures.mtbfSeconds : 0;
    let effective = mean * (1 + micro) * (1 + downRatio) + (s.changeoverSeconds * changeChance) / scenario.lotSize;
    // The first station of a paced line launches no faster than the launch interval.
    if (s.id === scenario.stations[0]?.id) effective = Math.max(effective, scenario.releaseEverySeconds ?? 0);
    if (effective > best.effective + 1e-9) best = { id: s.id, effective, mean, availability: 1 / (1 + downRatio) };
  }
  return {
    id: best.id,
    reason: `bottleneck by design: longest effective cycle ${best.effective.toFixed(1)} s (mean cycle ${best.mean.toFixed(1)} s, availability ${(best.availability * 100).toFixed(1)} %)`,
  };
}

/** RFC 3339 with the offset of `timeZone` at that instant, to the second. */
export function formatLocal(ms: number, timeZone: string): string {
  const offset = zoneOffsetMs(ms, timeZone);
  const local = new Date(ms + offset).toISOString().slice(0, 19);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset) / 60_000;
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Summary of `line` over [0, endSeconds); call after `line.runUntil(endSeconds)`. */
export function summarize(line: Line, endSeconds: number, seed: number): RunSummary {
  const { scenario, startMs, runId } = line.options;
  const now = line.env.now;
  const planned = line.calendar.plannedSeconds(0, endSeconds);
  const constraint = designConstraint(scenario);
  const constraintStation = line.stations.find((s) => s.id === constraint.id);
  const constraintSeconds = constraintStation?.stateSecondsAt(now);
  const downtime = constraintSeconds ? constraintSeconds.fault + constraintSeconds.maintenance : 0;
  const idealTakt = 3600 / scenario.targetPerHour;
  const availability = planned > 0 ? (planned - downtime) / planned : 0;
  const operating = planned - downtime;
  const performance = operating > 0 ? (idealTakt * line.units) / operating : 0;
  const quality = line.units > 0 ? line.goodUnits / line.units : 0;
  const hours = endSeconds / 3600;
  return {
    scenario: scenario.name,
    seed,
    runId,
    line: scenario.line,
    timeZone: scenario.timeZone,
    start: formatLocal(startMs, scenario.timeZone),
    end: formatLocal(startMs + endSeconds * 1000, scenario.timeZone),
    hours,
    units: line.units,
    goodUnits: line.goodUnits,
    unitsPerHour: hours > 0 ? round(line.units / hours, 3) : 0,
    unitsPerPlannedHour: planned > 0 ? round(line.units / (planned / 3600), 3) : 0,
    oee: {
      constraint: constraint.id,
      constraintReason: constraint.reason,
      plannedSeconds: round(planned, 3),
      downtimeSeconds: round(downtime, 3),
      idealTaktSeconds: round(idealTakt, 6),
      availability: round(availability, 6),
      performance: round(performance, 6),
      quality: round(quality, 6),
      oee: round(availability * performance * quality, 6),
    },
    stations: line.stations.map((s) => {
      const seconds = s.stateSecondsAt(now);
      const secondsInState = Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, round(v, 3)])) as StateSeconds;
      return {
        id: s.id,
        utilization: planned > 0 ? round(seconds.running / planned, 6) : 0,
        secondsInState,
        failures: s.failures,
        cycles: s.cycles,
        nokCycles: s.nokCycles,
        microStops: s.microStops,
        changeovers: s.changeovers,
        waits: s
          .waitSecondsAt(now)
          .map((w) => ({ ...w, seconds: round(w.seconds, 3) }))
          .sort((a, b) => b.seconds - a.seconds),
      };
    }),
    partners: line.partners.map((p) => ({ id: p.id, station: p.station, deliveries: p.deliveries, onTimeDeliveries: p.onTime, stockAtEnd: p.stock.level })),
    lostTime: { constraint: line.lostTime.constraint.summary(now), output: line.lostTime.output.summary(now) },
    events: line.events,
    eventsByType: { ...line.eventsByType },
  };
}
