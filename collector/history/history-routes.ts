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
import type { StateEvent } from '../../core/events';
import { computeLineKpis } from '../../core/kpi/line-kpis';
import { stateTimeline, type InitialState } from '../../core/kpi/states';
import { planUnits, taktTargetSeconds } from '../../core/kpi/throughput';
import type { LineConfig, PlantConfig } from '../../core/plant';
import type { StopReasonsPart } from '../../core/reasons/stops';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { ExportType } from '../influx/reads';
import type { EventStore } from '../influx/store';
import { csvRows, toCsv } from './csv';
import { csvHeader, csvLang, csvPercent, csvRound, csvTime } from './csv-columns';
import { bucketMinutes, mergeShortSegments, trailingSums } from './downsample';
import { readLineEvents } from './line-events';
import { hourlyUnits, longCycleStats, longLineKpis, ROLLUP_MIN_RANGE_MS } from './long-range';
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

/** Aggregated endpoints and those that read rollups may span 400 days; raw-event ones a month. */
const AGGREGATE_MAX_DAYS = 400;
const RAW_MAX_DAYS = 31;
const HOUR_MS = 3_600_000;

type Table = { columns: string[]; rows: unknown[][] };

/** Columns of each event type GET /api/v1/export/events can export. */
const EXPORT_COLUMNS: ReadonlyMap<ExportType, readonly string[]> = new Map<ExportType, readonly string[]>([
  ['unit', ['unit', 'model', 'result', 'id']],
  ['cycle', ['station', 'cycleTime', 'unit', 'result', 'id']],
  ['state', ['station', 'state', 'reason', 'id']],
]);

