/**
 * The collector's public HTTP API as typed functions (no Vue). The dashboard
 * never holds a token: these endpoints are public.
 */

/** One line as `GET /api/v1/lines` lists it. */
export interface LineSummary {
  id: string;
  name: { zh: string; en: string };
  timeZone: string;
  targetPerHour: number;
  stations: { id: string; name: { zh: string; en: string } }[];
}

/** Failure with a stable code; `retryable` says whether trying again may help. */
export class ApiError extends Error {
  constructor(
    readonly code: 'http' | 'network' | 'invalid_response',
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A fetch function: the browser's, or a fake in tests. */
export type FetchLike = (input: string, init?: { signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

/** `GET /api/v1/lines`: the lines this collector owns. */
export async function fetchLines(fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<LineSummary[]> {
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(`${base}/api/v1/lines`, signal ? { signal } : undefined);
  } catch (err) {
    throw new ApiError('network', `cannot reach the collector: ${String(err)}`, true);
  }
  if (!res.ok) throw new ApiError('http', `GET /api/v1/lines answered ${res.status}`, res.status >= 500);
  const body = await res.json().catch(() => null);
  const lines = (body as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(lines) || !lines.every(isLineSummary)) {
    throw new ApiError('invalid_response', 'GET /api/v1/lines did not return { lines: [...] }', false);
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
