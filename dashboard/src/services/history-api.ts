/**
 * The collector's KPI and history endpoints as typed functions (no Vue): the
 * manager workspace's whole data source. Every request names a line and either
 * a calendar range (`shift:current`, …) or a custom `[from, to)`; every
 * failure becomes a {@link HistoryApiError} carrying the API's own `code` and
 * message, so the person sees what the collector said.
 */
import type { CalendarRange } from '@core/calendar/calendar';
import type { StationState } from '@core/events';
import type { DowntimePareto } from '@core/kpi/downtime';
import type { LineKpis } from '@core/kpi/line-kpis';
import type { StopReasonsPart } from '@core/reasons/stops';
import { ApiError, getJson, type FetchLike } from './api-json';

export type { CalendarRange, FetchLike };

/** The production-calendar ranges the picker offers, in its order. */
export const CALENDAR_RANGE_IDS: readonly CalendarRange[] = ['shift:current', 'shift:previous', 'day:today', 'day:previous', 'week:current', 'week:previous'];

/** What interval the screen shows: a calendar range resolved by the collector, or explicit epoch-ms bounds. */
export type RangeSelection = { kind: 'calendar'; range: CalendarRange } | { kind: 'custom'; from: number; to: number };

/**
 * Longest interval the raw-event reads answer (`/api/v1/history/states`, `/api/v1/export/events`: the
 * collector's cap, collector/history/history-routes.ts); longer ranges read summaries only.
 */
export const RAW_MAX_DAYS = 31;

/** Whether `range` is longer than the raw-event reads answer (calendar ranges are a week at most). */
export function beyondRawReads(range: RangeSelection): boolean {
  return range.kind === 'custom' && range.to - range.from > RAW_MAX_DAYS * 86_400_000;
}

/** A line and an interval: the key of every request. */
export interface HistoryQuery {
  line: string;
  range: RangeSelection;
}

/** `GET /api/v1/kpi`: {@link LineKpis} plus how the range resolved. */
export interface KpiAnswer extends LineKpis {
  range: { label: string; from: number; to: number };
  /** Stop reasons, their MTBF/MTTR and the unclassified trend (docs/reasons.md); absent from an older collector. */
  reasons?: StopReasonsPart;
}

/** `GET /api/v1/history/hourly`. */
export interface HourlyHistory {
  line: string;
  timeZone: string;
  from: number;
  to: number;
  /** `day` (production days) when the interval has more hours than a chart shows. */
  bucket: 'hour' | 'day';
  buckets: { start: number; end: number; plannedSeconds: number; plan: number; units: number; goodUnits: number }[];
}

/** `GET /api/v1/history/uph`. */
export interface UphHistory {
  line: string;
  target: number;
  bucketMinutes: number;
  points: { ts: number; unitsPerHour: number }[];
}

/** Cycle-time distribution of one station, seconds; nulls without cycles. */
export interface StationCycles {
  station: string;
  name: { zh: string; en: string };
  count: number;
  mean: number | null;
  min: number | null;
  p10: number | null;
  p50: number | null;
  p90: number | null;
  max: number | null;
  withinTakt: number;
  taktCompliance: number | null;
}

/** `GET /api/v1/history/cycles`. */
export interface CyclesHistory {
  line: string;
  taktSeconds: number;
  stations: StationCycles[];
}

/** One stretch of a station's timeline; `unknown` before its first known state. */
export interface StateSegmentView {
  state: StationState | 'unknown';
  reason?: string | undefined;
  start: number;
  end: number;
}

/** `GET /api/v1/history/states`. */
export interface StatesHistory {
  line: string;
  from: number;
  to: number;
  stations: { station: string; name: { zh: string; en: string }; segments: StateSegmentView[] }[];
}

/** `GET /api/v1/history/downtime`. */
export interface DowntimeHistory extends DowntimePareto {
  line: string;
  from: number;
  to: number;
}

/** Everything the manager workspace shows for one line and interval. */
export interface ManagerData {
  query: HistoryQuery;
  kpis: KpiAnswer;
  hourly: HourlyHistory;
  uph: UphHistory;
  cycles: CyclesHistory;
  /** Null when the range is longer than the raw state events are read for ({@link beyondRawReads}). */
  states: StatesHistory | null;
  downtime: DowntimeHistory;
}

/** The history endpoints with a CSV form, by short name. */
export type HistoryChart = 'hourly' | 'uph' | 'cycles' | 'states' | 'downtime';