function send(res: ServerResponse, url: URL, name: string, body: unknown, table: () => Table): void {
  const format = url.searchParams.get('format') ?? 'json';
  if (format === 'csv') {
    const { columns, rows } = table();
    const csv = toCsv(csvHeader(columns, csvLang(url)), rows);
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

const iso = (ts: number) => new Date(ts).toISOString();
const fileName = (kind: string, q: IntervalQuery) => `taktline-${q.line.id}-${kind}-${iso(q.from).slice(0, 10)}`;

export function registerHistoryRoutes(router: Router, deps: HistoryDeps): void {
  const { store, plant, lineNow } = deps;
  const maxPoints = deps.maxPoints ?? 600;

  /** The downtime Pareto: long ranges from rollups with raw edges, short ones from raw states only (a week of cycles would cost seconds for nothing). */
  async function downtimeOf(q: IntervalQuery): Promise<{ downtime: ReturnType<typeof computeLineKpis>['downtime'] }> {
    if (q.to - q.from >= ROLLUP_MIN_RANGE_MS) return longLineKpis(store.reads, q.line, q.from, q.to, q.now);
    const { events, initialStates } = await readLineEvents(store, q.line, q.from, Math.min(q.to, q.now + 1), ['state']);
    return computeLineKpis({ line: q.line, events, from: q.from, to: q.to, now: q.now, initialStates });
  }

  /** Units and good units per local clock hour, from InfluxDB. */
  async function unitsPerLocalHour(q: IntervalQuery): Promise<Map<number, { units: number; good: number }>> {
    const byHour = new Map<number, { units: number; good: number }>();
    for (const b of await store.reads.unitBuckets(q.line, q.from, q.to, 60)) byHour.set(b.start, { units: b.units, good: b.good });
    return byHour;
  }

  router.on('GET', '/api/v1/history/hourly', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, AGGREGATE_MAX_DAYS);
    const cal = lineCalendar(q.line);
    // Long ranges add up the closed hours' summaries; a day or two reads raw events.
    const counts = q.to - q.from >= ROLLUP_MIN_RANGE_MS ? await hourlyUnits(store.reads, q.line, q.from, q.to) : await unitsPerLocalHour(q);
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
      rows: buckets.map((b) => [csvTime(b.start, q.line.timeZone), csvTime(b.end, q.line.timeZone), csvRound(b.plannedSeconds), csvRound(b.plan, 1), b.units, b.goodUnits]),
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
      const rows = await store.reads.unitBuckets(q.line, start, q.to, minutes);
      const sums = trailingSums(rows.map((r) => r.units), 60 / minutes);
      points = rows
        .map((r, i) => ({ ts: r.start + bucketMs, unitsPerHour: sums[i] ?? 0 }))
        .filter((p) => p.ts > q.from && p.ts <= q.to);
    } else {
      // Buckets longer than an hour: the average rate in each.
      const rows = await store.reads.unitBuckets(q.line, q.from, q.to, minutes);
      points = rows.map((r) => ({ ts: r.start + bucketMs, unitsPerHour: (r.units * 60) / minutes }));
    }
    points = points.filter((p) => p.ts <= Math.max(q.now, q.from) + bucketMs);
    send(res, url, fileName('uph', q), { line: q.line.id, target: q.line.targetPerHour, bucketMinutes: minutes, points }, () => ({
      columns: ['time', 'units_per_hour', 'target'],
      rows: points.map((p) => [csvTime(p.ts, q.line.timeZone), csvRound(p.unitsPerHour, 1), q.line.targetPerHour]),
    }));
  });

  router.on('GET', '/api/v1/history/cycles', async ({ res, url }) => {
    // Raw percentiles need every cycle (bench/history: 7 s for 90 days of a 20-station line): long ranges merge the hours' summaries.
    const q = intervalQuery(url, plant, lineNow, AGGREGATE_MAX_DAYS);
    const takt = taktTargetSeconds(q.line.targetPerHour);
    const statsBy =
      q.to - q.from >= ROLLUP_MIN_RANGE_MS ? await longCycleStats(store.reads, q.line, q.from, q.to, takt) : await store.reads.cycleStats(q.line, q.from, q.to, takt);
    const stations = q.line.stations.map((s) => {
      const r = statsBy.get(s.id);
      const count = r?.count ?? 0;
      return {
        station: s.id,
        name: s.name,
        count,
        mean: r?.mean ?? null,
        min: r?.min ?? null,
        p10: r?.p10 ?? null,
        p50: r?.p50 ?? null,
        p90: r?.p90 ?? null,
        max: r?.max ?? null,
        withinTakt: r?.withinTakt ?? 0,
        taktCompliance: taktCompliance(r?.withinTakt ?? 0, count),
      };
    });
    send(res, url, fileName('cycles', q), { line: q.line.id, taktSeconds: takt, stations }, () => ({
      columns: ['station', 'count', 'mean_s', 'min_s', 'p10_s', 'p50_s', 'p90_s', 'max_s', 'within_takt', 'takt_compliance_pct'],
      rows: stations.map((s) => [s.station, s.count, csvRound(s.mean, 1), csvRound(s.min, 1), csvRound(s.p10, 1), csvRound(s.p50, 1), csvRound(s.p90, 1), csvRound(s.max, 1), s.withinTakt, csvPercent(s.taktCompliance)]),
    }));
  });

  router.on('GET', '/api/v1/history/states', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, RAW_MAX_DAYS);
    const end = Math.min(q.to, Math.max(q.now, q.from));
    const { events: states, initialStates } = await store.reads.lineEvents(q.line, q.from, end, ['state']);
    const byStation = new Map<string, StateEvent[]>();
    for (const e of states) {
      if (e.type !== 'state') continue;
      const list = byStation.get(e.station) ?? [];
      list.push(e);
      byStation.set(e.station, list);
    }
    const initialBy = new Map<string, InitialState>(Object.entries(initialStates));
    // Segments shorter than one point's worth of the chart's width are folded into their neighbour.
    const minMs = (end - q.from) / (maxPoints * 4);
    const stations = q.line.stations.map((s) => {
      const events = (byStation.get(s.id) ?? []).sort((a, b) => a.ts - b.ts);
      const segments = mergeShortSegments(stateTimeline(events, q.from, end, initialBy.get(s.id)), minMs);
      return { station: s.id, name: s.name, segments: segments.map(({ state, reason, start, end: e }) => ({ state, reason, start, end: e })) };
    });
    send(res, url, fileName('states', q), { line: q.line.id, from: q.from, to: end, stations }, () => ({
      columns: ['station', 'state', 'reason', 'start', 'end', 'seconds'],
      rows: stations.flatMap((s) => s.segments.map((g) => [s.station, g.state, g.reason, csvTime(g.start, q.line.timeZone), csvTime(g.end, q.line.timeZone), csvRound((g.end - g.start) / 1000)])),
    }));
  });

  router.on('GET', '/api/v1/history/downtime', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, AGGREGATE_MAX_DAYS);
    const { downtime } = await downtimeOf(q);
    const reasons = deps.stopReasons ? { reasons: await deps.stopReasons(q.line, q.from, q.to, q.now) } : {};
    send(res, url, fileName('downtime', q), { line: q.line.id, from: q.from, to: q.to, ...downtime, ...reasons }, () => ({
      columns: ['station', 'state', 'reason', 'seconds', 'occurrences', 'share_pct', 'cumulative_share_pct'],
      rows: downtime.items.map((d) => [d.station, d.state, d.reason, csvRound(d.seconds), d.occurrences, csvPercent(d.share), csvPercent(d.cumulativeShare)]),
    }));
  });

  router.on('GET', '/api/v1/export/events', async ({ res, url }) => {
    const q = intervalQuery(url, plant, lineNow, RAW_MAX_DAYS);
    const type = url.searchParams.get('type') ?? 'unit';
    // A Map: `type` is the client's, and `constructor` or `__proto__` must not find Object's own members.
    const exportType = [...EXPORT_COLUMNS.keys()].find((t) => t === type);
    const fields = exportType && EXPORT_COLUMNS.get(exportType);
    if (!exportType || !fields) throw new HttpProblem(400, 'invalid_parameter', `type must be one of ${[...EXPORT_COLUMNS.keys()].join(', ')}`);
    const lang = csvLang(url);
    const day = async (start: number) => {
      const end = Math.min(q.to, start + 24 * HOUR_MS);
      const rows = await store.reads.exportRows(q.line, exportType, fields, start, end);
      return rows.map((r) => [csvTime(r.time as number, q.line.timeZone), q.line.id, ...fields.map((f) => r[f] ?? null)]);
    };
    // The first day is read before the first byte: a query InfluxDB refuses is answered as an error, not as a CSV cut short.
    const first = await day(q.from);
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(`${type}-events`, q)}.csv"`,
      'cache-control': 'no-store',
    });
    res.write(toCsv(csvHeader(['time', 'line', ...fields], lang), first));
    // A day at a time, so a month of cycles never sits in memory at once.
    for (let start = q.from + 24 * HOUR_MS; start < q.to; start += 24 * HOUR_MS) {
      const rows = await day(start);
      if (rows.length > 0) res.write(csvRows(rows));
    }
    res.end();
  });
}
