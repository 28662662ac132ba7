/**
 * A restarted collector counts what the PLC counted while it was away,
 * against a real node-opcua PLC in its own process: the OPC UA connector
 * keeps each cycle counter's mark (where it stood when its events were
 * stored) in a file, and the next run takes it as the baseline. Cycles
 * counted while no collector ran come as cycles, and so do those read but
 * still queued when a collector stopped without storing them; the ids go on
 * from the count. A run without the marks file starts from a new baseline and
 * sends none of them (what this mechanism adds).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const dir = mkdtempSync(join(tmpdir(), 'taktline-opcua-restart-'));
let plc: TestPlc;
beforeAll(async () => {
  plc = await startTestPlc({ line: 'A1', stations: ['S01'] });
}, 90_000);
afterAll(async () => {
  await plc?.dispose();
  rmSync(dir, { recursive: true, force: true });
});


/**
 * One collector run's OPC UA connector; its ingestor stores at once, or holds
 * every batch while `hold` is set, and with `crash` never stores what it holds
 * (the process gone before the spool answered).
 */
function collectorRun(name: string, countersFile: string | null) {
  const stored: StationEventInput[] = [];
  const logs: string[] = [];
  const gate = { hold: false, crash: false };
  const ingestor = {
    async ingest(items: readonly unknown[]): Promise<IngestResult> {
      while (gate.hold && !gate.crash) await sleep(20);
      if (gate.crash) throw new Error('the process died before the spool answered');
      stored.push(...(items as StationEventInput[]));
      return { accepted: items.length, duplicates: 0, rejected: [], ids: [] };
    },
  } as unknown as Ingestor;
  const connector = new OpcuaSourceConnector({
    source: { id: 'line-plc', endpoint: plc.endpoint, publishingIntervalMs: 100, stations: [referenceStationTags('A1', 'S01', { completesUnit: false })] },
    ingestor,
    metrics: new Metrics(),
    pkiDir: join(dir, `pki-${name}`),
    ...(countersFile ? { countersFile } : {}),
    env: {},
    drainMs: 500,
    log: (m) => logs.push(m),
  });
  const cycles = () => stored.filter((e): e is Extract<StationEventInput, { type: 'cycle' }> => e.type === 'cycle');
  return { connector, cycles, logs, gate };
}

async function connected(run: ReturnType<typeof collectorRun>): Promise<void> {
  run.connector.start();
  await until(() => run.connector.status().state === 'connected', 40_000, 'the connection');
  await run.connector.idle();
}

const cycle = (unit: string) => plc.cycle('S01', { unit, result: 'ok', cycleTime: 118 });
const count = (id: string | undefined) => Number(/:c(\d+)@/.exec(id ?? '')?.[1]);

describe('OPC UA counters across a restart of the collector', () => {
  it('sends the cycles the PLC counted while no collector ran, the ids going on from the count', async () => {
    const marks = join(dir, 'counters-away.json');
    const first = collectorRun('away-1', marks);
    await connected(first);
    const n1 = await cycle('LAWAY0001');
    const n2 = await cycle('LAWAY0002');
    await until(() => first.cycles().length === 2, 10_000, 'two cycles stored');
    await first.connector.close();
    expect(JSON.parse(readFileSync(marks, 'utf8')).marks[0].value).toBe(n2);

    // Three cycles while the collector is down.
    await cycle('LAWAY0003');
    await cycle('LAWAY0004');
    const n5 = await cycle('LAWAY0005');

    // A run without the marks sees only a baseline: what the file adds.
    const blind = collectorRun('away-blind', null);
    await connected(blind);
    await sleep(500);
    expect(blind.cycles()).toEqual([]);
    await blind.connector.close();

    const second = collectorRun('away-2', marks);
    await connected(second);
    await until(() => second.cycles().length === 3, 10_000, 'the three cycles counted while away');
    expect(second.cycles().map((c) => count(c.id))).toEqual([n2 + 1, n2 + 2, n5]);
    // The PLC holds only the newest serial: the last cycle carries it.
    expect(second.cycles().at(-1)?.unit).toBe('LAWAY0005');
    expect(second.logs.join('\n')).toMatch(/1 cycle counter\(s\) resume from where their events were last stored/);
    // And it goes on counting live.
    const n6 = await cycle('LAWAY0006');
    await until(() => second.cycles().length === 4, 10_000, 'the next live cycle');
    expect(count(second.cycles().at(-1)?.id)).toBe(n6);
    expect(n1).toBe(n2 - 1);
    await second.connector.close();
  }, 120_000);

  it('sends again the cycles a stopping collector read but never stored', async () => {
    const marks = join(dir, 'counters-queued.json');
    const first = collectorRun('queued-1', marks);
    await connected(first);
    const stored = await cycle('LQUEUE0001');
    await until(() => first.cycles().length === 1, 10_000, 'the first cycle stored');
    await first.connector.idle();
    // The spool stops answering; two cycles are read and wait in the connector's queue.
    first.gate.hold = true;
    await cycle('LQUEUE0002');
    const last = await cycle('LQUEUE0003');
    await until(() => first.connector.status().queuedEvents >= 2, 10_000, 'both cycles waiting');
    await first.connector.close(); // the 500 ms drain bound passes with the spool silent
    first.gate.crash = true;
    await until(() => /dropped/.test(first.logs.join('\n')), 10_000, 'the held cycles reported as lost');
    expect(first.cycles()).toHaveLength(1);
    // The mark stays where the stored events left the counter.
    expect(JSON.parse(readFileSync(marks, 'utf8')).marks[0].value).toBe(stored);

    const second = collectorRun('queued-2', marks);
    await connected(second);
    await until(() => second.cycles().length === 2, 10_000, 'the two cycles the first run dropped');
    expect(second.cycles().map((c) => count(c.id))).toEqual([stored + 1, last]);
    await second.connector.close();
  }, 120_000);
});
