/**
 * The demo's OPC UA path end to end: the simulator's line written as PLC tags
 * of a real node-opcua server (simulator/sinks/opcua.ts) and read back by the
 * collector's OPC UA connector gives the same cycles, units and states the
 * simulator emitted — so `npm start -- --via opcua` shows the same line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceStationTags } from '../../core/connectors';
import type { StationEvent, StationEventInput } from '../../core/events';
import { Line } from '../../simulator/model/line';
import { loadScenario } from '../../simulator/model/scenario';
import { MemorySink } from '../../simulator/sinks/memory';
import { OpcuaPlcServer, OpcuaSink } from '../../simulator/sinks/opcua';
import { OpcuaSourceConnector } from '../connectors/opcua/source';
import type { Ingestor, IngestResult } from '../ingest/ingest';
import { Metrics } from '../metrics';

const dir = mkdtempSync(join(tmpdir(), 'taktline-opcua-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Simulated time between reads: shorter than the takt, so each station finishes at most one cycle per step. */
const STEP_SECONDS = 60;
const HOURS = 1;

describe('simulator over OPC UA', () => {
  it('delivers the simulated line through PLC tags without losing or changing a cycle, unit or state', async () => {
    const scenario = loadScenario('reference');
    const stations = scenario.stations.map((s) => s.id);
    const plc = await OpcuaPlcServer.start({ line: scenario.line, stations, port: 0, pkiDir: join(dir, 'plc') });
    const received: StationEventInput[] = [];
    // The ingest path is not the point here (opcua.test.ts covers it with influxd): capture what the connector sends.
    const ingestor = {
      async ingest(items: readonly unknown[]): Promise<IngestResult> {
        received.push(...(items as StationEventInput[]));
        return { accepted: items.length, duplicates: 0, rejected: [], ids: [] };
      },
    } as unknown as Ingestor;
    const connector = new OpcuaSourceConnector({
      source: {
        id: 'sim',
        endpoint: plc.endpoint,
        publishingIntervalMs: 50,
        stations: stations.map((s, i) => referenceStationTags(scenario.line, s, { completesUnit: i === stations.length - 1 })),
      },
      ingestor,
      metrics: new Metrics(),
      // A fresh store each run, this connector's alone: one shared in /tmp by every run on the machine
      // was the store whose left-behind locks kept the first connection waiting for minutes.
      pkiDir: join(dir, 'client-pki'),
      env: {},
      log: () => undefined,
    });
    try {
      connector.start();
      // 'connected' comes once every tag sent its first value (each counter has its baseline): then the line may start.
      const connectBy = Date.now() + 40_000;
      while (connector.status().state !== 'connected') {
        if (Date.now() > connectBy) throw new Error(`the connector did not connect within 40 s: ${JSON.stringify(connector.status())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const truth = new MemorySink();
      const startMs = Date.parse('2027-03-01T06:00:00+08:00');
      const sink = new OpcuaSink(plc, stations.at(-1) ?? '', new MemorySink());
      const line = new Line({ scenario, seed: 7, startMs, runId: 'opcua-sim', emit: (e) => (truth.write(e), sink.write(e)) });
      for (let t = STEP_SECONDS; t <= HOURS * 3600; t += STEP_SECONDS) {
        line.runUntil(t);
        await sink.flush();
        await new Promise((r) => setTimeout(r, 120)); // two publishing intervals
      }
      // Let the last changes come back (longer on a busy machine), then compare.
      const cyclesIn = (events: readonly { type: string; ts: unknown }[]) => events.filter((e) => e.type === 'cycle' && typeof e.ts === 'number' && e.ts >= startMs).length;
      const deadline = Date.now() + 20_000;
      while (cyclesIn(received) < cyclesIn(truth.events) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500));
      await connector.idle();

      const simulated = truth.events.filter((e) => e.ts >= startMs);
      const read = received.filter((e) => typeof e.ts === 'number' && e.ts >= startMs) as StationEvent[];
      const cycles = (events: StationEvent[]) => events.flatMap((e) => (e.type === 'cycle' ? [`${e.station} ${e.ts} ${e.cycleTime} ${e.unit} ${e.result}`] : []));
      const units = (events: StationEvent[]) => events.flatMap((e) => (e.type === 'unit' ? [`${e.unit} ${e.model} ${e.result}`] : []));
      const states = (events: StationEvent[]) => events.flatMap((e) => (e.type === 'state' ? [`${e.station} ${e.ts} ${e.state}`] : []));
      const sorted = (list: string[]) => [...list].sort();
      expect(cycles(simulated).length).toBeGreaterThan(20 * stations.length * HOURS);
      expect(sorted(cycles(read))).toEqual(sorted(cycles(simulated)));
      expect(sorted(units(read))).toEqual(sorted(units(simulated)));
      expect(sorted(states(read))).toEqual(sorted(states(simulated)));
      expect(connector.status().rejectedValues).toBe(0);
    } finally {
      await connector.close();
      await plc.stop();
    }
  }, 60_000);
});
