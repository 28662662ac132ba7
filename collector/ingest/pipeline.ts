/**
 * The durable ingest path, assembled: ingestor → spool (fsync, group commit)
 * → writer → InfluxDB. Opening the spool is asynchronous (it checks every
 * record and rebuilds the repeat-id window); requests that arrive earlier wait
 * for it.
 */
import { join } from 'node:path';
import type { StationEvent } from '../../core/events';
import type { CollectorConfig } from '../config';
import { SpoolDrain } from '../influx/drain';
import type { EventStore } from '../influx/store';
import type { Metrics } from '../metrics';
import { decodeBatch, encodeBatch } from '../spool/batch';
import { Spool } from '../spool/spool';
import { Ingestor } from './ingest';

export interface IngestPipelineOptions {
  config: CollectorConfig;
  store: Pick<EventStore, 'write'>;
  metrics: Metrics;
  /** Wall clock, epoch ms. */
  clock: () => number;
  /** The line clock event timestamps are checked against. @default clock */
  lineClock?: () => number;
  /** Called with events once they are durable in the spool (not waiting for InfluxDB). */
  onDurable: (events: StationEvent[], receivedAt: number) => void;
  /** Passed to the ingestor: refuses events validation let through (unregistered partner names). */
  admit?: ConstructorParameters<typeof Ingestor>[0]['admit'];
  log?: (message: string) => void;
}

export interface IngestPipeline {
  ingestor: Ingestor;
  /** Resolves once the spool is open and the writer runs; rejects when the spool cannot be opened. */
  ready: Promise<void>;
  /** Directory of the spool. */
  spoolDir: string;
  /** Stops the writer after its current write and closes the spool. */
  close(): Promise<void>;
}

export function createIngestPipeline(options: IngestPipelineOptions): IngestPipeline {
  const { config, metrics, clock } = options;
  const spoolDir = join(config.dataDir, 'spool');
  let drain: SpoolDrain | null = null;

  const opened = (async () => {
    let unwritten = 0;
    const spool = await Spool.open({
      dir: spoolDir,
      maxBytes: config.spoolMaxBytes,
      segmentBytes: config.spoolSegmentBytes,
      // Confirmed segments stay as long as the repeat-id window, so a restart can rebuild it.
      retainMs: config.dedupeWindowSeconds * 1000,
      clock,
      ...(options.log ? { warn: options.log } : {}),
      onRecover(record, checkpointed) {
        const batch = decodeBatch(record.payload);
        if (!batch) return;
        if (!checkpointed) unwritten += batch.events.length;
        for (const event of batch.events) if (event.id !== undefined) ingestor.remember(event.id, batch.at);
      },
    });
    drain = new SpoolDrain(
      {
        spool,
        store: options.store,
        metrics,
        deadLetterPath: join(config.dataDir, 'dead-letter.ndjson'),
        batchEvents: config.influxBatchEvents,
        retryMinMs: config.influxRetryMinMs,
        retryMaxMs: config.influxRetryMaxMs,
        clock,
        ...(options.log ? { log: options.log } : {}),
      },
      unwritten,
    );
    const writer = drain;
    metrics.setSpoolSource(() => {
      const stats = spool.stats();
      return {
        unwrittenEvents: writer.pendingEvents(),
        unwrittenBytes: stats.unwrittenBytes,
        diskBytes: stats.diskBytes,
        maxBytes: stats.maxBytes,
        oldestUnwrittenAt: writer.oldestUnwrittenAt(),
        syncs: stats.syncs,
        syncSeconds: stats.syncSeconds,
        appends: stats.appends,
      };
    });
    drain.start();
    return spool;
  })();
  // Callers see the failure through `ready` and through each ingest; never as an unhandled rejection.
  opened.catch(() => undefined);

  const ingestor: Ingestor = new Ingestor({
    plant: config.acceptUnknownLines ? null : config.plant,
    maxFutureMs: config.maxFutureSeconds * 1000,
    maxAgeMs: config.maxAgeSeconds * 1000,
    clock,
    ...(options.lineClock ? { lineClock: options.lineClock } : {}),
    metrics,
    dedupeWindowMs: config.dedupeWindowSeconds * 1000,
    async persist(batch) {
      const spool = await opened;
      await spool.append(encodeBatch(batch));
      drain?.appended(batch.events.length);
    },
    onDurable: options.onDurable,
    ...(options.admit ? { admit: options.admit } : {}),
  });

  return {
    ingestor,
    ready: opened.then(() => undefined),
    spoolDir,
    async close() {
      const spool = await opened.catch(() => null);
      await drain?.stop();
      await spool?.close();
    },
  };
}
