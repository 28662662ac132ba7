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
 * Each phase prints the CPU time (user + system) per 100,000 events of every
 * process in it: influxd's (from /proc/<pid>/stat), this process's (the
 * direct writer's gzip and HTTP, or the collector's thread, GC and libuv
 * threads, and its main thread alone), the sender process's; and the cores
 * they kept busy. The shared machine's load changes those far less than
 * events/s. From them it prints where the limit is: whether the collector's
 * requests cost influxd more per event than the direct writer's, the measured
 * ratio split into (cores busy) × (CPU per event), the ceiling the machine's
 * cores and the collector's one JavaScript thread put on the ratio at this
 * CPU per event, and what the goal (0.9×) leaves the collector of CPU per
 * event once influxd and the senders had theirs (docs/performance.md, "Ingest").
 *
 * Usage: npx tsx bench/ingest.ts [--events 100000] [--batch 1000] [--senders 4] [--profile DIR] [--node-defaults]
 *
 * It runs with the collector's Node flags (collector/node-flags.ts), as the collector starts;
 * `--node-defaults` runs with V8's defaults instead.
 *
 * `--profile DIR` writes a CPU profile of each collector phase (from the first
 * request to the last event drained) to DIR/collector.cpuprofile and
 * DIR/null-sink.cpuprofile, and prints the top self-time functions of each
 * (without the profiler's own stop, which node:inspector's `dispatch` shows).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { setLogger } from '@influxdata/influxdb-client';
import { buildApp } from '../collector/app';
import { DEFAULT_COLLECTOR_CONFIG, type CollectorConfig } from '../collector/config';
import { COLLECTOR_NODE_FLAGS } from '../collector/node-flags';
import { startLocalInfluxd } from '../collector/influx/local-influxd';
import { eventToPoint } from '../collector/influx/points';
import { influxReads } from '../collector/influx/reads';
import { connectInflux, type EventStore } from '../collector/influx/store';
import { intOption } from './support/args';
import { processCpuSeconds, threadCpuSeconds } from './support/proc-cpu';
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

/** CPU seconds per 100,000 events of each process in one phase, its wall time, and the cores it kept busy. */
interface PhaseCpu {
  seconds: number;
  /** influxd's user + system CPU, ms per 100,000 stored events. */
  influxdMs: number;
  /** This process's: the direct writer's gzip and HTTP, or the collector's thread, GC and libuv threads. */
  benchMs: number;
  /** This process's main thread alone (the collector's JavaScript and the GC work on that thread). */
  mainThreadMs: number;
  /** The sender process's (collector phases only; 0 for the direct writer). */
  sendersMs: number;
  /** Cores busy on average over the phase: every process's CPU over the wall time. */
  cores: number;
}

/** Measures `work` (which stores EVENTS events) as a {@link PhaseCpu}. */
async function measured(influxdPid: number, sendersPid: number | null, work: () => Promise<void>): Promise<PhaseCpu> {
  const influxdBefore = processCpuSeconds(influxdPid);
  const sendersBefore = sendersPid === null ? 0 : processCpuSeconds(sendersPid);
  const benchBefore = process.cpuUsage();
  const mainBefore = threadCpuSeconds(process.pid, process.pid);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const bench = process.cpuUsage(benchBefore);
  const main = threadCpuSeconds(process.pid, process.pid) - mainBefore;
  const per = (cpuSeconds: number) => (cpuSeconds * 1000) / (EVENTS / 100_000);
  const influxd = processCpuSeconds(influxdPid) - influxdBefore;
  const senders = sendersPid === null ? 0 : processCpuSeconds(sendersPid) - sendersBefore;
  const benchSeconds = (bench.user + bench.system) / 1e6;
  return { seconds, influxdMs: per(influxd), benchMs: per(benchSeconds), mainThreadMs: per(main), sendersMs: per(senders), cores: (influxd + senders + benchSeconds) / seconds };
}

