/**
 * The durable ingest path, assembled: ingestor → spool (fsync, group commit)
 * → writer → InfluxDB. Opening the spool is asynchronous (it checks every
 * record and rebuilds the repeat-id window); requests that arrive earlier wait
 * for it.
 */
import { join } from 'node:path';
import type { AndonCallEvent, AndonEvent, AndonRulesEvent, ReportHandoverEvent, StationEvent, StopReasonEvent, UnitDefectEvent } from '../../core/events';
import type { CollectorConfig } from '../config';
import { SpoolDrain } from '../influx/drain';
import type { EventStore } from '../influx/store';
import type { Metrics } from '../metrics';
import { decodeBatch, encodeBatch, encodeBatchOfJson } from '../spool/batch';
import type { SpoolFs } from '../spool/file-ops';
import { Spool, type SpoolStatus } from '../spool/spool';
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
  /** The spool's file operations (tests crash them). @default nodeSpoolFs */
  spoolFs?: SpoolFs;
}

/** Whether the durable path takes and drains events, for /api/v1/health. */
export interface IngestPipelineStatus {
  /** `opening` until the spool is open; `failed` when it could not be opened. */
  spool: SpoolStatus | { state: 'opening' | 'failed'; code: null; reason: string | null; since: null };
  /** Why the InfluxDB writer is held up by the collector's own disk, or null. */
  writer: string | null;
}

export interface IngestPipeline {
  ingestor: Ingestor;
  /** Resolves once the spool is open and the writer runs; rejects when the spool cannot be opened. */
  ready: Promise<void>;
  /** Directory of the spool. */
  spoolDir: string;
  /** Whether the spool takes writes and the writer goes on, and why not. */
  status(): IngestPipelineStatus;
  /** Stops the writer after its current write and closes the spool. */
  close(): Promise<void>;
  /**
   * Makes the collector's own events (andon call steps) durable in the same
   * spool, then hands them to `onDurable` like any station's; rejects when the
   * spool cannot take them.
   */
  append(events: (AndonCallEvent | AndonRulesEvent | StopReasonEvent | ReportHandoverEvent | UnitDefectEvent)[]): Promise<void>;
  /** Andon events (pull cords, call steps, rule edits) the spool held unconfirmed by InfluxDB at start (after `ready`). */
  unwrittenAndonEvents(): (AndonEvent | AndonCallEvent | AndonRulesEvent | StopReasonEvent | ReportHandoverEvent | UnitDefectEvent)[];
}

export function createIngestPipeline(options: IngestPipelineOptions): IngestPipeline {
  const { config, metrics, clock } = options;
  const spoolDir = join(config.dataDir, 'spool');
  let drain: SpoolDrain | null = null;
  let openedSpool: Spool | null = null;
  let openFailure: string | null = null;

  /** Andon events found unconfirmed by the recovery scan (collector/andon replays them at start). */
  const unwrittenAndon: (AndonEvent | AndonCallEvent | AndonRulesEvent | StopReasonEvent | ReportHandoverEvent | UnitDefectEvent)[] = [];
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
      ...(options.spoolFs ? { fs: options.spoolFs } : {}),
      onRecover(record, checkpointed) {
        const batch = decodeBatch(record.payload);
        if (!batch) return;
        if (!checkpointed) {
          unwritten += batch.events.length;
          for (const event of batch.events) if (event.type === 'andon' || event.type === 'andon_call' || event.type === 'andon_rules' || event.type === 'stop_reason' || event.type === 'report_handover' || event.type === 'unit_defect') unwrittenAndon.push(event);
        }
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
    openedSpool = spool;
    return spool;
  })();
  // Callers see the failure through `ready`, `status` and each ingest; never as an unhandled rejection.
  opened.catch((error: unknown) => {
    openFailure = `the spool in ${spoolDir} cannot be opened: ${error instanceof Error ? error.message : String(error)}`;
  });

  const ingestor: Ingestor = new Ingestor({
    plant: config.acceptUnknownLines ? null : config.plant,
    maxFutureMs: config.maxFutureSeconds * 1000,
    maxAgeMs: config.maxAgeSeconds * 1000,
    clock,
    ...(options.lineClock ? { lineClock: options.lineClock } : {}),
    metrics,
    dedupeWindowMs: config.dedupeWindowSeconds * 1000,
    async persist(batch, json) {
      const spool = await opened;
      // The sender's own bytes when they encode the batch: no JSON.stringify of a thousand events per request.
      const { offset } = await spool.append(json ? encodeBatchOfJson(batch.at, json) : encodeBatch(batch));
      // The writer takes these events as they are when it reads the record: no second JSON.parse of what was just encoded.
      drain?.appended(batch.events.length, { offset, batch: { at: batch.at, events: [...batch.events] } });
    },
    onDurable: options.onDurable,
    ...(options.admit ? { admit: options.admit } : {}),
  });

  return {
    ingestor,
    ready: opened.then(() => undefined),
    spoolDir,
    status() {
      if (openedSpool) return { spool: openedSpool.status(), writer: drain?.problem() ?? null };
      return { spool: { state: openFailure ? 'failed' : 'opening', code: null, reason: openFailure, since: null }, writer: null };
    },
    async close() {
      const spool = await opened.catch(() => null);
      await drain?.stop();
      await spool?.close();
    },
    async append(events) {
      if (events.length === 0) return;
      const spool = await opened;
      const at = clock();
      const { offset } = await spool.append(encodeBatch({ at, events }));
      drain?.appended(events.length, { offset, batch: { at, events: [...events] } });
      options.onDurable(events, at);
    },
    unwrittenAndonEvents: () => [...unwrittenAndon],
  };
}
