/**
 * bench/live: 1,000 and 5,000 WebSocket clients on loopback. Event-to-screen latency
 * (p50, p99) and server memory per connection, for the collector's live
 * channel (a unit POSTed to the ingest API, stored in a real influxd, the
 * update fanned out) against a bare `ws` broadcast of a message of the same
 * size and against the floor of a broadcast (one frame written to every
 * socket), measured in the same run. Where the time goes is printed beside it:
 * when the server handed the update to the first and the last socket, when the
 * last screen had it, and the CPU time per update of the server, of the
 * screens (this process) and of influxd.
 * Options: --clients N[,N…] (1000,5000), --events N (30), --screens lean|ws (lean: the raw-socket
 * client of bench/support/lean-screen.ts, standing for screens on machines of their own; ws: a `ws`
 * client each), --profile DIR (a V8 CPU profile of each server process, written to DIR when it exits).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startTestInfluxd } from '../collector/test/support/influxd';
import { intListOption, intOption } from './support/args';
import { LeanScreen } from './support/lean-screen';

const PROFILE_DIR = ((i) => (i >= 0 ? process.argv[i + 3] ?? null : null))(process.argv.slice(2).indexOf('--profile'));
const CLIENT_COUNTS = intListOption('clients', [1000, 5000]);
const EVENTS = intOption('events', 30);
const SCREENS = ((i) => (i >= 0 ? process.argv[i + 3] : 'lean'))(process.argv.slice(2).indexOf('--screens'));
if (SCREENS !== 'lean' && SCREENS !== 'ws') throw new Error('--screens takes lean or ws');

/** A screen of the bench: the lean client (bench/support/lean-screen.ts) or a `ws` client. */
function openScreen(url: string, onMessage: (data: Buffer) => void): Promise<{ terminate(): void }> {
  if (SCREENS === 'lean') return LeanScreen.open({ url, onText: onMessage });
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('message', onMessage);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
/** Pause between events, ms: longer than the hub's 250 ms coalescing window, so each event is a leading-edge update. */
const GAP_MS = 400;

interface Memory { rss: number; heapUsed: number; external: number; cpuMs: number }
interface WriteBurst { start: number; end: number; writes: number }
interface Result {
  name: string; first50: number; p50: number; p99: number; max: number; samples: number; bytesPerConnection: number; messageBytes: number;
  /** Per event, ms after it was sent: the server's last write to a screen, its first, and the last screen's receipt. */
  lastWrite: number[]; firstWrite: number[]; lastScreen: number[];
  /** CPU time per event, ms: the server process, this process (the screens), influxd. */
  serverCpu: number; screensCpu: number; influxCpu: number;
}

/** Absolute time, ms since the epoch with sub-ms precision: comparable with the server's process. */
const now = () => performance.timeOrigin + performance.now();

/** CPU time (user + system) of another process so far, ms; 0 when /proc cannot tell. */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return 0;
  }
}

type Mode = 'collector' | 'bare' | 'frame';

