/**
 * Per-station KPIs over an interval: time in each state, cycle-time
 * statistics and takt compliance, MTBF / MTTR, micro-stops, blocked and
 * starved time, and the shares the bottleneck detection reads.
 */
import type { Span } from '../calendar/calendar';
import type { CycleEvent, StateEvent } from '../events';
import { cycleStats, type CycleStats } from './cycles';
import { overlapMs, ratio } from './spans';
import { faultEpisodes, stateTimeline, timeInStates, zeroStateSeconds, type InitialState, type StateSeconds, type StateSegment } from './states';

/** Reliability of one station: failures are `fault` episodes that began inside the interval. */
export interface StationReliability {
  failures: number;
  /** Seconds in `fault` (whole interval, all episodes). */
  faultSeconds: number;
  /** Seconds available to work: running + idle + starved + blocked. */
  uptimeSeconds: number;
  /** Mean time between failures = uptime / failures, seconds; null without failures. */
  mtbfSeconds: number | null;
  /** Mean time to repair = duration of the failures that began inside (open ones: so far) / failures, seconds. */
  mttrSeconds: number | null;
  /** Faults that began and ended inside the interval and lasted less than `thresholdSeconds`. */
  microStops: { count: number; seconds: number; thresholdSeconds: number };
}

export interface StationKpis {
  station: string;
  name: { zh: string; en: string };
  /** Seconds per state over `[from, asOf)`; `unknown` before the first known state. */
  stateSeconds: StateSeconds;
  /** Seconds per state inside planned production time. */
  plannedStateSeconds: StateSeconds;
  /** Seconds with a known state. */
  knownSeconds: number;
  blockedSeconds: number;
  starvedSeconds: number;
  /** Shares of known time, 0–1; null with no known time. */
  blockedShare: number | null;
  starvedShare: number | null;
  /** Share of known time the station was active (running, fault or maintenance: not waiting, idle or offline). */
  activeShare: number | null;
  /** Active seconds per cycle: what one unit really costs this station, seconds; null without cycles. */
  effectiveCycleSeconds: number | null;
  cycles: CycleStats;
  reliability: StationReliability;
  /** `fault`/`maintenance` inside planned time, seconds: the station's downtime. */
  downtimeSeconds: number;
}

/** Everything one station's KPIs are computed from. */
export interface StationInput {
  station: string;
  name: { zh: string; en: string };
  /** This station's state events, ascending ts, may begin before `from`. */
  states: readonly StateEvent[];
  /** This station's cycle events inside the interval. */
  cycles: readonly CycleEvent[];
  initial?: InitialState;
}

export interface StationContext {
  from: number;
  asOf: number;
  planned: readonly Span[];
  taktSeconds: number;
  microStopSeconds: number;
}

/** What a station's KPIs are made of, however they were gathered (one timeline, or rollups of hours and raw edges). */
export interface StationParts {
  station: string;
  name: { zh: string; en: string };
  stateSeconds: StateSeconds;
  plannedStateSeconds: StateSeconds;
  cycles: CycleStats;
  /** The station's segments over `[from, asOf)` ascending; at least every `fault` segment (others are skipped). */
  segments: readonly StateSegment[];
}

/** The station's KPIs and its timeline (the timeline feeds the downtime Pareto). */
export function stationKpis(input: StationInput, ctx: StationContext): { kpis: StationKpis; timeline: StateSegment[] } {
  const timeline = stateTimeline(input.states, ctx.from, ctx.asOf, input.initial);
  const stateSeconds = timeInStates(timeline);
  const plannedStateSeconds = zeroStateSeconds();
  for (const s of timeline) plannedStateSeconds[s.state] += overlapMs(ctx.planned, s.start, s.end) / 1000;
  const cycles = cycleStats(
    input.cycles.map((c) => c.cycleTime),
    ctx.taktSeconds,
  );
  return {
    timeline,
    kpis: stationKpisFromParts({ station: input.station, name: input.name, stateSeconds, plannedStateSeconds, cycles, segments: timeline }, ctx),
  };
}

/** The station's KPIs from its parts: the one definition both the raw and the rolled-up path use. */
export function stationKpisFromParts(parts: StationParts, ctx: Pick<StationContext, 'from' | 'asOf' | 'microStopSeconds'>): StationKpis {
  const { stateSeconds, plannedStateSeconds, cycles } = parts;
  const knownSeconds = Object.entries(stateSeconds).reduce((sum, [k, v]) => (k === 'unknown' ? sum : sum + v), 0);
  const activeSeconds = stateSeconds.running + stateSeconds.fault + stateSeconds.maintenance;
  const episodes = faultEpisodes(parts.segments, ctx.from, ctx.asOf);
  const failures = episodes.filter((e) => e.beganInside);
  const repairMs = failures.reduce((s, e) => s + (e.end - e.start), 0);
  const uptimeSeconds = stateSeconds.running + stateSeconds.idle + stateSeconds.starved + stateSeconds.blocked;
  const micro = failures.filter((e) => !e.open && (e.end - e.start) / 1000 < ctx.microStopSeconds);
  return {
    station: parts.station,
    name: parts.name,
    stateSeconds,
    plannedStateSeconds,
    knownSeconds,
    blockedSeconds: stateSeconds.blocked,
    starvedSeconds: stateSeconds.starved,
    blockedShare: ratio(stateSeconds.blocked, knownSeconds),
    starvedShare: ratio(stateSeconds.starved, knownSeconds),
    activeShare: ratio(activeSeconds, knownSeconds),
    effectiveCycleSeconds: cycles.count > 0 && knownSeconds > 0 ? activeSeconds / cycles.count : null,
    cycles,
    reliability: {
      failures: failures.length,
      faultSeconds: stateSeconds.fault,
      uptimeSeconds,
      mtbfSeconds: failures.length ? uptimeSeconds / failures.length : null,
      mttrSeconds: failures.length ? repairMs / 1000 / failures.length : null,
      microStops: {
        count: micro.length,
        seconds: micro.reduce((s, e) => s + (e.end - e.start) / 1000, 0),
        thresholdSeconds: ctx.microStopSeconds,
      },
    },
    downtimeSeconds: plannedStateSeconds.fault + plannedStateSeconds.maintenance,
  };
}
