/**
 * What the wall screen shows, derived from the latest live message and the
 * local clock. Pure, so every rule (takt countdown, time in state, staleness)
 * is tested without a browser.
 *
 * Two clocks meet here. The line's numbers are for `line.now` (the wall clock
 * in production, the collector's explicit demo clock in the demo); between
 * messages the screen extrapolates it by the local time elapsed since the
 * message arrived, times the demo clock's rate. Staleness uses the server's clock (`serverTime` vs
 * `receivedAt`) for the data and the local clock for the link, so a kiosk
 * whose own clock is wrong still judges both correctly.
 */
import type { StationState } from '@core/events';
import type { LineLive } from '@core/live';
import type { LossCause } from '@core/loss/types';
import { shiftFiguresShown, type CatchUpShown } from '@core/kpi/shift-shown';
import type { LinkStatus } from '../services/live-client';

/** How good a figure looks against its target. */
export type Tone = 'good' | 'warn' | 'bad';

/** How fresh the screen's numbers are. */
export type Freshness = 'live' | 'amber' | 'red';

/** When the data-age badge turns amber and red, ms. */
export interface StalenessThresholds {
  /** No message of any kind (heartbeats included) for this long. Heartbeats come every ~5 s. */
  linkAmberMs: number;
  linkRedMs: number;
  /** No new event reached the server for this long: stations silent, gateway down. */
  dataAmberMs: number;
  dataRedMs: number;
}

/** Defaults: two missed heartbeats turn the badge amber; a line silent for a takt or so, too. */
export const DEFAULT_STALENESS: StalenessThresholds = {
  linkAmberMs: 12_000,
  linkRedMs: 30_000,
  dataAmberMs: 120_000,
  dataRedMs: 600_000,
};

/** The latest state of the live link, as the composable keeps it. */
export interface LiveInput {
  line: LineLive | null;
  /** Local time the latest line message arrived, ms. */
  lineArrivedAt: number | null;
  /** `serverTime` of the latest line message, ms (server clock). */
  lineServerTime: number | null;
  /** Local time of the latest message of any kind, ms. */
  lastMessageAt: number | null;
  /** Local time the link was last seen open or started connecting, ms. */
  linkSince: number;
  status: LinkStatus;
}

export interface StationView {
  id: string;
  name: { zh: string; en: string };
  state: StationState;
  reason: string | null;
  /** The reason tree's label of `reason` (zh, en); null: show the reason as sent. */
  reasonLabel: { zh: string; en: string } | null;
  /** Seconds in the current state by the line's clock; null before the first state event. */
  secondsInState: number | null;
  /**
   * Seconds since the plant-floor source serving the station (OPC UA,
   * Sparkplug) went silent, by the server's clock; null while it delivers or
   * when the station has no such source. A station whose signal is lost is
   * not shown as running: its last state is only what was last heard.
   */
  signalLostSeconds: number | null;
  /** The silent source's id; null while it delivers. */
  signalLostSource: string | null;
  bottleneck: boolean;
}

/** A station as the data says it, without the clock: see {@link wallBase}. */
export interface StationBase {
  id: string;
  name: { zh: string; en: string };
  state: StationState;
  reason: string | null;
  reasonLabel: { zh: string; en: string } | null;
  /** When the station entered its state, line clock ms; null before the first state event. */
  since: number | null;
  /** When its source went silent, server clock ms; null while it delivers. */
  signalLostSince: number | null;
  signalLostSource: string | null;
  bottleneck: boolean;
}

/** The shift against plan, when the collector sends it. Whole numbers as shown (core's shiftFiguresShown). */
export interface ShiftView {
  name: { zh: string; en: string };
  start: number;
  end: number;
  ended: boolean;
  units: number;
  /** Units due by now (calendar-aware, breaks excluded), rounded down. */
  planByNow: number;
  planTotal: number;
  /** units − planByNow as shown (both whole numbers), so the three figures always add up: negative = behind. */
  gap: number;
  /** Forecast at the end, never above what the line builds at its ideal rate; null without a rate. */
  forecast: number | null;
  /** The rate that still reaches plan, or, when even the ideal rate cannot, the units short and the overtime. */
  catchUp: CatchUpShown;
  /** The shift's largest downtime so far (station, state, reason, seconds); null when there was none. */
  topDowntime: { station: string; state: 'fault' | 'maintenance'; reason: string; reasonLabel: { zh: string; en: string } | null; seconds: number } | null;
  /** The shift's largest loss so far in units (loss accounting); null when nothing was lost or the collector does not say. */
  largestLoss: { cause: LossCause; units: number } | null;
  tone: Tone;
}

