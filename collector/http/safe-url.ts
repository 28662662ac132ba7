/**
 * Parsing what a client sends in a request line and its headers without ever
 * throwing: a request target becomes a URL or a 400 with a reason; URLs in
 * configuration and health answers lose their user info before anyone sees them.
 */
import { HttpProblem } from './problem';

/** Longest request target accepted, characters (Node's header limit is 16 KiB; a query this long is not ours). */
export const MAX_TARGET_LENGTH = 8192;

/**
 * The URL of a request target (origin-form `/path?query`, or absolute-form
 * `http://host/path` as proxies send). Everything else (`//[`, `//host/x`,
 * `*`, a bare word) is a 400: `new URL(target, base)` would read `//host` as
 * an authority and throw on a broken one.
 */
export function parseTarget(target: string | undefined): URL {
  const raw = target ?? '/';
  if (raw.length > MAX_TARGET_LENGTH) {
    throw new HttpProblem(414, 'target_too_long', `the request target is ${raw.length} characters; the limit is ${MAX_TARGET_LENGTH}`);
  }
  if (raw.startsWith('//')) {
    // An empty first segment is never one of our paths, and `//host/…` is how an authority starts.
    throw new HttpProblem(400, 'invalid_target', `the request target '${printable(raw)}' is not a path: it must start with a single '/', e.g. /api/v1/health`);
  }
  let url: URL | null = null;
  try {
    // Prefixing an origin (instead of resolving against a base) keeps `//x` a path, never an authority.
    if (raw.startsWith('/')) url = new URL(`http://collector${raw}`);
    else if (/^https?:\/\//i.test(raw)) url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || url.host === '') {
    throw new HttpProblem(400, 'invalid_target', `the request target '${printable(raw)}' is not a path such as /api/v1/health`);
  }
  return url;
}

/** Like {@link parseTarget} for places that must not throw (upgrades): the URL, or the problem. */
export function tryParseTarget(target: string | undefined): { ok: true; url: URL } | { ok: false; problem: HttpProblem } {
  try {
    return { ok: true, url: parseTarget(target) };
  } catch (error) {
    if (error instanceof HttpProblem) return { ok: false, problem: error };
    throw error;
  }
}

/**
 * A URL as it may be shown in an answer or a log: no user name, no password,
 * no query (which may carry `?token=`). Text that is not a URL is shown as
 * `(not a URL)`, never echoed, since it may be a secret typed in the wrong place.
 */
export function publicUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** Whether a URL carries a user name or password. */
export function hasUserInfo(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}

/** At most 64 printable ASCII characters of a client's text, for a reason that quotes it. */
export function printable(text: string, max = 64): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** `text` with the user info of every URL in it removed (`http://u:p@h` → `http://h`), for logs and answers. */
export function redactUserInfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1');
}
