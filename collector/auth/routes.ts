/**
 * Sign-in routes: POST/GET/DELETE /api/v1/session and GET /api/v1/people
 * (names for the sign-in picker, never a hash). docs/api.md.
 *
 * The hand-written router stays: these four routes, one cookie and one
 * lock-out counter are small; moving the collector to Fastify is a change to
 * every route file that other engineers edit in parallel now.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { PlantConfig } from '../../core/plant';
import { answersFor } from '../../core/people';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { readJson, sendError, sessionCookie, sessionCookieHeader } from './http';
import type { Session, SessionStore } from './sessions';

const SignIn = z.union(
  [
    z.strictObject({ person: z.string().min(1).max(64), pin: z.string().regex(/^\d{4,12}$/, { error: 'pin must be 4–12 digits' }) }),
    z.strictObject({ token: z.string().min(16).max(200) }),
  ],
  { error: 'send {"person":"<id>","pin":"<digits>"} or {"token":"<personal token>"}' },
);

export interface SessionRouteDeps {
  plant: PlantConfig;
  sessions: SessionStore;
  /** Add `Secure` to the cookie (the collector is behind HTTPS). */
  secureCookie: boolean;
}

/** The signed-in person of a request; 401 with a reason when there is none. */
export function requireSession(req: IncomingMessage, sessions: SessionStore): Session {
  const session = sessions.lookup(sessionCookie(req));
  if (!session) throw new HttpProblem(401, 'not_signed_in', 'sign in with your PIN or token first (POST /api/v1/session); sessions end after 2 h unused');
  return session;
}

export function registerSessionRoutes(router: Router, deps: SessionRouteDeps): void {
  const { sessions } = deps;
  router
    .on('POST', '/api/v1/session', async ({ req, res }) => {
      const body = await readJson(req, SignIn);
      const result = 'token' in body ? sessions.signInWithToken(body.token) : await sessions.signInWithPin(body.person, body.pin);
      if (!result.ok) {
        if (result.code === 'locked') {
          sendError(res, 429, 'locked', result.message, { retryAfterSeconds: result.retryAfterSeconds }, { 'retry-after': String(result.retryAfterSeconds) });
        } else {
          sendError(res, 401, 'bad_credentials', result.message, result.attemptsLeft !== undefined ? { attemptsLeft: result.attemptsLeft } : {});
        }
        return;
      }
      const view = sessions.view(result.session);
      sendJson(res, 200, view, { 'set-cookie': sessionCookieHeader(result.sessionId, (result.session.expiresAt - result.session.createdAt) / 1000, deps.secureCookie) });
    })
    .on('GET', '/api/v1/session', ({ req, res }) => {
      sendJson(res, 200, sessions.view(requireSession(req, sessions)));
    })
    .on('DELETE', '/api/v1/session', ({ req, res }) => {
      sessions.end(sessionCookie(req));
      res.writeHead(204, { 'set-cookie': sessionCookieHeader('', 0, deps.secureCookie), 'cache-control': 'no-store' });
      res.end();
    })
    .on('GET', '/api/v1/people', ({ res, url }) => {
      const line = url.searchParams.get('line');
      if (line !== null && !deps.plant.lines.some((l) => l.id === line)) {
        throw new HttpProblem(404, 'unknown_line', `line '${line.slice(0, 64)}' is not configured; lines: ${deps.plant.lines.map((l) => l.id).join(', ')}`);
      }
      const people = (deps.plant.people ?? [])
        .filter((p) => line === null || answersFor(p, line, null))
        .map((p) => ({ id: p.id, name: p.name, role: p.role }));
      sendJson(res, 200, { people });
    });
}
