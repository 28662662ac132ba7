/**
 * Reads partner status, output reports and the order book back from
 * InfluxDB with InfluxQL, so the partner and cluster numbers survive a
 * restart and every collector answers the same.
 */
import { PARTNER_STATUSES, type PartnerEvent, type PartnerStatus } from '../../core/events';
import type { PartnerStatusReport } from '../../core/cluster/material-risk';
import type { OutputReport } from '../../core/cluster/goal';
import { lineCalendar, plannedSeconds } from '../../core/calendar/calendar';
import { DELIVERY_RATE_WINDOW_MS, deliveryRate, type DeliveryRate } from '../../core/kpi/backlog';
import type { LineConfig } from '../../core/plant';
import type { EventStore, InfluxSeries } from '../influx/store';
import { msLiteral, stringLiteral } from '../history/influxql';

const DAY_MS = 86_400_000;
/** A partner that has not reported for this long shows no status. */
export const PARTNER_STATUS_MAX_AGE_MS = 30 * DAY_MS;

function rows(series: InfluxSeries): Record<string, unknown>[] {
  return series.values.map((v) => ({ ...series.tags, ...Object.fromEntries(series.columns.map((c, i) => [c, v[i]])) }));
}

const numberOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The newest `partner` report of every partner at or before `now`, by partner id. */
export async function readPartnerReports(store: EventStore, now: number): Promise<Map<string, PartnerStatusReport>> {
  // last() is a selector: the other fields come from the same point, so a report's figures stay together.
  const series = await store.query(
    `SELECT last("status") AS "status", "inventoryHours", "onTimeRate", "note" FROM "partner" ` +
      `WHERE time > ${msLiteral(now - PARTNER_STATUS_MAX_AGE_MS)} AND time <= ${msLiteral(now)} GROUP BY "partner"`,
  );
  const reports = new Map<string, PartnerStatusReport>();
  for (const s of series) {
    const partner = s.tags?.partner;
    const r = rows(s)[0];
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
}

/**
 * The newest report of each entity for each month in `periods`, reported at
 * or before `now`. `period` is a field, so each month is its own statement
 * (one request): `last()` per entity among that month's reports.
 */
export async function readOutputReports(
  store: EventStore,
  periods: readonly { period: string; from: number }[],
  now: number,
): Promise<OutputReport[]> {
  if (periods.length === 0) return [];
  const statements = periods.map(
    ({ period, from }) =>
      `SELECT last("value") AS "value", "period" FROM "output" WHERE "period" = ${stringLiteral(period)} ` +
      `AND time >= ${msLiteral(from)} AND time <= ${msLiteral(now)} GROUP BY "entity"`,
  );
  const series = await store.query(statements.join('; '));
  const reports: OutputReport[] = [];
  for (const s of series) {
    const entity = s.tags?.entity;
    for (const r of rows(s)) {
      const value = numberOrNull(r.value);
      if (!entity || value === null || typeof r.period !== 'string') continue;
      reports.push({ entity, period: r.period, value, ts: Number(r.time) });
    }
  }
  return reports;
}

export interface OrdersSnapshot {
  total: number;
  ts: number;
}

/** The newest `orders` snapshot at or before `now`, looking back `lookbackMs`. */
export async function readLatestOrders(store: EventStore, now: number, lookbackMs: number): Promise<OrdersSnapshot | null> {
  const series = await store.query(
    `SELECT last("total") AS "total" FROM "orders" WHERE time > ${msLiteral(now - lookbackMs)} AND time <= ${msLiteral(now)}`,
  );
  const r = series[0] ? rows(series[0])[0] : undefined;
  const total = numberOrNull(r?.total);
  return r && total !== null ? { total, ts: Number(r.time) } : null;
}

/** Units the given lines completed in `(from, to]`. */
export async function countUnits(store: EventStore, lines: readonly string[], from: number | null, to: number): Promise<number> {
  if (lines.length === 0) return 0;
  const where = lines.map((l) => `"line" = ${stringLiteral(l)}`).join(' OR ');
  const since = from === null ? '' : `time > ${msLiteral(from)} AND `;
  const series = await store.query(`SELECT count("unit") AS "n" FROM "unit" WHERE (${where}) AND ${since}time <= ${msLiteral(to)}`);
  const r = series[0] ? rows(series[0])[0] : undefined;
  return numberOrNull(r?.n) ?? 0;
}

/** The first unit a line completed in `[from, to]`, epoch ms; null when none did. */
export async function firstUnitAt(store: EventStore, line: string, from: number, to: number): Promise<number | null> {
  const series = await store.query(
    `SELECT first("unit") FROM "unit" WHERE "line" = ${stringLiteral(line)} AND time >= ${msLiteral(from)} AND time <= ${msLiteral(to)}`,
  );
  const r = series[0] ? rows(series[0])[0] : undefined;
  return r ? Number(r.time) : null;
}

/** Every `partner` report in `[from, to)`, ascending: the history a shortage episode reads its alert from. */
export async function readPartnerEvents(store: EventStore, from: number, to: number): Promise<PartnerEvent[]> {
  const series = await store.query(
    `SELECT "status", "inventoryHours", "note" FROM "partner" WHERE time >= ${msLiteral(from)} AND time < ${msLiteral(to)} GROUP BY "partner"`,
  );
  const out: PartnerEvent[] = [];
  for (const s of series) {
    const partner = s.tags?.partner;
    if (!partner) continue;
    for (const r of rows(s)) {
      if (!PARTNER_STATUSES.includes(r.status as PartnerStatus)) continue;
      const event: PartnerEvent = { type: 'partner', ts: Number(r.time), partner, status: r.status as PartnerStatus };
      const hours = numberOrNull(r.inventoryHours);
      if (hours !== null) event.inventoryHours = hours;
      out.push(event);
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/**
 * The line's delivery rate (core's deliveryRate) from InfluxDB: units from
 * just before its first unit of the trailing window up to `now`, over the
 * calendar's planned time in between.
 */
export async function readDeliveryRate(store: EventStore, line: LineConfig, now: number): Promise<DeliveryRate> {
  const first = await firstUnitAt(store, line.id, now - DELIVERY_RATE_WINDOW_MS, now);
  if (first === null) return deliveryRate({ units: 0, plannedSeconds: 0, from: null, to: now });
  // From just before the first unit, so it counts, to now.
  const from = first - 1;
  const units = await countUnits(store, [line.id], from, now);
  return deliveryRate({ units, plannedSeconds: plannedSeconds(lineCalendar(line), from, now), from, to: now });
}
