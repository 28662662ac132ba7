/** Reading the collector's JSON API: one way to fetch, and one error that carries the API's own words. */

/** A fetch function: the browser's, or a fake in tests. */
export type FetchLike = (input: string, init?: { signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

/** A failed API call: the collector's `{ error: { code, message } }`, or what went wrong on the way. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status; null when the collector could not be reached. */
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** GETs `url` and returns its JSON object, or throws an {@link ApiError} with the API's message. */
export async function getJson(fetchFn: FetchLike, url: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? url;
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await fetchFn(url, signal ? { signal } : undefined);
  } catch (err) {
    if (signal?.aborted) throw err; // a superseded request: the caller ignores it
    throw new ApiError('network', `cannot reach the collector (${String(err)})`, null, true);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      throw new ApiError(e.code, e.message, res.status, res.status >= 500);
    }
    throw new ApiError('http', `GET ${path} answered ${res.status}`, res.status, res.status >= 500);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('invalid_response', `GET ${path} did not return a JSON object`, res.status, false);
  }
  return body as Record<string, unknown>;
}
