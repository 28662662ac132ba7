/**
 * Live-channel protocol (WebSocket /api/v1/live), shared by the collector's
 * live hub and the dashboard's live client.
 */
import type { StationState } from './events';
import type { AndonLive } from './andon/types';
import type { ShiftLive } from './kpi/shift-live';
import type { ReasonLabel } from './reasons/labels';
import type { LossLive } from './loss/types';

/** The current shift's bottleneck and OEE, recomputed from stored events every half minute or so. */
export interface ShiftKpisLive {
  /** When these were computed (the line's clock), epoch ms. */
  at: number;
  bottleneck: { station: string | null; shifting: boolean; why: { zh: string; en: string } };
  oee: { availability: number | null; performance: number | null; quality: number | null; oee: number | null };
}

/** One station as a wall screen shows it. */
export interface StationLive {
  id: string;
  name: { zh: string; en: string };
  state: StationState;
  /** When the station entered `state`, epoch ms; null before the first state event. */
  since: number | null;
  reason: string | null;
  /** Most recent cycle time, seconds. */
  lastCycleTime: number | null;
  /**
   * The plant-floor source serving the station (OPC UA, Sparkplug) delivers
   * nothing: its id and since when (server wall clock, epoch ms). The state
   * above is then only the last one heard. Absent or null while it delivers,
   * or when the station reports over HTTP/MQTT itself.
   */
  signalLost?: StationSignalLost | null;
}

/** A silent source behind a station (core/kpi/station-signal.ts). */
export interface StationSignalLost {
  /** Id of the silent source (the one silent longest when several serve the station). */
  source: string;
  /** Since when nothing arrives from it, server wall clock, epoch ms. */
  since: number;
}

/** A line's live numbers, complete in every message: the latest state wins. */
export interface LineLive {
  line: string;
  name: { zh: string; en: string };
  timeZone: string;
  /** Planned units per hour. */
  targetPerHour: number;
  /** Seconds per unit at the planned rate. */
  taktTarget: number;
  /** Units since the start of the current local clock hour. */
  unitsThisHour: number;
  /** Start of the current local clock hour, epoch ms. */
  hourStart: number;
  /** Units in the trailing 60 minutes. */
  unitsPerHour: number;
  /** Completion time of the newest unit, epoch ms. */
  lastUnitAt: number | null;
  /** Units seen since the collector started tracking this line. */
  unitsTotal: number;
  stations: StationLive[];
  /** Timestamp of the newest event applied, epoch ms (the data's own clock). */
  dataAt: number | null;
  /**
   * The instant these numbers are computed for, epoch ms: the line clock. The
   * wall clock in production; the explicit demo clock in the demo, never the
   * events' own time.
   */
  now: number;
  /** Line seconds per wall second when the collector runs a demo clock (e.g. 60); absent on the wall clock. */
  clockRate?: number;
  /** Server wall-clock time at which the newest event for this line arrived, epoch ms. */
  receivedAt: number | null;
  /** This shift against plan (or the last shift's final numbers between shifts). */
  shift: ShiftLive | null;
  /** Bottleneck and OEE of the shift; null until first computed. */
  kpis: ShiftKpisLive | null;
  /** Momentary bottleneck and the shift's largest loss (loss accounting); absent until the collector computes them. */
  losses?: LossLive | null;
  /** Open andon calls of the line; absent until the collector tracks calls. */
  andon?: AndonLive;
  /**
   * The plant's labels (zh and en) of the stop reasons this view shows (the stations' and the
   * shift's largest downtimes), read from the reason tree; a reason not listed is shown as sent.
   */
  reasonLabels?: ReasonLabel[];
  /**
   * Whether the collector takes events: null while it does; while it refuses every batch (its spool's
   * quota or disk is full, or the disk fails), why and since when (server wall clock, epoch ms). The
   * numbers above then stop where the last stored event left them. Absent from collectors before it.
   */
  intake?: IntakeStopped | null;
}

/** Why the collector refuses events (its spool, collector/spool/spool.ts `SpoolStatus`). */
export interface IntakeStopped {
  /** `spool_full`: the quota of events InfluxDB has not confirmed yet; `disk_full`: ENOSPC; `disk_error`: another I/O error. */
  code: 'spool_full' | 'disk_full' | 'disk_error';
  since: number;
}

/**
 * Server → client messages. `seq` numbers the line's broadcast stream: a
 * snapshot carries the current number, and every later update or heartbeat to
 * the subscribers of that line carries the previous number + 1. A client that
 * sees anything else has missed a message and asks for a fresh snapshot
 * (`resync`). Broadcasts are serialised once for all clients of a line.
 */
export type LiveServerMessage =
  | { type: 'snapshot'; seq: number; serverTime: number; line: LineLive }
  | { type: 'update'; seq: number; serverTime: number; line: LineLive }
  | { type: 'heartbeat'; seq: number; serverTime: number }
  | { type: 'error'; code: string; message: string };

/** Client → server messages. */
export type LiveClientMessage = { type: 'subscribe'; line: string } | { type: 'resync' };
