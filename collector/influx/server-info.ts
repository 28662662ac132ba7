/**
 * Which InfluxDB we talk to, told apart by the headers of `/ping`:
 * 1.x before 1.8 needs the legacy `/write`; 1.8+, 2.x, Cloud and 3.x take
 * the v2 write API; every one of them answers InfluxQL on `/query`.
 */

/** How the collector writes to a server. */
export type InfluxWritePath = 'v1-legacy' | 'v2';

export interface InfluxServerInfo {
  url: string;
  reachable: boolean;
  /** Product line as the collector understands it. */
  product: 'InfluxDB 1.x' | 'InfluxDB 2.x' | 'InfluxDB 3.x' | 'InfluxDB Cloud' | 'unknown';
  /** Version as reported by the server, e.g. `1.6.7~rc0`. */
  version: string | null;
  /** Human-readable name, e.g. `InfluxDB 1.6.7`. */
  name: string;
  writePath: InfluxWritePath;
  /** Why the server could not be reached, when it could not. */
  error: string | null;
}

/** Classifies a server from its `/ping` headers. */
export function classifyServer(url: string, headers: Headers): InfluxServerInfo {
  const rawVersion = headers.get('x-influxdb-version');
  const build = (headers.get('x-influxdb-build') ?? '').toLowerCase();
  const version = rawVersion ? rawVersion.replace(/^v/, '') : null;
  const clean = version?.replace(/[~+-].*$/, '') ?? null;
  const [major, minor] = (clean ?? '').split('.').map((n) => Number.parseInt(n, 10));
  let product: InfluxServerInfo['product'] = 'unknown';
  let writePath: InfluxWritePath = 'v2';
  if (build.includes('cloud')) product = 'InfluxDB Cloud';
  else if (major === 1) {
    product = 'InfluxDB 1.x';
    // The v2 write compatibility API arrived in 1.8.
    writePath = (minor ?? 0) >= 8 ? 'v2' : 'v1-legacy';
  } else if (major === 2) product = 'InfluxDB 2.x';
  else if (major === 3) product = 'InfluxDB 3.x';
  const name = product === 'unknown' ? `InfluxDB (version ${version ?? 'unknown'})` : `InfluxDB ${clean ?? ''}`.trim();
  return { url, reachable: true, product, version, name: product === 'InfluxDB Cloud' ? 'InfluxDB Cloud' : name, writePath, error: null };
}

/** Pings the server; never throws. */
export async function probeServer(url: string, timeoutMs = 3000): Promise<InfluxServerInfo> {
  try {
    const res = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return classifyServer(url, res.headers);
  } catch (error) {
    return {
      url,
      reachable: false,
      product: 'unknown',
      version: null,
      name: 'InfluxDB (unreachable)',
      writePath: 'v2',
      error: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error),
    };
  }
}
