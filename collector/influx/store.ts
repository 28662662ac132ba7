/**
 * The collector's only door to InfluxDB: writes events as line protocol
 * through the client library's transport and reads with InfluxQL over `/query`.
 */
import { HttpError, InfluxDB } from '@influxdata/influxdb-client';
import type { StationEvent } from '../../core/events';
import { ensureBucket } from './bucket';
import { legacyWriteTransport } from './legacy-transport';
import type { HourRollup } from '../../core/kpi/hour-summary';
import { eventToLine, lossHourToPoint, lossLineHourToPoint, rollupToPoints, shiftingHourToPoint, type LossHour, type LossLineHour, type RollupSpan, type ShiftingHour } from './points';
import { influxReads, type EventReads } from './reads';
import { probeServer, type InfluxServerInfo } from './server-info';

export interface InfluxConnection {
  url: string;
  /** 2.x/3.x/Cloud token, or `user:password` for 1.x with authentication. */
  token: string;
  org: string;
  /** Bucket (2.x, 3.x) or `database[/retention-policy]` (1.x). */
  bucket: string;
}

/** A failed write or query; `retryable` says whether trying again later can help. */
export class InfluxError extends Error {
  constructor(
    readonly code: 'influx_unavailable' | 'influx_rejected' | 'influx_query_failed' | 'influx_timeout',
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'InfluxError';
  }
}

/** Longest a query may take, ms. */
const QUERY_TIMEOUT_MS = 30_000;

/** One InfluxQL series as the server returns it. */
export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/** What the rest of the collector needs from storage. */
export interface EventStore {
  /** Resolves once InfluxDB confirmed every point; rejects with an {@link InfluxError}. */
  write(events: readonly StationEvent[]): Promise<void>;
  /** Writes closed hours' (or local days') summaries; a summary of one already stored overwrites it. */
  writeRollups(rollups: readonly HourRollup[], span?: RollupSpan): Promise<void>;
  /** Writes closed hours' shifting-bottleneck rows (`shifting_hour`); a row of an hour already stored overwrites it. */
  writeShiftingHours(hours: readonly ShiftingHour[]): Promise<void>;
  /** Writes closed hours' loss rows (`loss_hour` per constraint, `loss_line_hour` per line); a row of an hour already stored overwrites it. */
  writeLossHours(hours: readonly LossHour[], lines: readonly LossLineHour[]): Promise<void>;
  /** Runs one InfluxQL statement; timestamps come back as epoch ms. Only reads.ts writes statements. */
  query(influxql: string): Promise<InfluxSeries[]>;
  /** Every read the collector makes, as typed methods (collector/influx/reads.ts). */
  readonly reads: EventReads;
  /** Pings the server again and returns what it is. */
  refreshInfo(): Promise<InfluxServerInfo>;
  info(): InfluxServerInfo;
  close(): Promise<void>;
}

/** How the store talks to the server. */
export interface ConnectOptions {
  /** How long a query may take before it is abandoned, ms. @default 30_000 */
  queryTimeoutMs?: number;
  /** A write's body is gzip-compressed above this many bytes. @default {@link writeGzipBytesFor} the URL */
  writeGzipBytes?: number;
}