/**
 * What the wall shows that changes only with data: rebuilt when a message
 * with the line's numbers arrives, never on the clock's tick (issue 15: a
 * kiosk must not rebuild and re-render the whole wall four times a second).
 */
export interface WallBase {
  line: LineLive;
  /** Line seconds per wall second when the collector runs a demo clock; null on the wall clock. */
  demoRate: number | null;
  timeZone: string;
  unitsThisHour: number;
  planThisHour: number;
  /** This hour's plan up to now from the shift calendar; null when the collector does not send it (then the clock spreads the target). */
  shiftHourPlanByNow: number | null;
  unitsPerHour: number;
  targetPerHour: number;
  unitsPerHourTone: Tone;
  taktTarget: number;
  stations: StationBase[];
  shift: ShiftView | null;
  bottleneckWhy: { zh: string; en: string } | null;
}

/** What moves with the clock between messages: the clock, the countdowns, the ages and what they make of the badge. */
export interface WallTick {
  /** The line's clock now, ms (extrapolated). */
  lineNow: number;
  /**
   * The line's clock as far as the wall knows the line: `lineNow` while the
   * link is open, the moment it went down (or its last message, if later)
   * while it is down. Times in
   * state, the takt countdown and call durations stop there (nothing says the
   * state went on); the clock and the plan go on with `lineNow`.
   */
  observedNow: number;
  /** Units the plan expects by `lineNow`. */
  expectedByNow: number;
  thisHourTone: Tone;
  /** Seconds left of the takt since the last unit; negative when over takt; null before the first unit. */
  taktRemaining: number | null;
  freshness: Freshness;
  /**
   * Nothing on screen can be trusted now: the badge is red, or the link is
   * down (no message at all arrives). The whole wall greys, not just one tile.
   */
  stale: boolean;
  /** What made the badge what it is: the link's clock, the data's, or the collector refusing events. */
  staleBecause: 'none' | 'link' | 'data' | 'intake';
  /** While the collector refuses events (its disk or spool is full): why, and for how many seconds (server clock); else null. */
  intake: { code: 'spool_full' | 'disk_full' | 'disk_error'; seconds: number } | null;
  /** Seconds since the newest event reached the server; null if none yet. */
  dataAgeSeconds: number | null;
  /** Seconds since the last message of any kind, or since the link went down. */
  linkAgeSeconds: number;
}

/** The whole wall at one instant ({@link wallModel}): the data part and the tick part together. */
export interface WallModel extends Omit<WallBase, 'line' | 'stations' | 'shiftHourPlanByNow'>, WallTick {
  stations: StationView[];
}

const HOUR_MS = 3_600_000;

/** Tone of an actual against a target: ≥ 95 % good, ≥ 80 % warn, else bad. */
export function toneOf(actual: number, target: number): Tone {
  if (target <= 0) return 'good';
  const ratio = actual / target;
  if (ratio >= 0.95) return 'good';
  if (ratio >= 0.8) return 'warn';
  return 'bad';
}


/** Freshness of one age against amber/red thresholds. */
function level(ageMs: number, amberMs: number, redMs: number): Freshness {
  if (ageMs >= redMs) return 'red';
  if (ageMs >= amberMs) return 'amber';
  return 'live';
}

const RANK: Record<Freshness, number> = { live: 0, amber: 1, red: 2 };

/**
 * A count's colour follows the line as well as the count: "0 / 25" is not
 * green while no station runs. With stations and none of them running the
 * tone is bad; with one in fault or maintenance it is at best a warning. A
 * station whose signal is lost does not count as running.
 */
export function toneWithLine(tone: Tone, stations: readonly { state: StationState; signalLostSince?: number | null }[]): Tone {
  if (stations.length === 0) return tone;
  if (!stations.some((s) => s.state === 'running' && (s.signalLostSince ?? null) === null)) return 'bad';
  if (tone === 'good' && stations.some((s) => s.state === 'fault' || s.state === 'maintenance' || (s.signalLostSince ?? null) !== null)) return 'warn';
  return tone;
}

