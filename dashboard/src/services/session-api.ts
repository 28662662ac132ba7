/**
 * Signing in and out (`/api/v1/session`) and the people a sign-in picker
 * lists (`/api/v1/people`), as typed functions (no Vue). The collector sets
 * an HttpOnly session cookie; the browser keeps nothing else: no token, no
 * PIN, nothing in localStorage. Requests go same-origin with credentials, so
 * the cookie rides along and no script ever reads it.
 *
 * Also the one way the dashboard sends JSON ({@link sendJson}): the andon
 * actions use it too.
 */
import type { Role, SessionView } from '@core/andon/types';
import { ApiError, getJson } from './api-json';

export type { Role, SessionView };

/** A fetch function that can also POST and DELETE: the browser's, or a fake in tests. */
export type ApiFetchLike = (
  input: string,
  init?: {
    method?: 'GET' | 'POST' | 'DELETE';
    headers?: Record<string, string>;
    body?: string;
    credentials?: 'same-origin';
    signal?: AbortSignal;
  },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; headers?: { get(name: string): string | null } }>;

/**
 * A refusal by the collector with what a person needs to act on it: how many
 * PIN tries are left before the lock, or how long the lock lasts.
 */
export class ApiRefusal extends ApiError {
  constructor(
    code: string,
    message: string,
    status: number,
    /** Wrong PINs left before the person is locked out; null when the collector did not say. */
    readonly attemptsLeft: number | null,
    /** Seconds until a lock (or rate limit) ends; null when the collector did not say. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(code, message, status, status >= 500);
    this.name = 'ApiRefusal';
  }
}

/** One person as `GET /api/v1/people` lists them: names only, never a PIN or token. */
export interface PersonSummary {
  id: string;
  name: string;
  role: Role;
}

/** How a person proves who they are. */
export type Credentials = { person: string; pin: string } | { token: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

/**
 * Sends `body` as JSON with `method` and returns the answer's JSON object (an
 * empty object for 204), or throws an {@link ApiRefusal} carrying the
 * collector's code and message (or an {@link ApiError} when it could not be
 * reached).
 */
export async function sendJson(
  fetchFn: ApiFetchLike,
  method: 'POST' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0] ?? url;
  let res: Awaited<ReturnType<ApiFetchLike>>;
  try {
    res = await fetchFn(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new ApiError('network', `cannot reach the collector (${String(err)})`, null, true);
  }
  if (res.status === 204) return {};
  const answer: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const top = isObj(answer) ? answer : {};
    const e = isObj(top.error) ? top.error : top;
    const header = Number(res.headers?.get('retry-after') ?? Number.NaN);
    const retryAfter = count(e.retryAfterSeconds) ?? count(top.retryAfterSeconds) ?? (Number.isFinite(header) ? header : null);
    const attemptsLeft = count(e.attemptsLeft) ?? count(top.attemptsLeft);
    if (typeof e.code === 'string') {
      const message = typeof e.message === 'string' ? e.message : e.code;
      throw new ApiRefusal(e.code, message, res.status, attemptsLeft, retryAfter);
    }
    throw new ApiRefusal('http', `${method} ${path} answered ${res.status}`, res.status, attemptsLeft, retryAfter);
  }
  if (!isObj(answer)) throw new ApiError('invalid_response', `${method} ${path} did not return a JSON object`, res.status, false);
  return answer;
}

function isSessionView(v: unknown): v is SessionView {
  return (
    isObj(v) &&
    isObj(v.person) &&
    typeof v.person.id === 'string' &&
    typeof v.person.name === 'string' &&
    typeof v.person.role === 'string' &&
    typeof v.expiresAt === 'number' &&
    isObj(v.may)
  );
}

function asSession(body: Record<string, unknown>, path: string): SessionView {
  // The contract answers the SessionView itself; `{session: …}` is accepted too.
  const v = isSessionView(body) ? body : body.session;
  if (!isSessionView(v)) throw new ApiError('invalid_response', `${path} did not return a session`, 200, false);
  return v;
}

/** `POST /api/v1/session`: signs in; the collector sets the session cookie. */
export async function signIn(credentials: Credentials, fetchFn: ApiFetchLike = globalThis.fetch, base = ''): Promise<SessionView> {
  return asSession(await sendJson(fetchFn, 'POST', `${base}/api/v1/session`, credentials), 'POST /api/v1/session');
}

/** `GET /api/v1/session`: who is signed in on this browser, or null when nobody is (401). */
export async function fetchSession(fetchFn: ApiFetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<SessionView | null> {
  try {
    return asSession(await getJson(fetchFn, `${base}/api/v1/session`, signal), 'GET /api/v1/session');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** `DELETE /api/v1/session`: signs out; the collector clears the cookie. */
export async function signOut(fetchFn: ApiFetchLike = globalThis.fetch, base = ''): Promise<void> {
  await sendJson(fetchFn, 'DELETE', `${base}/api/v1/session`);
}

/** `GET /api/v1/people?line=`: the names the sign-in picker offers. */
export async function fetchPeople(line: string, fetchFn: ApiFetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<PersonSummary[]> {
  const body = await getJson(fetchFn, `${base}/api/v1/people?${new URLSearchParams({ line }).toString()}`, signal);
  const { people } = body;
  if (!Array.isArray(people) || !people.every((p) => isObj(p) && typeof p.id === 'string' && typeof p.name === 'string')) {
    throw new ApiError('invalid_response', 'GET /api/v1/people did not return { people: [...] }', 200, false);
  }
  return people as PersonSummary[];
}
