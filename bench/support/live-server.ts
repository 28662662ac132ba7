/**
 * The server side of bench/live, in its own process so its memory is its own.
 * Mode `collector`: the real collector (real influxd, given by INFLUX_URL).
 * Mode `bare`: a bare `ws` broadcast of a message of the same size, the baseline.
 * Answers IPC messages: `{ cmd: 'memory' }` → process memory after a GC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { buildApp } from '../../collector/app';
import { DEFAULT_COLLECTOR_CONFIG } from '../../collector/config';
import { connectInflux } from '../../collector/influx/store';

const mode = process.argv[2];
const send = (m: unknown) => process.send?.(m);

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

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
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', r));
    port = (app.server.address() as AddressInfo).port;
  } else {
    // Baseline: POST /broadcast?ts=… sends a message of `size` bytes holding ts to every client.
    const size = Number(process.env.MESSAGE_BYTES ?? 4000);
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const server = createServer((req, res) => {
      const ts = new URL(req.url ?? '/', 'http://x').searchParams.get('ts');
      const head = `{"type":"update","ts":${ts},"pad":"`;
      // Encoded once, as the collector's hub does: the best a bare broadcast can do.
      const data = Buffer.from(`${head}${'x'.repeat(Math.max(0, size - head.length - 2))}"}`);
      for (const ws of wss.clients) ws.send(data, { binary: false });
      res.end('ok');
    });
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  }
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'memory') send({ memory: memory() });
    if (m.cmd === 'exit') process.exit(0);
  });
  send({ port, memory: memory() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