async function direct(url: string, db: string, influxdPid: number): Promise<{ eps: number; cpu: PhaseCpu }> {
  await fetch(`${url}/query?q=${encodeURIComponent(`CREATE DATABASE ${db}`)}`, { method: 'POST' });
  const lines = benchEvents(db, EVENTS, Date.now() - 3_600_000).map((e) => eventToPoint(e).toLineProtocol() ?? '');
  const cpu = await measured(influxdPid, null, async () => {
    for (let i = 0; i < lines.length; i += 5000) {
      const res = await fetch(`${url}/write?db=${db}&precision=n`, {
        method: 'POST',
        headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain' },
        body: gzipSync(lines.slice(i, i + 5000).join('\n')),
      });
      if (res.status !== 204) throw new Error(`direct write failed: ${res.status} ${await res.text()}`);
    }
  });
  const stored = await countIn(url, db);
  if (stored !== EVENTS) throw new Error(`direct: InfluxDB holds ${stored} of ${EVENTS} points`);
  return { eps: EVENTS / cpu.seconds, cpu };
}

const nullStore: EventStore = {
  write: async () => undefined,
  writeRollups: async () => undefined,
  writeShiftingHours: async () => undefined,
  writeLossHours: async () => undefined,
  query: async () => [],
  reads: influxReads({ query: async () => [] }),
  info: () => ({ url: 'null:', reachable: true, product: 'unknown', version: null, name: 'null sink', writePath: 'v2', error: null }),
  refreshInfo: async () => nullStore.info(),
  close: async () => undefined,
};

interface CollectorPhase {
  eps: number;
  ackEps: number;
  syncsPerAppend: number;
  cpu: PhaseCpu;
  /** Events per write request the store was asked for (the null sink's discarded writes counted all the same). */
  eventsPerWrite: number;
  /** Wall time the spool spent in fdatasync, seconds per 100,000 events (an acknowledgement waits for one). */
  syncSeconds: number;
  /**
   * How late the collector's event loop ran a 1 ms timer during the phase, ms (p50, p99, max): a completed
   * fdatasync waits as long for its acknowledgement to be sent, so the spool's fdatasync time above includes it.
   */
  loopDelayMs: { p50: number; p99: number; max: number };
}

