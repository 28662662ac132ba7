/**
 * Sends events to a collector through its public ingest API, as any station
 * would: POST {target}/api/v1/events with a JSON array, in batches. Nothing is
 * dropped while the collector is down or busy: network errors and 5xx answers
 * are retried with capped exponential back-off (503/429 honour Retry-After),
 * and a batch leaves the queue only once the collector has answered it.
 * Events the collector rejects are not resent; their reasons are printed once.
 */
import type { StationEvent } from '../../core/events';
import type { EventSink } from './sink';

export interface HttpSinkOptions {
  /** Collector base URL, e.g. http://localhost:8080. */
  target: string;
  /** Ingest token, sent as `Authorization: Bearer <token>`. */
  token: string;
  /** Events per request. @default 500 */
  batchSize?: number;
  /** A partial batch is sent after this long, wall milliseconds. @default 250 */
  flushIntervalMs?: number;
  /** First retry delay, doubled per attempt, wall milliseconds. @default 500 */
  initialBackoffMs?: number;
  /** Cap on the retry delay, wall milliseconds. @default 30000 */
  maxBackoffMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /** One line per retry or rejection reason. @default writes to stderr */
  log?: (line: string) => void;
}

export const DEFAULT_HTTP_SINK_OPTIONS = {
  batchSize: 500,
  flushIntervalMs: 250,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
} as const;

/** A failure retrying cannot fix; the run stops with its message. */
export class HttpSinkError extends Error {
  readonly retryable = false;
  constructor(
    readonly code: 'unauthorized' | 'bad_target' | 'event_too_large',
    message: string,
  ) {
    super(message);
    this.name = 'HttpSinkError';
  }
}

interface Rejection {
  index?: number;
  field?: string;
  code?: string;
  reason?: string;
}

interface IngestAnswer {
  accepted?: number;
  duplicates?: number;
  rejected?: Rejection[];
}

export class HttpSink implements EventSink {
  /** Totals over the run, for the final report. */
  readonly stats = { requests: 0, accepted: 0, duplicates: 0, rejected: 0, retries: 0 };
  private readonly options: Required<HttpSinkOptions>;
  private readonly url: string;
  private queue: StationEvent[] = [];
  private sending: Promise<void> | null = null;
  private fatal: HttpSinkError | null = null;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly reasonsSeen = new Set<string>();

  constructor(options: HttpSinkOptions) {
    this.options = {
      ...DEFAULT_HTTP_SINK_OPTIONS,
      fetch: globalThis.fetch.bind(globalThis),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      log: (line) => process.stderr.write(`${line}\n`),
      ...options,
    };
    this.url = `${options.target.replace(/\/+$/, '')}/api/v1/events`;
    this.timer = setInterval(() => {
      if (this.queue.length > 0) this.kick();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Set once a non-retryable error stopped delivery. */
  get error(): HttpSinkError | null {
    return this.fatal;
  }

  write(event: StationEvent): void {
    if (this.fatal) throw this.fatal;
    this.queue.push(event);
    if (this.queue.length >= this.options.batchSize) this.kick();
  }

  /** Events not yet answered by the collector, including the batch in flight. */
  backlog(): number {
    return this.queue.length;
  }

  async flush(): Promise<void> {
    while (!this.fatal && (this.queue.length > 0 || this.sending)) {
      this.kick();
      await this.sending;
    }
    if (this.fatal) throw this.fatal;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private kick(): void {
    if (this.sending || this.fatal) return;
    this.sending = this.drain().finally(() => {
      this.sending = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.fatal) {
      const batch = this.queue.slice(0, this.options.batchSize);
      try {
        await this.deliver(batch);
      } catch (error) {
        if (error instanceof HttpSinkError) {
          this.fatal = error;
          return;
        }
        throw error;
      }
      this.queue.splice(0, batch.length);
    }
  }

  /** Sends one batch until the collector has answered it for good. */
  private async deliver(batch: StationEvent[]): Promise<void> {
    const { fetch, sleep, log, token } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        this.stats.requests += 1;
        response = await fetch(this.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(batch),
        });
      } catch (error) {
        const delay = this.backoff(attempt);
        this.stats.retries += 1;
        log(`collector unreachable at ${this.url} (${describe(error)}); retry ${attempt} of ${batch.length} events in ${seconds(delay)}`);
        await sleep(delay);
        continue;
      }
      const status = response.status;
      if (status === 200 || status === 400) {
        this.record(batch, await readAnswer(response), status);
        return;
      }
      await response.body?.cancel();
      if (status === 401 || status === 403) {
        throw new HttpSinkError('unauthorized', `collector refused the ingest token (${status}): check --token`);
      }
      if (status === 413) {
        if (batch.length === 1) throw new HttpSinkError('event_too_large', `collector says a single event is too large (413): ${batch[0]?.id ?? ''}`);
        const half = Math.ceil(batch.length / 2);
        await this.deliver(batch.slice(0, half));
        await this.deliver(batch.slice(half));
        return;
      }
      if (status === 503 || status === 429 || status >= 500) {
        const retryAfter = Number(response.headers.get('retry-after'));
        const delay = Number.isFinite(retryAfter) && response.headers.has('retry-after')
          ? Math.min(this.options.maxBackoffMs, Math.max(retryAfter * 1000, this.options.initialBackoffMs))
          : this.backoff(attempt);
        this.stats.retries += 1;
        log(`collector answered ${status}; retry ${attempt} of ${batch.length} events in ${seconds(delay)}`);
        await sleep(delay);
        continue;
      }
      throw new HttpSinkError('bad_target', `collector answered ${status} to POST ${this.url}: is --target the collector's base URL?`);
    }
  }

  private record(batch: StationEvent[], answer: IngestAnswer | null, status: number): void {
    const rejected: Rejection[] =
      answer?.rejected ?? (status === 400 ? batch.map((_, index) => ({ index, reason: 'rejected (no reason given)' })) : []);
    this.stats.accepted += answer?.accepted ?? (status === 200 ? batch.length - rejected.length : 0);
    this.stats.duplicates += answer?.duplicates ?? 0;
    this.stats.rejected += rejected.length;
    for (const r of rejected) {
      const key = `${r.code ?? ''}|${r.field ?? ''}|${r.reason ?? ''}`;
      if (this.reasonsSeen.has(key)) continue;
      this.reasonsSeen.add(key);
      const event = r.index === undefined ? undefined : batch[r.index];
      this.options.log(`collector rejected ${event ? `${event.type} event ${event.id ?? ''}` : 'an event'}: ${r.field ? `${r.field}: ` : ''}${r.reason ?? r.code ?? 'no reason given'} (not resent; further rejections for this reason are counted only)`);
    }
  }

  private backoff(attempt: number): number {
    return Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** (attempt - 1));
  }
}

async function readAnswer(response: Response): Promise<IngestAnswer | null> {
  try {
    const body: unknown = await response.json();
    return body !== null && typeof body === 'object' ? (body as IngestAnswer) : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 2 : 0)} s`;
}
