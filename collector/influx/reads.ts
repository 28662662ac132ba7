/**
 * Every read the collector makes of InfluxDB, behind typed methods. This file
 * owns the schema as the reads see it (measurements from points.ts, which
 * fields are tags) and every InfluxQL statement; routes combine these
 * methods and never write a query. `memory-reads.ts` implements the same
 * interface over events in memory for unit tests.
 */
import {
  AndonCallEvent,
  AndonEvent,
  AndonRulesEvent,
  PARTNER_STATUSES,
  StopReasonEvent,
  ReportHandoverEvent,
  UnitDefectEvent,
  type CycleEvent,
  type OrdersEvent,
  type PartnerEvent,
  type PartnerStatus,
  type StateEvent,
  type StationEvent,
  type StationState,
  type UnitEvent,
} from '../../core/events';
import type { OutputReport } from '../../core/cluster/goal';
import type { PartnerStatusReport } from '../../core/cluster/material-risk';
import { decodeBuckets, decodeDown, type CycleSummary, type HourRollup, type StationHour } from '../../core/kpi/hour-summary';
import { TIMELINE_STATES, zeroStateSeconds, type InitialState, type StateSeconds } from '../../core/kpi/states';
import { decodeStopPiece } from '../../core/reasons/stop-rollup';
import { decodeConstraintCycles, type ConstraintCycles, type PieceLosses } from '../../core/kpi/loss-rollup';
import type { LineConfig } from '../../core/plant';
import { z } from 'zod';
import { msLiteral, stringLiteral } from '../history/influxql';
import { LOSS_LINE_MEASUREMENT, LOSS_MEASUREMENT, rollupMeasurement, SHIFTING_MEASUREMENT, type LossHour, type LossLineHour, type RollupSpan, type ShiftingHour } from './points';
import type { LossCause, LossKind } from '../../core/loss/types';
import type { InfluxSeries } from './store';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Orders snapshots older than this before the interval are not looked for. */
export const ORDERS_LOOKBACK_MS = 7 * 24 * HOUR_MS;
/** How far before an interval a station's last state is looked for first, ms (then all history, when not found). */
const INITIAL_STATE_LOOKBACK_MS = 7 * 24 * HOUR_MS;
/** A partner that has not reported for this long shows no status. */
export const PARTNER_STATUS_MAX_AGE_MS = 30 * DAY_MS;

/** A line's events in the shape core/ computes KPIs from, with the last state of each station before the interval. */
export interface LineEvents {
  events: StationEvent[];
  /** Keyed by station; no prototype, so a station called `constructor` is just a station. */
  initialStates: Record<string, InitialState>;
}

/** Which kinds of event to read; a caller that needs only states (a downtime Pareto) skips the rest. */
export type EventKind = 'state' | 'unit' | 'cycle' | 'orders';
export const ALL_EVENT_KINDS: readonly EventKind[] = ['state', 'unit', 'cycle', 'orders'];

/** Units and good units in one time bucket that starts at `start` (epoch ms). */
export interface UnitBucket {
  start: number;
  units: number;
  good: number;
}

/** Cycle-time figures of one station over an interval, seconds; null where there were no cycles. */
export interface CycleStats {
  count: number;
  mean: number | null;
  min: number | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  max: number | null;
  /** Cycles at or under the takt time. */
  withinTakt: number;
}

/** Event types GET /api/v1/export/events can export. */
export type ExportType = 'unit' | 'cycle' | 'state';

export interface OrdersSnapshot {
  total: number;
  ts: number;
}

