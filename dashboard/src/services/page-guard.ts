/**
 * A wall screen runs for weeks with nobody at it. If its page goes wrong —
 * its heap keeps growing, or errors keep coming that the app cannot recover
 * from — the best fix a person would apply is a reload. This guard applies it,
 * at most a few times an hour so a broken build does not reload in a loop.
 * Vue-free; the window, clock and storage are injectable.
 */

export interface PageGuardOptions {
  /** How often the heap is looked at, ms. @default 600000 (10 min) */
  checkEveryMs?: number;
  /** Reload when the heap is above this many bytes. @default 256 MiB */
  maxHeapBytes?: number;
  /** …or above this multiple of the heap measured after the first check (the page's settled size). @default 4 */
  maxHeapGrowth?: number;
  /** Reload after this many uncaught errors within `errorWindowMs`. @default 20 */
  maxErrors?: number;
  /** @default 60000 */
  errorWindowMs?: number;
  /** At most this many guard reloads per hour (counted in sessionStorage). @default 3 */
  maxReloadsPerHour?: number;
}

export interface PageGuardEnv {
  addEventListener(type: 'error' | 'unhandledrejection', listener: () => void): void;
  removeEventListener(type: 'error' | 'unhandledrejection', listener: () => void): void;
  reload(): void;
  /** Used JS heap in bytes, or null where the browser does not tell (only Chromium does). */
  heapBytes(): number | null;
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export const DEFAULT_PAGE_GUARD: Required<PageGuardOptions> = {
  checkEveryMs: 600_000,
  maxHeapBytes: 256 * 1024 * 1024,
  maxHeapGrowth: 4,
  maxErrors: 20,
  errorWindowMs: 60_000,
  maxReloadsPerHour: 3,
};

const RELOADS_KEY = 'taktline.guardReloads';

/** Why the guard reloaded, for the log. */
export type ReloadReason = 'heap' | 'errors';

/** Starts the guard; returns a function that stops it. */
export function startPageGuard(env: PageGuardEnv, options: PageGuardOptions = {}, onReload?: (why: ReloadReason) => void): () => void {
  const o = { ...DEFAULT_PAGE_GUARD, ...options };
  let baseline: number | null = null;
  let errors: number[] = [];
  /** Set once a reload is under way: the page is going, nothing more to decide. */
  let reloading = false;

  function reload(why: ReloadReason): void {
    if (reloading) return;
    const now = env.now();
    const recent = readReloads().filter((t) => now - t < 3_600_000);
    if (recent.length >= o.maxReloadsPerHour) return; // reloading has not helped: stay up and keep showing data
    env.storage?.setItem(RELOADS_KEY, JSON.stringify([...recent, now]));
    reloading = true;
    onReload?.(why);
    env.reload();
  }

  function readReloads(): number[] {
    try {
      const raw = JSON.parse(env.storage?.getItem(RELOADS_KEY) ?? '[]') as unknown;
      return Array.isArray(raw) ? raw.filter((t): t is number => typeof t === 'number') : [];
    } catch {
      return [];
    }
  }

  const onError = () => {
    const now = env.now();
    errors = [...errors.filter((t) => now - t < o.errorWindowMs), now];
    if (errors.length >= o.maxErrors) reload('errors');
  };
  env.addEventListener('error', onError);
  env.addEventListener('unhandledrejection', onError);

  const timer = env.setInterval(() => {
    const heap = env.heapBytes();
    if (heap === null) return;
    if (baseline === null) {
      baseline = heap;
      return;
    }
    if (heap > o.maxHeapBytes || heap > baseline * o.maxHeapGrowth) reload('heap');
  }, o.checkEveryMs);

  return () => {
    env.clearInterval(timer);
    env.removeEventListener('error', onError);
    env.removeEventListener('unhandledrejection', onError);
  };
}

/** The browser's own environment. */
export function browserPageGuardEnv(): PageGuardEnv {
  const perf = performance as Performance & { memory?: { usedJSHeapSize: number } };
  let storage: Storage | null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null; // storage blocked: the loop limit then holds per page load only
  }
  return {
    addEventListener: (type, fn) => window.addEventListener(type, fn),
    removeEventListener: (type, fn) => window.removeEventListener(type, fn),
    reload: () => window.location.reload(),
    heapBytes: () => perf.memory?.usedJSHeapSize ?? null,
    now: () => Date.now(),
    setInterval: (fn, ms) => window.setInterval(fn, ms),
    clearInterval: (h) => window.clearInterval(h as number),
    storage,
  };
}
