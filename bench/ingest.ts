/**
 * Ingest throughput, three ways in one run against one private influxd:
 *
 * 1. direct: a bulk line-protocol writer, 5,000-line gzip batches straight to
 *    InfluxDB (the ceiling: what the server takes without a collector),
 *    measured first and again last, the ratios against the mean of both;
 * 2. collector: stations POST batches to the collector, which validates,
 *    fsyncs them into the spool, acknowledges, and drains them into InfluxDB;
 *    timed until InfluxDB confirmed the last event;
 * 3. null sink: the same collector with a store that discards (validation,
 *    spool and HTTP only).
 *
 * The senders (the stations' gateways, other machines in a plant) run in a
 * child process (bench/support/ingest-senders.ts) for the collector and the
 * null sink alike, so their HTTP client is neither on the collector's thread
 * nor in its profile. The collector is in this process, as in production
 * alone on its thread; the direct writer stays in this process too.
 *
 * Each collector phase also prints the CPU time of this process (user +
 * system: the collector's thread, its GC and libuv threads) per 100,000
 * events, which the shared machine's load changes far less than events/s.
 *
 * Usage: npx tsx bench/ingest.ts [--events 100000] [--batch 1000] [--senders 4] [--profile DIR]
 *
 * `--profile DIR` writes a CPU profile of each collector phase (from the first
 * request to the last event drained) to DIR/collector.cpuprofile and
 * DIR/null-sink.cpuprofile, and prints the top self-time functions of each
 * (without the profiler's own stop, which node:inspector's `dispatch` shows).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { setLogger } from '@influxdata/influxdb-client';
import { buildApp } from '../collector/app';
import { DEFAULT_COLLECTOR_CONFIG, type CollectorConfig } from '../collector/config';
import { startLocalInfluxd } from '../collector/influx/local-influxd';
import { eventToPoint } from '../collector/influx/points';
import { influxReads } from '../collector/influx/reads';
import { connectInflux, type EventStore } from '../collector/influx/store';
import { intOption } from './support/args';
import { benchEvents } from './support/ingest-events';

/** A value given as `--name value`, or null. */
function stringOption(name: string, argv: readonly string[] = process.argv.slice(2)): string | null {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return null;
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} takes a value`);
  return value;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The `count` functions with the most self time in a profile, one line each: ms, share, name, file:line. */
function topSelfTime(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, count: number): string[] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  // The profiler's own stop (`dispatch` under node:inspector's `post`) is sampled too; it is not the collector's.
  const profiler = new Set<number>();
  const mark = (id: number, inside: boolean) => {
    const node = nodes.get(id);
    if (!node) return;
    const here = inside || node.callFrame.url === 'node:inspector';
    if (here) profiler.add(id);
    for (const child of node.children ?? []) mark(child, here);
  };
  mark(profile.nodes[0]?.id ?? -1, false);
  const self = new Map<string, number>();
  let total = 0;
  (profile.samples ?? []).forEach((id, i) => {
    if (profiler.has(id)) return;
    const frame = nodes.get(id)?.callFrame;
    const dt = profile.timeDeltas?.[i] ?? 0;
    total += dt;
    if (!frame) return;
    const file = frame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(collector|core|bench)\//, '$1/');
    const key = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => `${String(Math.round(us / 1000)).padStart(6)} ms ${((100 * us) / Math.max(1, total)).toFixed(1).padStart(5)} %  ${key}`);
}

/** Runs `work` under the CPU profiler when --profile is given; writes DIR/<name>.cpuprofile and prints its top functions. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (PROFILE_DIR === null) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(PROFILE_DIR, { recursive: true });
    writeFileSync(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    console.log(`  profile of ${name}: ${join(PROFILE_DIR, `${name}.cpuprofile`)}; top self time:`);
    for (const line of topSelfTime(profile as Parameters<typeof topSelfTime>[0], 15)) console.log(`    ${line}`);
  }
}

const EVENTS = intOption('events', 100_000);
const BATCH = intOption('batch', 1000);
const SENDERS = intOption('senders', 4);
const TOKEN = 'bench-ingest-token';
const PROFILE_DIR = stringOption('profile');

setLogger({ error: () => undefined, warn: () => undefined });

/** The sender process, started once and used for every collector phase. */
let senders: ChildProcess | null = null;

/** Sends one message to the sender process and resolves with its answer. */
function ask<T>(message: unknown): Promise<T> {
  if (!senders) {
    senders = fork(fileURLToPath(new URL('./support/ingest-senders.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    senders.unref();
  }
  const child = senders;
  return new Promise((resolve, reject) => {
    const exit = (code: number | null) => reject(new Error(`the sender process exited with ${code}`));
    child.once('exit', exit);
    child.once('message', (answer: T & { error?: string }) => {
      child.off('exit', exit);
      if (answer.error !== undefined) reject(new Error(answer.error));
      else resolve(answer);
    });
    child.send(message as Parameters<ChildProcess['send']>[0]);
  });
}

async function countIn(url: string, db: string): Promise<number> {
  const params = new URLSearchParams({ db, q: 'SELECT count("cycleTime") FROM cycle' });
  const body = (await (await fetch(`${url}/query?${params.toString()}`)).json()) as { results: { series?: { values: [string, number][] }[] }[] };
  return body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0;
}

async function direct(url: string, db: string): Promise<number> {
  await fetch(`${url}/query?q=${encodeURIComponent(`CREATE DATABASE ${db}`)}`, { method: 'POST' });
  const lines = benchEvents(db, EVENTS, Date.now() - 3_600_000).map((e) => eventToPoint(e).toLineProtocol() ?? '');
  const started = performance.now();
  for (let i = 0; i < lines.length; i += 5000) {
    const res = await fetch(`${url}/write?db=${db}&precision=n`, {
      method: 'POST',
      headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain' },
      body: gzipSync(lines.slice(i, i + 5000).join('\n')),
    });
    if (res.status !== 204) throw new Error(`direct write failed: ${res.status} ${await res.text()}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const stored = await countIn(url, db);
  if (stored !== EVENTS) throw new Error(`direct: InfluxDB holds ${stored} of ${EVENTS} points`);
  return EVENTS / seconds;
}

