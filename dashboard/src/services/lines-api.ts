/**
 * The collector's public HTTP API as typed functions (no Vue). The dashboard
 * never holds a token: these endpoints are public.
 */

import { ApiError, getJson, type FetchLike } from './api-json';

export { ApiError, type FetchLike };

/** One line as `GET /api/v1/lines` lists it. */
export interface LineSummary {
  id: string;
  name: { zh: string; en: string };
  timeZone: string;
  targetPerHour: number;
  stations: { id: string; name: { zh: string; en: string } }[];
}


/** `GET /api/v1/lines`: the lines this collector owns. */
export async function fetchLines(fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<LineSummary[]> {
  const body = await getJson(fetchFn, `${base}/api/v1/lines`, signal);
  const { lines } = body;
  if (!Array.isArray(lines) || !lines.every(isLineSummary)) {
    throw new ApiError('invalid_response', 'GET /api/v1/lines did not return { lines: [...] }', 200, false);
  }
  return lines;
}

function isLineSummary(v: unknown): v is LineSummary {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.id === 'string' && typeof o.timeZone === 'string' && typeof o.targetPerHour === 'number' && Array.isArray(o.stations);
}

/**
 * URL of the live WebSocket for `line`, relative to the page: `wss:` behind
 * HTTPS, `ws:` otherwise, same host (the collector serves the dashboard).
 */
export function liveUrl(line: string, page: { protocol: string; host: string }): string {
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}/api/v1/live?line=${encodeURIComponent(line)}`;
}
