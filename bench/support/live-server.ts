/**
 * The server side of bench/live, in its own process so its memory is its own.
 * Mode `collector`: the real collector (real influxd, given by INFLUX_URL).
 * Mode `bare`: a bare `ws` broadcast of a message of the same size, the baseline (`ws.send` to each client).
 * Mode `frame`: the same, framed once and the frame written to each client's socket (as the collector's
 * hub does): a write per socket and nothing else, the floor of a broadcast from one process.
 * Answers IPC messages: `{ cmd: 'memory' }` → process memory after a GC and CPU time so far;
 * `{ cmd: 'writes' }` → the broadcasts it wrote since the last `writes` (first write, end of the last).
 */
import { createServer } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { buildApp } from '../../collector/app';
import { DEFAULT_COLLECTOR_CONFIG } from '../../collector/config';
import { connectInflux } from '../../collector/influx/store';
import { textFrame } from '../../collector/live/frame';

const mode = process.argv[2];
const send = (m: unknown) => process.send?.(m);

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Absolute time, ms since the epoch with sub-ms precision: comparable with the bench's process. */
const now = () => performance.timeOrigin + performance.now();

/**
 * Where the server's part of a broadcast ends: every socket write of a text frame (its first byte 0x81,
 * whether `ws` writes the header apart or a whole frame) is counted; the synchronous run of JS that made
 * it ends at the next microtask, which is when the last of its writes has been handed to the kernel.
 * Writes less than 50 ms apart form one broadcast.
 */
interface WriteBurst { start: number; end: number; writes: number }
const bursts: WriteBurst[] = [];
let endPending = false;
const originalWrite = Socket.prototype.write;
Socket.prototype.write = function write(this: Socket, ...args: unknown[]) {
  const chunk = args[0];
  if (chunk instanceof Uint8Array && chunk[0] === 0x81) {
    const at = now();
    const last = bursts.at(-1);
    if (last && at - last.end < 50) {
      last.writes += 1;
      last.end = at;
    } else bursts.push({ start: at, end: at, writes: 1 });
    if (!endPending) {
      endPending = true;
      queueMicrotask(() => {
        endPending = false;
        const b = bursts.at(-1);
        if (b) b.end = now();
      });
    }
  }
  return (originalWrite as (...a: unknown[]) => boolean).apply(this, args);
} as typeof Socket.prototype.write;

async function main(): Promise<void> {
  let port: number;
  if (mode === 'collector') {
    const config = {
      ...DEFAULT_COLLECTOR_CONFIG,
      host: '127.0.0.1',
      port: 0,
      influxUrl: process.env.INFLUX_URL ?? '',
      ingestTokens: ['bench-ingest-token'],
      dashboardDir: '',
      heartbeatMs: Number(process.env.HEARTBEAT_MS ?? DEFAULT_COLLECTOR_CONFIG.heartbeatMs),
    };
    const store = await connectInflux({ url: config.influxUrl, token: '', org: 'taktline', bucket: 'taktline' });
    const app = buildApp({ config, store });
    await app.start();
    // What a collector up for a minute has done: its start-up check of the rollups and its warm-up of kept months and trend points,
    // which would otherwise run during the measurement.
    await app.roller.idle();
    await app.warmed();
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', r));
    port = (app.server.address() as AddressInfo).port;
  } else {
    // Baseline: POST /broadcast?ts=… sends a message of `size` bytes holding ts to every client.
    const size = Number(process.env.MESSAGE_BYTES ?? 4000);
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const socketOf = new WeakMap<WebSocket, Duplex>();
    const server = createServer((req, res) => {
      const ts = new URL(req.url ?? '/', 'http://x').searchParams.get('ts');
      const head = `{"type":"update","ts":${ts},"pad":"`;
      // Encoded once, as the collector's hub does: the best a bare broadcast can do.
      const data = Buffer.from(`${head}${'x'.repeat(Math.max(0, size - head.length - 2))}"}`);
      if (mode === 'frame') {
        const frame = textFrame(data);
        for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN) socketOf.get(ws)?.write(frame);
      } else {
        for (const ws of wss.clients) ws.send(data, { binary: false });
      }
      res.end('ok');
    });
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        socketOf.set(ws, socket);
        wss.emit('connection', ws, req);
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  }
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'memory') send({ memory: memory() });
    if (m.cmd === 'writes') send({ bursts: bursts.splice(0) });
    if (m.cmd === 'exit') process.exit(0);
  });
  send({ port, memory: memory() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
