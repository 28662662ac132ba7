/**
 * Ingest, whatever the transport (HTTP, WebSocket, MQTT, OPC UA): validate each
 * event, drop repeats of ids acknowledged within the window, make the rest
 * durable in the spool, and acknowledge only then. InfluxDB is written later,
 * from the spool, by the writer.
 */
import type { StationEvent } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import { validateEvent, type EventRejection } from '../../core/validate';
import type { Metrics } from '../metrics';
import type { SpooledBatch } from '../spool/batch';
import { SpoolBatchTooLargeError, SpoolFullError } from '../spool/spool';
import { IngestError } from './errors';
import { RecentIds } from './recent-ids';

/** One rejected event of a batch. */
export interface RejectedEvent extends EventRejection {
  index: number;
}

/** The answer to a batch. */
export interface IngestResult {
  /** Events made durable by this batch. */
  accepted: number;
  /** Events dropped as repeats of an id already durable. */
  duplicates: number;
  rejected: RejectedEvent[];
  /** Ids of this batch's events that are durable now (accepted or repeats), for acknowledgement by id. */
  ids: string[];
}

export interface IngestorOptions {
  plant: PlantConfig | null;
  maxFutureMs: number;
  maxAgeMs: number;
  /** Wall clock, epoch ms. */
  clock: () => number;
  /** The line clock event timestamps are checked against (the demo clock in demo mode). @default clock */
  lineClock?: () => number;
  metrics: Metrics;
  /**
   * Makes a batch durable; resolves once it is on disk, rejects (e.g. {@link SpoolFullError}) when it is not.
   * `json` is the bytes of a JSON array that encodes exactly `batch.events` (the request's own, when validation
   * changed and dropped nothing), or null.
   */
  persist: (batch: SpooledBatch, json: Uint8Array | null) => Promise<void>;
  /** Called with the events once they are durable (feeds the live board). */
  onDurable: (events: StationEvent[], receivedAt: number) => void;
  /** A check after validation (registered partner and entity names); a rejection refuses the event. */
  admit?: (event: StationEvent) => EventRejection | null;
  /** How many event ids to remember for dropping repeats. @default 200000 */
  rememberIds?: number;
  /** How long an id is remembered, ms. @default 600000 */
  dedupeWindowMs?: number;
}

export class Ingestor {
  private readonly recent: RecentIds;
  /** Ids whose batch is being made durable: a concurrent repeat waits for that outcome. */
  private readonly inflight = new Map<string, Promise<boolean>>();

  constructor(private readonly options: IngestorOptions) {
    this.recent = new RecentIds(options.rememberIds ?? 200_000, options.dedupeWindowMs ?? 600_000);
  }

  /** Remembers an id made durable earlier (rebuilding the window from the spool after a restart). */
  remember(id: string, at: number): void {
    this.recent.add(id, at);
  }

  /**
   * Ingests decoded items; `failures` are items that already failed to parse. `json`, when given, is the
   * bytes of the JSON array the items were parsed from (DecodedBatch's `json`): when every item is accepted
   * as sent, the spool keeps those bytes instead of writing the events out again.
   * Throws a retryable {@link IngestError} (`spool_full`, `spool_unavailable`) when the batch could not be made durable.
   */
  async ingest(items: readonly unknown[], failures: ReadonlyMap<number, string> = new Map(), json: Uint8Array | null = null): Promise<IngestResult> {
    const { options } = this;
    const now = options.clock();
    const rejected: RejectedEvent[] = [];
    const fresh: StationEvent[] = [];
    const batchIds = new Set<string>();
    const repeatIds: string[] = [];
    const waitFor: Promise<boolean>[] = [];
    let duplicates = 0;
    /** Every item so far became its event unchanged (the sender's JSON encodes the batch as it goes to the spool). */
    let asSent = json !== null && failures.size === 0;
    // One set of options for the whole batch (the loop is synchronous: the line clock reads the same for every event).
    const validation = { now: options.lineClock?.() ?? now, maxFutureMs: options.maxFutureMs, maxAgeMs: options.maxAgeMs, plant: options.plant };
    items.forEach((item, index) => {
      const parseFailure = failures.get(index);
      if (parseFailure !== undefined) {
        rejected.push({ index, code: 'invalid', field: '', reason: parseFailure });
        return;
      }
      const verdict = validateEvent(item, validation);
      if (!verdict.ok) {
        rejected.push({ index, ...verdict.rejection });
        return;
      }
      const refused = options.admit?.(verdict.event);
      if (refused) {
        rejected.push({ index, ...refused });
        return;
      }
      const { id } = verdict.event;
      if (id !== undefined) {
        const pending = this.inflight.get(id);
        if (this.recent.has(id, now) || batchIds.has(id) || pending) {
          duplicates += 1;
          repeatIds.push(id);
          if (pending) waitFor.push(pending);
          return;
        }
        batchIds.add(id);
      }
      if (!verdict.asSent) asSent = false;
      fresh.push(verdict.event);
    });
    for (const r of rejected) options.metrics.rejected(r.code);

    if (fresh.length > 0) {
      const receivedAt = options.clock();
      let failure: unknown = null;
      // The request's bytes encode the batch only when nothing was rejected, dropped as a repeat or changed.
      const sent = asSent && fresh.length === items.length ? json : null;
      const durable = options.persist({ at: receivedAt, events: fresh }, sent).then(
        () => true,
        (error: unknown) => {
          failure = error;
          return false;
        },
      );
      for (const id of batchIds) this.inflight.set(id, durable);
      const ok = await durable;
      for (const id of batchIds) if (this.inflight.get(id) === durable) this.inflight.delete(id);
      if (ok) this.recent.addAll(batchIds, receivedAt);
      if (!ok) throw this.unavailable(failure, 'nothing of this batch was stored: resend it');
      options.metrics.accepted(fresh.length);
      options.onDurable(fresh, receivedAt);
    }
    // A repeat of an id whose first copy is still being written is acknowledged only once that copy is durable.
    if (waitFor.length > 0 && (await Promise.all(waitFor)).includes(false)) {
      throw this.unavailable(null, 'a repeat in this batch waited for its first copy, which could not be stored: resend the batch');
    }
    options.metrics.duplicates(duplicates);
    return { accepted: fresh.length, duplicates, rejected, ids: [...batchIds, ...repeatIds] };
  }

  private unavailable(error: unknown, advice: string): IngestError {
    // Final: the batch alone passes the spool's quota, so resending it as it is can never succeed.
    if (error instanceof SpoolBatchTooLargeError) return new IngestError('batch_exceeds_spool', error.message);
    if (error instanceof SpoolFullError) {
      this.options.metrics.spoolFull();
      return new IngestError('spool_full', `${error.message}; ${advice}`, { retryAfterSeconds: error.retryAfterSeconds });
    }
    const message = error instanceof Error ? `${error.message}; ` : '';
    return new IngestError('spool_unavailable', `${message}${advice}`, { retryAfterSeconds: 5 });
  }
}
