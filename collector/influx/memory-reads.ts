/**
 * The collector's reads over events held in memory, for unit tests of routes
 * and logic. It answers what InfluxDB answers for the same events (the test
 * in collector/test/reads.test.ts holds both to that): a repeat of an event
 * is one point, `result` is stored as `ok` when absent, percentiles are by
 * InfluxDB's nearest rank, buckets are aligned to the line's local clock.
 */
import { PARTNER_STATUSES, type CycleEvent, type PartnerEvent, type StateEvent, type StationEvent, type UnitEvent } from '../../core/events';
import type { OutputReport } from '../../core/cluster/goal';
import type { PartnerStatusReport } from '../../core/cluster/material-risk';
import type { HourRollup } from '../../core/kpi/hour-summary';
import type { InitialState } from '../../core/kpi/states';
import { zoneOffsetMs } from '../../core/time/zone';
import { MEASUREMENTS, pointTimestampNs, type LossHour, type LossLineHour, type RollupSpan, type ShiftingHour } from './points';
import {
  ALL_EVENT_KINDS,
  ORDERS_LOOKBACK_MS,
  PARTNER_STATUS_MAX_AGE_MS,
  type ConstraintRollup,
  type CycleStats,
  type EventReads,
  type HourActivity,
  type LineEvents,
  type UnitBucket,
} from './reads';
import { InfluxError, type EventStore } from './store';

const HOUR_MS = 3_600_000;

/** The series an event lands on in InfluxDB (measurement and tags). */
function seriesKey(e: StationEvent): string {
  switch (e.type) {
    case 'cycle':
    case 'state':
      return `${MEASUREMENTS[e.type]},${e.line},${e.station}`;
    case 'unit':
      return `unit,${e.line}`;
    case 'orders':
      return 'orders';
    case 'partner':
      return `partner,${e.partner}`;
    case 'output':
      return `output,${e.entity}`;
    case 'andon':
      return `andon,${e.line},${e.station}`;
    case 'andon_call':
      return `andon_call,${e.line},${e.station ?? ''}`;
    case 'andon_rules':
      return 'andon_rules';
    case 'stop_reason':
      return `stop_reason,${e.line},${e.station}`;
    case 'report_handover':
      return `report_handover,${e.line}`;
    case 'unit_defect':
      return `unit_defect,${e.line},${e.station ?? ''}`;
  }
}

/**
 * InfluxDB's percentile(): nearest rank, null when the rank falls outside the
 * values (e.g. the 10th percentile of one value).
 */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  const i = Math.floor((sorted.length * percent) / 100 + 0.5) - 1;
  return i < 0 || i >= sorted.length ? null : (sorted[i] ?? null);
}

/** Events as InfluxDB would hold them: one point per series and nanosecond, the later write winning. */
export class MemoryEvents {
  private readonly points = new Map<string, { ns: bigint; event: StationEvent }>();
  private sorted: { ns: bigint; event: StationEvent }[] | null = null;

  add(events: readonly StationEvent[]): void {
    for (const event of events) {
      const ns = BigInt(pointTimestampNs(event));
      const key = `${seriesKey(event)}|${ns}`;
      // InfluxDB merges the fields of a point written twice: a repeat without `id` keeps the first one's.
      const before = this.points.get(key)?.event;
      this.points.set(key, { ns, event: before ? ({ ...before, ...event } as StationEvent) : event });
    }
    this.sorted = null;
  }

  /** Closed hours' summaries by line and hour start: re-rolling an hour replaces it, as the points do. */
  /** By `span|line|start`. */
  readonly rollups = new Map<string, HourRollup>();

  addRollups(rollups: readonly HourRollup[], span: RollupSpan = 'hour'): void {
    for (const r of rollups) this.rollups.set(`${span}|${r.line}|${r.start}`, structuredClone(r));
  }

  /** Stored shifting-bottleneck hours by `line|start`: rolling an hour again replaces its row, as the point does. */
  readonly shifting = new Map<string, ShiftingHour>();

  /** Stored loss hours by `line|constraint|start` and line-level ones by `line|start`, replaced on a re-roll as the points are. */
  readonly losses = new Map<string, LossHour>();
  readonly lossLines = new Map<string, LossLineHour>();

