/**
 * Kiosk and fleet routes:
 *   GET  /api/v1/kiosk?screen=hall-3   the screen's playlist (from TAKTLINE_KIOSK_FILE)
 *   POST /api/v1/screens/report        a screen says how it is (no token: it carries no secret and changes no data)
 *   GET  /api/v1/screens               every screen, last seen, silent or stale: for an admin only
 *                                      (an admin's session, or `Authorization: Bearer <TAKTLINE_ADMIN_TOKEN>`),
 *                                      since it tells where every screen is and what it runs
 */
import type { IncomingMessage } from 'node:http';
import type { Router } from '../http/router';
import { requireSession } from '../auth/routes';
import type { SessionStore } from '../auth/sessions';
import { bearerToken, TokenSet } from '../http/auth';
import { readBody } from '../http/body';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import { Fleet, ScreenReport } from './fleet';
import { ScreenName, type KioskSource } from './kiosk-file';

/** A report is a few hundred bytes. */
const MAX_REPORT_BYTES = 4096;

export interface KioskDeps {
  kiosk: KioskSource;
  fleet: Fleet;
  /** People's sessions (collector/auth): an admin signed in may read the fleet. */
  sessions: SessionStore;
  /** TAKTLINE_ADMIN_TOKEN; unset: only an admin's session opens the fleet list. */
  adminToken?: string | undefined;
}

/** How a person gets in, said in every refusal. */
const HOW_TO_SIGN_IN =
  "sign in as a person with the admin role (POST /api/v1/session with their PIN or personal token; the /fleet page has the form) or send 'Authorization: Bearer <TAKTLINE_ADMIN_TOKEN>'";

/**
 * The fleet list is for IT: an admin's session or the admin token. 401 with
 * how to sign in when neither is there, 403 when the one given is not an admin's.
 */
function requireAdmin(req: IncomingMessage, sessions: SessionStore, adminTokens: TokenSet): void {
  const token = bearerToken(req);
  if (token !== null) {
    if (adminTokens.has(token)) return;
    throw new HttpProblem(403, 'not_admin', `the bearer token is not this collector's admin token; ${HOW_TO_SIGN_IN}`);
  }
  let session;
  try {
    session = requireSession(req, sessions);
  } catch {
    throw new HttpProblem(401, 'admin_required', `the screen list is for admins: ${HOW_TO_SIGN_IN}`, { 'www-authenticate': 'Bearer realm="taktline"' });
  }
  if (session.person.role !== 'admin') {
    throw new HttpProblem(403, 'not_admin', `${session.person.id} is signed in as ${session.person.role}; the screen list needs the admin role: sign out and ${HOW_TO_SIGN_IN}`);
  }
}

export function registerKioskRoutes(router: Router, { kiosk, fleet, sessions, adminToken }: KioskDeps): void {
  const adminTokens = new TokenSet(adminToken ? [adminToken] : []);
  router
    .on('GET', '/api/v1/kiosk', async ({ res, url }) => {
      const raw = url.searchParams.get('screen') ?? '';
      const name = ScreenName.safeParse(raw);
      if (!name.success) throw new HttpProblem(400, 'invalid_parameter', `screen: ${name.error.issues[0]?.message ?? 'invalid'}`);
      const file = await kiosk.get();
      const screens = new Map(Object.entries(file.screens));
      const screen = screens.get(name.data);
      if (!screen) {
        const known = [...screens.keys()];
        throw new HttpProblem(
          404,
          'unknown_screen',
          known.length > 0
            ? `no screen '${name.data}' in the kiosk file; screens: ${known.join(', ')}`
            : `no screen '${name.data}': the collector has no kiosk screens (set TAKTLINE_KIOSK_FILE; see docs/configuration.md)`,
        );
      }
      sendJson(res, 200, { screen: name.data, refreshSeconds: file.refreshSeconds, playlist: screen.playlist, problem: kiosk.problem });
    })
    .on('POST', '/api/v1/screens/report', async ({ req, res }) => {
      const body = await readBody(req, MAX_REPORT_BYTES);
      let raw: unknown;
      try {
        raw = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpProblem(400, 'invalid_json', 'the report must be a JSON object');
      }
      const report = ScreenReport.safeParse(raw);
      if (!report.success) {
        const issue = report.error.issues[0];
        throw new HttpProblem(400, 'invalid_report', `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
      }
      fleet.report(report.data);
      const file = await kiosk.get();
      sendJson(res, 200, { ok: true, reportEverySeconds: Math.min(30, file.refreshSeconds) });
    })
    .on('GET', '/api/v1/screens', async ({ req, res }) => {
      requireAdmin(req, sessions, adminTokens);
      const file = await kiosk.get();
      const t = { silentAfterSeconds: file.silentAfterSeconds, staleAfterSeconds: file.staleAfterSeconds };
      sendJson(res, 200, { ...t, screens: fleet.list(t) });
    });
}
