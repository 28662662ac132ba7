import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { DEFAULT_COLLECTOR_CONFIG } from '../config';
import type { HttpProblem } from '../http/problem';
import { InfluxError } from '../influx/store';
import { Metrics } from '../metrics';
import { decodeBatch as decodeSpooled, encodeBatch } from '../spool/batch';
import { decodeRecords } from '../spool/record';
import { decodeBatch } from './decode';
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

/** Every record payload in the spool, oldest first. */
function spooledPayloads(): Buffer[] {
  const dir = join(dataDir, 'spool');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.seg'))
    .sort()
    .flatMap((name) => decodeRecords(readFileSync(join(dir, name))).records.map((r) => r.payload));
}

describe("the spool keeps a request's own bytes", () => {
  const ts = Date.now() - 60_000;
  // Spaces, a line break, escapes and another key order than the schema's: bytes JSON.stringify would never write.
  const body = ` [ {"station":"\\u0053\\u0030\\u0032","type":"cycle","ts":${ts},"line":"A1","cycleTime":100.0,"id":"raw-1"},\n {"type":"unit","ts":${ts + 1},"line":"A1","unit":"VIN\\u00301","id":"raw-2"} ] `;

  it('when validation changed and dropped no event, and writes it out again otherwise; a restart writes the same events from either', async () => {
    const down = { write: () => Promise.reject(new InfluxError('influx_unavailable', 'connection refused', true)) };
    const config = { ...DEFAULT_COLLECTOR_CONFIG, dataDir, influxRetryMinMs: 5, influxRetryMaxMs: 20 };
    const durable: StationEvent[][] = [];
    const at: number[] = [];
    pipeline = createIngestPipeline({ config, store: down, metrics: new Metrics(), clock: Date.now, onDurable: (e, receivedAt) => (durable.push(e), at.push(receivedAt)), log: () => undefined });
    await pipeline.ready;
    const decoded = decodeBatch(Buffer.from(body), { format: 'json', maxEvents: 10 });
    expect(await pipeline.ingestor.ingest(decoded.items, decoded.failures, decoded.json)).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    // Changed by validation (an RFC 3339 ts): written out as validated.
    const changed = `[{"type":"cycle","ts":"${new Date(ts).toISOString()}","line":"A1","station":"S03","cycleTime":90,"id":"raw-3"}]`;
    const second = decodeBatch(Buffer.from(changed), { format: 'json', maxEvents: 10 });
    expect(await pipeline.ingestor.ingest(second.items, second.failures, second.json)).toMatchObject({ accepted: 1 });
    // A repeat dropped from the batch: the bytes no longer encode what is stored.
    const repeat = `[{"type":"unit","ts":${ts + 2},"line":"A1","unit":"VIN2","id":"raw-4"},{"type":"unit","ts":${ts + 1},"line":"A1","unit":"VIN01","id":"raw-2"}]`;
    const third = decodeBatch(Buffer.from(repeat), { format: 'json', maxEvents: 10 });
    expect(await pipeline.ingestor.ingest(third.items, third.failures, third.json)).toMatchObject({ accepted: 1, duplicates: 1 });

    const payloads = spooledPayloads();
    expect(payloads.map((p) => p.toString())).toEqual([
      `{"at":${at[0]},"events":${body}}`,
      encodeBatch({ at: at[1] ?? 0, events: durable[1] ?? [] }).toString(),
      encodeBatch({ at: at[2] ?? 0, events: durable[2] ?? [] }).toString(),
    ]);
    expect(payloads.map((p) => decodeSpooled(p)?.events)).toStrictEqual(durable);
    await pipeline.close();

    // A restart decodes every record, the request's bytes as the written-out ones, and InfluxDB gets the events ingest validated.
    const written: StationEvent[] = [];
    const up = { write: async (events: readonly StationEvent[]) => void written.push(...events) };
    pipeline = createIngestPipeline({ config, store: up, metrics: new Metrics(), clock: Date.now, onDurable: () => undefined, log: () => undefined });
    await pipeline.ready;
    await expect.poll(() => written.length).toBe(4);
    expect(written).toStrictEqual(durable.flat());
  });
});