/** What the collector reads from storage. Intervals are `[from, to)` unless a method says otherwise; instants are epoch ms. */
export interface EventReads {
  /**
   * A line's events in `[from, to)` with the look-back core's computeLineKpis
   * documents: the last state of every station before `from`, units from an
   * hour before it, the newest orders snapshot of the week before `to`, and
   * the units since that snapshot when it is older.
   */
  lineEvents(line: LineConfig, from: number, to: number, kinds?: readonly EventKind[]): Promise<LineEvents>;
  /**
   * Units per bucket of `minutes` aligned to the line's local clock (hours
   * and days in its time zone), every bucket that starts before `to` from
   * the one containing `from`, empty buckets included.
   */
  unitBuckets(line: LineConfig, from: number, to: number, minutes: number): Promise<UnitBucket[]>;
  /** Cycle-time figures per station (stations without cycles are absent); percentiles by nearest rank. */
  cycleStats(line: LineConfig, from: number, to: number, taktSeconds: number): Promise<Map<string, CycleStats>>;
  /** Raw rows of one event type for CSV export, ascending, with `time` and the asked fields. */
  exportRows(line: LineConfig, type: ExportType, fields: readonly string[], from: number, to: number): Promise<Record<string, unknown>[]>;
  /** Units the given lines completed in `(from, to]`; `from` null means since the beginning. */
  countUnits(lines: readonly string[], from: number | null, to: number): Promise<number>;
  /** The first unit a line completed in `[from, to]`; null when none did. */
  firstUnitAt(line: string, from: number, to: number): Promise<number | null>;
  /** The last unit a line completed in `[from, to]`; null when none did. */
  lastUnitAt(line: string, from: number, to: number): Promise<number | null>;
  /** The newest `orders` snapshot in `(now − lookbackMs, now]`. */
  latestOrders(now: number, lookbackMs: number): Promise<OrdersSnapshot | null>;
  /** The newest report of every partner in the 30 days up to `now` (inclusive), by partner id. */
  partnerReports(now: number): Promise<Map<string, PartnerStatusReport>>;
  /** Every `partner` report in `[from, to)`, ascending. */
  partnerEvents(from: number, to: number): Promise<PartnerEvent[]>;
  /** The newest report of each entity for each month in `periods`, reported from the month's `from` up to `now` (inclusive). */
  outputReports(periods: readonly { period: string; from: number }[], now: number): Promise<OutputReport[]>;
  /** Every partner id (`partner` reports) or entity (`output` reports) ever stored. */
  names(kind: 'partner' | 'entity'): Promise<string[]>;
  /**
   * The stored summaries of a line's closed hours that start in `[from, to)`,
   * ascending. `detail` says how much: `line` leaves out the stations
   * (empty `stations`), which a unit count does not need; `cycles` leaves out
   * the stations' state seconds (null), which a cycle distribution does not
   * need; `losses` is the line's row with its loss part (no stations);
   * `stations` (default) reads everything.
   */
  rollups(line: string, from: number, to: number, detail?: RollupDetail, span?: RollupSpan): Promise<HourRollup[]>;
  /**
   * One station's row of the stored summaries (hours or days) that start in
   * `[from, to)`, by start: its cycle summary and its productive cycles as a
   * possible constraint (null when the summary has none). What a long loss
   * read needs once it knows the interval's constraint.
   */
  constraintRollups(line: string, station: string, from: number, to: number, span?: RollupSpan): Promise<Map<number, ConstraintRollup>>;
  /** The `nok` unit and cycle events in `[from, to)` of the given units (people's defect codes name them), ascending. */
  nokEventsOf(line: LineConfig, units: readonly string[], from: number, to: number): Promise<StationEvent[]>;
  /** Every cycle time of a line's stations in `[from, to)`, seconds, by station. */
  cycleTimes(line: string, from: number, to: number): Promise<Map<string, number[]>>;
  /** Raw events per local clock hour of the line (hours that hold any), by the hour's start. */
  hourActivity(line: LineConfig, from: number, to: number): Promise<Map<number, HourActivity>>;
  /** When the line's first unit, cycle or state event was; null when it has none. */
  firstEventAt(line: string): Promise<number | null>;
  /** Andon call steps (`andon_call`) stamped in `[from, to)`, all lines or one; rows that no longer validate are skipped and counted. */
  andonCallEvents(from: number, to: number, line?: string): Promise<{ events: AndonCallEvent[]; skipped: number }>;
  /** Pull-cord events (`andon`) stamped in `[from, to)`. */
  stationAndonEvents(from: number, to: number): Promise<AndonEvent[]>;
  /** The newest `limit` andon rule edits (whatever their age), newest first. */
  andonRuleEdits(limit: number): Promise<AndonRulesEvent[]>;
  /** Stop-reason classifications stamped at or after `since`; rows that no longer validate are skipped and counted. */
  stopReasonEvents(since: number): Promise<{ events: StopReasonEvent[]; skipped: number }>;
  /** Shift-report handover steps stamped at or after `since`; rows that no longer validate are skipped and counted. */
  handoverEvents(since: number): Promise<{ events: ReportHandoverEvent[]; skipped: number }>;
  /** People's defect codes for nok units stamped at or after `since`; rows that no longer validate are skipped and counted. */
  unitDefectEvents(since: number): Promise<{ events: UnitDefectEvent[]; skipped: number }>;
  /**
   * The stored shifting-bottleneck hours (`shifting_hour`) of a line that start
   * in `[from, to)`, ascending, any status and version; `stations` only on
   * final rows, and only when `withStations` (default true): the roller's
   * checks need the rest alone.
   */
  shiftingHours(line: string, from: number, to: number, withStations?: boolean): Promise<ShiftingHour[]>;
  /** The stored loss hours (`loss_hour`) of a line at one station as the constraint that start in `[from, to)`, ascending, any status and version. */
  lossHours(line: string, constraint: string, from: number, to: number): Promise<LossHour[]>;
  /**
   * The stored line-level loss hours (`loss_line_hour`) that start in `[from, to)`, ascending, any
   * status and version; `starved` only on final rows, and only when `withStarved` (default true).
   */
  lossLineHours(line: string, from: number, to: number, withStarved?: boolean): Promise<LossLineHour[]>;
}

/**
 * How much of a rollup to read: `losses` is the line's row with its loss part (no station rows);
 * `timeline` is `stations` without the cycle-time buckets (empty) and the loss part, for a reader
 * that shows no percentile; `states` is `timeline` without the stations' down segments (null, most of
 * its bytes), for a reader that shows no fault episode, Pareto or MTTR (a trend's points); `stops`
 * is the line's row and the stations' stops only (core/reasons/stop-rollup.ts), for stop records.
 */
export type RollupDetail = 'line' | 'cycles' | 'stations' | 'timeline' | 'states' | 'losses' | 'stops';

const StoredPieceLosses = z.object({
  plannedMs: z.number(),
  hasData: z.boolean(),
  units: z.number(),
  goodUnits: z.number(),
  qualityByDefect: z.array(z.object({ defect: z.string().nullable(), station: z.string().nullable(), units: z.number() })),
  cycles: z.array(z.tuple([z.string(), z.number()])),
});

/** A stored hour's line-level loss part (JSON in the `losses` field, core/kpi/loss-rollup.ts); null when absent or not what the roller writes (the hour reads raw then). */
function decodePieceLosses(v: unknown): PieceLosses | null {
  if (typeof v !== 'string' || v === '') return null;
  try {
    const parsed = StoredPieceLosses.safeParse(JSON.parse(v));
    return parsed.success ? (parsed.data as PieceLosses) : null;
  } catch {
    return null;
  }
}

