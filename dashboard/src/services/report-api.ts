/**
 * The shift report as a typed function (no Vue): `GET /api/v1/report`
 * (docs/api.md). Every failure, such as a shift that does not exist (404) or
 * one not yet ended (409), becomes an {@link ApiError} with the API's words.
 */
import type { ShiftReport } from '@core/report/shift-report';
import { ApiError, getJson, type FetchLike } from './api-json';

export type { ShiftReport };

export interface ReportQuery {
  line: string;
  /** A shift key (`2027-03-01/early`) or a range (`shift:previous`). */
  shift: string;
  /** Ask for the figures so far of a shift not yet ended. */
  draft: boolean;
}

/** URL of `GET /api/v1/report` for `q`. */
export function reportUrl(q: ReportQuery, base = ''): string {
  const p = new URLSearchParams({ line: q.line });
  if (q.shift.startsWith('shift:')) p.set('range', q.shift);
  else p.set('shift', q.shift);
  if (q.draft) p.set('draft', '1');
  return `${base}/api/v1/report?${p.toString()}`;
}

/** `GET /api/v1/report`, with a cheap guard against a collector of another version. */
export async function fetchReport(q: ReportQuery, fetchFn: FetchLike = globalThis.fetch, base = ''): Promise<ShiftReport> {
  const body = await getJson(fetchFn, reportUrl(q, base));
  if ((body.status !== 'ok' && body.status !== 'no_data') || typeof body.shift !== 'object' || typeof body.output !== 'object' || typeof body.losses !== 'object') {
    throw new ApiError('invalid_response', 'GET /api/v1/report answered without a shift report', 200, false);
  }
  return body as unknown as ShiftReport;
}
