/**
 * The service worker: the page, its scripts, styles and font subsets kept on
 * the screen, so a wall that reloads while its collector is down still comes
 * up and draws every glyph (DESIGN.md: "every glyph still renders with the
 * collector gone"). Built as /sw.js (see vite.config.ts), a file of its own
 * from the same origin, so it runs under a strict CSP with no inline script.
 *
 * - /assets/* (content-hashed, never change): cache first, stored on first use;
 *   the glyph preload (services/glyph-preload.ts) puts every subset the UI
 *   needs there while the collector answers.
 * - pages (navigations): network first, the last good index.html when the
 *   network fails, so a new build is picked up as soon as it is served.
 * - /api/*, /version.json and WebSockets: never cached (live data and the
 *   build check must be live).
 *
 * Browsers run service workers only in secure contexts (https, localhost):
 * a kiosk on plain http://collector:8080 relies on the glyph preload alone.
 */

/** Bump when the caching rules change; older caches are deleted on activation. */
const CACHE = 'taktline-v1';
const INDEX = '/index.html';

interface ExtendableEventLike {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const worker = self as unknown as WorkerScope;

worker.addEventListener('install', (e) => {
  // The shell: fetched now, so the first reload without network already works.
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.add(INDEX))
      .catch(() => undefined)
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => worker.clients.claim()),
  );
});

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

async function page(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(INDEX, res.clone());
    return res;
  } catch (error) {
    const shell = await cache.match(INDEX);
    if (shell) return shell;
    throw error;
  }
}

worker.addEventListener('fetch', (e) => {
  const { request } = e;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate') {
    e.respondWith(page(request));
    return;
  }
  if (url.pathname.startsWith('/assets/')) e.respondWith(cacheFirst(request));
  // Everything else (/api/*, /version.json, /sw.js itself) goes to the network untouched.
});
