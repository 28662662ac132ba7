/**
 * Station state timelines from `state` events: a station's state holds from
 * its event until the station's next state event, clipped to the interval.
 * The state at `from` is the last state event before `from` (or the caller's
 * `initial` state); before any is known the station is `unknown`.
 */
import type { StateEvent, StationState } from '../events';
import { STATION_STATES } from '../events';

/** A station state plus `unknown`: time before the first known state. */
export type TimelineState = StationState | 'unknown';
export const TIMELINE_STATES = [...STATION_STATES, 'unknown'] as const satisfies readonly TimelineState[];

/** Seconds per state. */
export type StateSeconds = Record<TimelineState, number>;

/** The state a station was in when the interval began, if the caller knows it without events. */
export interface InitialState {
  state: StationState;
  reason?: string | null;
  /** When the station entered the state, epoch ms; a later state event before `from` overrides it. */
  since?: number | null;
}

/** One stretch of a single state, `[start, end)` inside the interval. */
export interface StateSegment {
  state: TimelineState;
  reason: string | null;
  start: number;
  end: number;
  /** When the state began (its event's ts), possibly before the interval; null if unknown. */
  since: number | null;
}

/** All zeros. */
export function zeroStateSeconds(): StateSeconds {
  // A literal, in TIMELINE_STATES' order: one object shape for every count (a year's reads make tens of thousands).
  return { running: 0, idle: 0, starved: 0, blocked: 0, fault: 0, maintenance: 0, offline: 0, unknown: 0 };
}

/**
 * The timeline of one station over `[from, end)`. `events` are this station's
 * state events in ascending `ts` (ties: input order, the last wins), and may
 * start before `from`.
 */
export function stateTimeline(
  events: readonly StateEvent[],
  from: number,
  end: number,
  initial?: InitialState,
): StateSegment[] {
  let cur: { state: TimelineState; reason: string | null; since: number | null } = initial
    ? { state: initial.state, reason: initial.reason ?? null, since: initial.since ?? null }
    : { state: 'unknown', reason: null, since: null };
  let i = 0;
  for (; i < events.length && (events[i] as StateEvent).ts < from; i += 1) {
    const e = events[i] as StateEvent;
    if (cur.since === null || e.ts >= cur.since) cur = { state: e.state, reason: e.reason ?? null, since: e.ts };
  }
  const out: StateSegment[] = [];
  if (!(end > from)) return out;
  let segStart = from;
  const push = (segEnd: number) => {
    if (segEnd <= segStart) return;
    const last = out.at(-1);
    if (last && last.end === segStart && last.state === cur.state && last.reason === cur.reason) last.end = segEnd;
    else out.push({ state: cur.state, reason: cur.reason, start: segStart, end: segEnd, since: cur.since });
  };
  for (; i < events.length && (events[i] as StateEvent).ts < end; i += 1) {
    const e = events[i] as StateEvent;
    push(e.ts);
    const continues = cur.state === e.state && cur.reason === (e.reason ?? null);
    segStart = Math.max(segStart, e.ts);
    // A repeat of the same state and reason continues it: the episode began at the first event.
    if (!continues) cur = { state: e.state, reason: e.reason ?? null, since: e.ts };
  }
  push(end);
  return out;
}

/** Seconds per state over a timeline. */
export function timeInStates(segments: readonly StateSegment[]): StateSeconds {
  const out = zeroStateSeconds();
  for (const s of segments) out[s.state] += (s.end - s.start) / 1000;
  return out;
}

/** A run of consecutive `fault` segments (a fault whose reason changes is still one failure). */
export interface FaultEpisode {
  start: number;
  end: number;
  /** Whether the fault began inside the interval (a fault carried in is not a new failure). */
  beganInside: boolean;
  /** Whether the fault was still open at the end of the interval. */
  open: boolean;
  reason: string | null;
}

/** Fault episodes of a timeline over `[from, end)`. */
export function faultEpisodes(segments: readonly StateSegment[], from: number, end: number): FaultEpisode[] {
  const out: FaultEpisode[] = [];
  let cur: FaultEpisode | null = null;
  for (const s of segments) {
    if (s.state === 'fault') {
      if (cur && cur.end === s.start) {
        cur.end = s.end;
      } else {
        cur = { start: s.start, end: s.end, beganInside: s.since !== null && s.since >= from, open: false, reason: s.reason };
        out.push(cur);
      }
    } else {
      cur = null;
    }
  }
  const last = out.at(-1);
  if (last && last.end === end) last.open = true;
  return out;
}
