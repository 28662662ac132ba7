/** Serves the built dashboard, with index.html for client-side routes. */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { DASHBOARD_CSP } from './headers';

/** Content types by extension; a Map, since the extension comes from the request's path. */
const TYPES: ReadonlyMap<string, string> = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.json', 'application/json'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.woff2', 'font/woff2'],
  ['.woff', 'font/woff'],
  ['.txt', 'text/plain; charset=utf-8'],
]);

/** Returns a handler for GET/HEAD of files under `root`; false when nothing was served. */
export function staticFiles(root: string): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean> {
  const base = resolve(root);
  return async (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return false;
    }
    const candidate = resolve(join(base, normalize(decoded)));
    if (candidate !== base && !candidate.startsWith(base + sep)) return false;
    let file = candidate;
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      // Client-side routes (/wall, …) get the app; missing assets get a 404.
      if (extname(decoded) !== '') return false;
      file = join(base, 'index.html');
      info = await stat(file).catch(() => null);
      if (!info?.isFile()) return false;
    }
    const hashed = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': TYPES.get(extname(file)) ?? 'application/octet-stream',
      // The dashboard's own policy: its scripts and styles are files of this origin, nothing inline.
      'content-security-policy': DASHBOARD_CSP,
      'content-length': info.size,
      // Vite puts content hashes in asset names; index.html must always be fresh.
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    // A file that vanishes mid-answer cuts this answer only: the error is handled, never thrown.
    pipeline(createReadStream(file), res, () => undefined);
    return true;
  };
}
