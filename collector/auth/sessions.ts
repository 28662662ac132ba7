/**
 * Sign-in and sessions. A person signs in with their PIN (or personal token)
 * and gets a random session id in an HttpOnly cookie; the collector keeps only
 * the id's hash. Sessions expire after an idle time and an absolute time.
 * Wrong PINs are counted per person: after `maxFailures` in a row the person
 * is locked for `lockSeconds`, whatever the next PIN is.
 *
 * Sessions live in memory: a collector restart signs everyone out, which a
 * tablet survives by asking for the PIN again (no second database).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ROLE_PERMISSIONS } from '../../core/andon/roles';
import type { Actor, SessionView } from '../../core/andon/types';
import type { PersonConfig } from '../../core/people';
import { verifyPin } from './secrets';

export interface SessionSettings {
  /** A session unused this long ends, ms. */
  idleMs: number;
  /** A session ends this long after sign-in however it is used, ms. */
  absoluteMs: number;
  /** Wrong PINs in a row before the person is locked. */
  maxFailures: number;
  /** How long a lock lasts, ms. */
  lockMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  idleMs: 2 * 3_600_000,
  absoluteMs: 12 * 3_600_000,
  maxFailures: 5,
  lockMs: 5 * 60_000,
};

export interface Session {
  person: PersonConfig;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export type SignInResult =
  | { ok: true; sessionId: string; session: Session }
  | { ok: false; code: 'bad_credentials'; message: string; attemptsLeft?: number }
  | { ok: false; code: 'locked'; message: string; retryAfterSeconds: number };

/** Sessions one person may hold at once. */
export const MAX_SESSIONS_PER_PERSON = 20;

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  private readonly people = new Map<string, PersonConfig>();
  private readonly byToken = new Map<string, PersonConfig>();

  constructor(
    people: readonly PersonConfig[],
    private readonly settings: SessionSettings,
    private readonly clock: () => number,
  ) {
    for (const p of people) {
      this.people.set(p.id, p);
      if (p.tokenHash) this.byToken.set(p.tokenHash, p);
    }
  }

  person(id: string): PersonConfig | undefined {
    return this.people.get(id);
  }

  async signInWithPin(personId: string, pin: string): Promise<SignInResult> {
    const now = this.clock();
    const person = this.people.get(personId);
    if (!person?.pinHash) return { ok: false, code: 'bad_credentials', message: 'unknown person or no PIN set for them: ask an admin' };
    const state = this.failures.get(person.id) ?? { count: 0, lockedUntil: 0 };
    if (state.lockedUntil > now) return this.locked(state.lockedUntil, now);
    if (state.lockedUntil !== 0) {
      // The lock has passed: a fresh set of tries.
      state.count = 0;
      state.lockedUntil = 0;
    }
    // The try is counted before the (slow) check, so parallel guesses cannot pass the limit.
    if (state.count >= this.settings.maxFailures) {
      state.lockedUntil = now + this.settings.lockMs;
      return this.locked(state.lockedUntil, now);
    }
    state.count += 1;
    this.failures.set(person.id, state);
    if (await verifyPin(pin, person.pinHash)) {
      this.failures.delete(person.id);
      return this.open(person, this.clock());
    }
    if (state.count >= this.settings.maxFailures) {
      state.lockedUntil = now + this.settings.lockMs;
      return this.locked(state.lockedUntil, now);
    }
    const attemptsLeft = this.settings.maxFailures - state.count;
    return { ok: false, code: 'bad_credentials', message: `wrong PIN: ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left before a lock`, attemptsLeft };
  }

  signInWithToken(token: string): SignInResult {
    const person = this.byToken.get(`sha256$${digest(token)}`);
    if (!person) return { ok: false, code: 'bad_credentials', message: 'the token belongs to nobody in the plant file' };
    return this.open(person, this.clock());
  }

  /** The live session for a cookie value, refreshed; null when there is none or it expired. */
  lookup(sessionId: string | null): Session | null {
    if (!sessionId) return null;
    const key = digest(sessionId);
    const session = this.sessions.get(key);
    if (!session) return null;
    const now = this.clock();
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.settings.idleMs) {
      this.sessions.delete(key);
      return null;
    }
    session.lastSeenAt = now;
    return session;
  }

  end(sessionId: string | null): void {
    if (sessionId) this.sessions.delete(digest(sessionId));
  }

  /** When the session ends if it stays in use: the sooner of the idle and the absolute limit. */
  expiresAt(session: Session): number {
    return Math.min(session.expiresAt, session.lastSeenAt + this.settings.idleMs);
  }

  view(session: Session): SessionView {
    const p = session.person;
    const may = ROLE_PERMISSIONS[p.role];
    return {
      person: { id: p.id, name: p.name, role: p.role, lines: [...p.lines], stations: [...p.stations] },
      expiresAt: this.expiresAt(session),
      may: { raise: may.raise, acknowledge: may.acknowledge, resolve: may.resolve, cancel: may.cancel, editRules: may.editRules },
    };
  }

  private open(person: PersonConfig, now: number): SignInResult {
    // Expired sessions are dropped here rather than by a timer.
    for (const [key, s] of this.sessions) if (now >= s.expiresAt || now - s.lastSeenAt >= this.settings.idleMs) this.sessions.delete(key);
    // A person signs in on a few tablets and laptops; more than this many sessions end the oldest (memory stays bounded).
    const theirs = [...this.sessions].filter(([, s]) => s.person.id === person.id).sort((a, b) => a[1].lastSeenAt - b[1].lastSeenAt);
    for (const [key] of theirs.slice(0, Math.max(0, theirs.length - (MAX_SESSIONS_PER_PERSON - 1)))) this.sessions.delete(key);
    const sessionId = randomBytes(32).toString('base64url');
    const session: Session = { person, createdAt: now, lastSeenAt: now, expiresAt: now + this.settings.absoluteMs };
    this.sessions.set(digest(sessionId), session);
    return { ok: true, sessionId, session };
  }

  private locked(until: number, now: number): SignInResult {
    const retryAfterSeconds = Math.max(1, Math.ceil((until - now) / 1000));
    return { ok: false, code: 'locked', message: `too many wrong PINs: locked, try again in ${retryAfterSeconds} s`, retryAfterSeconds };
  }
}

/** The actor a session acts as. */
export function personActor(session: Session): Actor {
  return { kind: 'person', id: session.person.id, name: session.person.name };
}