function startServer(mode: Mode, env: Record<string, string>): Promise<{ child: ChildProcess; port: number; memory: Memory }> {
  const child = fork(fileURLToPath(new URL('./support/live-server.ts', import.meta.url)), [mode], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${mode}`] : [])],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number; memory: Memory }) => resolve({ child, ...m }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
}

function serverMemory(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    child.once('message', (m: { memory: Memory }) => resolve(m.memory));
    child.send({ cmd: 'memory' });
  });
}

function serverWrites(child: ChildProcess): Promise<WriteBurst[]> {
  return new Promise((resolve) => {
    child.once('message', (m: { bursts: WriteBurst[] }) => resolve(m.bursts));
    child.send({ cmd: 'writes' });
  });
}

/** The non-negative integer right after `field` in `data`, or null. */
function readNumberAfter(data: Buffer, field: Buffer): number | null {
  const at = data.indexOf(field);
  if (at < 0) return null;
  let n = 0;
  let i = at + field.length;
  const start = i;
  for (; i < data.length; i += 1) {
    const c = data[i] ?? 0;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
  }
  return i === start ? null : n;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function run(name: string, mode: Mode, env: Record<string, string>, messageBytes: number, clients: number, influxPid?: number): Promise<Result> {
  const { child, port, memory: before } = await startServer(mode, { ...env, MESSAGE_BYTES: String(messageBytes) });
  const url = mode === 'collector' ? `ws://127.0.0.1:${port}/api/v1/live?line=A1` : `ws://127.0.0.1:${port}/`;
  const latencies: number[] = [];
  const sentAt = new Map<number, number>();
  let lastBytes = 0;
  const sockets: { terminate(): void }[] = [];
  // The screens share this process's core with the bench: each reads only the number it needs (no
  // JSON.parse of the whole 4–5 KB message, no copy to a string), so the figures are the server's, not the reader's.
  // The same screens serve both servers, so the ratio stays fair.
  const keyField = Buffer.from(mode === 'collector' ? '"lastUnitAt":' : '"ts":');
  const updateHead = Buffer.from('{"type":"update"');
  const firstAt = new Map<number, number>();
  const lastAt = new Map<number, number>();
  for (let i = 0; i < clients; i += 1) {
    // A later update that still carries the same unit (the half-minute refresh, a KPI refresh) is not a delivery of it.
    let seenKey: number | null = null;
    const onMessage = (data: Buffer) => {
      const at = performance.now();
      if (data.compare(updateHead, 0, updateHead.length, 0, updateHead.length) !== 0) return;
      lastBytes = data.length;
      const key = readNumberAfter(data, keyField);
      const t0 = key === null ? undefined : sentAt.get(key);
      if (t0 === undefined || key === null || key === seenKey) return;
      seenKey = key;
      latencies.push(at - t0);
      if (!firstAt.has(key)) firstAt.set(key, at - t0);
      lastAt.set(key, at - t0);
    };
    sockets.push(await openScreen(url, onMessage));
  }
  await new Promise((r) => setTimeout(r, 500));
  const after = await serverMemory(child);
  await serverWrites(child); // forget the snapshots
  const cpu0 = { screens: process.cpuUsage(), influx: processCpuMs(influxPid) };
  const events: { ts: number; at: number }[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const ts = Date.now() - 1000 + i; // unique per event, a moment in the past
    sentAt.set(ts, performance.now());
    events.push({ ts, at: now() });
    if (mode === 'collector') {
      await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: 'Bearer bench-ingest-token', 'content-type': 'application/json' },
        body: JSON.stringify([{ type: 'unit', ts, line: 'A1', unit: `BENCH${i}` }]),
      });
    } else {
      await fetch(`http://127.0.0.1:${port}/broadcast?ts=${ts}`);
    }
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  const screensCpu = process.cpuUsage(cpu0.screens);
  const influxCpu = processCpuMs(influxPid) - cpu0.influx;
  const end = await serverMemory(child);
  const bursts = await serverWrites(child);
  const lastWrite: number[] = [];
  const firstWrite: number[] = [];
  const lastScreen: number[] = [];
  for (const e of events) {
    // An event's broadcast: the text frames written before the next event (a broadcast the scheduler cut in two is still one).
    const mine = bursts.filter((x) => x.start >= e.at && x.start < e.at + GAP_MS);
    if (mine.reduce((n, x) => n + x.writes, 0) >= clients) {
      firstWrite.push((mine[0]?.start ?? NaN) - e.at);
      lastWrite.push((mine.at(-1)?.end ?? NaN) - e.at);
    }
    const last = lastAt.get(e.ts);
    if (last !== undefined) lastScreen.push(last);
  }
  for (const ws of sockets) ws.terminate();
  child.send({ cmd: 'exit' });
  latencies.sort((a, b) => a - b);
  const firsts = [...firstAt.values()].sort((a, b) => a - b);
  const grown = after.heapUsed + after.external - (before.heapUsed + before.external);
  return {
    name,
    first50: percentile(firsts, 0.5),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    samples: latencies.length,
    bytesPerConnection: grown / clients,
    messageBytes: lastBytes,
    lastWrite: lastWrite.sort((a, b) => a - b),
    firstWrite: firstWrite.sort((a, b) => a - b),
    lastScreen: lastScreen.sort((a, b) => a - b),
    serverCpu: (end.cpuMs - after.cpuMs) / EVENTS,
    screensCpu: (screensCpu.user + screensCpu.system) / 1000 / EVENTS,
    influxCpu: influxCpu / EVENTS,
  };
}

async function main(): Promise<void> {
  const influxd = await startTestInfluxd();
  try {
    for (const clients of CLIENT_COUNTS) {
      console.log(`bench/live: ${clients} clients (${SCREENS} screens), ${EVENTS} events, ${GAP_MS} ms apart, loopback, 2 processes`);
      const collector = await run('collector /api/v1/live', 'collector', { INFLUX_URL: influxd.url }, 0, clients, influxd.process().pid);
      const bare = await run('bare ws broadcast', 'bare', {}, collector.messageBytes || 4000, clients);
      const frame = await run('bare, one frame', 'frame', {}, collector.messageBytes || 4000, clients);
      const ms = (x: number) => `${x.toFixed(1)} ms`;
      for (const r of [bare, frame, collector]) {
        console.log(
          `${r.name.padEnd(26)} first screen p50 ${ms(r.first50).padStart(9)}  p50 ${ms(r.p50).padStart(9)}  p99 ${ms(r.p99).padStart(9)}  max ${ms(r.max).padStart(9)}  ` +
            `${(r.bytesPerConnection / 1024).toFixed(1)} KiB/connection  (${r.samples} deliveries of ${r.messageBytes} B)`,
        );
        console.log(
          `${''.padEnd(26)} per event: server's first write p50 ${ms(percentile(r.firstWrite, 0.5))}, last write p50 ${ms(percentile(r.lastWrite, 0.5))} max ${ms(r.lastWrite.at(-1) ?? NaN)}; ` +
            `last screen p50 ${ms(percentile(r.lastScreen, 0.5))} max ${ms(r.lastScreen.at(-1) ?? NaN)}; ` +
            `CPU server ${ms(r.serverCpu)}, screens ${ms(r.screensCpu)}${r.influxCpu ? `, influxd ${ms(r.influxCpu)}` : ''} (${r.lastWrite.length}/${EVENTS} broadcasts seen)`,
        );
      }
      console.log(
        `summary (${clients} clients): collector vs bare ws — latency p50 ${(collector.p50 / bare.p50).toFixed(1)}×, p99 ${(collector.p99 / bare.p99).toFixed(1)}×, ` +
          `memory per connection ${(collector.bytesPerConnection / bare.bytesPerConnection).toFixed(2)}× ` +
          `(collector latency includes the ingest request, the spool's fsync and the fan-out; events are spaced past the coalescing window); ` +
          `vs one frame written to every socket (the floor) p99 ${(collector.p99 / frame.p99).toFixed(1)}×, server CPU per update ${(collector.serverCpu / frame.serverCpu).toFixed(2)}× ` +
          `(bare ws ${(bare.serverCpu / frame.serverCpu).toFixed(2)}×)`,
      );
    }
  } finally {
    await influxd.dispose();
  }
}

void main();
