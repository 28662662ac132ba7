/**
 * InfluxDB before 1.8 has no `/api/v2/write`. The client library stays
 * unmodified; this transport maps its write path onto the legacy `/write`.
 */
import type { CommunicationObserver, SendOptions, Transport } from '@influxdata/influxdb-client';

/** Legacy credentials: 1.x takes `u`/`p` query parameters, not a token. */
export interface LegacyCredentials {
  username?: string;
  password?: string;
}

const PRECISION_V1: ReadonlyMap<string, string> = new Map([['ns', 'n'], ['us', 'u'], ['ms', 'ms'], ['s', 's']]);

/** Rewrites `/api/v2/write?org=…&bucket=db[/rp]&precision=…` to `/write?db=…&rp=…&precision=…`. */
export function mapWritePath(path: string, credentials: LegacyCredentials = {}): string {
  const url = new URL(path, 'http://placeholder');
  if (url.pathname !== '/api/v2/write') return path;
  const bucket = url.searchParams.get('bucket') ?? '';
  const slash = bucket.indexOf('/');
  const params = new URLSearchParams();
  params.set('db', slash >= 0 ? bucket.slice(0, slash) : bucket);
  if (slash >= 0 && bucket.slice(slash + 1)) params.set('rp', bucket.slice(slash + 1));
  const precision = url.searchParams.get('precision');
  if (precision) params.set('precision', PRECISION_V1.get(precision) ?? precision);
  if (credentials.username) params.set('u', credentials.username);
  if (credentials.password) params.set('p', credentials.password);
  return `/write?${params.toString()}`;
}

/** Wraps a transport so writes reach the legacy endpoint; everything else passes through. */
export function legacyWriteTransport(inner: Transport, credentials: LegacyCredentials = {}): Transport {
  return {
    send(path: string, body: string, options: SendOptions, callbacks?: Partial<CommunicationObserver<Uint8Array>>) {
      inner.send(mapWritePath(path, credentials), body, options, callbacks);
    },
    request(path, body, options, responseStarted) {
      return inner.request(mapWritePath(path, credentials), body, options, responseStarted);
    },
    iterate(path, body, options) {
      return inner.iterate(mapWritePath(path, credentials), body, options);
    },
    get chunkCombiner() {
      return inner.chunkCombiner;
    },
  };
}
