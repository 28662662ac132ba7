/**
 * History endpoints for the manager's charts: hourly output against plan, the
 * units-per-hour trend, cycle-time distributions, state timelines, the
 * downtime Pareto, and raw event export. Aggregation happens in InfluxDB
 * (InfluxQL, GROUP BY time aligned to the line's local hours with tz()), and
 * every answer is downsampled to at most `maxPoints` points per series.
 * `format=csv` gives any of them as CSV.
 */
import type { ServerResponse } from 'node:http';
import { hourBuckets, lineCalendar } from '../../core/calendar/calendar';
import { taktCompliance } from '../../core/kpi/cycles';
import { rollUpDays, type OutputBucket } from '../../core/kpi/rollup';
import type { StateEvent, StationState } from '../../core/events';
import { computeLineKpis } from '../../core/kpi/line-kpis';
import { stateTimeline, type InitialState } from '../../core/kpi/states';
import { planUnits, taktTargetSeconds } from '../../core/kpi/throughput';
import type { LineConfig, PlantConfig } from '../../core/plant';
import type { StopReasonsPart } from '../../core/reasons/stops';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { EventStore, InfluxSeries } from '../influx/store';
import { csvRows, toCsv } from './csv';
import { bucketMinutes, mergeShortSegments, trailingSums } from './downsample';
import { msLiteral, stringLiteral } from './influxql';
import { readLineEvents } from './line-events';
import { intervalQuery, type IntervalQuery } from './params';

export interface HistoryDeps {
  store: EventStore;
  plant: PlantConfig;
  lineNow: (line: string) => number;
  /** Most points in one series of an answer. @default 600 */
  maxPoints?: number;
  /** Stop time by classified reason and category and the unclassified share (collector/reasons); absent: no `reasons` field. */
  stopReasons?: (line: LineConfig, from: number, to: number, now: number) => Promise<StopReasonsPart>;
}

/** Aggregated endpoints may span a quarter; raw-event ones a month. */
const AGGREGATE_MAX_DAYS = 400;
const RAW_MAX_DAYS = 31;
const HOUR_MS = 3_600_000;

type Table = { columns: string[]; rows: unknown[][] };

/** Columns of each event type GET /api/v1/export/events can export. */
const EXPORT_COLUMNS: ReadonlyMap<string, readonly string[]> = new Map([
  ['unit', ['unit', 'model', 'result', 'id']],
  ['cycle', ['station', 'cycleTime', 'unit', 'result', 'id']],
  ['state', ['station', 'state', 'reason', 'id']],
]);

function send(res: ServerResponse, url: URL, name: string, body: unknown, table: () => Table): void {
  const format = url.searchParams.get('format') ?? 'json';
  if (format === 'csv') {
    const { columns, rows } = table();
    const csv = toCsv(columns, rows);
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}.csv"`,
      'cache-control': 'no-store',
    });
    res.end(csv);
    return;
  }
  if (format !== 'json') throw new HttpProblem(400, 'invalid_parameter', "format must be 'json' or 'csv'");
  sendJson(res, 200, body);
}

function rowsOf(series: readonly InfluxSeries[]): Record<string, unknown>[] {
  return series.flatMap((s) => s.values.map((v) => ({ ...s.tags, ...Object.fromEntries(s.columns.map((c, i) => [c, v[i]])) })));
}

const iso = (ts: number) => new Date(ts).toISOString();
const fileName = (kind: string, q: IntervalQuery) => `taktline-${q.line.id}-${kind}-${iso(q.from).slice(0, 10)}`;

