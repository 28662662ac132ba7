/**
 * The InfluxDB writer: drains the spool in order, in batches, and advances
 * the spool's checkpoint only after InfluxDB confirmed a batch. The spool is
 * the source of truth: on a failure the writer backs off and writes the same
 * events again; after a restart it resumes from the checkpoint. The client
 * library's in-memory retry buffer is never used (the store sends each
 * request once, `sendLines`), so it is never the only copy of an event.
 *
 * Pipelined: it reads ahead while writes are in flight and keeps up to
 * `writesInFlight` writes going at once (each its own batch of whole
 * records), so InfluxDB is never idle waiting for the spool, the checkpoint
 * or one slow request. While writes are in flight, a batch short of
 * `batchEvents` waits for more records (or a confirmation) before it goes,
 * so a steady stream is written in full-size requests; with none in flight
 * it goes at once. The checkpoint still advances strictly in order: only
 * to the end of the longest run of confirmed batches from the checkpoint on,
 * so a batch confirmed early waits for those before it. Confirmations that
 * arrive while a checkpoint is being written are folded into the next one.
 *
 * A batch InfluxDB refuses for good (a 4xx) is split in halves until the
 * refused events are found; each goes to the dead-letter file with the
 * server's reason, and the rest is written. The spool never blocks on one bad
 * event.
 *
 * Its own disk failing (reading the spool, writing the checkpoint or the
 * dead-letter file, at ENOSPC for example) pauses the writer with the same
 * back-off; it never stops it, so it resumes by itself once space returns.
 */
import { open } from 'node:fs/promises';
import type { StationEvent } from '../../core/events';
import type { Metrics } from '../metrics';
import { decodeBatch, type SpooledBatch } from '../spool/batch';
import { errorCode } from '../spool/file-ops';
import type { Spool } from '../spool/spool';
import { InfluxError, type EventStore } from './store';

export interface SpoolDrainOptions {
  spool: Spool;
  store: Pick<EventStore, 'write'>;
  metrics: Metrics;
  /** NDJSON file for events InfluxDB refused for good. */
  deadLetterPath: string;
  /** Events per InfluxDB write (whole spool records; at least one). @default 5000 */
  batchEvents?: number;
  /** Most InfluxDB writes in flight at once. @default 4 */
  writesInFlight?: number;
  /** First back-off after a failed write, ms. @default 500 */
  retryMinMs?: number;
  /** Longest back-off, ms. @default 30000 */
  retryMaxMs?: number;
  /** Wall clock, epoch ms. @default Date.now */
  clock?: () => number;
  /** Where the writer reports what it does about failures. @default console */
  log?: (message: string) => void;
}

/** What {@link SpoolDrain} steps answer when the writer was stopped before they succeeded. */
const STOPPED = Symbol('stopped');

/** Spool bytes read per step, before the event limit applies. */
const READ_BYTES = 4 * 1024 * 1024;

/**
 * Most events held as just-appended batches (see {@link SpoolDrain.appended}):
 * enough for the writes in flight and the next read, bounded so an outage
 * never keeps the spool's backlog in memory (those records are decoded when read).
 */
const FRESH_MAX_EVENTS = 50_000;

/** One batch on its way to InfluxDB: whole spool records, up to `end`. */
interface InFlight {
  end: number;
  events: StationEvent[];
  /** When its oldest record arrived, epoch ms. */
  at: number | null;
  confirmed: boolean;
}

export class SpoolDrain {
  private stopped = true;
  private running: Promise<void> | null = null;
  private readonly sleepers = new Set<() => void>();
  private notify: (() => void) | null = null;
  /** Batches read and not yet checkpointed, in spool order. */
  private window: InFlight[] = [];
  private committing = false;
  /** Batches appended lately by this process, by record offset: read back, they need no decoding. */
  private readonly fresh = new Map<number, SpooledBatch>();
  private freshEvents = 0;
  private influxFailing = false;
  private trouble: string | null = null;
  private readonly batchEvents: number;
  private readonly writesInFlight: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly clock: () => number;
  private readonly log: (message: string) => void;

  /** @param unwrittenEvents events after the checkpoint at start (counted by the recovery scan) */
  constructor(
    private readonly options: SpoolDrainOptions,
    private unwrittenEvents = 0,
  ) {
    this.batchEvents = options.batchEvents ?? 5000;
    this.writesInFlight = Math.max(1, options.writesInFlight ?? 4);
    this.retryMinMs = options.retryMinMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? ((m) => console.warn(m));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.run().catch((error: unknown) => {
      // A bug or a broken spool file: say so loudly; ingest goes on, the spool keeps everything.
      this.log(`collector: the InfluxDB writer stopped: ${error instanceof Error ? error.stack : String(error)}`);
    });
  }

