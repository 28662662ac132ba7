/**
 * `GET /api/v1/trends` (docs/api.md) as a typed function (no Vue): plan,
 * units and OEE per production day or week of an interval. Every failure
 * becomes an {@link ApiError} carrying the API's own `code` and message.
 */
import type { TrendBucketKind, TrendPoint } from '@core/kpi/trend';
import { ApiError, getJson, type FetchLike } from './api-json';
import { queryParams, type HistoryQuery } from './history-api';

export type { FetchLike, TrendBucketKind, TrendPoint };

/** `GET /api/v1/trends`'s body. */
export interface TrendAnswer {
  line: string;
  bucket: TrendBucketKind;
  timeZone: string;
  range: { label: string; from: number; to: number };
  points: TrendPoint[];
}

/** URL of `GET /api/v1/trends` for `q` in buckets of `bucket`. */
export function trendsUrl(q: HistoryQuery, bucket: TrendBucketKind, base = ''): string {
  const p = queryParams(q);
  p.set('bucket', bucket);
  return `${base}/api/v1/trends?${p.toString()}`;
}

const invalid = (what: string) => new ApiError('invalid_response', `GET /api/v1/trends answered ${what}`, 200, false);

/** `GET /api/v1/trends`, its shape checked where the chart depends on it. */
export async function fetchTrends(q: HistoryQuery, bucket: TrendBucketKind, fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<TrendAnswer> {
  const body = await getJson(fetchFn, trendsUrl(q, bucket, base), signal);
  if (!Array.isArray(body.points)) throw invalid("without 'points'");
  for (const p of body.points as Partial<TrendPoint>[]) {
    if (typeof p?.start !== 'number' || typeof p.units !== 'number' || typeof p.planUnits !== 'number') throw invalid('a point without start, units or planUnits');
    if (p.status !== 'ok' && p.status !== 'no_data') throw invalid("a point without a status of 'ok' or 'no_data'");
  }
  return body as unknown as TrendAnswer;
}