/** Connects to the server, detects its kind and creates the database when it may. */
export async function connectInflux(connection: InfluxConnection, options: ConnectOptions = {}): Promise<EventStore> {
  const queryTimeoutMs = options.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
  const writeGzipBytes = options.writeGzipBytes ?? writeGzipBytesFor(connection.url);
  let info: InfluxServerInfo = await probeServer(connection.url);
  const [database] = connection.bucket.split('/');
  const legacyCredentials = () => {
    const [username, password] = connection.token.includes(':') ? connection.token.split(':', 2) : [undefined, undefined];
    return { username, password };
  };

  function client(): InfluxDB {
    if (info.writePath === 'v1-legacy') {
      const base = new InfluxDB({ url: connection.url });
      const credentials = legacyCredentials();
      return new InfluxDB({
        url: connection.url,
        transport: legacyWriteTransport(base.transport, {
          ...(credentials.username ? { username: credentials.username } : {}),
          ...(credentials.password ? { password: credentials.password } : {}),
        }),
      });
    }
    return new InfluxDB({ url: connection.url, token: connection.token });
  }
  let influx = client();

  async function influxql(statement: string, method: 'GET' | 'POST'): Promise<InfluxSeries[]> {
    const params = new URLSearchParams({ db: database ?? connection.bucket, q: statement, epoch: 'ms' });
    // eslint-disable-next-line no-restricted-syntax -- request headers we write, never looked up by a client's key
    const headers: Record<string, string> = {
      // Uncompressed: the collector runs beside InfluxDB, and gzip of a long read's answer (a year of day
      // summaries is 7 MB) costs InfluxDB seconds of CPU against a third of a second uncompressed (docs/performance.md).
      'Accept-Encoding': 'identity',
    };
    if (info.writePath === 'v1-legacy') {
      const { username, password } = legacyCredentials();
      if (username) params.set('u', username);
      if (password) params.set('p', password);
    } else if (connection.token) {
      headers.Authorization = `Token ${connection.token}`;
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL(`/query?${params.toString()}`, connection.url), {
        method,
        headers,
        signal: AbortSignal.timeout(queryTimeoutMs),
      });
      // The body is read under the same deadline: a slow answer times out here too.
      text = await res.text();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        // A server that no longer answers even /ping is away (hung, frozen, its host gone), whatever the range: say so, not "shorter".
        const ping = await probeServer(connection.url);
        if (!ping.reachable) {
          throw new InfluxError('influx_unavailable', `InfluxDB at ${connection.url} does not answer: a query got no answer within ${queryTimeoutMs / 1000} s and /ping none either (${ping.error ?? 'no answer'})`, true);
        }
        throw new InfluxError('influx_timeout', `InfluxDB did not answer a query within ${queryTimeoutMs / 1000} s: ask for a shorter interval`, true);
      }
      throw new InfluxError('influx_unavailable', `InfluxDB at ${connection.url} is unreachable: ${describe(error)}`, true);
    }
    if (!res.ok) {
      throw new InfluxError('influx_query_failed', `InfluxDB answered ${res.status} to a query: ${text.slice(0, 300)}`, res.status >= 500);
    }
    const body = JSON.parse(text) as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
    const failure = body.error ?? body.results?.find((r) => r.error)?.error;
    if (failure) throw new InfluxError('influx_query_failed', `InfluxQL failed: ${failure}`, false);
    return body.results?.flatMap((r) => r.series ?? []) ?? [];
  }

  /** Set once the server was reached and classified, and its database exists. */
  let ready = false;
  /** Learns what the server is (again) after it was unreachable; creates the 1.x database. */
  async function ensureReady(): Promise<void> {
    if (ready) return;
    const probed = await probeServer(connection.url);
    if (!probed.reachable) {
      info = { ...info, reachable: false, error: probed.error };
      return;
    }
    const pathChanged = probed.writePath !== info.writePath;
    info = probed;
    if (pathChanged) influx = client();
    if (info.product === 'InfluxDB 1.x') {
      // 1.x: the database must exist before the first write. CREATE DATABASE is idempotent.
      await influxql(`CREATE DATABASE ${quoteIdentifier(database ?? connection.bucket)}`, 'POST').catch(() => undefined);
    } else if (info.product === 'InfluxDB 2.x' && connection.token) {
      const { outcome, detail } = await ensureBucket({ url: connection.url, token: connection.token, org: connection.org, bucket: connection.bucket });
      if (outcome === 'created') console.log(`collector: created bucket '${connection.bucket}' in organisation '${connection.org}'`);
      if (outcome === 'not_permitted' || outcome === 'failed') {
        console.warn(`collector: cannot make sure bucket '${connection.bucket}' exists (${detail}); create it, events wait in the spool meanwhile`);
      }
    }
    ready = true;
  }
  await ensureReady();

  /** Writes lines of line protocol in one request (gzip above 64 KiB); resolves once InfluxDB confirmed them. */
  async function writeLines(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    await ensureReady();
    try {
      await sendLines(influx, connection.org, connection.bucket, lines, writeGzipBytes);
    } catch (error) {
      const failure = toInfluxError(error, connection.url);
      // Unreachable: learn the server's kind again when it is back (it may have been upgraded).
      if (failure.retryable) ready = false;
      throw failure;
    }
  }

  const query = async (statement: string): Promise<InfluxSeries[]> => {
    await ensureReady();
    return influxql(statement, 'GET');
  };
  return {
    // Events become lines directly (eventToLine equals the client's Point output, points.test.ts); the few rollups stay Points.
    write: (events) => writeLines(linesOf(events)),
    writeRollups: (rollups, span = 'hour') => writeLines(rollups.flatMap((r) => rollupToPoints(r, span)).flatMap((p) => p.toLineProtocol() ?? [])),
    writeShiftingHours: (hours) => writeLines(hours.flatMap((h) => shiftingHourToPoint(h).toLineProtocol() ?? [])),
    writeLossHours: (hours, lines) =>
      writeLines([...hours.map((h) => lossHourToPoint(h).toLineProtocol()), ...lines.map((h) => lossLineHourToPoint(h).toLineProtocol())].flatMap((l) => l ?? [])),
    query,
    reads: influxReads({ query }),
    async refreshInfo() {
      const probed = await probeServer(connection.url);
      // An unreachable server keeps its last known kind: how to write to it does not change while it is down.
      if (!probed.reachable) info = { ...info, reachable: false, error: probed.error };
      else if (probed.version !== info.version || !ready) {
        ready = false;
        await ensureReady();
      } else info = probed;
      return info;
    },
    info: () => info,
    async close() {
      // Nothing is buffered between calls: every write is flushed before it resolves.
    },
  };
}