  /** Stops after the writes in progress (their checkpoint is kept when InfluxDB confirmed them in order). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
    this.wakeUp();
    await this.running;
    this.running = null;
  }

  /**
   * More events were made durable in the spool. `record` is the batch as it
   * was encoded and where its record starts: when the writer reads that
   * record it takes these events instead of parsing the payload again (what
   * a restart decodes from the payload is the same events, drain.test.ts).
   */
  appended(events: number, record?: { offset: number; batch: SpooledBatch }): void {
    this.unwrittenEvents += events;
    if (record && this.freshEvents + record.batch.events.length <= FRESH_MAX_EVENTS) {
      this.fresh.set(record.offset, record.batch);
      this.freshEvents += record.batch.events.length;
    }
  }

  /** The batch of the record at `offset` when it was appended lately, else its payload decoded (null: not a batch). */
  private batchAt(offset: number, payload: Buffer): SpooledBatch | null {
    return this.fresh.get(offset) ?? decodeBatch(payload);
  }

  /** Forgets the batches of records before `from`: the writer has them in flight (or confirmed) and never reads them again. */
  private forgetBefore(from: number): void {
    for (const [offset, batch] of this.fresh) {
      if (offset >= from) continue;
      this.fresh.delete(offset);
      this.freshEvents -= batch.events.length;
    }
  }

  /** Acknowledged events InfluxDB has not confirmed yet. */
  pendingEvents(): number {
    return this.unwrittenEvents;
  }

  /** When the oldest event InfluxDB has not confirmed arrived; null when none waits. */
  oldestUnwrittenAt(): number | null {
    return this.options.spool.checkpoint >= this.options.spool.end ? null : (this.window[0]?.at ?? null);
  }

  /** Why the writer is held up by its own disk now (not by InfluxDB), or null; names the error code, no path. */
  problem(): string | null {
    return this.trouble;
  }

