/**
 * The InfluxDB writer: drains the spool in order, in batches, and advances
 * the spool's checkpoint only after InfluxDB confirmed a batch. The spool is
 * the source of truth: on a failure the writer backs off and reads the same
 * records again; after a restart it resumes from the checkpoint. The client
 * library's in-memory retry buffer is never used (`maxRetries: 0` in the
 * store), so it is never the only copy of an event.
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
import { decodeBatch } from '../spool/batch';
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

export class SpoolDrain {
  private stopped = true;
  private running: Promise<void> | null = null;
  private wakeSleep: (() => void) | null = null;
  private oldestAt: number | null = null;
  private trouble: string | null = null;
  private readonly batchEvents: number;
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

  /** Stops after the write in progress (its checkpoint is kept when InfluxDB confirmed it). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSleep?.();
    await this.running;
    this.running = null;
  }

  /** More events were made durable in the spool. */
  appended(events: number): void {
    this.unwrittenEvents += events;
  }

  /** Acknowledged events InfluxDB has not confirmed yet. */
  pendingEvents(): number {
    return this.unwrittenEvents;
  }

  /** When the oldest event InfluxDB has not confirmed arrived; null when none waits. */
  oldestUnwrittenAt(): number | null {
    return this.options.spool.checkpoint >= this.options.spool.end ? null : this.oldestAt;
  }

  private async run(): Promise<void> {
    const { spool } = this.options;
    let from = spool.checkpoint;
    while (!this.stopped) {
      const appended = spool.whenAppended();
      const records = await this.retrying('read the spool', () => spool.read(from, READ_BYTES));
      if (records === STOPPED) return;
      if (records.length === 0) {
        this.oldestAt = null;
        await Promise.race([appended, new Promise<void>((resolve) => (this.wakeSleep = resolve))]);
        continue;
      }
      // Whole records up to about batchEvents events: the checkpoint only ever lands on a record boundary.
      const events: StationEvent[] = [];
      let end = from;
      for (const record of records) {
        const batch = decodeBatch(record.payload);
        if (batch === null) {
          const kept = await this.retrying('write the dead-letter file', () =>
            this.deadLetter([{ raw: record.payload.toString('base64') }], `spool record at offset ${record.offset} is not a batch`),
          );
          if (kept === STOPPED) return;
        } else {
          if (events.length > 0 && events.length + batch.events.length > this.batchEvents) break;
          if (end === from) this.oldestAt = batch.at;
          events.push(...batch.events);
        }
        end = record.end;
      }
      if (!(await this.writeAll(events))) return;
      // InfluxDB has the events; until the checkpoint is durable (a full disk, say) they would only be written again.
      if ((await this.retrying('advance the checkpoint', () => spool.commit(end))) === STOPPED) return;
      this.unwrittenEvents = Math.max(0, this.unwrittenEvents - events.length);
      from = end;
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
        this.trouble = `cannot ${what}: ${describe(error)}`;
        if (attempt === 0) this.log(`collector: the InfluxDB writer cannot ${what} (${describe(error)}); retrying with back-off up to ${this.retryMaxMs / 1000} s`);
        await this.sleep(Math.min(this.retryMaxMs, this.retryMinMs * 2 ** Math.min(attempt, 20)));
      }
    }
  }

  /** Why the writer is held up by its own disk now (not by InfluxDB), or null. */
  problem(): string | null {
    return this.trouble;
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
        return true;
      } catch (error) {
        metrics.influxError();
        if (error instanceof InfluxError && !error.retryable) return this.bisect(events, error);
        const delay = Math.min(this.retryMaxMs, this.retryMinMs * 2 ** Math.min(attempt, 20));
        if (attempt === 0) {
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
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleep = done;
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