const StoredShiftingStations = z.array(z.tuple([z.string(), z.number().int().nonnegative(), z.number().int().nonnegative()]));

const LOSS_KINDS = ['downtime', 'starved', 'blocked', 'speed', 'quality', 'microstop', 'no_data', 'unexplained'] as const satisfies readonly LossKind[];
const StoredCauseKey = z.tuple([z.enum(LOSS_KINDS), z.string(), z.string(), z.string(), z.string()]);
const StoredLossCharges = z.object({
  n: z.array(z.string()),
  c: z.array(z.tuple([z.string(), z.number().int().nonnegative(), z.array(z.number().int())])),
});
const StoredStarved = z.array(z.tuple([z.string(), z.string().nullable(), z.number().int().nullable(), z.number().int(), z.number().int().positive()]));

/** A cause from its key (core/loss/waterfall.ts `causeKey`: empty parts are absent), or null when it is not one. */
function causeOfKey(key: string): LossCause | null {
  try {
    const parsed = StoredCauseKey.safeParse(JSON.parse(key));
    if (!parsed.success) return null;
    const [kind, station, partner, state, reason] = parsed.data;
    const cause: LossCause = { kind };
    if (station !== '') cause.station = station;
    if (partner !== '') cause.partner = partner;
    if (state !== '') cause.state = state;
    if (reason !== '') cause.reason = reason;
    return cause;
  } catch {
    return null;
  }
}

/** Status, window and version fields every loss row has; null when any is not what the roller writes. */
function lossRowHead(r: Record<string, unknown>): { start: number; end: number; status: LossHour['status']; version: number } | null {
  const status = r.status;
  if (status !== 'final' && status !== 'pending' && status !== 'unrollable') return null;
  const start = Number(r.time);
  const end = Number(r.end);
  const version = Number(r.version ?? 0);
  if (![start, end, version].every(Number.isFinite)) return null;
  return { start, end, status, version };
}

/** A stored `loss_hour` row, or null when it is not what the roller writes (the hour is then rolled again and read raw). */
export function decodeLossHour(line: string, constraint: string, r: Record<string, unknown>): LossHour | null {
  const head = lossRowHead(r);
  const ws = Number(r.window_start);
  const we = Number(r.window_end);
  const productiveMs = Number(r.productive_ms);
  if (head === null || ![ws, we, productiveMs].every(Number.isFinite)) return null;
  const charges: LossHour['charges'] = [];
  if (head.status === 'final') {
    try {
      const parsed = StoredLossCharges.safeParse(JSON.parse(typeof r.charges === 'string' ? r.charges : ''));
      if (!parsed.success) return null;
      const names = parsed.data.n;
      for (const [key, ms, flat] of parsed.data.c) {
        const cause = causeOfKey(key);
        if (cause === null || flat.length % 3 !== 0) return null;
        const episodes: LossHour['charges'][number]['episodes'] = [];
        for (let i = 0; i < flat.length; i += 3) {
          const from = head.start + (flat[i] as number);
          const at = flat[i + 2] as number;
          const name = at < 0 ? null : names[at];
          if (name === undefined) return null;
          episodes.push({ from, to: from + (flat[i + 1] as number), constraint: name });
        }
        charges.push({ key, cause, ms, episodes });
      }
    } catch {
      return null;
    }
  }
  return { line, constraint, ...head, window: { start: ws, end: we }, charges, productiveMs };
}

/** A stored `loss_line_hour` row, or null when it is not what the roller writes. */
export function decodeLossLineHour(line: string, r: Record<string, unknown>, withStarved: boolean): LossLineHour | null {
  const head = lossRowHead(r);
  const ws = Number(r.window_start);
  const we = Number(r.window_end);
  if (head === null || typeof r.known !== 'boolean' || !Number.isFinite(ws) || !Number.isFinite(we)) return null;
  let starved: LossLineHour['starved'] = [];
  if (head.status === 'final' && withStarved) {
    try {
      const parsed = StoredStarved.safeParse(JSON.parse(typeof r.starved === 'string' ? r.starved : ''));
      if (!parsed.success) return null;
      starved = parsed.data.map(([station, reason, since, offset, length]) => ({ station, reason, since, start: head.start + offset, end: head.start + offset + length }));
    } catch {
      return null;
    }
  }
  return { line, ...head, window: { start: ws, end: we }, known: r.known, starved };
}

/** A stored `shifting_hour` row, or null when it is not what the roller writes (the hour is then rolled again and read raw). */
export function decodeShiftingHour(line: string, r: Record<string, unknown>, withStations: boolean): ShiftingHour | null {
  const status = r.status;
  if (status !== 'final' && status !== 'pending' && status !== 'unrollable') return null;
  const start = Number(r.time);
  const nums = [start, Number(r.end), Number(r.window_start), Number(r.window_end), Number(r.planned_ms), Number(r.version ?? 0)];
  if (!nums.every(Number.isFinite)) return null;
  const [, end, ws, we, plannedMs, version] = nums as [number, number, number, number, number, number];
  let stations: ShiftingHour['stations'] = [];
  if (status === 'final' && withStations) {
    try {
      const parsed = StoredShiftingStations.safeParse(JSON.parse(typeof r.stations === 'string' ? r.stations : ''));
      if (!parsed.success) return null;
      stations = parsed.data.map(([station, soleMs, shiftingMs]) => ({ station, soleMs, shiftingMs }));
    } catch {
      return null;
    }
  }
  return { line, start, end, status, window: { start: ws, end: we }, plannedMs, stations, version };
}