/** The demo clock's rate from a message; 1 on the wall clock. */
function clockRateOf(line: LineLive): number {
  return line.clockRate !== undefined && Number.isFinite(line.clockRate) && line.clockRate > 0 ? line.clockRate : 1;
}

/** The part of the wall that depends only on the latest message; null until the first snapshot. */
export function wallBase(line: LineLive | null): WallBase | null {
  if (!line) return null;
  const rate = clockRateOf(line);
  // The shift calendar knows breaks: when the collector sends this hour's plan, it wins.
  // Without it the plan is the target, spread evenly over the hour.
  const shiftHour = line.shift && line.shift.hourStart === line.hourStart ? line.shift : null;
  // The momentary bottleneck (loss accounting) when the collector sends it, so the tag moves to the
  // station a shortage starves; else the shift's.
  const picked = line.losses ? line.losses.bottleneck : (line.kpis?.bottleneck ?? null);
  const bottleneck = picked?.station ?? null;
  const labels = new Map((line.reasonLabels ?? []).map((l) => [l.reason, l.label] as const));
  const labelOf = (reason: string | null) => (reason ? (labels.get(reason) ?? null) : null);
  const stations: StationBase[] = line.stations.map((s) => ({
    id: s.id,
    name: s.name,
    state: s.state,
    reason: s.reason,
    reasonLabel: labelOf(s.reason),
    since: s.since,
    signalLostSince: s.signalLost?.since ?? null,
    signalLostSource: s.signalLost?.source ?? null,
    bottleneck: s.id === bottleneck,
  }));
  let shift: ShiftView | null = null;
  if (line.shift) {
    const topDown = line.shift.topDowntime[0];
    const shown = shiftFiguresShown(line.shift, line.targetPerHour);
    shift = {
      name: line.shift.shift.name,
      start: line.shift.shift.start,
      end: line.shift.shift.end,
      ended: line.shift.status === 'ended',
      units: shown.units,
      planByNow: shown.planByNow,
      planTotal: shown.planTotal,
      gap: shown.gap,
      forecast: shown.forecast,
      catchUp: shown.catchUp,
      topDowntime: topDown ? { ...topDown, reasonLabel: labelOf(topDown.reason) } : null,
      largestLoss: line.losses?.largestLoss ?? null,
      tone: toneWithLine(line.shift.planByNow < 1 ? 'good' : toneOf(line.shift.units, line.shift.planByNow), stations),
    };
  }
  return {
    line,
    demoRate: rate === 1 ? null : rate,
    timeZone: line.timeZone,
    unitsThisHour: line.unitsThisHour,
    planThisHour: shiftHour ? shiftHour.hourPlan : line.targetPerHour,
    shiftHourPlanByNow: shiftHour ? shiftHour.hourPlanByNow : null,
    unitsPerHour: line.unitsPerHour,
    targetPerHour: line.targetPerHour,
    unitsPerHourTone: toneWithLine(toneOf(line.unitsPerHour, line.targetPerHour), stations),
    taktTarget: line.taktTarget,
    stations,
    shift,
    bottleneckWhy: bottleneck === null ? null : (picked?.why ?? null),
  };
}

/**
 * The line's clock now: the message's instant extrapolated by the local time
 * elapsed since it arrived, times the demo clock's rate.
 */
export function lineNowAt(base: WallBase, lineArrivedAt: number, localNow: number): number {
  return base.line.now + Math.max(0, localNow - lineArrivedAt) * (base.demoRate ?? 1);
}

/** Seconds in state of a station at the line's clock `lineNow`. */
export function secondsInState(station: StationBase, lineNow: number): number | null {
  return station.since === null ? null : Math.max(0, (lineNow - station.since) / 1000);
}

/** Seconds since a station's source went silent, by the server's clock extrapolated locally. */
export function signalLostSeconds(station: StationBase, lineServerTime: number | null, sinceArrivalMs: number): number | null {
  if (station.signalLostSince === null) return null;
  return serverSecondsSince(station.signalLostSince, lineServerTime, sinceArrivalMs);
}

/** Seconds since the server's instant `since` (its wall clock), by the server's clock extrapolated locally. */
export function serverSecondsSince(since: number, lineServerTime: number | null, sinceArrivalMs: number): number {
  return Math.max(0, (lineServerTime ?? since) + sinceArrivalMs - since) / 1000;
}

