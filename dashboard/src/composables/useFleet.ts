/**
 * `useFleet`: the fleet list for the `/fleet` page, refreshed every few
 * seconds, and the admin sign-in it needs. The collector answers the list
 * only to an admin (a session with the admin role, or the admin token): a
 * 401 means nobody is signed in, a 403 that the person signed in is no admin.
 */
import { onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import { ApiError } from '../services/api-json';
import { fetchFleet, type FleetList } from '../services/fleet-api';
import { signIn as postSession, signOut as deleteSession, type ApiFetchLike, type Credentials } from '../services/session-api';

export interface UseFleetOptions {
  /** @default 3000 ms */
  refreshMs?: number;
  /** @default globalThis.fetch */
  fetch?: ApiFetchLike;
  /** @default Date.now */
  now?: () => number;
}

/** Why the list is not shown: nobody signed in, or someone who is not an admin. */
export type FleetAccess = 'ok' | 'sign_in' | 'not_admin';

export interface UseFleetReturn {
  fleet: ShallowRef<FleetList | null>;
  access: Ref<FleetAccess>;
  /** Any other failure, in the collector's words. */
  error: Ref<string | null>;
  /** The last sign-in refusal: its code (`bad_credentials`, `locked`, …) and the seconds a lock lasts. */
  signInError: Ref<{ code: string; retryAfterSeconds: number | null } | null>;
  busy: Ref<boolean>;
  now: Ref<number>;
  refresh: () => Promise<void>;
  signIn: (credentials: Credentials) => Promise<void>;
  signOut: () => Promise<void>;
}

export function useFleet(options: UseFleetOptions = {}): UseFleetReturn {
  const fetchFn: ApiFetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const clock = options.now ?? Date.now;
  const fleet = shallowRef<FleetList | null>(null);
  const access = ref<FleetAccess>('ok');
  const error = ref<string | null>(null);
  const signInError = ref<{ code: string; retryAfterSeconds: number | null } | null>(null);
  const busy = ref(false);
  const now = ref(clock());

  async function refresh(): Promise<void> {
    try {
      fleet.value = await fetchFleet(fetchFn);
      access.value = 'ok';
      error.value = null;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        fleet.value = null;
        access.value = e.status === 401 ? 'sign_in' : 'not_admin';
        error.value = null;
      } else {
        error.value = e instanceof Error ? e.message : String(e);
      }
    }
    now.value = clock();
  }

  async function signIn(credentials: Credentials): Promise<void> {
    busy.value = true;
    try {
      await postSession(credentials, fetchFn);
      signInError.value = null;
      await refresh();
    } catch (e) {
      const code = e instanceof ApiError ? e.code : 'network';
      const retry = (e as { retryAfterSeconds?: number | null }).retryAfterSeconds ?? null;
      signInError.value = { code, retryAfterSeconds: retry };
    } finally {
      busy.value = false;
    }
  }

  async function signOut(): Promise<void> {
    try {
      await deleteSession(fetchFn);
    } catch {
      // Signed out or not, the next refresh says what the collector thinks.
    }
    await refresh();
  }

  void refresh();
  const timer = setInterval(() => void refresh(), options.refreshMs ?? 3000);
  onScopeDispose(() => clearInterval(timer));
  return { fleet, access, error, signInError, busy, now, refresh, signIn, signOut };
}
