/**
 * The OPC UA connector's first connection, against a real node-opcua PLC in
 * its own process (collector/test/support/opcua-plc.ts):
 * - a PLC that is not up yet when the connector starts is read once it is up,
 *   by the connector alone;
 * - an endpoint that accepts TCP and never says a word is an error in the
 *   source status within a bound, and the real PLC on that port later is read;
 * - a certificate store left by a killed run (lock folders, a key and a
 *   certificate that do not belong together) does not stop the first
 *   connection (node-opcua alone waits two minutes on such a lock, silently).
 */
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { referenceStationTags } from '../../core/connectors';
import type { StationEventInput } from '../../core/events';
import { OpcuaSourceConnector, type OpcuaTimeouts } from '../connectors/opcua/source';
import type { SourceStatus } from '../connectors/source-status';
import type { Ingestor, IngestResult } from '../ingest/ingest';
import { Metrics } from '../metrics';
import { startTestPlc, type TestPlc } from './support/opcua-plc';

const dir = mkdtempSync(join(tmpdir(), 'taktline-opcua-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Reader {
  connector: OpcuaSourceConnector;
  received: StationEventInput[];
  logs: string[];
}

/** A connector on one station's reference tags, its events captured (ingest is not the point here). */
function reader(port: number, pkiDir: string, timeouts?: Partial<OpcuaTimeouts>, backoffMaxMs?: number): Reader {
  const received: StationEventInput[] = [];
  const logs: string[] = [];
  const ingestor = {
    async ingest(items: readonly unknown[]): Promise<IngestResult> {
      received.push(...(items as StationEventInput[]));
      return { accepted: items.length, duplicates: 0, rejected: [], ids: [] };
    },
  } as unknown as Ingestor;
  const connector = new OpcuaSourceConnector({
    source: { id: 'plc', endpoint: `opc.tcp://127.0.0.1:${port}`, publishingIntervalMs: 100, stations: [referenceStationTags('A1', 'S01', { completesUnit: false })] },
    ingestor,
    metrics: new Metrics(),
    pkiDir,
    env: {},
    ...(timeouts ? { timeouts } : {}),
    ...(backoffMaxMs !== undefined ? { backoffMaxMs } : {}),
    log: (m) => logs.push(m),
  });
  cleanups.push(() => connector.close());
  return { connector, received, logs };
}

/** Polls the status until `done`; fails with the last status (and what the connector logged) when it does not come. */
async function until(r: Reader, done: (s: SourceStatus) => boolean, timeoutMs: number, what: string): Promise<SourceStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = r.connector.status();
    if (done(status)) return status;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s; status: ${JSON.stringify(status)}; log: ${r.logs.join(' | ')}`);
    await sleep(50);
  }
}

async function plcOn(port: number, deferred = false): Promise<TestPlc> {
  const plc = await startTestPlc({ line: 'A1', stations: ['S01'], port, deferred });
  cleanups.push(() => plc.dispose());
  return plc;
}

/** A PLC of its own for the store test, started before it (a cold start is slow on a busy machine). */
let storePlc: TestPlc;
let storePort = 0;
beforeAll(async () => {
  storePort = await freePort();
  storePlc = await startTestPlc({ line: 'A1', stations: ['S01'], port: storePort });
}, 90_000);
afterAll(async () => {
  await storePlc?.dispose();
});

/** A cycle written on the PLC arrives as a cycle event (the link carries data, not only a state). */
async function expectCycleArrives(plc: TestPlc, r: Reader, unit: string): Promise<void> {
  const ts = Date.now() - 1000;
  await plc.cycle('S01', { unit, result: 'ok', cycleTime: 118, ts });
  const deadline = Date.now() + 15_000;
  while (!r.received.some((e) => e.type === 'cycle' && e.unit === unit) && Date.now() < deadline) await sleep(50);
  expect(r.received.filter((e) => e.type === 'cycle' && e.unit === unit)).toMatchObject([{ station: 'S01', ts, cycleTime: 118 }]);
}

describe('OPC UA first connection', () => {
  it('reads a PLC that comes up 3 s after the connector started, by itself', async () => {
    const port = await freePort();
    // Built first, listening only when told: the server comes up 3 s after the connector, not after a cold start.
    const plc = await plcOn(port, true);
    const r = reader(port, join(dir, 'late', 'pki'));
    r.connector.start();
    // Nobody listens yet: refused, said so, retried.
    const refused = await until(r, (s) => s.lastError !== null, 20_000, 'the refused connection showing in the status');
    expect(refused.connected).toBe(false);
    expect(refused.lastError).toMatch(/ECONNREFUSED/);
    expect(refused.lastErrorAt).toEqual(expect.any(Number));
    expect(refused.silentSince).not.toBeNull();
    await sleep(3000);
    expect(r.connector.status().state).toMatch(/connecting|backoff/);
    await plc.listen();
    const up = await until(r, (s) => s.state === 'connected', 40_000, 'the first connection');
    expect(up.silentSince).toBeNull();
    expect(up.lastValueAt).not.toBeNull();
    expect(up.reconnects).toBe(0); // a first connection, not a reconnection
    await expectCycleArrives(plc, r, 'LLATE00001');
  }, 60_000);

  it('reports an endpoint that accepts TCP and never answers within the connect bound, then reads the PLC that takes its place', async () => {
    const port = await freePort();
    const sockets = new Set<Socket>();
    let accepted = 0;
    let mostOpen = 0;
    const mute = createServer((socket) => {
      accepted += 1;
      sockets.add(socket);
      mostOpen = Math.max(mostOpen, sockets.size);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.resume(); // reads (and drops) the hello, so it sees the client hang up
    });
    await new Promise<void>((resolve) => mute.listen(port, '127.0.0.1', resolve));
    // The PLC that takes the port over is built meanwhile (not listening yet); retries every ≤ 2 s.
    const plcBuilt = plcOn(port, true);
    plcBuilt.catch(() => undefined); // awaited below; a failed build fails the test there
    const r = reader(port, join(dir, 'mute', 'pki'), { connectMs: 2000 }, 2000);
    const startedAt = Date.now();
    r.connector.start();
    const stuck = await until(r, (s) => s.lastError !== null, 20_000, 'the error for a mute endpoint');
    expect(stuck.lastError).toMatch(new RegExp(`no OPC UA answer from opc\\.tcp://127\\.0\\.0\\.1:${port} within 2 s`));
    expect(stuck.connected).toBe(false);
    // Bounded: the certificate store (made here for the first time) plus the 2 s connect bound, with room for a busy machine.
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    // Retried with back-off; each given-up attempt closes its socket (none piles up).
    await until(r, () => accepted >= 2, 20_000, 'a second attempt at the mute endpoint');
    expect(mostOpen).toBe(1);

    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => mute.close(resolve));
    const plc = await plcBuilt;
    await plc.listen();
    const up = await until(r, (s) => s.state === 'connected', 40_000, 'the connection once a PLC listens on the port');
    expect(up.silentSince).toBeNull();
    await expectCycleArrives(plc, r, 'LMUTE00001');
  }, 60_000);

  it('connects at once with a certificate store a killed run left behind (lock folders, a key that is not its certificate)', async () => {
    // A real store first: the one a connector makes.
    const port = storePort;
    const plc = storePlc;
    const first = reader(port, join(dir, 'made', 'pki'));
    first.connector.start();
    await until(first, (s) => s.state === 'connected', 40_000, 'the first connection with a new store');
    await first.connector.close();

    // Its copy, as a run killed mid-way leaves it: locks held by a dead process, and a new key beside the old certificate.
    const stale = join(dir, 'stale', 'pki');
    cpSync(join(dir, 'made', 'pki'), stale, { recursive: true });
    mkdirSync(join(stale, 'mutex.lock'));
    mkdirSync(join(stale, 'own', 'certs', 'client_certificate.pem.mutex.lock'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    writeFileSync(join(stale, 'own', 'private', 'private_key.pem'), privateKey);

    const r = reader(port, stale);
    const startedAt = Date.now();
    r.connector.start();
    // Far under the two minutes node-opcua waits for a lock to look stale.
    await until(r, (s) => s.state === 'connected', 40_000, 'the connection with a stale store');
    expect(Date.now() - startedAt).toBeLessThan(40_000);
    expect(r.logs.join('\n')).toMatch(/removed 2 lock\(s\) left in the certificate store/);
    expect(r.logs.join('\n')).toMatch(/put aside .*its certificate does not match its private key/);
    expect(existsSync(join(stale, 'mutex.lock'))).toBe(false);
    expect(readdirSync(join(dir, 'stale')).some((name) => name.startsWith('pki.broken-'))).toBe(true);
    await expectCycleArrives(plc, r, 'LSTALE0001');
  }, 60_000);
});