  addLossHours(hours: readonly LossHour[], lines: readonly LossLineHour[]): void {
    for (const h of hours) this.losses.set(`${h.line}|${h.constraint}|${h.start}`, structuredClone(h));
    for (const h of lines) this.lossLines.set(`${h.line}|${h.start}`, structuredClone(h));
  }

  addShiftingHours(hours: readonly ShiftingHour[]): void {
    for (const h of hours) this.shifting.set(`${h.line}|${h.start}`, structuredClone(h));
  }

  /** Every stored event, ascending by timestamp. */
  all(): readonly StationEvent[] {
    this.sorted ??= [...this.points.values()].sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
    return this.sorted.map((p) => p.event);
  }
}

const isType =
  <T extends StationEvent['type']>(type: T) =>
  (e: StationEvent): e is Extract<StationEvent, { type: T }> =>
    e.type === type;

/** Start of the `minutes` bucket containing `ts`, aligned to local time in `timeZone` as InfluxDB's tz() does. */
function bucketStart(ts: number, minutes: number, timeZone: string): number {
  const size = minutes * 60_000;
  const offset = zoneOffsetMs(ts, timeZone);
  const local = ts + offset;
  return local - (((local % size) + size) % size) - offset;
}

function lastBy<T extends StationEvent>(events: readonly T[], key: (e: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const e of events) out.set(key(e), e);
  return out;
}

