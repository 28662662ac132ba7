/**
 * Loss accounting's shapes, shared by core's waterfall, the collector's
 * `GET /api/v1/losses` and the dashboard. The definition lives in docs/kpi.md.
 */
import type { StopReasonsPart } from '../reasons/stops';

/** What a lost unit is charged to. */
export type LossKind = 'downtime' | 'starved' | 'blocked' | 'speed' | 'quality' | 'microstop' | 'no_data' | 'unexplained';

/** The cause of a loss: a kind plus whatever names its origin. */
export interface LossCause {
  kind: LossKind;
  /** The station charged: the constraint's own downtime, or the origin a starvation or blocking was traced to. */
  station?: string;
  /** A supply partner whose material ran out (kind `starved`). */
  partner?: string;
  /** The station state behind the loss (`fault`, `maintenance`, `starved`, …). */
  state?: string;
  /** The stop's reason (station-sent text or code). */
  reason?: string;
}

/** One stretch of time behind a loss, for drilling into a waterfall bar. */
export interface LossEpisode {
  /** epoch ms */
  from: number;
  /** epoch ms */
  to: number;
  /** The momentary bottleneck (Roser) while this episode cost output; the loss itself is counted at the interval's constraint (docs/kpi.md). */
  constraint: string | null;
  units: number;
  seconds: number;
}

export interface LossTerm {
  cause: LossCause;
  /** Units lost; the terms of a waterfall add up exactly to planUnits − goodUnits. */
  units: number;
  /** Planned seconds behind the loss (0 for quality). */
  seconds: number;
  /** Largest episodes first, at most 50. */
  episodes: LossEpisode[];
  /** Why a term reads as it does, when it needs saying (an `unexplained` term that is negative: buffers drained). */
  why?: { zh: string; en: string };
}

/** A partner's material ran out at the station it supplies: a first-class fact. */
export interface ShortageEpisode {
  partner: string;
  station: string;
  /** When the material-risk alert was raised, epoch ms; null if none was. */
  alertAt: number | null;
  /** When the station first starved for this partner's parts, epoch ms. */
  starvedFrom: number;
  /** When supply came back (the station ran again), epoch ms; null while still short. */
  supplyBackAt: number | null;
  unitsLost: number;
}

/** A station's share of the interval as the line's bottleneck (Roser's active-period method). */
export interface BottleneckShare {
  station: string;
  /** Share of the interval (0–1) in which this station alone was the bottleneck. */
  soleShare: number;
  /** Share of the interval (0–1) in which it shared the bottleneck with the next one (overlapping active periods). */
  shiftingShare: number;
}

/** One stretch of the interval with the same momentary bottleneck. */
export interface BottleneckSpan {
  /** epoch ms */
  from: number;
  /** epoch ms */
  to: number;
  station: string;
  /** true while the bottleneck is shifting (overlap of two stations' active periods). */
  shifting: boolean;
  /** While shifting: the other station whose active period overlaps (both are the bottleneck then). */
  with?: string;
}

/** `GET /api/v1/losses`. `status: 'no_data'` when the interval has no events at all: then every number is 0 and nothing is a loss but `no_data`. */
export interface LossReport {
  status: 'ok' | 'no_data';
  line: string;
  range: { from: number; to: number; label: string };
  planUnits: number;
  goodUnits: number;
  /** Largest first. */
  losses: LossTerm[];
  bottleneck: {
    stations: BottleneckShare[];
    timeline: BottleneckSpan[];
    /**
     * How the timeline is drawn: absent, the exact stretches (ranges under 2 days); `hour` or `day`, a
     * long range's timeline by local hour (up to 31 days) or day, each bucket showing the station that
     * was the bottleneck longest in it (docs/kpi.md).
     */
    resolution?: 'hour' | 'day';
  };
  shortages: ShortageEpisode[];
  /**
   * Rejects by defect code and station: units that left the line nok (station
   * null) and nok cycles stations reported (docs/reasons.md). `defect` null: none sent.
   */
  qualityByDefect?: QualityByDefect[];
  /** Stop time by classified reason and category, and the unclassified share (core/reasons/stops.ts), when the collector has it. */
  reasons?: StopReasonsPart;
}

/** One row of {@link LossReport.qualityByDefect}. */
export interface QualityByDefect {
  defect: string | null;
  station: string | null;
  units: number;
}

/** The wall's view of losses: the momentary bottleneck and the shift's largest loss so far. */
export interface LossLive {
  /** The momentary bottleneck (longest current active period); null when no station is active. */
  bottleneck: { station: string | null; shifting: boolean; why: { zh: string; en: string } };
  /** The shift's largest loss so far, in units; null when nothing was lost. */
  largestLoss: { cause: LossCause; units: number } | null;
}
