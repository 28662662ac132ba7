/**
 * bench/live: 1,000 and 5,000 WebSocket clients on loopback. Event-to-screen latency
 * (p50, p99) and server memory per connection, for the collector's live
 * channel (a unit POSTed to the ingest API, stored in a real influxd, the
 * update fanned out) against a bare `ws` broadcast of a message of the same
 * size, measured in the same run. Options: --clients N[,N…] (1000,5000), --events N (30).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startTestInfluxd } from '../collector/test/support/influxd';
import { intListOption, intOption } from './support/args';

const CLIENT_COUNTS = intListOption('clients', [1000, 5000]);
const EVENTS = intOption('events', 30);
/** Pause between events, ms: longer than the hub's 250 ms coalescing window, so each event is a leading-edge update. */
const GAP_MS = 400;

interface Memory { rss: number; heapUsed: number; external: number }
interface Result { name: string; p50: number; p99: number; max: number; samples: number; bytesPerConnection: number; messageBytes: number }

function startServer(mode: 'collector' | 'bare', env: Record<string, string>): Promise<{ child: ChildProcess; port: number; memory: Memory }> {
  const child = fork(fileURLToPath(new URL('./support/live-server.ts', import.meta.url)), [mode], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
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

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function run(name: string, mode: 'collector' | 'bare', env: Record<string, string>, messageBytes: number, clients: number): Promise<Result> {
  const { child, port, memory: before } = await startServer(mode, { ...env, MESSAGE_BYTES: String(messageBytes) });
  const url = mode === 'collector' ? `ws://127.0.0.1:${port}/api/v1/live?line=A1` : `ws://127.0.0.1:${port}/`;
  const latencies: number[] = [];
  const sentAt = new Map<number, number>();
  let lastBytes = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < clients; i += 1) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      const m = JSON.parse(text) as { type: string; ts?: number; line?: { lastUnitAt: number | null } };
      if (m.type !== 'update') return;
      lastBytes = data.length;
      const key = m.ts ?? m.line?.lastUnitAt ?? null;
      const t0 = key === null ? undefined : sentAt.get(key);
      if (t0 !== undefined) latencies.push(performance.now() - t0);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    sockets.push(ws);
  }
  await new Promise((r) => setTimeout(r, 500));
  const after = await serverMemory(child);
  for (let i = 0; i < EVENTS; i += 1) {
    const ts = Date.now() - 1000 + i; // unique per event, a moment in the past
    sentAt.set(ts, performance.now());
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
  for (const ws of sockets) ws.terminate();
  child.send({ cmd: 'exit' });
  latencies.sort((a, b) => a - b);
  const grown = after.heapUsed + after.external - (before.heapUsed + before.external);
  return {
    name,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    samples: latencies.length,
    bytesPerConnection: grown / clients,
    messageBytes: lastBytes,
  };
}

async function main(): Promise<void> {
  const influxd = await startTestInfluxd();
  try {
    for (const clients of CLIENT_COUNTS) {
      console.log(`bench/live: ${clients} clients, ${EVENTS} events, ${GAP_MS} ms apart, loopback, 2 processes`);
      const collector = await run('collector /api/v1/live', 'collector', { INFLUX_URL: influxd.url }, 0, clients);
      const bare = await run('bare ws broadcast', 'bare', {}, collector.messageBytes || 4000, clients);
      const ms = (x: number) => `${x.toFixed(1)} ms`;
      for (const r of [bare, collector]) {
        console.log(
          `${r.name.padEnd(26)} p50 ${ms(r.p50).padStart(9)}  p99 ${ms(r.p99).padStart(9)}  max ${ms(r.max).padStart(9)}  ` +
            `${(r.bytesPerConnection / 1024).toFixed(1)} KiB/connection  (${r.samples} deliveries of ${r.messageBytes} B)`,
        );
      }
      console.log(
        `summary (${clients} clients): collector vs bare ws — latency p50 ${(collector.p50 / bare.p50).toFixed(1)}×, p99 ${(collector.p99 / bare.p99).toFixed(1)}×, ` +
          `memory per connection ${(collector.bytesPerConnection / bare.bytesPerConnection).toFixed(2)}× ` +
          `(collector latency includes the ingest request, the spool's fsync and the fan-out; events are spaced past the coalescing window)`,
      );
    }
  } finally {
    await influxd.dispose();
  }
}

void main();