/** One station's part of a stored summary, for the loss waterfall at that station as the constraint. */
export interface ConstraintRollup {
  cycles: CycleSummary;
  asConstraint: ConstraintCycles | null;
}

/** How many raw events of each kind an hour holds. */
export interface HourActivity {
  units: number;
  cycles: number;
  states: number;
}

/** One row as an event-shaped object (`time` → `ts`, empty values left out); prototype-free, its keys come from the server. */
function rowEvent(type: string, columns: readonly string[], row: readonly unknown[]): Record<string, unknown> {
  const raw = Object.create(null) as Record<string, unknown>;
  raw.type = type;
  columns.forEach((c, i) => {
    const v = row[i];
    if (v !== null && v !== undefined && v !== '') raw[c === 'time' ? 'ts' : c] = v;
  });
  return raw;
}

/** The rows of `series` that validate as `schema`, and how many did not. */
function parsedRows<T>(type: string, series: readonly InfluxSeries[], schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): { events: T[]; skipped: number } {
  const events: T[] = [];
  let skipped = 0;
  for (const s of series) {
    for (const row of s.values) {
      const parsed = schema.safeParse(rowEvent(type, s.columns, row));
      if (parsed.success) events.push(parsed.data);
      else skipped += 1;
    }
  }
  return { events, skipped };
}

const ANDON_CALL_FIELDS = ['id', 'call', 'action', 'actorKind', 'actorId', 'actorName', 'kind', 'priority', 'note', 'reason', 'tier', 'role', 'reopens', 'rule', 'episode'];

/** Rows of series as objects keyed by column, tags included. The one place InfluxDB's answer shape is unpacked. */
export function rows(series: readonly InfluxSeries[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const s of series) {
    const tags = s.tags ? Object.entries(s.tags) : [];
    const columns = s.columns;
    for (const v of s.values) {
      // Prototype-free: column and tag names come from the server.
      const row = Object.create(null) as Record<string, unknown>;
      for (const [k, t] of tags) row[k] = t;
      for (let i = 0; i < columns.length; i += 1) row[columns[i] as string] = v[i];
      out.push(row);
    }
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Single-row statements sent in one request at most; a longer batch is split so influxd can answer the parts side by side. */
const STATEMENTS_PER_REQUEST = 24;

/**
 * Single-row reads (a count, a first or last point) asked in the same tick of
 * the event loop travel together: one request of `;`-separated statements
 * instead of one each, which is what a trend's buckets, read side by side,
 * spend most of their round trips on. Each statement names its one value
 * `v<k>`, so its row is told apart in the flattened answer; a statement
 * without a row (nothing matched) answers undefined.
 */
function singleRowBatcher(store: { query(influxql: string): Promise<InfluxSeries[]> }) {
  type Row = { time: unknown; value: unknown };
  let pending: { select: (alias: string) => string; resolve: (row: Row | undefined) => void; reject: (error: unknown) => void }[] = [];
  const send = async (batch: typeof pending) => {
    try {
      const series = await store.query(batch.map((p, k) => p.select(`v${k}`)).join('; '));
      const found = new Map<number, Row>();
      for (const s of series) {
        const row = s.values[0];
        if (!row) continue;
        s.columns.forEach((c, i) => {
          const k = /^v(\d+)$/.exec(c)?.[1];
          if (k !== undefined) found.set(Number(k), { time: row[s.columns.indexOf('time')], value: row[i] });
        });
      }
      batch.forEach((p, k) => p.resolve(found.get(k)));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };
  return (select: (alias: string) => string): Promise<Row | undefined> =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) {
        setImmediate(() => {
          const all = pending;
          pending = [];
          for (let i = 0; i < all.length; i += STATEMENTS_PER_REQUEST) void send(all.slice(i, i + STATEMENTS_PER_REQUEST));
        });
      }
      pending.push({ select, resolve, reject });
    });
}

