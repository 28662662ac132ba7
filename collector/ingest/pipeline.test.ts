import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { DEFAULT_COLLECTOR_CONFIG } from '../config';
import type { HttpProblem } from '../http/problem';
import { InfluxError } from '../influx/store';
import { Metrics } from '../metrics';
import { IngestError, ingestProblem } from './errors';
import { createIngestPipeline, type IngestPipeline } from './pipeline';

let dataDir: string;
let pipeline: IngestPipeline;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'taktline-pipeline-'));
});
afterEach(async () => {
  await pipeline.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const events = (from: number, count: number): StationEvent[] =>
  Array.from({ length: count }, (_, i) => ({ type: 'cycle', ts: Date.now() - 60_000 + from + i, line: 'A1', station: 'S02', cycleTime: 100, id: `p-${from + i}` }));

/** The ingestor's refusal of a batch, as HTTP answers it (the other transports map the same IngestError). */
async function refusal(batch: StationEvent[]): Promise<HttpProblem> {
  const error = await pipeline.ingestor.ingest(batch).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  return ingestProblem(error as IngestError);
}

describe('the ingest pipeline at its spool quota', () => {
  it('answers a batch larger than the whole quota with a final 413 naming the quota, and one that only does not fit now with 503 and Retry-After', async () => {
    // InfluxDB is away: what is acknowledged stays in the quota.
    const store = { write: () => Promise.reject(new InfluxError('influx_unavailable', 'connection refused', true)) };
    const config = { ...DEFAULT_COLLECTOR_CONFIG, dataDir, spoolMaxBytes: 64 * 1024, influxRetryMinMs: 5, influxRetryMaxMs: 20 };
    pipeline = createIngestPipeline({ config, store, metrics: new Metrics(), clock: Date.now, onDurable: () => undefined, log: () => undefined });
    await pipeline.ready;

    const tooLarge = await refusal(events(0, 1000)); // about 100 KiB: more than the whole quota
    expect(tooLarge).toMatchObject({ status: 413, code: 'batch_exceeds_spool', headers: {} });
    expect(tooLarge.message).toMatch(/whole quota of 65536 bytes \(TAKTLINE_SPOOL_MAX_BYTES\)/);

    let from = 0;
    for (;;) {
      const answer = await pipeline.ingestor.ingest(events(from, 100)).catch((e: unknown) => e);
      from += 100;
      if (answer instanceof IngestError) {
        expect(ingestProblem(answer)).toMatchObject({ status: 503, code: 'spool_full', headers: { 'retry-after': '5' } });
        break;
      }
      expect(from).toBeLessThan(1000);
    }
    expect(pipeline.status().spool).toMatchObject({ state: 'full', code: 'spool_full' });
  });
});