/** Raw event kinds `GET /api/v1/export/events` streams. */
export type ExportEventType = 'unit' | 'cycle' | 'state';

/** Errors of this API: the collector's own code and message. */
export { ApiError as HistoryApiError };

/** Query-string parameters of a {@link HistoryQuery}. */
export function queryParams(q: HistoryQuery): URLSearchParams {
  const p = new URLSearchParams({ line: q.line });
  if (q.range.kind === 'calendar') p.set('range', q.range.range);
  else {
    p.set('from', String(Math.round(q.range.from)));
    p.set('to', String(Math.round(q.range.to)));
  }
  return p;
}

/** URL of the KPI endpoint for `q`. */
export function kpiUrl(q: HistoryQuery, base = ''): string {
  return `${base}/api/v1/kpi?${queryParams(q).toString()}`;
}

/** URL of a history endpoint for `q`; `csv` gives the download link. */
export function historyUrl(chart: HistoryChart, q: HistoryQuery, format: 'json' | 'csv' = 'json', base = '', lang?: string): string {
  const p = queryParams(q);
  if (format === 'csv') p.set('format', 'csv');
  // The CSV's header row in the screen's language.
  if (format === 'csv' && lang) p.set('lang', lang);
  return `${base}/api/v1/history/${chart}?${p.toString()}`;
}

/** URL of the raw-event CSV export for `q`. */
export function exportEventsUrl(type: ExportEventType, q: HistoryQuery, base = '', lang?: string): string {
  const p = queryParams(q);
  p.set('type', type);
  if (lang) p.set('lang', lang);
  return `${base}/api/v1/export/events?${p.toString()}`;
}


/** Throws unless every key in `arrays` holds an array: a cheap guard against a mismatched collector. */
function expectArrays(body: Record<string, unknown>, path: string, arrays: string[]): void {
  for (const k of arrays) {
    if (!Array.isArray(body[k])) throw new ApiError('invalid_response', `GET ${path} answered without '${k}'`, 200, false);
  }
}

/** `GET /api/v1/kpi`. */
export async function fetchKpis(q: HistoryQuery, fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<KpiAnswer> {
  const body = await getJson(fetchFn, kpiUrl(q, base), signal);
  expectArrays(body, '/api/v1/kpi', ['hourly', 'stations']);
  if (typeof body.oee !== 'object' || typeof body.bottleneck !== 'object') {
    throw new ApiError('invalid_response', 'GET /api/v1/kpi answered without oee or bottleneck', 200, false);
  }
  return body as unknown as KpiAnswer;
}

const ARRAY_KEY: Record<HistoryChart, string> = { hourly: 'buckets', uph: 'points', cycles: 'stations', states: 'stations', downtime: 'items' };

/** `GET /api/v1/history/<chart>` as JSON. */
export async function fetchHistory<C extends HistoryChart>(
  chart: C,
  q: HistoryQuery,
  fetchFn: FetchLike = globalThis.fetch,
  base = '',
  signal?: AbortSignal,
): Promise<HistoryAnswer[C]> {
  const body = await getJson(fetchFn, historyUrl(chart, q, 'json', base), signal);
  expectArrays(body, `/api/v1/history/${chart}`, [ARRAY_KEY[chart]]);
  return body as unknown as HistoryAnswer[C];
}

/** Answer type of each history endpoint. */
export interface HistoryAnswer {
  hourly: HourlyHistory;
  uph: UphHistory;
  cycles: CyclesHistory;
  states: StatesHistory;
  downtime: DowntimeHistory;
}

/** Everything for the workspace, requested in parallel; the first failure wins. No state timeline beyond {@link RAW_MAX_DAYS}. */
export async function fetchManagerData(q: HistoryQuery, fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<ManagerData> {
  const [kpis, hourly, uph, cycles, states, downtime] = await Promise.all([
    fetchKpis(q, fetchFn, base, signal),
    fetchHistory('hourly', q, fetchFn, base, signal),
    fetchHistory('uph', q, fetchFn, base, signal),
    fetchHistory('cycles', q, fetchFn, base, signal),
    beyondRawReads(q.range) ? Promise.resolve(null) : fetchHistory('states', q, fetchFn, base, signal),
    fetchHistory('downtime', q, fetchFn, base, signal),
  ]);
  return { query: q, kpis, hourly, uph, cycles, states, downtime };
}