/** The reads of {@link EventReads} over events in memory. */
export function memoryReads(store: MemoryEvents): EventReads {
  const withResult = <T extends UnitEvent | CycleEvent>(e: T): T => ({ ...e, result: e.result ?? 'ok' });
  const inSpan = (from: number, to: number) => (e: StationEvent) => e.ts >= from && e.ts < to;

  return {
    async lineEvents(line, from, to, kinds = ALL_EVENT_KINDS): Promise<LineEvents> {
      const all = store.all();
      const events: StationEvent[] = [];
      const initialStates = Object.create(null) as Record<string, InitialState>;
      const states = all.filter(isType('state')).filter((e) => e.line === line.id);
      if (kinds.includes('state')) {
        for (const e of states.filter(inSpan(from, to))) events.push(strip(e));
        for (const [station, e] of lastBy(states.filter((s) => s.ts < from), (s) => s.station)) {
          initialStates[station] = { state: e.state, reason: e.reason !== undefined && e.reason !== '' ? e.reason : null, since: e.ts };
        }
      }
      const units = all.filter(isType('unit')).filter((e) => e.line === line.id);
      if (kinds.includes('unit')) for (const e of units.filter(inSpan(from - HOUR_MS, to))) events.push(stripUnit(withResult(e)));
      if (kinds.includes('cycle')) {
        for (const e of all.filter(isType('cycle')).filter((c) => c.line === line.id && c.ts >= from && c.ts < to)) events.push(stripCycle(withResult(e)));
      }
      const orders = kinds.includes('orders') ? all.filter(isType('orders')).filter(inSpan(from - ORDERS_LOOKBACK_MS, to)).at(-1) : undefined;
      if (orders) {
        events.push({ type: 'orders', ts: orders.ts, total: orders.total });
        if (orders.ts < from - HOUR_MS && kinds.includes('unit')) {
          for (const e of units.filter((u) => u.ts > orders.ts && u.ts < from - HOUR_MS)) {
            events.push({ type: 'unit', ts: e.ts, line: line.id, unit: e.unit, ...(e.result === 'nok' ? { result: 'nok' as const } : {}) });
          }
        }
      }
      return { events, initialStates };
    },

    async unitBuckets(line, from, to, minutes): Promise<UnitBucket[]> {
      const units = store.all().filter(isType('unit')).filter((e) => e.line === line.id && e.ts >= from && e.ts < to);
      // InfluxDB answers no series at all, not empty buckets, when no point falls in the interval.
      if (units.length === 0) return [];
      const buckets: UnitBucket[] = [];
      const index = new Map<number, UnitBucket>();
      for (let start = bucketStart(from, minutes, line.timeZone); start < to; start += minutes * 60_000) {
        const b = { start, units: 0, good: 0 };
        buckets.push(b);
        index.set(start, b);
      }
      for (const e of units) {
        const b = index.get(bucketStart(e.ts, minutes, line.timeZone));
        if (!b) continue;
        b.units += 1;
        if (e.result !== 'nok') b.good += 1;
      }
      return buckets;
    },

    async cycleStats(line, from, to, taktSeconds) {
      const byStation = new Map<string, number[]>();
      for (const e of store.all().filter(isType('cycle'))) {
        if (e.line !== line.id || e.ts < from || e.ts >= to) continue;
        const list = byStation.get(e.station) ?? [];
        list.push(e.cycleTime);
        byStation.set(e.station, list);
      }
      const out = new Map<string, CycleStats>();
      for (const [station, values] of byStation) {
        const sorted = [...values].sort((a, b) => a - b);
        out.set(station, {
          count: sorted.length,
          mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
          min: sorted[0] ?? null,
          p10: nearestRank(sorted, 10),
          p50: nearestRank(sorted, 50),
          p90: nearestRank(sorted, 90),
          max: sorted.at(-1) ?? null,
          withinTakt: sorted.filter((v) => v <= taktSeconds).length,
        });
      }
      return out;
    },

    async exportRows(line, type, fields, from, to) {
      return store
        .all()
        .filter((e): e is UnitEvent | CycleEvent | StateEvent => e.type === type && e.line === line.id && e.ts >= from && e.ts < to)
        .map((e) => {
          const stored: Record<string, unknown> = e.type === 'state' ? { ...e } : withResult(e);
          return Object.fromEntries([['time', e.ts], ...fields.map((f) => [f, stored[f] ?? null])]) as Record<string, unknown>;
        });
    },

    async countUnits(lines, from, to) {
      return store.all().filter(isType('unit')).filter((e) => lines.includes(e.line) && (from === null || e.ts > from) && e.ts <= to).length;
    },

    async firstUnitAt(line, from, to) {
      return store.all().filter(isType('unit')).find((e) => e.line === line && e.ts >= from && e.ts <= to)?.ts ?? null;
    },

    async lastUnitAt(line, from, to) {
      return store.all().filter(isType('unit')).filter((e) => e.line === line && e.ts >= from && e.ts <= to).at(-1)?.ts ?? null;
    },

    async latestOrders(now, lookbackMs) {
      const last = store.all().filter(isType('orders')).filter((e) => e.ts > now - lookbackMs && e.ts <= now).at(-1);
      return last ? { total: last.total, ts: last.ts } : null;
    },

    async partnerReports(now) {
      const recent = store.all().filter(isType('partner')).filter((e) => e.ts > now - PARTNER_STATUS_MAX_AGE_MS && e.ts <= now);
      const reports = new Map<string, PartnerStatusReport>();
      for (const [partner, e] of lastBy(recent, (p) => p.partner)) {
        reports.set(partner, {
          partner,
          ts: e.ts,
          status: e.status,
          inventoryHours: e.inventoryHours ?? null,
          onTimeRate: e.onTimeRate ?? null,
          note: e.note !== undefined && e.note !== '' ? e.note : null,
        });
      }
      return reports;
    },

    async partnerEvents(from, to) {
      return store
        .all()
        .filter(isType('partner'))
        .filter((e) => e.ts >= from && e.ts < to && PARTNER_STATUSES.includes(e.status))
        .map((e): PartnerEvent => ({ type: 'partner', ts: e.ts, partner: e.partner, status: e.status, ...(e.inventoryHours !== undefined ? { inventoryHours: e.inventoryHours } : {}) }))
        // InfluxDB answers partner by partner; the read sorts by time, keeping that order within a millisecond.
        .sort((a, b) => a.ts - b.ts || (a.partner < b.partner ? -1 : a.partner > b.partner ? 1 : 0));
    },

    async outputReports(periods, now) {
      const outputs = store.all().filter(isType('output'));
      const reports: OutputReport[] = [];
      for (const { period, from } of periods) {
        const last = lastBy(
          outputs.filter((e) => e.period === period && e.ts >= from && e.ts <= now),
          (e) => e.entity,
        );
        for (const entity of [...last.keys()].sort()) {
          const e = last.get(entity);
          if (e) reports.push({ entity, period, value: e.value, ts: e.ts });
        }
      }
      return reports;
    },

    async names(kind) {
      const names = new Set<string>();
      for (const e of store.all()) {
        if (kind === 'partner' && e.type === 'partner') names.add(e.partner);
        if (kind === 'entity' && e.type === 'output') names.add(e.entity);
      }
      return [...names].sort();
    },

    async rollups(line, from, to, detail = 'stations', span = 'hour') {
      return [...store.rollups.entries()]
        .filter(([key, r]) => key.startsWith(`${span}|`) && r.line === line && r.start >= from && r.start < to)
        .map(([, r]) => r)
        .sort((a, b) => a.start - b.start)
        // Stations in id order, as reads.ts gives them.
        .map((r) => ({
          ...structuredClone(r),
          losses: detail === 'losses' ? structuredClone(r.losses) : null,
          stopThresholdSeconds: r.stopThresholdSeconds ?? null,
          stations:
            detail === 'line' || detail === 'losses'
              ? []
              : structuredClone(r.stations)
                  .map((s) =>
                    detail === 'stops'
                      ? { station: s.station, cycles: { count: 0, sum: 0, min: null, max: null, buckets: new Map<number, number>() }, withinTakt: 0, stateSeconds: null, plannedStateSeconds: null, stateEvents: 0, down: null, asConstraint: null, stops: s.stops ?? null }
                      : detail === 'cycles'
                        ? { ...s, stateSeconds: null, plannedStateSeconds: null, down: null, asConstraint: null, stops: null }
                        : detail === 'timeline' || detail === 'states'
                          ? { ...s, cycles: { ...s.cycles, buckets: new Map<number, number>() }, asConstraint: null, stops: null, ...(detail === 'states' ? { down: null } : {}) }
                          : { ...s, stops: s.stops ?? null },
                  )
                  .sort((a, b) => (a.station < b.station ? -1 : a.station > b.station ? 1 : 0)),
        }));
    },

    async constraintRollups(line, station, from, to, span = 'hour') {
      const out = new Map<number, ConstraintRollup>();
      for (const [key, r] of store.rollups.entries()) {
        if (!key.startsWith(`${span}|`) || r.line !== line || r.start < from || r.start >= to) continue;
        const s = r.stations.find((x) => x.station === station);
        if (s) out.set(r.start, { cycles: structuredClone(s.cycles), asConstraint: s.asConstraint ? structuredClone(s.asConstraint) : null });
      }
      return out;
    },

    async nokEventsOf(line, units, from, to) {
      const ids = new Set(units);
      const out: StationEvent[] = [];
      // The fields reads.ts reads back, in its order: the units', then the cycles'.
      for (const kind of ['unit', 'cycle'] as const) {
        for (const e of store.all()) {
          if (e.type !== kind || e.line !== line.id || e.ts < from || e.ts >= to || e.result !== 'nok' || e.unit === undefined || !ids.has(e.unit)) continue;
          const base = { ts: e.ts, line: line.id, unit: e.unit, result: 'nok' as const, ...(e.defect ? { defect: e.defect } : {}) };
          out.push(e.type === 'cycle' ? { type: 'cycle', ...base, station: e.station, cycleTime: e.cycleTime } : { type: 'unit', ...base });
        }
      }
      return out.sort((a, b) => a.ts - b.ts);
    },

    async cycleTimes(line, from, to) {
      const out = new Map<string, number[]>();
      for (const e of store.all().filter(isType('cycle'))) {
        if (e.line !== line || e.ts < from || e.ts >= to) continue;
        const list = out.get(e.station) ?? [];
        list.push(e.cycleTime);
        out.set(e.station, list);
      }
      return out;
    },

    async hourActivity(line, from, to) {
      const out = new Map<number, HourActivity>();
      for (const e of store.all()) {
        if ((e.type !== 'unit' && e.type !== 'cycle' && e.type !== 'state') || e.line !== line.id || e.ts < from || e.ts >= to) continue;
        const start = bucketStart(e.ts, 60, line.timeZone);
        const hour = out.get(start) ?? { units: 0, cycles: 0, states: 0 };
        if (e.type === 'unit') hour.units += 1;
        else if (e.type === 'cycle') hour.cycles += 1;
        else hour.states += 1;
        out.set(start, hour);
      }
      return out;
    },

    async shiftingHours(line, from, to, withStations = true) {
      return [...store.shifting.values()]
        .filter((h) => h.line === line && h.start >= from && h.start < to)
        .sort((a, b) => a.start - b.start)
        .map((h) => ({ ...structuredClone(h), stations: h.status === 'final' && withStations ? structuredClone(h.stations) : [] }));
    },

    async lossHours(line, constraint, from, to) {
      return [...store.losses.values()]
        .filter((h) => h.line === line && h.constraint === constraint && h.start >= from && h.start < to)
        .sort((a, b) => a.start - b.start)
        .map((h) => ({ ...structuredClone(h), charges: h.status === 'final' ? structuredClone(h.charges) : [] }));
    },

    async lossLineHours(line, from, to, withStarved = true) {
      return [...store.lossLines.values()]
        .filter((h) => h.line === line && h.start >= from && h.start < to)
        .sort((a, b) => a.start - b.start)
        .map((h) => ({ ...structuredClone(h), starved: h.status === 'final' && withStarved ? structuredClone(h.starved) : [] }));
    },

    async firstEventAt(line) {
      return store.all().find((e) => (e.type === 'unit' || e.type === 'cycle' || e.type === 'state') && e.line === line)?.ts ?? null;
    },

    async andonCallEvents(from, to, line) {
      const events = store
        .all()
        .filter(isType('andon_call'))
        .filter((e) => e.ts >= from && e.ts < to && (line === undefined || e.line === line));
      return { events: structuredClone(events), skipped: 0 };
    },

    async stationAndonEvents(from, to) {
      return structuredClone(store.all().filter(isType('andon')).filter((e) => e.ts >= from && e.ts < to));
    },

    async andonRuleEdits(limit) {
      return structuredClone(store.all().filter(isType('andon_rules')).reverse().slice(0, Math.max(1, Math.trunc(limit))));
    },

    async stopReasonEvents(since) {
      return { events: structuredClone(store.all().filter(isType('stop_reason')).filter((e) => e.ts >= since)), skipped: 0 };
    },

    async handoverEvents(since) {
      return { events: structuredClone(store.all().filter(isType('report_handover')).filter((e) => e.ts >= since)), skipped: 0 };
    },

    async unitDefectEvents(since) {
      return { events: structuredClone(store.all().filter(isType('unit_defect')).filter((e) => e.ts >= since)), skipped: 0 };
    },
  };
}