/** Above this many bytes a write's body is sent gzip-compressed (by the client's transport). */
const GZIP_THRESHOLD = 64 * 1024;

/**
 * Above how many bytes a write to the server at `url` is gzip-compressed: never to a loopback address
 * (`localhost`, 127.0.0.0/8, `::1`: the collector beside its InfluxDB, as `npm run collector` starts it), where
 * the bytes cost nothing to carry and gzip cost the collector about a fifth of its CPU per event and InfluxDB
 * the gunzip (docs/performance.md, "Ingest"); above 64 KiB to any other host, where the network is the cost.
 */
export function writeGzipBytesFor(url: string): number {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return GZIP_THRESHOLD;
  }
  const loopback = host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  return loopback ? Number.POSITIVE_INFINITY : GZIP_THRESHOLD;
}

/**
 * One write request of `lines` through the client's transport (its HTTP,
 * gzip above `gzipBytes`, timeout and HttpError), answered as the client's WriteApi answers a
 * single batch without retries: resolved on 204 or 201 (and on 1.x's
 * "hinted handoff queue not empty", which the client counts as written),
 * else rejected with the transport's error or an HttpError for an
 * unexpected status. The WriteApi itself measured the UTF-8 length of every
 * line for its buffer, which one request of known lines never needs (it
 * split a batch only beyond 50 MB, far above the writer's 5,000 lines);
 * store.test.ts holds both to the same answers and bodies.
 */
export function sendLines(influx: InfluxDB, org: string, bucket: string, lines: readonly string[], gzipBytes = GZIP_THRESHOLD): Promise<void> {
  const path = `/api/v2/write?org=${encodeURIComponent(org)}&bucket=${encodeURIComponent(bucket)}&precision=ns`;
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    let headers: Record<string, string | string[] | undefined> | undefined;
    influx.transport.send(
      path,
      lines.join('\n'),
      { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, gzipThreshold: gzipBytes },
      {
        responseStarted(h, code) {
          headers = h;
          status = code;
        },
        error(error) {
          const json = error instanceof HttpError ? (error.json as { error?: unknown } | undefined) : undefined;
          if (typeof json?.error === 'string' && json.error.includes('hinted handoff queue not empty')) resolve();
          else reject(error);
        },
        complete() {
          if (status === 204 || status === 201 || status === undefined) resolve();
          else {
            const message = `204 HTTP response status code expected, but ${status} returned`;
            const error = new HttpError(status, message, undefined, '0', undefined, undefined, headers);
            error.message = message;
            reject(error);
          }
        },
      },
    );
  });
}

/** The events' lines, in order; an event without a line (no field) is left out, as the client leaves out such a point. */
function linesOf(events: readonly StationEvent[]): string[] {
  const lines: string[] = [];
  for (const event of events) {
    const line = eventToLine(event);
    if (line !== undefined) lines.push(line);
  }
  return lines;
}

/** Double-quotes an InfluxQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function toInfluxError(error: unknown, url: string): InfluxError {
  if (error instanceof HttpError) {
    // 401/403/404 (token, missing bucket) are fixed by the operator, not by dropping data: retry them.
    // Other 4xx (400 field type conflict, 413, 422) are about the data: the writer isolates those events.
    const retryable = error.statusCode >= 500 || [401, 403, 404, 429].includes(error.statusCode);
    return new InfluxError(
      retryable ? 'influx_unavailable' : 'influx_rejected',
      `InfluxDB answered ${error.statusCode}: ${error.body || error.message}`.slice(0, 500),
      retryable,
    );
  }
  return new InfluxError('influx_unavailable', `InfluxDB at ${url} is unreachable: ${describe(error)}`, true);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.cause instanceof Error ? error.cause.message : error.message;
  return String(error);
}
