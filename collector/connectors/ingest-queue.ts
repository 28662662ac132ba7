/**
 * Hands a connector's events to the ingestor one batch at a time, in order.
 * A PLC does not resend: when the spool is full (a retryable IngestError) the
 * batch waits and is retried after `retryAfterSeconds`, and later batches
 * queue behind it up to a bound; past the bound the oldest are dropped and
 * counted, so memory stays flat through an outage of any length.
 */
import type { StationEventInput } from '../../core/events';
import { IngestError } from '../ingest/errors';
import type { Ingestor, IngestResult } from '../ingest/ingest';

export interface IngestQueueOptions {
  ingestor: Ingestor;
  /** Most events held while ingest cannot take them. @default 100000 */
  maxQueuedEvents?: number;
  /** Called with each batch's answer (rejections are the caller's to report). */
  onResult: (result: IngestResult, events: readonly StationEventInput[]) => void;
  /** Called when events are dropped because the queue is full, or ingest failed for good. */
  onDropped: (count: number, reason: string) => void;
}

/** A batch and what to do once the ingestor has taken it (stored or refused for good, not dropped). */
interface Batch {
  events: StationEventInput[];
  taken?: () => void;
}

export class IngestQueue {
  private readonly batches: Batch[] = [];
  private queued = 0;
  private running: Promise<void> | null = null;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(private readonly options: IngestQueueOptions) {}

  /**
   * Queues a batch. `taken` runs once the ingestor has answered for it (its events stored, or
   * rejected for good), in order, never for a batch that was dropped.
   */
  push(events: StationEventInput[], taken?: () => void): void {
    if (events.length === 0 || this.closed) return;
    this.batches.push(taken ? { events, taken } : { events });
    this.queued += events.length;
    const max = this.options.maxQueuedEvents ?? 100_000;
    while (this.queued > max && this.batches.length > 1) {
      const dropped = this.batches.splice(1, 1)[0]?.events ?? [];
      this.queued -= dropped.length;
      this.options.onDropped(dropped.length, `the collector could not store events for a while and ${max} are waiting`);
    }
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Events waiting for the ingestor. */
  size(): number {
    return this.queued;
  }

  /** Resolves once everything queued so far was handed over. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Stops retrying and drops what still waits, reported through `onDropped`. Call {@link idle}
   * (bounded) first to hand over what can still be stored: see docs/connectors.md on what a
   * collector that stops can lose.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    // The batch in the ingestor's hands (the first) is finished by drain(); the rest is dropped here.
    const waiting = this.running ? this.batches.splice(1) : this.batches.splice(0);
    const count = waiting.reduce((n, b) => n + b.events.length, 0);
    this.queued -= count;
    if (count > 0) this.options.onDropped(count, 'the collector stopped before they were stored');
  }

  private async drain(): Promise<void> {
    for (;;) {
      const head = this.batches[0];
      if (!head) return;
      const batch = head.events;
      if (this.closed) {
        // Refused (spool full) and closed while waiting to retry: reported, not kept.
        this.batches.splice(0);
        this.queued = 0;
        this.options.onDropped(batch.length, 'the collector stopped before they were stored');
        return;
      }
      try {
        const result = await this.options.ingestor.ingest(batch);
        this.options.onResult(result, batch);
        head.taken?.();
      } catch (error) {
        if (error instanceof IngestError && error.retryAfterSeconds !== null && !this.closed) {
          const ms = error.retryAfterSeconds * 1000;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
          continue;
        }
        this.options.onDropped(batch.length, error instanceof Error ? error.message : String(error));
      }
      this.batches.shift();
      this.queued -= batch.length;
    }
  }
}
