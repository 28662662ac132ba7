/**
 * What the OPC UA connector holds when the collector stops, against a real
 * node-opcua PLC in its own process: events already read but still waiting
 * for the ingestor are handed over on close (the collector closes its
 * connectors before its spool), within a bound; what the spool cannot take
 * in that time is dropped and reported, and close() does not hang on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceStationTags } from '../../core/connectors';
import type { StationEventInput } from '../../core/events';
import { OpcuaSourceConnector } from '../connectors/opcua/source';
import type { Ingestor, IngestResult } from '../ingest/ingest';
import { Metrics } from '../metrics';
import { startTestPlc, type TestPlc } from './support/opcua-plc';
import { sleep, until } from './support/wait';

const dir = mkdtempSync(join(tmpdir(), 'taktline-opcua-shutdown-'));
let plc: TestPlc;
beforeAll(async () => {
  plc = await startTestPlc({ line: 'A1', stations: ['S01'] });
}, 90_000);
afterAll(async () => {
  await plc?.dispose();
  rmSync(dir, { recursive: true, force: true });
});


/** A connector whose ingestor holds every batch until `release()` (a spool that is slow to answer). */
function gatedReader(name: string, drainMs: number) {
  const stored: StationEventInput[] = [];
  const logs: string[] = [];
  let calls = 0;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const ingestor = {
    async ingest(items: readonly unknown[]): Promise<IngestResult> {
      calls += 1;
      await gate;
      stored.push(...(items as StationEventInput[]));
      return { accepted: items.length, duplicates: 0, rejected: [], ids: [] };
    },
  } as unknown as Ingestor;
  const connector = new OpcuaSourceConnector({
    source: { id: name, endpoint: plc.endpoint, publishingIntervalMs: 100, stations: [referenceStationTags('A1', 'S01', { completesUnit: false })] },
    ingestor,
    metrics: new Metrics(),
    pkiDir: join(dir, name),
    env: {},
    drainMs,
    log: (m) => logs.push(m),
  });
  return { connector, stored, logs, calls: () => calls, release: () => open() };
}

/** Two cycles read while the ingestor holds the first batch (the tags' initial state, or the first cycle). */
async function twoCyclesRead(r: ReturnType<typeof gatedReader>, units: [string, string]): Promise<void> {
  r.connector.start();
  await until(() => r.connector.status().state === 'connected', 40_000, 'the connection');
  await plc.cycle('S01', { unit: units[0], result: 'ok', cycleTime: 118, ts: Date.now() - 2000 });
  await until(() => r.calls() >= 1, 10_000, 'the first cycle reaching the ingestor');
  await plc.cycle('S01', { unit: units[1], result: 'ok', cycleTime: 119, ts: Date.now() - 1000 });
  // Every tag of the second cycle is written now; a value arriving after this carries them all.
  const written = Date.now();
  await until(() => (r.connector.status().lastValueAt ?? 0) >= written, 10_000, 'the second cycle read');
  await sleep(100); // mapped and queued on the next turn
  await until(() => r.connector.status().queuedEvents >= 2, 10_000, 'the second cycle waiting in the queue');
}

const units = (events: StationEventInput[]) => events.flatMap((e) => (e.type === 'cycle' && e.unit !== undefined ? [e.unit] : []));

describe('OPC UA connector on close', () => {
  it('hands the events it read to the ingestor before it stops', async () => {
    const r = gatedReader('drain', 10_000);
    await twoCyclesRead(r, ['LCLOSE0001', 'LCLOSE0002']);
    const closing = r.connector.close();
    await sleep(300);
    expect(r.connector.status().state).toBe('closed');
    r.release(); // the spool answers
    await closing;
    expect(units(r.stored)).toEqual(['LCLOSE0001', 'LCLOSE0002']);
    expect(r.connector.status().queuedEvents).toBe(0);
    expect(r.logs.join('\n')).not.toMatch(/dropped/);
  }, 60_000);

  it('drops and reports what the spool does not take within the bound, and does not hang', async () => {
    const r = gatedReader('stuck', 1000);
    await twoCyclesRead(r, ['LSTUCK0001', 'LSTUCK0002']);
    const startedAt = Date.now();
    await r.connector.close();
    // teardown (≤ 2 s a step) plus the 1 s drain bound, with room for a busy machine
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    // Both cycles waited behind the batch in the ingestor's hands (the initial state, or the first cycle).
    expect(r.logs.join('\n')).toMatch(/[12] event\(s\) dropped: the collector stopped before they were stored/);
    r.release();
  }, 60_000);
});