/** The collector's reads as InfluxQL over a store's `query`. */
export function influxReads(store: { query(influxql: string): Promise<InfluxSeries[]> }): EventReads {
  const lineIs = (line: string) => `"line" = ${stringLiteral(line)}`;
  const span = (from: number, to: number) => `time >= ${msLiteral(from)} AND time < ${msLiteral(to)}`;
  const singleRow = singleRowBatcher(store);

  /**
   * Each station's last state point before `from`. last() is a selector: "reason" comes from the same
   * point, so a stop carried into the interval keeps its reason. Looked for in the week before first
   * (a scan of all history before `from` costs a year's state events); only when a station of the line
   * has no point there is all history read, so the answer is the same.
   */
  const lastStatesBefore = async (where: string, from: number): Promise<InfluxSeries[]> => {
    const select = `SELECT last("state") AS "state", "reason" FROM "state" WHERE ${where} AND time < ${msLiteral(from)}`;
    const [recent, stations] = await Promise.all([
      store.query(`${select} AND time >= ${msLiteral(from - INITIAL_STATE_LOOKBACK_MS)} GROUP BY "station"`),
      store.query(`SHOW TAG VALUES FROM "state" WITH KEY = "station" WHERE ${where}`),
    ]);
    const found = new Set(recent.map((s) => s.tags?.station));
    const every = rows(stations).every((r) => found.has(String(r.value)));
    return every ? recent : store.query(`${select} GROUP BY "station"`);
  };

  return {
    async lineEvents(line, from, to, kinds = ALL_EVENT_KINDS) {
      const where = lineIs(line.id);
      const wanted = (kind: EventKind, statement: string) => (kinds.includes(kind) ? store.query(statement) : Promise.resolve([]));
      const [states, initial, units, cycles, orders] = await Promise.all([
        wanted('state', `SELECT "station", "state", "reason" FROM "state" WHERE ${where} AND ${span(from, to)}`),
        kinds.includes('state') ? lastStatesBefore(where, from) : Promise.resolve([]),
        wanted('unit', `SELECT "unit", "result", "model", "defect" FROM "unit" WHERE ${where} AND ${span(from - HOUR_MS, to)}`),
        wanted('cycle', `SELECT "station", "cycleTime", "unit", "result", "defect" FROM "cycle" WHERE ${where} AND ${span(from, to)}`),
        wanted('orders', `SELECT last("total") AS "total" FROM "orders" WHERE ${span(from - ORDERS_LOOKBACK_MS, to)}`),
      ]);

      const events: StationEvent[] = [];
      for (const r of rows(states)) {
        const event: StateEvent = { type: 'state', ts: r.time as number, line: line.id, station: String(r.station), state: r.state as StationState };
        const reason = str(r.reason);
        if (reason) event.reason = reason;
        events.push(event);
      }
      for (const r of rows(units)) {
        const event: UnitEvent = { type: 'unit', ts: r.time as number, line: line.id, unit: String(r.unit) };
        if (r.result === 'nok' || r.result === 'ok') event.result = r.result;
        const model = str(r.model);
        if (model) event.model = model;
        const defect = str(r.defect);
        if (defect) event.defect = defect;
        events.push(event);
      }
      for (const r of rows(cycles)) {
        const event: CycleEvent = { type: 'cycle', ts: r.time as number, line: line.id, station: String(r.station), cycleTime: Number(r.cycleTime) };
        const unit = str(r.unit);
        if (unit) event.unit = unit;
        if (r.result === 'nok' || r.result === 'ok') event.result = r.result;
        const defect = str(r.defect);
        if (defect) event.defect = defect;
        events.push(event);
      }
      let ordersAt: number | null = null;
      for (const r of rows(orders)) {
        const event: OrdersEvent = { type: 'orders', ts: r.time as number, total: Number(r.total) };
        ordersAt = event.ts;
        events.push(event);
      }
      // Units since the orders snapshot, when it is older than the look-back above: the backlog counts them.
      if (ordersAt !== null && ordersAt < from - HOUR_MS && kinds.includes('unit')) {
        const more = await store.query(
          `SELECT "unit", "result" FROM "unit" WHERE ${where} AND time > ${msLiteral(ordersAt)} AND time < ${msLiteral(from - HOUR_MS)}`,
        );
        for (const r of rows(more)) events.push({ type: 'unit', ts: r.time as number, line: line.id, unit: String(r.unit), ...(r.result === 'nok' ? { result: 'nok' as const } : {}) });
      }

      const initialStates = Object.create(null) as Record<string, InitialState>;
      for (const s of initial) {
        const station = s.tags?.station;
        const r = rows([s])[0];
        if (station && r && typeof r.state === 'string') {
          initialStates[station] = { state: r.state as StationState, reason: str(r.reason) ?? null, since: r.time as number };
        }
      }
      return { events, initialStates };
    },

    async unitBuckets(line, from, to, minutes) {
      const series = await store.query(
        `SELECT count("good") AS "units", sum("good") AS "good" FROM "unit" WHERE ${lineIs(line.id)} AND ${span(from, to)} GROUP BY time(${minutes}m) fill(0) tz(${stringLiteral(line.timeZone)})`,
      );
      return rows(series).map((r) => ({ start: r.time as number, units: Number(r.units ?? 0), good: Number(r.good ?? 0) }));
    },

    async cycleStats(line, from, to, taktSeconds) {
      const w = `${lineIs(line.id)} AND ${span(from, to)}`;
      const [stats, within] = await Promise.all([
        store.query(
          `SELECT count("cycleTime") AS "count", mean("cycleTime") AS "mean", min("cycleTime") AS "min", percentile("cycleTime", 10) AS "p10", percentile("cycleTime", 50) AS "p50", percentile("cycleTime", 90) AS "p90", max("cycleTime") AS "max" FROM "cycle" WHERE ${w} GROUP BY "station"`,
        ),
        store.query(`SELECT count("cycleTime") AS "count" FROM "cycle" WHERE ${w} AND "cycleTime" <= ${taktSeconds} GROUP BY "station"`),
      ]);
      const withinBy = new Map(rows(within).map((r) => [String(r.station), Number(r.count ?? 0)]));
      const out = new Map<string, CycleStats>();
      for (const r of rows(stats)) {
        const station = String(r.station);
        out.set(station, {
          count: Number(r.count ?? 0),
          mean: numberOrNull(r.mean),
          min: numberOrNull(r.min),
          p10: numberOrNull(r.p10),
          p50: numberOrNull(r.p50),
          p90: numberOrNull(r.p90),
          max: numberOrNull(r.max),
          withinTakt: withinBy.get(station) ?? 0,
        });
      }
      return out;
    },

    async exportRows(line, type, fields, from, to) {
      const series = await store.query(`SELECT ${fields.map((f) => `"${f}"`).join(', ')} FROM "${type}" WHERE ${lineIs(line.id)} AND ${span(from, to)}`);
      return rows(series);
    },

    async countUnits(lines, from, to) {
      if (lines.length === 0) return 0;
      const where = lines.map(lineIs).join(' OR ');
      const since = from === null ? '' : `time > ${msLiteral(from)} AND `;
      const r = await singleRow((v) => `SELECT count("unit") AS "${v}" FROM "unit" WHERE (${where}) AND ${since}time <= ${msLiteral(to)}`);
      return numberOrNull(r?.value) ?? 0;
    },

    async firstUnitAt(line, from, to) {
      const r = await singleRow((v) => `SELECT first("unit") AS "${v}" FROM "unit" WHERE ${lineIs(line)} AND time >= ${msLiteral(from)} AND time <= ${msLiteral(to)}`);
      return r ? Number(r.time) : null;
    },

    async lastUnitAt(line, from, to) {
      const r = await singleRow((v) => `SELECT last("unit") AS "${v}" FROM "unit" WHERE ${lineIs(line)} AND time >= ${msLiteral(from)} AND time <= ${msLiteral(to)}`);
      return r ? Number(r.time) : null;
    },

    async latestOrders(now, lookbackMs) {
      const r = await singleRow((v) => `SELECT last("total") AS "${v}" FROM "orders" WHERE time > ${msLiteral(now - lookbackMs)} AND time <= ${msLiteral(now)}`);
      const total = numberOrNull(r?.value);
      return r && total !== null ? { total, ts: Number(r.time) } : null;
    },

    async partnerReports(now) {
      // last() is a selector: the other fields come from the same point, so a report's figures stay together.
      const series = await store.query(
        `SELECT last("status") AS "status", "inventoryHours", "onTimeRate", "note" FROM "partner" ` +
          `WHERE time > ${msLiteral(now - PARTNER_STATUS_MAX_AGE_MS)} AND time <= ${msLiteral(now)} GROUP BY "partner"`,
      );
      const reports = new Map<string, PartnerStatusReport>();
      for (const s of series) {
        const partner = s.tags?.partner;
        const r = rows([s])[0];
        if (!partner || !r || !PARTNER_STATUSES.includes(r.status as PartnerStatus)) continue;
        reports.set(partner, {
          partner,
          ts: Number(r.time),
          status: r.status as PartnerStatus,
          inventoryHours: numberOrNull(r.inventoryHours),
          onTimeRate: numberOrNull(r.onTimeRate),
          note: typeof r.note === 'string' && r.note !== '' ? r.note : null,
        });
      }
      return reports;
    },

    async partnerEvents(from, to) {
      const series = await store.query(
        `SELECT "status", "inventoryHours", "note" FROM "partner" WHERE ${span(from, to)} GROUP BY "partner"`,
      );
      const out: PartnerEvent[] = [];
      for (const r of rows(series)) {
        const partner = str(r.partner);
        if (!partner || !PARTNER_STATUSES.includes(r.status as PartnerStatus)) continue;
        const event: PartnerEvent = { type: 'partner', ts: Number(r.time), partner, status: r.status as PartnerStatus };
        const hours = numberOrNull(r.inventoryHours);
        if (hours !== null) event.inventoryHours = hours;
        out.push(event);
      }
      return out.sort((a, b) => a.ts - b.ts);
    },

    async outputReports(periods, now) {
      if (periods.length === 0) return [];
      // `period` is a field, so each month is its own statement (one request): last() per entity among that month's reports.
      const statements = periods.map(
        ({ period, from }) =>
          `SELECT last("value") AS "value", "period" FROM "output" WHERE "period" = ${stringLiteral(period)} ` +
          `AND time >= ${msLiteral(from)} AND time <= ${msLiteral(now)} GROUP BY "entity"`,
      );
      const reports: OutputReport[] = [];
      for (const r of rows(await store.query(statements.join('; ')))) {
        const value = numberOrNull(r.value);
        const entity = str(r.entity);
        if (!entity || value === null || typeof r.period !== 'string') continue;
        reports.push({ entity, period: r.period, value, ts: Number(r.time) });
      }
      return reports;
    },

    async names(kind) {
      const series = await store.query(kind === 'partner' ? 'SHOW TAG VALUES FROM "partner" WITH KEY = "partner"' : 'SHOW TAG VALUES FROM "output" WITH KEY = "entity"');
      return rows(series)
        .map((r) => r.value)
        .filter((v): v is string => typeof v === 'string');
    },

    async rollups(line, from, to, detail = 'stations', of = 'hour') {
      const w = `${lineIs(line)} AND ${span(from, to)}`;
      const measurement = rollupMeasurement(of);
      const lossField = detail === 'losses' ? ', "losses"' : '';
      const statements = [`SELECT "units", "good", "stateEvents", "taktSeconds", "end", "version", "stopThreshold"${lossField} FROM "${measurement}" WHERE "level" = 'line' AND ${w}`];
      if (detail === 'stops') statements.push(`SELECT "stops" FROM "${measurement}" WHERE "level" = 'station' AND ${w} GROUP BY "station"`);
      // `losses` is the line's row only: its loss part carries the stations' cycle counts.
      else if (detail !== 'line' && detail !== 'losses') {
        const withStates = detail === 'stations' || detail === 'timeline' || detail === 'states';
        const states = withStates
          ? `, ${TIMELINE_STATES.flatMap((st) => [`"s_${st}"`, `"p_${st}"`]).join(', ')}${detail === 'states' ? '' : ', "down"'}${detail === 'stations' ? ', "asConstraint", "stops"' : ''}`
          : '';
        // The buckets are most of a summary's bytes: a year of day summaries is 7 MB of them.
        const buckets = detail === 'timeline' || detail === 'states' ? '' : ', "cycleBuckets"';
        statements.push(
          `SELECT "cycles", "cycleSum", "cycleMin", "cycleMax"${buckets}, "withinTakt", "stateEvents"${states} ` +
            `FROM "${measurement}" WHERE "level" = 'station' AND ${w} GROUP BY "station"`,
        );
      }
      const series = await store.query(statements.join('; '));
      const byHour = new Map<number, HourRollup>();
      const stationRows: Record<string, unknown>[] = [];
      for (const r of rows(series)) {
        if (typeof r.station === 'string') stationRows.push(r);
        else {
          const start = Number(r.time);
          byHour.set(start, {
            line,
            start,
            end: Number(r.end),
            units: Number(r.units ?? 0),
            goodUnits: Number(r.good ?? 0),
            stateEvents: Number(r.stateEvents ?? 0),
            taktSeconds: Number(r.taktSeconds),
            version: Number(r.version ?? 0),
            losses: detail === 'losses' ? decodePieceLosses(r.losses) : null,
            stopThresholdSeconds: Number(r.stopThreshold ?? 0) > 0 ? Number(r.stopThreshold) : null,
            stations: [],
          });
        }
      }
      for (const r of stationRows) {
        const hour = byHour.get(Number(r.time));
        if (!hour) continue;
        const count = Number(r.cycles ?? 0);
        let stateSeconds: StateSeconds | null = null;
        let plannedStateSeconds: StateSeconds | null = null;
        const timeline = detail === 'stations' || detail === 'timeline';
        if (timeline || detail === 'states') {
          stateSeconds = zeroStateSeconds();
          plannedStateSeconds = zeroStateSeconds();
          for (const state of TIMELINE_STATES) {
            stateSeconds[state] = Number(r[`s_${state}`] ?? 0);
            plannedStateSeconds[state] = Number(r[`p_${state}`] ?? 0);
          }
        }
        const station: StationHour = {
          station: String(r.station),
          cycles: {
            count,
            sum: Number(r.cycleSum ?? 0),
            min: count > 0 ? Number(r.cycleMin) : null,
            max: count > 0 ? Number(r.cycleMax) : null,
            buckets: decodeBuckets(typeof r.cycleBuckets === 'string' ? r.cycleBuckets : ''),
          },
          withinTakt: Number(r.withinTakt ?? 0),
          stateSeconds,
          plannedStateSeconds,
          stateEvents: Number(r.stateEvents ?? 0),
          down: timeline ? decodeDown(typeof r.down === 'string' ? r.down : '') : null,
          // Read back with everything, so a day is built from its hours' (core/kpi/day-rollup.ts).
          asConstraint: detail === 'stations' ? decodeConstraintCycles(r.asConstraint) : null,
          stops: detail === 'stations' || detail === 'stops' ? decodeStopPiece(r.stops) : null,
        };
        hour.stations.push(station);
      }
      // Stations in id order: InfluxDB's order of points that share a timestamp is no promise.
      for (const hour of byHour.values()) hour.stations.sort((a, b) => (a.station < b.station ? -1 : a.station > b.station ? 1 : 0));
      return [...byHour.values()].sort((a, b) => a.start - b.start);
    },

    async constraintRollups(line, station, from, to, of = 'hour') {
      const series = await store.query(
        `SELECT "cycles", "cycleSum", "cycleMin", "cycleMax", "cycleBuckets", "asConstraint" FROM "${rollupMeasurement(of)}" ` +
          `WHERE "level" = 'station' AND "station" = ${stringLiteral(station)} AND ${lineIs(line)} AND ${span(from, to)}`,
      );
      const out = new Map<number, ConstraintRollup>();
      for (const r of rows(series)) {
        const count = Number(r.cycles ?? 0);
        out.set(Number(r.time), {
          cycles: {
            count,
            sum: Number(r.cycleSum ?? 0),
            min: count > 0 ? Number(r.cycleMin) : null,
            max: count > 0 ? Number(r.cycleMax) : null,
            buckets: decodeBuckets(typeof r.cycleBuckets === 'string' ? r.cycleBuckets : ''),
          },
          asConstraint: decodeConstraintCycles(r.asConstraint),
        });
      }
      return out;
    },

    async nokEventsOf(line, units, from, to) {
      const out: StationEvent[] = [];
      // A few hundred units per statement keeps the query short; people code a handful a shift.
      for (let i = 0; i < units.length; i += 200) {
        const ids = units.slice(i, i + 200).map((u) => `"unit" = ${stringLiteral(u)}`).join(' OR ');
        const where = `${lineIs(line.id)} AND ${span(from, to)} AND "result" = 'nok' AND (${ids})`;
        const series = await store.query(`SELECT "unit", "defect" FROM "unit" WHERE ${where}; SELECT "station", "unit", "defect", "cycleTime" FROM "cycle" WHERE ${where}`);
        for (const r of rows(series)) {
          const defect = str(r.defect);
          const base = { ts: r.time as number, line: line.id, unit: String(r.unit), result: 'nok' as const, ...(defect ? { defect } : {}) };
          if (typeof r.station === 'string') out.push({ type: 'cycle', ...base, station: r.station, cycleTime: Number(r.cycleTime) });
          else out.push({ type: 'unit', ...base });
        }
      }
      return out.sort((a, b) => a.ts - b.ts);
    },

    async cycleTimes(line, from, to) {
      const series = await store.query(`SELECT "cycleTime" FROM "cycle" WHERE ${lineIs(line)} AND ${span(from, to)} GROUP BY "station"`);
      const out = new Map<string, number[]>();
      for (const r of rows(series)) {
        const station = String(r.station);
        const list = out.get(station) ?? [];
        list.push(Number(r.cycleTime));
        out.set(station, list);
      }
      return out;
    },

    async hourActivity(line, from, to) {
      const group = `GROUP BY time(1h) fill(none) tz(${stringLiteral(line.timeZone)})`;
      const w = `${lineIs(line.id)} AND ${span(from, to)}`;
      const [units, cycles, states] = await Promise.all([
        store.query(`SELECT count("good") AS "n" FROM "unit" WHERE ${w} ${group}`),
        store.query(`SELECT count("cycleTime") AS "n" FROM "cycle" WHERE ${w} ${group}`),
        store.query(`SELECT count("state") AS "n" FROM "state" WHERE ${w} ${group}`),
      ]);
      const out = new Map<number, HourActivity>();
      const at = (ts: number) => {
        const hour = out.get(ts) ?? { units: 0, cycles: 0, states: 0 };
        out.set(ts, hour);
        return hour;
      };
      for (const r of rows(units)) at(Number(r.time)).units += Number(r.n ?? 0);
      for (const r of rows(cycles)) at(Number(r.time)).cycles += Number(r.n ?? 0);
      for (const r of rows(states)) at(Number(r.time)).states += Number(r.n ?? 0);
      return out;
    },

    async andonCallEvents(from, to, line) {
      const where = [span(from, to), ...(line ? [lineIs(line)] : [])].join(' AND ');
      const series = await store.query(`SELECT ${ANDON_CALL_FIELDS.map((f) => `"${f}"`).join(', ')}, "line", "station" FROM "andon_call" WHERE ${where}`);
      return parsedRows('andon_call', series, AndonCallEvent);
    },

    async stationAndonEvents(from, to) {
      const series = await store.query(`SELECT "kind", "action", "id", "line", "station" FROM "andon" WHERE ${span(from, to)}`);
      return parsedRows('andon', series, AndonEvent).events;
    },

    async andonRuleEdits(limit) {
      const series = await store.query(
        `SELECT "id", "actorKind", "actorId", "actorName", "rules" FROM "andon_rules" ORDER BY time DESC LIMIT ${Math.max(1, Math.trunc(limit))}`,
      );
      return parsedRows('andon_rules', series, AndonRulesEvent).events;
    },

    async stopReasonEvents(since) {
      const series = await store.query(`SELECT * FROM "stop_reason" WHERE time >= ${msLiteral(since)}`);
      return parsedRows('stop_reason', series, StopReasonEvent);
    },

    async handoverEvents(since) {
      const series = await store.query(`SELECT * FROM "report_handover" WHERE time >= ${msLiteral(since)}`);
      return parsedRows('report_handover', series, ReportHandoverEvent);
    },

    async unitDefectEvents(since) {
      const series = await store.query(`SELECT * FROM "unit_defect" WHERE time >= ${msLiteral(since)}`);
      return parsedRows('unit_defect', series, UnitDefectEvent);
    },

    async shiftingHours(line, from, to, withStations = true) {
      const fields = `"end", "status", "window_start", "window_end", "planned_ms", "version"${withStations ? ', "stations"' : ''}`;
      const series = await store.query(`SELECT ${fields} FROM "${SHIFTING_MEASUREMENT}" WHERE ${lineIs(line)} AND ${span(from, to)}`);
      return rows(series)
        .map((r) => decodeShiftingHour(line, r, withStations))
        .filter((h) => h !== null)
        .sort((a, b) => a.start - b.start);
    },

    async lossHours(line, constraint, from, to) {
      const series = await store.query(
        `SELECT "end", "status", "window_start", "window_end", "productive_ms", "version", "charges" FROM "${LOSS_MEASUREMENT}" ` +
          `WHERE ${lineIs(line)} AND "constraint" = ${stringLiteral(constraint)} AND ${span(from, to)}`,
      );
      return rows(series)
        .map((r) => decodeLossHour(line, constraint, r))
        .filter((h) => h !== null)
        .sort((a, b) => a.start - b.start);
    },

    async lossLineHours(line, from, to, withStarved = true) {
      const fields = `"end", "status", "window_start", "window_end", "known", "version"${withStarved ? ', "starved"' : ''}`;
      const series = await store.query(`SELECT ${fields} FROM "${LOSS_LINE_MEASUREMENT}" WHERE ${lineIs(line)} AND ${span(from, to)}`);
      return rows(series)
        .map((r) => decodeLossLineHour(line, r, withStarved))
        .filter((h) => h !== null)
        .sort((a, b) => a.start - b.start);
    },

    async firstEventAt(line) {
      const series = await store.query(
        [`SELECT first("good") FROM "unit"`, `SELECT first("cycleTime") FROM "cycle"`, `SELECT first("state") FROM "state"`]
          .map((q) => `${q} WHERE ${lineIs(line)}`)
          .join('; '),
      );
      const times = rows(series).map((r) => Number(r.time)).filter(Number.isFinite);
      return times.length > 0 ? Math.min(...times) : null;
    },
  };
}
