/**
 * Which web pages may open the collector's WebSockets. A browser always sends
 * `Origin` on a WebSocket handshake and lets any page open one to any host,
 * so without this check a page elsewhere could read the live board (or, with
 * a token it holds, write events). Stations and gateways send no `Origin`:
 * they are not browsers and are allowed (ingest still needs its token).
 */
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './problem';
import { printable } from './safe-url';

/** Normalises an origin from configuration (`https://wall.example.com`); null when it is not one. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Throws 403 unless the request has no `Origin`, comes from the collector's
 * own host (same origin: the `Origin` host equals the `Host` header), or from
 * one of `allowed` (normalised origins).
 */
export function checkOrigin(req: IncomingMessage, allowed: readonly string[]): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const normalized = normalizeOrigin(origin);
  if (normalized !== null) {
    const own = new URL(normalized);
    if (sameHost(own, req.headers.host)) return;
    if (allowed.includes(normalized)) return;
  }
  throw new HttpProblem(
    403,
    'origin_not_allowed',
    `pages from '${printable(origin)}' may not open this socket: serve the page from this collector, or add its origin to TAKTLINE_ALLOWED_ORIGINS`,
  );
}

/** Whether the `Host` header names the origin's host (default ports normalised by the origin's scheme). */
function sameHost(origin: URL, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  try {
    return new URL(`${origin.protocol}//${hostHeader}`).host === origin.host;
  } catch {
    return false;
  }
}
