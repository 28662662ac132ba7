/**
 * Andon latency: from a station's `andon` event (a pull cord, POSTed to the
 * collector) to the webhook receiver holding the notification, over many
 * calls, against a bare HTTP POST of a body of the same size to the same
 * receiver in the same run (the floor: what one HTTP hop costs here).
 *
 * The collector's path: validate, fsync the cord into the spool, acknowledge;
 * raise the call (fsync its step into the spool); plan the delivery (fsync it
 * into the outbox); sign and POST it. Goal: p99 under 1 s, and under 100 ms
 * of overhead over the bare POST at p50.
 *
 * Usage: npm run bench -- andon [--calls 300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLogger } from '@influxdata/influxdb-client';
import { buildApp } from '../collector/app';
import { DEFAULT_COLLECTOR_CONFIG, type CollectorConfig } from '../collector/config';
import { startLocalInfluxd } from '../collector/influx/local-influxd';
import { connectInflux } from '../collector/influx/store';
import { referencePlant } from '../core/plant';
import { intOption } from './support/args';

const CALLS = intOption('calls', 300);
const TOKEN = 'bench-ingest-token';
setLogger({ error: () => undefined, warn: () => undefined });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  // The receiver: resolves the waiting call on each POST.
  let arrived: ((at: number, body: string) => void) | null = null;
  let lastBody = '';
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.end('{"ok":true}');
      lastBody = Buffer.concat(chunks).toString('utf8');
      arrived?.(at, lastBody);
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const next = () => new Promise<{ at: number; body: string }>((resolve) => (arrived = (at, body) => resolve({ at, body })));

  const dir = mkdtempSync(join(tmpdir(), 'taktline-bench-andon-'));
  const influxd = await startLocalInfluxd({ dataDir: join(dir, 'influxdb') });
  const plant = referencePlant();
  plant.andon = {
    kinds: [{ id: 'help', label: { zh: '求助', en: 'Help' }, priority: 'normal' }],
    escalation: [{ role: 'team_leader', afterSeconds: 0, channels: ['hook'] }],
    resolutionReasons: [{ id: 'other', label: { zh: '其他', en: 'Other' } }],
    channels: [{ id: 'hook', kind: 'webhook', url: receiverUrl, secret: 'bench-webhook-secret-0123' }],
    rules: [],
  };
  const config: CollectorConfig = { ...DEFAULT_COLLECTOR_CONFIG, host: '127.0.0.1', port: 0, influxUrl: influxd.url, ingestTokens: [TOKEN], dataDir: join(dir, 'collector'), dashboardDir: '', plant };
  const store = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'taktline' });
  const app = buildApp({ config, store });
  await app.start();
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const post = (events: unknown[]) =>
    fetch(`${base}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(events) }).then((r) => r.text());

  const stations = plant.lines[0]?.stations.map((s) => s.id) ?? [];
  const andon: number[] = [];
  let bodyBytes = 0;
  const warmup = 20;
  for (let i = 0; i < CALLS + warmup; i += 1) {
    const station = stations[i % stations.length] ?? 'S01';
    const waiting = next();
    const t0 = performance.now();
    await post([{ type: 'andon', ts: Date.now(), line: 'A1', station, kind: 'help', id: `bench-${i}` }]);
    const { at, body } = await waiting;
    if (i >= warmup) andon.push(at - t0);
    bodyBytes = Buffer.byteLength(body);
    // Cancel it, so the next pull of this cord raises a new call (not notified: cancels are not told).
    await post([{ type: 'andon', ts: Date.now(), line: 'A1', station, kind: 'help', action: 'cancel', id: `bench-${i}-x` }]);
  }

  const bare: number[] = [];
  const same = lastBody.length > 0 ? lastBody : 'x'.repeat(bodyBytes);
  for (let i = 0; i < CALLS + warmup; i += 1) {
    const waiting = next();
    const t0 = performance.now();
    await fetch(receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: same }).then((r) => r.text());
    const { at } = await waiting;
    if (i >= warmup) bare.push(at - t0);
  }

  await app.close();
  await influxd.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
  rmSync(dir, { recursive: true, force: true });

  andon.sort((a, b) => a - b);
  bare.sort((a, b) => a - b);
  const [a50, a99, b50, b99] = [percentile(andon, 50), percentile(andon, 99), percentile(bare, 50), percentile(bare, 99)];
  console.log(`andon: ${CALLS} calls, one at a time, webhook body ${bodyBytes} bytes (same body for the bare POST)`);
  console.log(`  bare POST to the receiver        p50 ${fmt(b50)}   p99 ${fmt(b99)}`);
  console.log(`  station andon event → webhook    p50 ${fmt(a50)}   p99 ${fmt(a99)}`);
  console.log(`summary: p50 overhead ${fmt(a50 - b50)} (goal < 100 ms), p99 ${fmt(a99)} (goal < 1000 ms) — ${a50 - b50 < 100 && a99 < 1000 ? 'goal met' : 'goal NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
