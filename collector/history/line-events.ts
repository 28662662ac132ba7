/**
 * Reads a line's events back from InfluxDB, in the shape core/ computes KPIs
 * from, with the look-back computeLineKpis documents: the last state of every
 * station before the interval, units from an hour before it, the newest
 * orders snapshot.
 */
import type { CycleEvent, OrdersEvent, StateEvent, StationEvent, StationState, UnitEvent } from '../../core/events';
import type { InitialState } from '../../core/kpi/states';
import type { LineConfig } from '../../core/plant';
import type { EventStore, InfluxSeries } from '../influx/store';
import { msLiteral, stringLiteral } from './influxql';

const HOUR_MS = 3_600_000;
/** Orders snapshots older than this before the interval are not looked for. */
const ORDERS_LOOKBACK_MS = 7 * 24 * HOUR_MS;

export interface LineEvents {
  events: StationEvent[];
  initialStates: Record<string, InitialState>;
}

/** Rows of a series as objects keyed by column. */
function rows(series: InfluxSeries): Record<string, unknown>[] {
  return series.values.map((v) => ({ ...series.tags, ...Object.fromEntries(series.columns.map((c, i) => [c, v[i]])) }));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Which kinds of event to read; a caller that needs only states (a downtime Pareto) skips the rest. */
export type EventKind = 'state' | 'unit' | 'cycle' | 'orders';
const ALL_KINDS: readonly EventKind[] = ['state', 'unit', 'cycle', 'orders'];

export async function readLineEvents(
  store: EventStore,
  line: LineConfig,
  from: number,
  to: number,
  kinds: readonly EventKind[] = ALL_KINDS,
): Promise<LineEvents> {
  const where = `"line" = ${stringLiteral(line.id)}`;
  const span = (start: number) => `time >= ${msLiteral(start)} AND time < ${msLiteral(to)}`;
  const wanted = (kind: EventKind, statement: string) => (kinds.includes(kind) ? store.query(statement) : Promise.resolve([]));
  const [states, initial, units, cycles, orders] = await Promise.all([
    wanted('state', `SELECT "station", "state", "reason" FROM "state" WHERE ${where} AND ${span(from)}`),
    // last() is a selector: "reason" comes from the same point, so a stop carried into the interval keeps its reason.
    wanted('state', `SELECT last("state") AS "state", "reason" FROM "state" WHERE ${where} AND time < ${msLiteral(from)} GROUP BY "station"`),
    wanted('unit', `SELECT "unit", "result", "model", "defect" FROM "unit" WHERE ${where} AND ${span(from - HOUR_MS)}`),
    wanted('cycle', `SELECT "station", "cycleTime", "unit", "result", "defect" FROM "cycle" WHERE ${where} AND ${span(from)}`),
    wanted('orders', `SELECT last("total") AS "total" FROM "orders" WHERE time >= ${msLiteral(from - ORDERS_LOOKBACK_MS)} AND time < ${msLiteral(to)}`),
  ]);

  const events: StationEvent[] = [];
  for (const s of states) {
    for (const r of rows(s)) {
      const event: StateEvent = { type: 'state', ts: r.time as number, line: line.id, station: String(r.station), state: r.state as StationState };
      const reason = str(r.reason);
      if (reason) event.reason = reason;
      events.push(event);
    }
  }
  for (const s of units) {
    for (const r of rows(s)) {
      const event: UnitEvent = { type: 'unit', ts: r.time as number, line: line.id, unit: String(r.unit) };
      if (r.result === 'nok' || r.result === 'ok') event.result = r.result;
      const model = str(r.model);
      if (model) event.model = model;
      const defect = str(r.defect);
      if (defect) event.defect = defect;
      events.push(event);
    }
  }
  for (const s of cycles) {
    for (const r of rows(s)) {
      const event: CycleEvent = { type: 'cycle', ts: r.time as number, line: line.id, station: String(r.station), cycleTime: Number(r.cycleTime) };
      const unit = str(r.unit);
      if (unit) event.unit = unit;
      if (r.result === 'nok' || r.result === 'ok') event.result = r.result;
      const defect = str(r.defect);
      if (defect) event.defect = defect;
      events.push(event);
    }
  }
  let ordersAt: number | null = null;
  for (const s of orders) {
    for (const r of rows(s)) {
      const event: OrdersEvent = { type: 'orders', ts: r.time as number, total: Number(r.total) };
      ordersAt = event.ts;
      events.push(event);
    }
  }
  // Units since the orders snapshot, when it is older than the look-back above: the backlog counts them.
  if (ordersAt !== null && ordersAt < from - HOUR_MS && kinds.includes('unit')) {
    const more = await store.query(
      `SELECT "unit", "result" FROM "unit" WHERE ${where} AND time > ${msLiteral(ordersAt)} AND time < ${msLiteral(from - HOUR_MS)}`,
    );
    for (const s of more) for (const r of rows(s)) events.push({ type: 'unit', ts: r.time as number, line: line.id, unit: String(r.unit), ...(r.result === 'nok' ? { result: 'nok' as const } : {}) });
  }

  // Keyed by station tags: no prototype, so a station called `constructor` is just a station.
  const initialStates = Object.create(null) as Record<string, InitialState>;
  for (const s of initial) {
    const station = s.tags?.station;
    const r = rows(s)[0];
    if (station && r && typeof r.state === 'string') {
      initialStates[station] = { state: r.state as StationState, reason: str(r.reason) ?? null, since: r.time as number };
    }
  }
  return { events, initialStates };
}
