/**
 * Who is signed in on this screen, and the people its sign-in picker offers.
 * Thin: the requests live in services/session-api.ts. The session itself is
 * the collector's HttpOnly cookie; this store only mirrors what
 * `GET /api/v1/session` says, so a reload asks again and nothing secret is
 * ever kept in the page or in storage.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AndonErrorView } from '../components/andon/andon-model';
import { ApiError } from '../services/api-json';
import { errorView } from '../services/latest-request';
import { ApiRefusal, fetchPeople, fetchSession, signIn, signOut, type ApiFetchLike, type PersonSummary, type SessionView } from '../services/session-api';

/** A failed request as the screens read it: the API's words plus tries left or lock time. */
export function refusalView(err: unknown, now: number): AndonErrorView {
  if (err instanceof ApiRefusal) return { code: err.code, message: err.message, attemptsLeft: err.attemptsLeft, retryAfterSeconds: err.retryAfterSeconds, at: now };
  if (err instanceof ApiError) return { code: err.code, message: err.message, at: now };
  return { ...errorView(err), at: now };
}

export const useSessionStore = defineStore('session', () => {
  /** The signed-in person; null when nobody is (or it is not known yet, see `checked`). */
  const session = shallowRef<SessionView | null>(null);
  /** True once the collector has been asked who is signed in. */
  const checked = ref(false);
  const people = shallowRef<PersonSummary[]>([]);
  const peopleError = ref<AndonErrorView | null>(null);
  const busy = ref(false);
  /** The last sign-in refusal, e.g. a wrong PIN with the tries left. */
  const error = ref<AndonErrorView | null>(null);

  let fetchFn: ApiFetchLike | undefined;
  let base = '';
  let clock: () => number = () => Date.now();

  /** Injects fetch, API base and clock (tests, or a dashboard served apart from its collector). */
  function configure(options: { fetch?: ApiFetchLike | undefined; base?: string | undefined; now?: (() => number) | undefined }): void {
    fetchFn = options.fetch;
    base = options.base ?? '';
    if (options.now) clock = options.now;
  }
  const f = (): ApiFetchLike => fetchFn ?? globalThis.fetch.bind(globalThis);

  /** Asks the collector who is signed in on this browser (the cookie decides). */
  async function restore(): Promise<void> {
    try {
      session.value = await fetchSession(f(), base);
    } catch (err) {
      error.value = refusalView(err, clock());
    } finally {
      checked.value = true;
    }
  }

  /** Loads the names a line's sign-in picker offers. */
  async function loadPeople(line: string): Promise<void> {
    try {
      people.value = await fetchPeople(line, f(), base);
      peopleError.value = null;
    } catch (err) {
      peopleError.value = refusalView(err, clock());
    }
  }

  /** Signs in with a person and PIN; true when it worked, else `error` says why. */
  async function signInWithPin(person: string, pin: string): Promise<boolean> {
    busy.value = true;
    try {
      session.value = await signIn({ person, pin }, f(), base);
      error.value = null;
      return true;
    } catch (err) {
      error.value = refusalView(err, clock());
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** Signs out here and at the collector; the screen forgets the person even when the collector cannot be reached. */
  async function signOutNow(): Promise<void> {
    busy.value = true;
    try {
      await signOut(f(), base);
    } catch {
      // The cookie expires on its own; the screen must not keep showing the person.
    } finally {
      session.value = null;
      busy.value = false;
    }
  }

  /** The collector said nobody is signed in (an expired or revoked session). */
  function expired(): void {
    session.value = null;
    error.value = { code: 'not_signed_in', message: 'not signed in', at: clock() };
  }

  function clearError(): void {
    error.value = null;
  }

  return { session, checked, people, peopleError, busy, error, configure, restore, loadPeople, signInWithPin, signOutNow, expired, clearError };
});