export function registerHistoryRoutes(router: Router, deps: HistoryDeps): void {
  const { store, plant, lineNow } = deps;
  const maxPoints = deps.maxPoints ?? 600;
  const where = (line: LineConfig, from: number, to: number) =>
    `"line" = ${stringLiteral(line.id)} AND time >= ${msLiteral(from)} AND time < ${msLiteral(to)}`;

  /** Units and good units per local clock hour, from InfluxDB. */
  async function unitsPerLocalHour(q: IntervalQuery): Promise<Map<number, { units: number; good: number }>> {
    const series = await store.query(
      `SELECT count("good") AS "units", sum("good") AS "good" FROM "unit" WHERE ${where(q.line, q.from, q.to)} GROUP BY time(1h) fill(0) tz(${stringLiteral(q.line.timeZone)})`,
    );
    const byHour = new Map<number, { units: number; good: number }>();
    for (const r of rowsOf(series)) byHour.set(r.time as number, { units: Number(r.units ?? 0), good: Number(r.good ?? 0) });
    return byHour;
  }

  router.on('GET', '/api/v1/history/hourly', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, AGGREGATE_MAX_DAYS);
    const cal = lineCalendar(q.line);
    const counts = await unitsPerLocalHour(q);
    const hours: OutputBucket[] = hourBuckets(cal, q.from, q.to).map((b) => {
      // InfluxDB labels a bucket with its clock hour, also when the range starts inside it: the first partial hour keeps its units.
      const c = counts.get(b.hourStart) ?? counts.get(b.start) ?? { units: 0, good: 0 };
      return { start: b.start, end: b.end, plannedSeconds: b.plannedSeconds, plan: planUnits(q.line.targetPerHour, b.plannedSeconds), units: c.units, goodUnits: c.good };
    });
    // More hours than a chart can show: production days instead.
    let buckets = hours;
    let bucket: 'hour' | 'day' = 'hour';
    if (hours.length > maxPoints) {
      bucket = 'day';
      buckets = rollUpDays(cal, hours);
    }
    send(res, url, fileName('hourly', q), { line: q.line.id, timeZone: q.line.timeZone, from: q.from, to: q.to, bucket, buckets }, () => ({
      columns: ['start', 'end', 'planned_seconds', 'plan', 'units', 'good_units'],
      rows: buckets.map((b) => [iso(b.start), iso(b.end), b.plannedSeconds, b.plan, b.units, b.goodUnits]),
    }));
  });

  router.on('GET', '/api/v1/history/uph', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, AGGREGATE_MAX_DAYS);
    const minutes = bucketMinutes(q.to - q.from, maxPoints);
    const bucketMs = minutes * 60_000;
    let points: { ts: number; unitsPerHour: number }[];
    if (minutes <= 60 && 60 % minutes === 0) {
      // Trailing 60 minutes at each bucket end, from buckets that tile the hour.
      const start = q.from - HOUR_MS;
      const series = await store.query(
        `SELECT count("good") AS "units" FROM "unit" WHERE ${where(q.line, start, q.to)} GROUP BY time(${minutes}m) fill(0) tz(${stringLiteral(q.line.timeZone)})`,
      );
      const rows = rowsOf(series);
      const sums = trailingSums(rows.map((r) => Number(r.units ?? 0)), 60 / minutes);
      points = rows
        .map((r, i) => ({ ts: (r.time as number) + bucketMs, unitsPerHour: sums[i] ?? 0 }))
        .filter((p) => p.ts > q.from && p.ts <= q.to);
    } else {
      // Buckets longer than an hour: the average rate in each.
      const series = await store.query(
        `SELECT count("good") AS "units" FROM "unit" WHERE ${where(q.line, q.from, q.to)} GROUP BY time(${minutes}m) fill(0) tz(${stringLiteral(q.line.timeZone)})`,
      );
      points = rowsOf(series).map((r) => ({ ts: (r.time as number) + bucketMs, unitsPerHour: (Number(r.units ?? 0) * 60) / minutes }));
    }
    points = points.filter((p) => p.ts <= Math.max(q.now, q.from) + bucketMs);
    send(res, url, fileName('uph', q), { line: q.line.id, target: q.line.targetPerHour, bucketMinutes: minutes, points }, () => ({
      columns: ['time', 'units_per_hour', 'target'],
      rows: points.map((p) => [iso(p.ts), p.unitsPerHour, q.line.targetPerHour]),
    }));
  });

  router.on('GET', '/api/v1/history/cycles', async ({ res, url }) => {
    // Percentiles need every cycle: bench/history measured 7 s for 90 days of a 20-station line, so a month at most.
    const q = intervalQuery(url, plant, lineNow, RAW_MAX_DAYS);
    const takt = taktTargetSeconds(q.line.targetPerHour);
    const w = where(q.line, q.from, q.to);
    const [stats, within] = await Promise.all([
      store.query(
        `SELECT count("cycleTime") AS "count", mean("cycleTime") AS "mean", min("cycleTime") AS "min", percentile("cycleTime", 10) AS "p10", percentile("cycleTime", 50) AS "p50", percentile("cycleTime", 90) AS "p90", max("cycleTime") AS "max" FROM "cycle" WHERE ${w} GROUP BY "station"`,
      ),
      store.query(`SELECT count("cycleTime") AS "count" FROM "cycle" WHERE ${w} AND "cycleTime" <= ${takt} GROUP BY "station"`),
    ]);
    const withinBy = new Map(rowsOf(within).map((r) => [String(r.station), Number(r.count ?? 0)]));
    const statsBy = new Map(rowsOf(stats).map((r) => [String(r.station), r]));
    const stations = q.line.stations.map((s) => {
      const r = statsBy.get(s.id);
      const count = Number(r?.count ?? 0);
      const num = (k: string) => (r && typeof r[k] === 'number' ? (r[k] as number) : null);
      return {
        station: s.id,
        name: s.name,
        count,
        mean: num('mean'),
        min: num('min'),
        p10: num('p10'),
        p50: num('p50'),
        p90: num('p90'),
        max: num('max'),
        withinTakt: withinBy.get(s.id) ?? 0,
        taktCompliance: taktCompliance(withinBy.get(s.id) ?? 0, count),
      };
    });
    send(res, url, fileName('cycles', q), { line: q.line.id, taktSeconds: takt, stations }, () => ({
      columns: ['station', 'count', 'mean_s', 'min_s', 'p10_s', 'p50_s', 'p90_s', 'max_s', 'within_takt', 'takt_compliance'],
      rows: stations.map((s) => [s.station, s.count, s.mean, s.min, s.p10, s.p50, s.p90, s.max, s.withinTakt, s.taktCompliance]),
    }));
  });

  router.on('GET', '/api/v1/history/states', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, RAW_MAX_DAYS);
    const end = Math.min(q.to, Math.max(q.now, q.from));
    const [states, initial] = await Promise.all([
      store.query(`SELECT "station", "state", "reason" FROM "state" WHERE ${where(q.line, q.from, end)}`),
      store.query(
        `SELECT last("state") AS "state", "reason" FROM "state" WHERE "line" = ${stringLiteral(q.line.id)} AND time < ${msLiteral(q.from)} GROUP BY "station"`,
      ),
    ]);
    const byStation = new Map<string, StateEvent[]>();
    for (const r of rowsOf(states)) {
      const e: StateEvent = { type: 'state', ts: r.time as number, line: q.line.id, station: String(r.station), state: r.state as StationState };
      if (typeof r.reason === 'string' && r.reason) e.reason = r.reason;
      const list = byStation.get(e.station) ?? [];
      list.push(e);
      byStation.set(e.station, list);
    }
    const initialBy = new Map<string, InitialState>(
      rowsOf(initial).map((r) => [
        String(r.station),
        { state: r.state as StationState, reason: typeof r.reason === 'string' && r.reason !== '' ? r.reason : null, since: r.time as number },
      ]),
    );
    // Segments shorter than one point's worth of the chart's width are folded into their neighbour.
    const minMs = (end - q.from) / (maxPoints * 4);
    const stations = q.line.stations.map((s) => {
      const events = (byStation.get(s.id) ?? []).sort((a, b) => a.ts - b.ts);
      const segments = mergeShortSegments(stateTimeline(events, q.from, end, initialBy.get(s.id)), minMs);
      return { station: s.id, name: s.name, segments: segments.map(({ state, reason, start, end: e }) => ({ state, reason, start, end: e })) };
    });
    send(res, url, fileName('states', q), { line: q.line.id, from: q.from, to: end, stations }, () => ({
      columns: ['station', 'state', 'reason', 'start', 'end', 'seconds'],
      rows: stations.flatMap((s) => s.segments.map((g) => [s.station, g.state, g.reason, iso(g.start), iso(g.end), (g.end - g.start) / 1000])),
    }));
  });

  router.on('GET', '/api/v1/history/downtime', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, RAW_MAX_DAYS);
    // The Pareto needs states only: a week of cycles would cost seconds for nothing.
    const { events, initialStates } = await readLineEvents(store, q.line, q.from, Math.min(q.to, q.now + 1), ['state']);
    const { downtime } = computeLineKpis({ line: q.line, events, from: q.from, to: q.to, now: q.now, initialStates });
    const reasons = deps.stopReasons ? { reasons: await deps.stopReasons(q.line, q.from, q.to, q.now) } : {};
    send(res, url, fileName('downtime', q), { line: q.line.id, from: q.from, to: q.to, ...downtime, ...reasons }, () => ({
      columns: ['station', 'state', 'reason', 'seconds', 'occurrences', 'share', 'cumulative_share'],
      rows: downtime.items.map((d) => [d.station, d.state, d.reason, d.seconds, d.occurrences, d.share, d.cumulativeShare]),
    }));
  });

  router.on('GET', '/api/v1/export/events', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, RAW_MAX_DAYS);
    const type = url.searchParams.get('type') ?? 'unit';
    // A Map: `type` is the client's, and `constructor` or `__proto__` must not find Object's own members.
    const fields = EXPORT_COLUMNS.get(type);
    if (!fields) throw new HttpProblem(400, 'invalid_parameter', `type must be one of ${[...EXPORT_COLUMNS.keys()].join(', ')}`);
    const day = async (start: number) => {
      const end = Math.min(q.to, start + 24 * HOUR_MS);
      const series = await store.query(`SELECT ${fields.map((f) => `"${f}"`).join(', ')} FROM "${type}" WHERE ${where(q.line, start, end)}`);
      return rowsOf(series).map((r) => [iso(r.time as number), q.line.id, ...fields.map((f) => r[f] ?? null)]);
    };
    // The first day is read before the first byte: a query InfluxDB refuses is answered as an error, not as a CSV cut short.
    const first = await day(q.from);
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(`${type}-events`, q)}.csv"`,
      'cache-control': 'no-store',
    });
    res.write(toCsv(['time', 'line', ...fields], first));
    // A day at a time, so a month of cycles never sits in memory at once.
    for (let start = q.from + 24 * HOUR_MS; start < q.to; start += 24 * HOUR_MS) {
      const rows = await day(start);
      if (rows.length > 0) res.write(csvRows(rows));
    }
    res.end();
  });
}