function strip(e: StateEvent): StateEvent {
  return { type: 'state', ts: e.ts, line: e.line, station: e.station, state: e.state, ...(e.reason ? { reason: e.reason } : {}) };
}
function stripUnit(e: UnitEvent): UnitEvent {
  return { type: 'unit', ts: e.ts, line: e.line, unit: e.unit, ...(e.result ? { result: e.result } : {}), ...(e.model ? { model: e.model } : {}) };
}
function stripCycle(e: CycleEvent): CycleEvent {
  return {
    type: 'cycle',
    ts: e.ts,
    line: e.line,
    station: e.station,
    cycleTime: e.cycleTime,
    ...(e.unit ? { unit: e.unit } : {}),
    ...(e.result ? { result: e.result } : {}),
  };
}

/**
 * An {@link EventStore} in memory: writes are kept, reads answer as InfluxDB
 * would. `query` refuses: nothing outside reads.ts writes InfluxQL.
 */
export function memoryStore(): EventStore & { events: MemoryEvents } {
  const events = new MemoryEvents();
  const info = { url: 'memory:', reachable: true, product: 'unknown', version: null, name: 'memory', writePath: 'v2', error: null } as const;
  return {
    events,
    reads: memoryReads(events),
    async write(batch) {
      events.add(batch);
    },
    async writeRollups(rollups, span = 'hour') {
      events.addRollups(rollups, span);
    },
    async writeShiftingHours(hours) {
      events.addShiftingHours(hours);
    },
    async writeLossHours(hours, lines) {
      events.addLossHours(hours, lines);
    },
    async query() {
      throw new InfluxError('influx_query_failed', 'the memory store answers typed reads only (collector/influx/reads.ts)', false);
    },
    info: () => ({ ...info }),
    refreshInfo: async () => ({ ...info }),
    close: async () => undefined,
  };
}