async function throughCollector(name: string, sink: EventStore, bucket: string, influxdPid: number, verify: (() => Promise<number>) | null): Promise<CollectorPhase> {
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
  // Counts the writer's requests: their size is part of what a write costs influxd.
  let writes = 0;
  const store: EventStore = {
    ...sink,
    write: (events) => {
      writes += 1;
      return sink.write(events);
    },
  };
  const app = buildApp({ config, store });
  await app.start();
  // What a collector up for a minute has done: its start-up check of the rollups and its warm-up of kept months and trend points,
  // which would otherwise run during the measurement.
  await app.roller.idle();
  await app.warmed();
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await ask({ cmd: 'prepare', base, token: TOKEN, prefix: bucket, start: Date.now() - 3_600_000, events: EVENTS, batch: BATCH, senders: SENDERS });
  let acked = 0;
  let cpu: PhaseCpu | null = null;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  await profiled(name, async () => {
    const started = performance.now();
    loop.enable();
    cpu = await measured(influxdPid, senders?.pid ?? null, async () => {
      await ask({ cmd: 'go' });
      acked = (performance.now() - started) / 1000;
      while (app.metrics.spool().unwrittenEvents > 0) await new Promise((r) => setTimeout(r, 5));
    });
    loop.disable();
  });
  // The histogram counts from the timer's own period: what is above 1 ms is the delay.
  const delay = (ns: number) => Math.max(0, ns / 1e6 - 1);
  const loopDelayMs = { p50: delay(loop.percentile(50)), p99: delay(loop.percentile(99)), max: delay(loop.max) };
  const spool = app.metrics.spool();
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (verify) {
    const stored = await verify();
    if (stored !== EVENTS) throw new Error(`collector: InfluxDB holds ${stored} of ${EVENTS} points`);
  }
  const phase = cpu as PhaseCpu | null;
  if (!phase) throw new Error(`${name}: not measured`);
  return { eps: EVENTS / phase.seconds, ackEps: EVENTS / acked, syncsPerAppend: spool.syncs / Math.max(1, spool.appends), cpu: phase, eventsPerWrite: EVENTS / Math.max(1, writes), syncSeconds: spool.syncSeconds / (EVENTS / 100_000), loopDelayMs };
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
const loopDelay = (phase: CollectorPhase) =>
  `event loop late by ${phase.loopDelayMs.p50.toFixed(1)} ms p50, ${phase.loopDelayMs.p99.toFixed(1)} ms p99, ${phase.loopDelayMs.max.toFixed(1)} ms max`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'taktline-bench-influxd-'));
  const influxd = await startLocalInfluxd({ dataDir: dir });
  const influxdPid = influxd.process().pid;
  if (influxdPid === undefined) throw new Error('influxd has no pid');
  try {
    console.log(`bench/ingest: ${EVENTS} cycle events, ${BATCH} per request, ${SENDERS} concurrent senders in a child process, influxd ${influxd.url}`);
    console.log('  CPU is user + system per 100,000 stored events: influxd from /proc/<pid>/stat, this process from process.cpuUsage()');
    const before = await direct(influxd.url, 'bench_direct', influxdPid);
    console.log(
      `  direct line protocol (5,000-line gzip batches):  ${Math.round(before.eps)} events/s (influxd CPU ${ms(before.cpu.influxdMs)}, writer ${ms(before.cpu.benchMs)}; ${before.cpu.cores.toFixed(2)} cores busy)`,
    );
    const store = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'bench_collector' });
    const collector = await throughCollector('collector', store, 'bench_collector', influxdPid, () => countIn(influxd.url, 'bench_collector'));
    console.log(
      `  collector → spool → InfluxDB:                     ${Math.round(collector.eps)} events/s stored (${Math.round(collector.ackEps)} events/s acknowledged; ${collector.syncsPerAppend.toFixed(2)} fsyncs per request, ` +
        `${ms(collector.syncSeconds * 1000)} in fdatasync; ${Math.round(collector.eventsPerWrite)} events per InfluxDB write; influxd CPU ${ms(collector.cpu.influxdMs)}, ` +
        `collector ${ms(collector.cpu.benchMs)} (main thread ${ms(collector.cpu.mainThreadMs)}), senders ${ms(collector.cpu.sendersMs)}; ${collector.cpu.cores.toFixed(2)} cores busy; ${loopDelay(collector)})`,
    );
    const nul = await throughCollector('null-sink', nullStore, 'bench_null', influxdPid, null);
    console.log(
      `  collector → spool → null sink:                    ${Math.round(nul.eps)} events/s (${nul.syncsPerAppend.toFixed(2)} fsyncs per request, ${ms(nul.syncSeconds * 1000)} in fdatasync; ` +
        `collector CPU ${ms(nul.cpu.benchMs)} (main thread ${ms(nul.cpu.mainThreadMs)}), senders ${ms(nul.cpu.sendersMs)}; ${nul.cpu.cores.toFixed(2)} cores busy; ${loopDelay(nul)})`,
    );
    // The baseline again at the end: on a shared machine the server's speed drifts within a run; the ratios use the mean.
    const after = await direct(influxd.url, 'bench_direct_again', influxdPid);
    const directEps = (before.eps + after.eps) / 2;
    console.log(
      `  direct line protocol again:                       ${Math.round(after.eps)} events/s (influxd CPU ${ms(after.cpu.influxdMs)}, writer ${ms(after.cpu.benchMs)}; ${after.cpu.cores.toFixed(2)} cores busy; baseline: the mean, ${Math.round(directEps)} events/s)`,
    );
    // Where the limit is (docs/performance.md, "Ingest"). A phase's rate is the cores it kept busy over the
    // CPU all its processes spend per event, so collector / direct = (cores_c / cores_d) × (cpu_d / cpu_c)
    // exactly. Two bounds hold whatever the code does: the box has its cores (here 2: rate ≤ cores / cpu_c), and the
    // collector's JavaScript runs on one thread (rate ≤ 1 / its main thread's CPU per event).
    const per100k = (cpuMs: number) => 100_000 / (cpuMs / 1000); // events/s one core gives at this CPU per 100,000 events
    const directInfluxd = (before.cpu.influxdMs + after.cpu.influxdMs) / 2;
    const directCpu = (before.cpu.influxdMs + before.cpu.benchMs + after.cpu.influxdMs + after.cpu.benchMs) / 2;
    const directCores = (before.cpu.cores + after.cpu.cores) / 2;
    const collectorCpu = collector.cpu.influxdMs + collector.cpu.benchMs + collector.cpu.sendersMs;
    const cores = availableParallelism();
    const allCores = (cores * per100k(collectorCpu)) / directEps;
    const oneThread = per100k(collector.cpu.mainThreadMs) / directEps;
    console.log(
      `  influxd per 100,000 events: ${ms(directInfluxd)} from the direct writer, ${ms(collector.cpu.influxdMs)} from the collector (${(collector.cpu.influxdMs / directInfluxd).toFixed(2)}×); ` +
        `every process: ${ms(directCpu)} direct, ${ms(collectorCpu)} through the collector`,
    );
    console.log(
      `  measured ${(collector.eps / directEps).toFixed(2)}× = ${(collector.cpu.cores / directCores).toFixed(2)} (cores busy: ${collector.cpu.cores.toFixed(2)} collector phase / ${directCores.toFixed(2)} direct) × ` +
        `${(directCpu / collectorCpu).toFixed(2)} (CPU per event, direct / collector)`,
    );
    // The senders wait for their acknowledgement, and that waits for an fdatasync: when the main thread's work and the
    // syncs add up to the phase's wall time, they ran one after the other, not side by side.
    const wall = (phase: CollectorPhase) => (phase.cpu.seconds * 1000) / (EVENTS / 100_000);
    console.log(
      `  per 100,000 events, main thread + fdatasync = wall: collector ${ms(collector.cpu.mainThreadMs)} + ${ms(collector.syncSeconds * 1000)} = ` +
        `${ms(collector.cpu.mainThreadMs + collector.syncSeconds * 1000)} of ${ms(wall(collector))}; null sink ${ms(nul.cpu.mainThreadMs)} + ${ms(nul.syncSeconds * 1000)} = ` +
        `${ms(nul.cpu.mainThreadMs + nul.syncSeconds * 1000)} of ${ms(wall(nul))}`,
    );
    console.log(
      `  ceiling: ${Math.min(allCores, oneThread).toFixed(2)}× direct, the lower of all ${cores} cores busy at this CPU per event (${allCores.toFixed(2)}×) ` +
        `and the collector's main thread busy all the time (${oneThread.toFixed(2)}×)`,
    );
    // What the goal asks of this run's CPU per event: at 0.9× the direct rate with every core busy, all the phase's
    // processes together may spend `cores / (0.9 × direct rate)` per event. influxd's share is what it spent here
    // (the same as from the direct writer, above); the rest is the collector's and the senders' (other machines in a
    // plant). The null sink's collector CPU is the acknowledge path alone: no InfluxDB leg can cost less than nothing.
    const budget = (cores * 1000 * 100_000) / (0.9 * directEps);
    const forCollector = budget - collector.cpu.influxdMs - collector.cpu.sendersMs;
    console.log(
      `  the goal, 0.9× direct with all ${cores} cores busy, allows every process ${ms(budget)} per 100,000 events: influxd's ${ms(collector.cpu.influxdMs)} and the senders' ` +
        `${ms(collector.cpu.sendersMs)} leave the collector ${ms(forCollector)} (${ms(forCollector + collector.cpu.sendersMs)} with the senders on other machines); ` +
        `it spent ${ms(collector.cpu.benchMs)}, of which the acknowledge path alone (null sink phase) ${ms(nul.cpu.benchMs)}`,
    );
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

/**
 * The collector runs in this process, so this process starts with the collector's Node flags
 * (collector/node-flags.ts), as `npm run collector` does: it runs itself again with them unless they are there.
 * `--node-defaults` measures without them (a build from before they existed, or to compare).
 */
function withCollectorFlags(): boolean {
  if (process.argv.includes('--node-defaults') || COLLECTOR_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) return false;
  const script = process.argv[1] ?? fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, ...COLLECTOR_NODE_FLAGS, script, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

if (!withCollectorFlags()) {
  console.log(`bench/ingest: this process (the collector's) runs with ${process.argv.includes('--node-defaults') ? "V8's defaults (--node-defaults)" : COLLECTOR_NODE_FLAGS.join(' ')}`);
  main().catch((error: unknown) => {
    console.error(`bench/ingest failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
