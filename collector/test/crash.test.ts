/**
 * Crash: the collector runs as a real process (`node --import tsx
 * collector/main.ts`) and is killed with SIGKILL at seeded random moments
 * while senders stream batches and resend whatever was not answered 200.
 * After the last restart and drain, every acknowledged event is in InfluxDB,
 * exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../influx/local-influxd';
import { startTestInfluxd, type TestInfluxd } from './support/influxd';
import { seededRandom } from './support/seeded-random';

const TOKEN = 'crash-test-token';
let influxd: TestInfluxd;
let dataDir: string;
let port: number;
let child: ChildProcess | null = null;

beforeAll(async () => {
  influxd = await startTestInfluxd();
  dataDir = mkdtempSync(join(tmpdir(), 'taktline-crash-'));
  port = await freePort();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await influxd.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const base = () => `http://127.0.0.1:${port}`;

async function startCollector(): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'collector/main.ts'], {
    env: {
      ...process.env,
      INFLUX_URL: influxd.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      TAKTLINE_DATA_DIR: dataDir,
      TAKTLINE_INGEST_TOKENS: TOKEN,
      TAKTLINE_INFLUX_RETRY_MIN_MS: '100',
      TAKTLINE_INFLUX_RETRY_MAX_MS: '500',
      TAKTLINE_KPI_REFRESH_MS: '60000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child = proc;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${base()}/api/v1/health`).then((r) => r.ok, () => false);
    if (up) return;
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`the collector did not start: ${stderr}`);
    await sleep(100);
  }
}

async function kill(): Promise<void> {
  const proc = child;
  if (!proc) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
  child = null;
}

describe('kill -9 of the collector', () => {
  it('loses no acknowledged event', async () => {
    const random = seededRandom(20270301);
    const acked = new Set<string>();
    const start = Date.now() - 120_000;
    let n = 0;
    let streaming = true;
    let refused = 0;

    async function sender(name: string): Promise<void> {
      while (streaming) {
        const events = Array.from({ length: 20 }, () => {
          n += 1;
          return { type: 'cycle', ts: start + n, line: 'A1', station: 'S07', cycleTime: 110, id: `${name}-${n}` };
        });
        // Resend the same batch until it is acknowledged: what a station with a retry loop does.
        for (;;) {
          const status = await fetch(`${base()}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(events),
          }).then((r) => r.status, () => 0);
          if (status === 200) {
            for (const e of events) acked.add(e.id);
            break;
          }
          refused += 1;
          if (!streaming) return;
          await sleep(50);
        }
      }
    }

    await startCollector();
    const senders = ['a', 'b', 'c', 'd'].map((name) => sender(name));
    for (let round = 0; round < 3; round += 1) {
      await sleep(300 + Math.floor(random() * 1200));
      await kill();
      await startCollector();
    }
    await sleep(500);
    streaming = false;
    await Promise.all(senders);

    expect(refused).toBeGreaterThan(0); // the kills did land while batches were in flight
    expect(acked.size).toBeGreaterThan(500);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const health = (await (await fetch(`${base()}/api/v1/health`)).json()) as { spool: { unwrittenEvents: number } };
      if (health.spool.unwrittenEvents === 0 || Date.now() > deadline) break;
      await sleep(100);
    }
    await kill();

    const rows = await influxd.query(`SELECT "id" FROM cycle WHERE "station" = 'S07'`);
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(String(row.id), (counts.get(String(row.id)) ?? 0) + 1);
    const missing = [...acked].filter((id) => !counts.has(id));
    const twice = [...counts].filter(([, c]) => c > 1);
    expect({ missing: missing.slice(0, 10), missingCount: missing.length, twice }).toEqual({ missing: [], missingCount: 0, twice: [] });
  }, 90_000);
});
