/**
 * Security headers for every answer. The API answers data, never pages: its
 * CSP forbids everything. The dashboard is a built Vite app whose scripts and
 * styles are files under /assets, so its CSP allows this origin only, with no
 * inline script or style exception (dashboard/test/csp.e2e.test.ts loads
 * every view in Chromium under it and expects no violation).
 */
import type { ServerResponse } from 'node:http';

/** For JSON, CSV and text answers: nothing in them may run, load or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * For the dashboard. `img-src data:` is for the empty favicon (`data:,`) and
 * the charts' canvas exports; `font-src data:` for the font subsets small
 * enough that Vite inlines them into the CSS (a font cannot run code);
 * `connect-src 'self'` covers fetch and the live WebSocket on the same host
 * (CSP 3 matches ws: and wss: to 'self').
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every answer carries, whatever it is. */
export const SECURITY_HEADERS: Readonly<Record<'x-content-type-options' | 'x-frame-options' | 'referrer-policy' | 'cross-origin-opener-policy', string>> = {
  'x-content-type-options': 'nosniff',
  // For browsers without CSP frame-ancestors.
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Sets the security headers of an API answer; the static file handler replaces the CSP for the dashboard. */
export function setSecurityHeaders(res: ServerResponse, csp: string = API_CSP): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  res.setHeader('content-security-policy', csp);
}

/** The same headers as raw lines, for answers written on a socket (refused upgrades). */
export function securityHeaderLines(): string {
  return [...Object.entries(SECURITY_HEADERS), ['content-security-policy', API_CSP]].map(([k, v]) => `${k}: ${v}\r\n`).join('');
}
