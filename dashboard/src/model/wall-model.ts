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
  /** Seconds in the current state by the line's clock; null before the first state event. */
  secondsInState: number | null;
  bottleneck: boolean;
}

/** The shift against plan, when the collector sends it. */
export interface ShiftView {
  name: { zh: string; en: string };
  start: number;
  end: number;
  ended: boolean;
  units: number;
  /** Units due by now (calendar-aware, breaks excluded). */
  planByNow: number;
  planTotal: number;
  /** units − planByNow as shown (both whole numbers), so the three figures always add up: negative = behind. */
  gap: number;
  forecast: number | null;
  /** Units per hour needed for the rest of the shift to reach plan; null when ended or nothing is left to plan. */
  catchUpRate: number | null;
  /** The shift's largest downtime so far (station, state, reason, seconds); null when there was none. */
  topDowntime: { station: string; state: 'fault' | 'maintenance'; reason: string; seconds: number } | null;
  /** The shift's largest loss so far in units (loss accounting); null when nothing was lost or the collector does not say. */
  largestLoss: { cause: LossCause; units: number } | null;
  tone: Tone;
}

export interface WallModel {
  /** The line's clock now, ms (extrapolated). */
  lineNow: number;
  /** Line seconds per wall second when the collector runs a demo clock; null on the wall clock. */
  demoRate: number | null;
  timeZone: string;
  unitsThisHour: number;
  /** Units planned for the whole hour. */
  planThisHour: number;
  /** Units the plan expects by `lineNow`. */
  expectedByNow: number;
  thisHourTone: Tone;
  unitsPerHour: number;
  targetPerHour: number;
  unitsPerHourTone: Tone;
  /** Takt target, s. */
  taktTarget: number;
  /** Seconds left of the takt since the last unit; negative when over takt; null before the first unit. */
  taktRemaining: number | null;
  stations: StationView[];
  shift: ShiftView | null;
  /** Why the collector picked the bottleneck (the momentary one when it sends losses), in both languages; null when it named none. */
  bottleneckWhy: { zh: string; en: string } | null;
  freshness: Freshness;
  /**
   * Nothing on screen can be trusted now: the badge is red, or the link is
   * down (no message at all arrives). The whole wall greys, not just one tile.
   */
  stale: boolean;
  /** Which clock made the badge what it is. */
  staleBecause: 'none' | 'link' | 'data';
  /** Seconds since the newest event reached the server; null if none yet. */
  dataAgeSeconds: number | null;
  /** Seconds since the last message of any kind, or since the link went down. */
  linkAgeSeconds: number;
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
 * tone is bad; with one in fault or maintenance it is at best a warning.
 */
export function toneWithLine(tone: Tone, stations: readonly { state: StationState }[]): Tone {
  if (stations.length === 0) return tone;
  if (!stations.some((s) => s.state === 'running')) return 'bad';
  if (tone === 'good' && stations.some((s) => s.state === 'fault' || s.state === 'maintenance')) return 'warn';
  return tone;
}

/** Builds the wall model at local time `localNow`; null until the first snapshot. */
export function wallModel(
  input: LiveInput,
  localNow: number,
  thresholds: StalenessThresholds = DEFAULT_STALENESS,
): WallModel | null {
  const { line } = input;
  if (!line || input.lineArrivedAt === null) return null;
  const sinceArrival = Math.max(0, localNow - input.lineArrivedAt);
  const rate = line.clockRate !== undefined && Number.isFinite(line.clockRate) && line.clockRate > 0 ? line.clockRate : 1;
  const lineNow = line.now + sinceArrival * rate;

  // The shift calendar knows breaks: when the collector sends this hour's plan, it wins.
  // Without it the plan is the target, spread evenly over the hour.
  const shiftHour = line.shift && line.shift.hourStart === line.hourStart ? line.shift : null;
  const elapsedInHour = Math.min(Math.max(0, lineNow - line.hourStart), HOUR_MS);
  const planThisHour = shiftHour ? shiftHour.hourPlan : line.targetPerHour;
  const expectedByNow = Math.floor(shiftHour ? shiftHour.hourPlanByNow : (line.targetPerHour * elapsedInHour) / HOUR_MS);

  const taktRemaining = line.lastUnitAt === null ? null : line.taktTarget - (lineNow - line.lastUnitAt) / 1000;

  // The momentary bottleneck (loss accounting) when the collector sends it, so the tag moves to the
  // station a shortage starves; else the shift's.
  const picked = line.losses ? line.losses.bottleneck : (line.kpis?.bottleneck ?? null);
  const bottleneck = picked?.station ?? null;
  const stations: StationView[] = line.stations.map((s) => ({
    id: s.id,
    name: s.name,
    state: s.state,
    reason: s.reason,
    secondsInState: s.since === null ? null : Math.max(0, (lineNow - s.since) / 1000),
    bottleneck: s.id === bottleneck,
  }));

  // Link: silence since the last message; a link that is down counts from whichever is later,
  // the last message or the moment it started (re)connecting.
  const lastSign = input.lastMessageAt ?? input.linkSince;
  const linkAgeMs = Math.max(0, localNow - lastSign);
  let linkLevel = level(linkAgeMs, thresholds.linkAmberMs, thresholds.linkRedMs);
  if (input.status !== 'open' && linkLevel === 'live') linkLevel = 'amber';

  const dataAgeMs =
    line.receivedAt === null || input.lineServerTime === null
      ? null
      : Math.max(0, input.lineServerTime - line.receivedAt) + sinceArrival;
  const dataLevel: Freshness =
    dataAgeMs === null ? 'amber' : level(dataAgeMs, thresholds.dataAmberMs, thresholds.dataRedMs);

  const linkWorse = RANK[linkLevel] >= RANK[dataLevel];
  const freshness = linkWorse ? linkLevel : dataLevel;
  const planByNowShown = line.shift ? Math.floor(line.shift.planByNow) : 0;
  return {
    lineNow,
    demoRate: rate === 1 ? null : rate,
    timeZone: line.timeZone,
    unitsThisHour: line.unitsThisHour,
    planThisHour,
    expectedByNow,
    thisHourTone: toneWithLine(expectedByNow === 0 ? 'good' : toneOf(line.unitsThisHour, expectedByNow), stations),
    unitsPerHour: line.unitsPerHour,
    targetPerHour: line.targetPerHour,
    unitsPerHourTone: toneWithLine(toneOf(line.unitsPerHour, line.targetPerHour), stations),
    taktTarget: line.taktTarget,
    taktRemaining,
    stations,
    shift: line.shift
      ? {
          name: line.shift.shift.name,
          start: line.shift.shift.start,
          end: line.shift.shift.end,
          ended: line.shift.status === 'ended',
          units: line.shift.units,
          planByNow: planByNowShown,
          planTotal: Math.round(line.shift.planTotal),
          gap: line.shift.units - planByNowShown,
          forecast: line.shift.forecast === null ? null : Math.round(line.shift.forecast),
          catchUpRate: line.shift.status === 'ended' || line.shift.catchUpRate === null ? null : Math.ceil(line.shift.catchUpRate),
          topDowntime: line.shift.topDowntime[0] ?? null,
          largestLoss: line.losses?.largestLoss ?? null,
          tone: toneWithLine(line.shift.planByNow < 1 ? 'good' : toneOf(line.shift.units, line.shift.planByNow), stations),
        }
      : null,
    bottleneckWhy: bottleneck === null ? null : (picked?.why ?? null),
    freshness,
    stale: freshness === 'red' || (linkWorse && freshness !== 'live'),
    staleBecause: freshness === 'live' ? 'none' : linkWorse ? 'link' : 'data',
    dataAgeSeconds: dataAgeMs === null ? null : dataAgeMs / 1000,
    linkAgeSeconds: linkAgeMs / 1000,
  };
}
