/** Stop records and their classification, nok units and their defect codes (docs/api.md#stop-reasons): typed calls, no Vue. */
import type { DefectsConfig, ReasonsConfig } from '../../../core/reasons/config';
import type { NokItem } from '../../../core/reasons/defects';
import type { StopRecord } from '../../../core/reasons/stops';
import { ApiError, getJson, type FetchLike } from './api-json';
import { sendJson, type ApiFetchLike } from './session-api';

export interface StopsAnswer {
  records: StopRecord[];
  unclassifiedShare: number | null;
  /** The line's IANA time zone: times are shown on the line's clock. */
  timeZone: string;
  tree: ReasonsConfig;
  /** The production day asked for; `label` is its date (YYYY-MM-DD). */
  range: { from: number; to: number; label: string };
}

/** A line's stop records of one production day on its calendar (`day:today`, `day:previous`). */
export async function fetchStops(fetchFn: FetchLike, line: string, range = 'day:today'): Promise<StopsAnswer> {
  const body = await getJson(fetchFn, `/api/v1/stops?line=${encodeURIComponent(line)}&range=${encodeURIComponent(range)}`);
  return body as unknown as StopsAnswer;
}

/** POSTs JSON with the session cookie; throws an {@link ApiError} with the collector's reason. */
async function postJson(path: string, body: unknown): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError('network', `cannot reach the collector (${String(err)})`, null, true);
  }
  const answer = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) throw new ApiError(answer?.error?.code ?? 'http', answer?.error?.message ?? `POST ${path} answered ${res.status}`, res.status, res.status >= 500);
  return (answer ?? {}) as Record<string, unknown>;
}

export function classifyStop(line: string, stop: string, reason: string): Promise<Record<string, unknown>> {
  return postJson('/api/v1/stops/classify', { line, stop, reason });
}

/** One station's stop records of the production day (`station=`), through an injectable fetch (the tablet). */
export async function fetchStationStops(fetchFn: FetchLike, base: string, line: string, station: string | null, range = 'day:today'): Promise<StopsAnswer> {
  const at = station === null ? '' : `&station=${encodeURIComponent(station)}`;
  return (await getJson(fetchFn, `${base}/api/v1/stops?line=${encodeURIComponent(line)}&range=${encodeURIComponent(range)}${at}`)) as unknown as StopsAnswer;
}

/**
 * `POST /api/v1/stops/classify` as the signed-in person (the session cookie),
 * through an injectable fetch; throws an ApiRefusal with the collector's code
 * (`edit_window_closed`, `forbidden`, `not_signed_in`, …) and reason.
 */
export async function classifyStopAs(fetchFn: ApiFetchLike, base: string, ask: { line: string; stop: string; reason: string }): Promise<StopRecord> {
  const answer = await sendJson(fetchFn, 'POST', `${base}/api/v1/stops/classify`, ask);
  return answer.stop as StopRecord;
}

/**
 * A stop split at `splitAt` (epoch ms on the line's clock): `reason` before it,
 * `reason2` from it on, as the signed-in person; throws an ApiRefusal with the
 * collector's code (`forbidden` for an operator, `invalid_split`, …) and reason.
 */
export async function splitStopAs(
  fetchFn: ApiFetchLike,
  base: string,
  ask: { line: string; stop: string; reason: string; splitAt: number; reason2: string },
): Promise<StopRecord> {
  const answer = await sendJson(fetchFn, 'POST', `${base}/api/v1/stops/classify`, ask);
  return answer.stop as StopRecord;
}

/** What `GET /api/v1/units/nok` answers: nok units with the code in force, and the defect catalogue. */
export interface NokUnitsAnswer {
  units: NokItem[];
  total: number;
  timeZone: string;
  catalogue: DefectsConfig;
}

/** A station's (null: the line end's) nok units of the production day. */
export async function fetchNokUnits(fetchFn: FetchLike, base: string, line: string, station: string | null, range = 'day:today'): Promise<NokUnitsAnswer> {
  const at = station === null ? '' : `&station=${encodeURIComponent(station)}`;
  return (await getJson(fetchFn, `${base}/api/v1/units/nok?line=${encodeURIComponent(line)}&range=${encodeURIComponent(range)}${at}`)) as unknown as NokUnitsAnswer;
}

/** `POST /api/v1/units/defect` as the signed-in person; throws an ApiRefusal with the collector's code and reason. */
export async function addUnitDefect(fetchFn: ApiFetchLike, base: string, ask: { line: string; unit: string; station: string | null; defect: string }): Promise<NokItem> {
  return (await sendJson(fetchFn, 'POST', `${base}/api/v1/units/defect`, ask)).unit as NokItem;
}