const nullStore: EventStore = {
  write: async () => undefined,
  writeRollups: async () => undefined,
  query: async () => [],
  reads: influxReads({ query: async () => [] }),
  info: () => ({ url: 'null:', reachable: true, product: 'unknown', version: null, name: 'null sink', writePath: 'v2', error: null }),
  refreshInfo: async () => nullStore.info(),
  close: async () => undefined,
};

async function throughCollector(name: string, store: EventStore, bucket: string, verify: (() => Promise<number>) | null): Promise<{ eps: number; ackEps: number; syncsPerAppend: number; cpuMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taktline-bench-'));
  const config: CollectorConfig = {
    ...DEFAULT_COLLECTOR_CONFIG,
    host: '127.0.0.1',
    port: 0,
    dataDir,
    influxBucket: bucket,
    ingestTokens: [TOKEN],
    dashboardDir: '',
    kpiRefreshMs: 3_600_000,
  };
  const app = buildApp({ config, store });
  await app.start();
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await ask({ cmd: 'prepare', base, token: TOKEN, prefix: bucket, start: Date.now() - 3_600_000, events: EVENTS, batch: BATCH, senders: SENDERS });
  let started = 0;
  let acked = 0;
  let seconds = 0;
  let cpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  await profiled(name, async () => {
    const cpuBefore = process.cpuUsage();
    started = performance.now();
    await ask({ cmd: 'go' });
    acked = (performance.now() - started) / 1000;
    while (app.metrics.spool().unwrittenEvents > 0) await new Promise((r) => setTimeout(r, 5));
    seconds = (performance.now() - started) / 1000;
    cpu = process.cpuUsage(cpuBefore);
  });
  const spool = app.metrics.spool();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (verify) {
    const stored = await verify();
    if (stored !== EVENTS) throw new Error(`collector: InfluxDB holds ${stored} of ${EVENTS} points`);
  }
  // CPU of this process (the collector's thread, its GC and libuv threads; the senders are another process) per 100,000 events:
  // unlike events/s, it hardly depends on what else the shared machine runs.
  const cpuMs = (cpu.user + cpu.system) / 1000 / (EVENTS / 100_000);
  return { eps: EVENTS / seconds, ackEps: EVENTS / acked, syncsPerAppend: spool.syncs / Math.max(1, spool.appends), cpuMs };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'taktline-bench-influxd-'));
  const influxd = await startLocalInfluxd({ dataDir: dir });
  try {
    console.log(`bench/ingest: ${EVENTS} cycle events, ${BATCH} per request, ${SENDERS} concurrent senders in a child process, influxd ${influxd.url}`);
    const directBefore = await direct(influxd.url, 'bench_direct');
    console.log(`  direct line protocol (5,000-line gzip batches):  ${Math.round(directBefore)} events/s`);
    const store = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'bench_collector' });
    const collector = await throughCollector('collector', store, 'bench_collector', () => countIn(influxd.url, 'bench_collector'));
    console.log(
      `  collector → spool → InfluxDB:                     ${Math.round(collector.eps)} events/s stored (${Math.round(collector.ackEps)} events/s acknowledged; ${collector.syncsPerAppend.toFixed(2)} fsyncs per request; collector CPU ${Math.round(collector.cpuMs)} ms per 100,000 events)`,
    );
    const nul = await throughCollector('null-sink', nullStore, 'bench_null', null);
    console.log(`  collector → spool → null sink:                    ${Math.round(nul.eps)} events/s (${nul.syncsPerAppend.toFixed(2)} fsyncs per request; collector CPU ${Math.round(nul.cpuMs)} ms per 100,000 events)`);
    // The baseline again at the end: on a shared machine the server's speed drifts within a run; the ratios use the mean.
    const directAfter = await direct(influxd.url, 'bench_direct_again');
    const directEps = (directBefore + directAfter) / 2;
    console.log(`  direct line protocol again:                       ${Math.round(directAfter)} events/s (baseline: the mean, ${Math.round(directEps)} events/s)`);
    console.log(
      `summary: collector into InfluxDB = ${(collector.eps / directEps).toFixed(2)}× the direct bulk writer, ${(collector.eps / nul.eps).toFixed(2)}× the null sink; ` +
        `null sink = ${(nul.eps / directEps).toFixed(2)}× the direct writer`,
    );
  } finally {
    senders?.kill();
    await influxd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench/ingest failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
