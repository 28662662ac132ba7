/**
 * OPC UA connector: how long a PLC's cycle takes to become an event handed to
 * ingest, and how many cycles a second one connector keeps up with, against a
 * real node-opcua server in the same process (the simulator's PLC).
 *
 * Baseline in the same run: the publishing interval. A subscription delivers
 * at most once per interval, so a change waits interval / 2 on average; the
 * connector's own cost is what the figures add on top.
 *
 * Usage: npx tsx bench/opcua.ts [--stations 20] [--cycles 50] [--rate 200] [--interval <ms>]
 *   --rate: counter increments per second across all stations in the throughput run
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceStationTags } from '../core/connectors';
import type { StationEventInput } from '../core/events';
import { OpcuaSourceConnector } from '../collector/connectors/opcua/source';
import type { Ingestor, IngestResult } from '../collector/ingest/ingest';
import { Metrics } from '../collector/metrics';
import { OpcuaPlcServer } from '../simulator/sinks/opcua';
import { intOption } from './support/args';

const STATIONS = intOption('stations', 20);
const CYCLES = intOption('cycles', 50);
const RATE = intOption('rate', 200);
/** One publishing interval only (ms); default: 100, 500 and 1000. */
const ONLY = process.argv.includes('--interval') ? intOption('interval', 100) : null;
const stations = Array.from({ length: STATIONS }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'taktline-bench-opcua-'));

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function run(publishingIntervalMs: number): Promise<void> {
  const plc = await OpcuaPlcServer.start({ line: 'A1', stations, port: 0, pkiDir: join(dir, `plc-${publishingIntervalMs}`) });
  const arrived = new Map<string, number>(); // event id → performance.now() at ingest
  const cycles: StationEventInput[] = [];
  const ingestor = {
    async ingest(items: readonly unknown[]): Promise<IngestResult> {
      const now = performance.now();
      for (const e of items as StationEventInput[]) {
        if (e.type !== 'cycle') continue;
        cycles.push(e);
        arrived.set(`${e.station}#${e.unit}`, now);
      }
      return { accepted: items.length, duplicates: 0, rejected: [], ids: [] };
    },
  } as unknown as Ingestor;
  const connector = new OpcuaSourceConnector({
    source: { id: 'bench', endpoint: plc.endpoint, publishingIntervalMs, stations: stations.map((s) => referenceStationTags('A1', s, { completesUnit: false })) },
    ingestor,
    metrics: new Metrics(),
    pkiDir: join(dir, `client-${publishingIntervalMs}`),
    env: {},
    log: () => undefined,
  });
  connector.start();
  while (connector.status().state !== 'connected' || connector.status().lastValueAt === null) await sleep(20);
  await sleep(300);
  const counters = new Map<string, number>();
  const write = (station: string, unit: string) => {
    const ts = Date.now();
    plc.set(station, 'UnitSerial', unit, ts);
    plc.set(station, 'CycleTime', 118, ts);
    const n = (counters.get(station) ?? 0) + 1;
    counters.set(station, n);
    plc.set(station, 'CycleCounter', n, ts);
  };

  // Latency: one cycle at a time, at random phases of the publishing interval.
  const written = new Map<string, number>();
  for (let i = 0; i < CYCLES; i += 1) {
    const station = stations[i % stations.length] ?? 'S01';
    const unit = `LLAT${String(i).padStart(6, '0')}`;
    written.set(`${station}#${unit}`, performance.now());
    write(station, unit);
    await sleep(publishingIntervalMs * 1.37 + 7);
  }
  await sleep(publishingIntervalMs * 3);
  await connector.idle();
  const latencies = [...written].map(([key, at]) => (arrived.get(key) ?? Number.NaN) - at).sort((a, b) => a - b);
  const lost = latencies.filter((l) => Number.isNaN(l)).length;

  process.stderr.write(`bench: ${publishingIntervalMs} ms: latency run done\n`);
  // Throughput: RATE increments a second spread over the stations, for 5 s.
  const before = cycles.length;
  const total = RATE * 5;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    write(stations[i % stations.length] ?? 'S01', `LTHR${String(i).padStart(6, '0')}`);
    const due = started + ((i + 1) * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const deadline = performance.now() + 10_000;
  while (cycles.length - before < total && performance.now() < deadline) await sleep(20);
  const elapsed = (performance.now() - started) / 1000;
  const got = cycles.length - before;
  const paired = cycles.slice(before).filter((e) => e.type === 'cycle' && e.unit?.startsWith('LTHR')).length;

  const valid = latencies.filter((l) => !Number.isNaN(l));
  console.log(
    `publishing ${String(publishingIntervalMs).padStart(4)} ms: latency p50 ${quantile(valid, 0.5).toFixed(0)} ms, p95 ${quantile(valid, 0.95).toFixed(0)} ms, max ${(valid.at(-1) ?? Number.NaN).toFixed(0)} ms ` +
      `(baseline interval/2 = ${publishingIntervalMs / 2} ms; ${lost} of ${CYCLES} lost) | throughput ${got}/${total} cycles in ${elapsed.toFixed(1)} s ` +
      `(${(got / elapsed).toFixed(0)} cycles/s, ${paired} with their serial)`,
  );
  process.stderr.write(`bench: ${publishingIntervalMs} ms: closing\n`);
  await connector.close();
  await plc.stop();
  process.stderr.write(`bench: ${publishingIntervalMs} ms: closed\n`);
}

try {
  for (const interval of ONLY !== null ? [ONLY] : [100, 500, 1000]) await run(interval);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