/** The part of the wall that moves with the clock, at local time `localNow`. */
export function wallTick(base: WallBase, input: LiveInput, localNow: number, thresholds: StalenessThresholds = DEFAULT_STALENESS): WallTick {
  const { line } = base;
  const arrivedAt = input.lineArrivedAt ?? localNow;
  const sinceArrival = Math.max(0, localNow - arrivedAt);
  const lineNow = lineNowAt(base, arrivedAt, localNow);
  const elapsedInHour = Math.min(Math.max(0, lineNow - line.hourStart), HOUR_MS);
  const expectedByNow = Math.floor(base.shiftHourPlanByNow ?? (line.targetPerHour * elapsedInHour) / HOUR_MS);

  // Link: silence since the last message; a link that is down counts from whichever is later,
  // the last message or the moment it started (re)connecting.
  const lastSign = input.lastMessageAt ?? input.linkSince;
  // Down: the wall last knew the line when the link went down (or at its last message, if later).
  const lastKnown = Math.max(arrivedAt, input.lastMessageAt ?? 0, input.linkSince);
  const observedNow = input.status === 'open' ? lineNow : lineNowAt(base, arrivedAt, Math.min(localNow, lastKnown));
  const taktRemaining = line.lastUnitAt === null ? null : line.taktTarget - (observedNow - line.lastUnitAt) / 1000;
  const linkAgeMs = Math.max(0, localNow - lastSign);
  let linkLevel = level(linkAgeMs, thresholds.linkAmberMs, thresholds.linkRedMs);
  if (input.status !== 'open' && linkLevel === 'live') linkLevel = 'amber';

  const dataAgeMs =
    line.receivedAt === null || input.lineServerTime === null
      ? null
      : Math.max(0, input.lineServerTime - line.receivedAt) + sinceArrival;
  const dataLevel: Freshness =
    dataAgeMs === null ? 'amber' : level(dataAgeMs, thresholds.dataAmberMs, thresholds.dataRedMs);

  // A collector that refuses events keeps the last numbers: red at once, with the reason, while the link itself is fine.
  const refusing = line.intake && linkLevel === 'live' ? line.intake : null;
  const intake = refusing && { code: refusing.code, seconds: serverSecondsSince(refusing.since, input.lineServerTime, sinceArrival) };
  const linkWorse = RANK[linkLevel] >= RANK[dataLevel];
  const freshness = intake ? 'red' : linkWorse ? linkLevel : dataLevel;
  return {
    lineNow,
    observedNow,
    expectedByNow,
    thisHourTone: toneWithLine(expectedByNow === 0 ? 'good' : toneOf(base.unitsThisHour, expectedByNow), base.stations),
    taktRemaining,
    freshness,
    stale: freshness === 'red' || (linkWorse && freshness !== 'live'),
    staleBecause: intake ? 'intake' : freshness === 'live' ? 'none' : linkWorse ? 'link' : 'data',
    intake,
    dataAgeSeconds: dataAgeMs === null ? null : dataAgeMs / 1000,
    linkAgeSeconds: linkAgeMs / 1000,
  };
}

/** The whole wall at local time `localNow` (data and tick together); null until the first snapshot. */
export function wallModel(
  input: LiveInput,
  localNow: number,
  thresholds: StalenessThresholds = DEFAULT_STALENESS,
): WallModel | null {
  if (input.lineArrivedAt === null) return null;
  const base = wallBase(input.line);
  if (!base) return null;
  const tick = wallTick(base, input, localNow, thresholds);
  const sinceArrival = Math.max(0, localNow - input.lineArrivedAt);
  const { line: _line, stations, shiftHourPlanByNow: _plan, ...rest } = base;
  return {
    ...rest,
    ...tick,
    stations: stations.map((s) => ({
      id: s.id,
      name: s.name,
      state: s.state,
      reason: s.reason,
      reasonLabel: s.reasonLabel,
      secondsInState: secondsInState(s, tick.observedNow),
      signalLostSeconds: signalLostSeconds(s, input.lineServerTime, sinceArrival),
      signalLostSource: s.signalLostSource,
      bottleneck: s.bottleneck,
    })),
  };
}
