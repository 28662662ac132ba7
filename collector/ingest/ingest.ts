/**
 * Ingest: validate each event, drop repeats of known ids, store the rest, and
 * acknowledge only what InfluxDB has confirmed.
 */
import type { StationEvent } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import { validateEvent, type EventRejection } from '../../core/validate';
import { HttpProblem } from '../http/problem';
import { InfluxError, type EventStore } from '../influx/store';
import type { Metrics } from '../metrics';
import { RecentIds } from './recent-ids';

/** One rejected event of a batch. */
export interface RejectedEvent extends EventRejection {
  index: number;
}

/** The answer to a batch. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
}

export interface IngestorOptions {
  store: EventStore;
  plant: PlantConfig | null;
  maxFutureMs: number;
  maxAgeMs: number;
  /** Wall clock, epoch ms. */
  clock: () => number;
  metrics: Metrics;
  /** Called with the events once they are durable. */
  onStored: (events: StationEvent[], receivedAt: number) => void;
  /** How many event ids to remember for dropping repeats. @default 200000 */
  rememberIds?: number;
}

export class Ingestor {
  private readonly recent: RecentIds;
  constructor(private readonly options: IngestorOptions) {
    this.recent = new RecentIds(options.rememberIds ?? 200_000);
  }

  /** Ingests decoded items; `failures` are items that already failed to parse. */
  async ingest(items: readonly unknown[], failures: ReadonlyMap<number, string> = new Map()): Promise<IngestResult> {
    const { options } = this;
    const now = options.clock();
    const rejected: RejectedEvent[] = [];
    const fresh: StationEvent[] = [];
    const batchIds = new Set<string>();
    let duplicates = 0;
    items.forEach((item, index) => {
      const parseFailure = failures.get(index);
      if (parseFailure !== undefined) {
        rejected.push({ index, code: 'invalid', field: '', reason: parseFailure });
        return;
      }
      const verdict = validateEvent(item, {
        now,
        maxFutureMs: options.maxFutureMs,
        maxAgeMs: options.maxAgeMs,
        plant: options.plant,
      });
      if (!verdict.ok) {
        rejected.push({ index, ...verdict.rejection });
        return;
      }
      const { id } = verdict.event;
      if (id !== undefined) {
        if (this.recent.has(id) || batchIds.has(id)) {
          duplicates += 1;
          return;
        }
        batchIds.add(id);
      }
      fresh.push(verdict.event);
    });
    for (const r of rejected) options.metrics.rejected(r.code);

    if (fresh.length > 0) {
      const started = performance.now();
      try {
        await options.store.write(fresh);
      } catch (error) {
        options.metrics.influxError();
        if (error instanceof InfluxError && error.retryable) {
          throw new HttpProblem(503, 'storage_unavailable', `${error.message}; nothing of this batch was stored: resend it`, {
            'retry-after': '5',
          });
        }
        const message = error instanceof Error ? error.message : String(error);
        throw new HttpProblem(502, 'storage_rejected', `InfluxDB refused the batch: ${message}`);
      }
      options.metrics.writeLatency((performance.now() - started) / 1000);
      for (const id of batchIds) this.recent.add(id);
      options.metrics.accepted(fresh.length);
      options.onStored(fresh, options.clock());
    }
    options.metrics.duplicates(duplicates);
    return { accepted: fresh.length, duplicates, rejected };
  }
}