  /** Resolves on the next change the read-ahead loop waits for: a free slot, a checkpoint, a stop. */
  private changed(): Promise<void> {
    // A stop that came while the loop was reading must not leave it waiting for an append that may never come.
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => (this.notify = resolve));
  }

  private wakeUp(): void {
    const notify = this.notify;
    this.notify = null;
    notify?.();
  }

  private async run(): Promise<void> {
    const { spool } = this.options;
    let from = spool.checkpoint;
    const writes = new Set<Promise<void>>();
    while (!this.stopped) {
      if (this.window.length >= this.writesInFlight) {
        await this.changed();
        continue;
      }
      const appended = spool.whenAppended();
      const records = await this.retrying('read the spool', () => spool.read(from, READ_BYTES));
      if (records === STOPPED) break;
      if (records.length === 0) {
        await Promise.race([appended, this.changed()]);
        continue;
      }
      // Read ahead: cut what was read into batches of whole records, as many as there are free slots.
      let batch: InFlight = { end: from, events: [], at: null, confirmed: false };
      const launch = (b: InFlight) => {
        this.window.push(b);
        const write = this.write(b);
        writes.add(write);
        void write.finally(() => writes.delete(write));
      };
      let stopped = false;
      let deadLettered = false;
      for (const record of records) {
        const decoded = this.batchAt(record.offset, record.payload);
        if (decoded === null) {
          const kept = await this.retrying('write the dead-letter file', () =>
            this.deadLetter([{ raw: record.payload.toString('base64') }], `spool record at offset ${record.offset} is not a batch`),
          );
          if (kept === STOPPED) {
            stopped = true;
            break;
          }
          deadLettered = true;
        } else {
          if (batch.events.length > 0 && batch.events.length + decoded.events.length > this.batchEvents) {
            launch(batch);
            batch = { end: batch.end, events: [], at: null, confirmed: false };
            if (this.window.length >= this.writesInFlight) break;
          }
          batch.at ??= decoded.at;
          for (const event of decoded.events) batch.events.push(event);
        }
        batch.end = record.end;
      }
      if (stopped) break;
      const last = this.window[this.window.length - 1]?.end ?? from;
      // Coalescing: a batch short of `batchEvents` goes out at once only when no write is in flight (a lone event
      // is not kept waiting); while InfluxDB is busy it waits for more records or for a write to be confirmed, so
      // a steady stream reaches InfluxDB in full-size requests (fewer, larger writes cost it less per event).
      // Its records are read again then. A record just dead-lettered is never read twice: that batch goes now.
      const short = batch.events.length < this.batchEvents && this.window.length > 0 && !deadLettered;
      if (batch.end > last && !short) launch(batch);
      const advanced = (this.window[this.window.length - 1]?.end ?? from) > from;
      from = this.window[this.window.length - 1]?.end ?? from;
      if (this.fresh.size > 0) this.forgetBefore(from);
      if (!advanced && batch.end > last) await Promise.race([appended, this.changed()]);
    }
    await Promise.all(writes);
  }

  /** Writes one batch; once confirmed, moves the checkpoint as far as the batches confirmed in order reach. */
  private async write(batch: InFlight): Promise<void> {
    if (!(await this.writeAll(batch.events))) return;
    batch.confirmed = true;
    await this.advance();
  }

  /** Checkpoints the longest run of confirmed batches at the head of the window; one checkpoint write at a time. */
  private async advance(): Promise<void> {
    if (this.committing) return; // the running commit looks again when it is done
    this.committing = true;
    try {
      for (;;) {
        let count = 0;
        let events = 0;
        while (count < this.window.length && this.window[count]!.confirmed) {
          events += this.window[count]!.events.length;
          count += 1;
        }
        if (count === 0) return;
        const end = this.window[count - 1]!.end;
        // InfluxDB has the events; until the checkpoint is durable (a full disk, say) they would only be written again.
        if ((await this.retrying('advance the checkpoint', () => this.options.spool.commit(end))) === STOPPED) return;
        this.window.splice(0, count);
        this.unwrittenEvents = Math.max(0, this.unwrittenEvents - events);
        this.wakeUp();
      }
    } finally {
      this.committing = false;
    }
  }

  /**
   * Runs a spool or file step until it succeeds, backing off between tries:
   * a full or failing disk pauses the writer, it never stops it, so it goes on
   * by itself once the disk is back. {@link STOPPED} when stopped first.
   */
  private async retrying<T>(what: string, step: () => Promise<T>): Promise<T | typeof STOPPED> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.stopped) return STOPPED;
      try {
        const result = await step();
        if (attempt > 0) this.log(`collector: the InfluxDB writer could ${what} again after ${attempt} failed attempt(s)`);
        this.trouble = null;
        return result;
      } catch (error) {
        // Public in /api/v1/health: the error code only; the log has the whole message, paths included.
        this.trouble = `cannot ${what}: ${errorCode(error) ?? 'error'}; see the collector's log`;
        if (attempt === 0) this.log(`collector: the InfluxDB writer cannot ${what} (${describe(error)}); retrying with back-off up to ${this.retryMaxMs / 1000} s`);
        await this.sleep(Math.min(this.retryMaxMs, this.retryMinMs * 2 ** Math.min(attempt, 20)));
      }
    }
  }

  /** Writes `events`, retrying what can be retried; false only when stopped before InfluxDB confirmed. */
  private async writeAll(events: StationEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    const { store, metrics } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      if (this.stopped) return false;
      const started = performance.now();
      try {
        await store.write(events);
        metrics.writeLatency((performance.now() - started) / 1000);
        metrics.written(events.length);
        this.influxFailing = false;
        return true;
      } catch (error) {
        metrics.influxError();
        if (error instanceof InfluxError && !error.retryable) return this.bisect(events, error);
        const delay = Math.min(this.retryMaxMs, this.retryMinMs * 2 ** Math.min(attempt, 20));
        if (attempt === 0 && !this.influxFailing) {
          // Said once per outage, not once per write in flight.
          this.influxFailing = true;
          this.log(`collector: InfluxDB write failed (${describe(error)}); the events stay in the spool, retrying with back-off up to ${this.retryMaxMs / 1000} s`);
        }
        await this.sleep(delay);
      }
    }
  }

  /** InfluxDB refused the batch for good: find the refused events by halving, write the rest. */
  private async bisect(events: StationEvent[], error: InfluxError): Promise<boolean> {
    if (events.length === 1) {
      await this.deadLetter(events, error.message);
      this.options.metrics.deadLettered(1);
      return true;
    }
    const half = Math.ceil(events.length / 2);
    return (await this.writeAll(events.slice(0, half))) && (await this.writeAll(events.slice(half)));
  }

  private async deadLetter(items: unknown[], reason: string): Promise<void> {
    const at = this.clock();
    const text = items.map((event) => `${JSON.stringify({ at, reason, event })}\n`).join('');
    const handle = await open(this.options.deadLetterPath, 'a', 0o644);
    try {
      await handle.writeFile(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.log(`collector: InfluxDB refused ${items.length} event(s) for good (${reason}); kept in ${this.options.deadLetterPath}`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
