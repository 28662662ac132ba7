/**
 * Crash: the collector runs as a real process and is killed with SIGKILL at
 * seeded random moments while senders stream batches, resend whatever was not
 * answered 200 and, like a station whose acknowledgement was lost, resend some
 * that were (at once, and after each restart).
 *
 * A plain `kill -9` keeps the kernel's page cache, so it cannot tell a spool
 * that fsyncs from one that does not. The process therefore runs its spool on
 * LazyFs (collector/test/crash-collector.ts, collector/spool/lazy-fs.ts):
 * unsynced bytes stay in its memory and die with it, as in a power cut.
 *
 * After the last restart and drain, every acknowledged event is in the
 * spool's log on disk in exactly one record (which fails without the spool's
 * datasync, and without the dedupe of resends), and in InfluxDB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../influx/local-influxd';
import { decodeBatch } from '../spool/batch';
import { decodeRecords } from '../spool/record';
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
  const proc = spawn(process.execPath, ['--import', 'tsx', 'collector/test/crash-collector.ts'], {
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

/** Event ids in the spool's segment files on disk, with the number of records holding each. */
function idsInSpoolLog(): Map<string, number> {
  const dir = join(dataDir, 'spool');
  const counts = new Map<string, number>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.seg')).sort()) {
    for (const record of decodeRecords(readFileSync(join(dir, name))).records) {
      for (const event of decodeBatch(record.payload)?.events ?? []) {
        if (event.id !== undefined) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
      }
    }
  }
  return counts;
}

describe('kill -9 of the collector, its unsynced bytes lost', () => {
  it('loses no acknowledged event and keeps each once', async () => {
    const random = seededRandom(20270301);
    const acked = new Set<string>();
    const ackedBatches: unknown[][] = [];
    const start = Date.now() - 120_000;
    let n = 0;
    let streaming = true;
    let refused = 0;
    let repeatsAnswered = 0;
    let repeatsStoredAgain = 0;

    type Answer = { status: number; body: { accepted?: number; duplicates?: number } };
    const post = (events: unknown[]): Promise<Answer> =>
      fetch(`${base()}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(events),
      }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { accepted?: number; duplicates?: number } }),
        () => ({ status: 0, body: {} }),
      );

    /** A station that lost the acknowledgement of a batch sends it again: every event must come back as a repeat. */
    async function resendAcked(events: unknown[]): Promise<void> {
      const { status, body } = await post(events);
      if (status !== 200) return; // the collector is down: the station tries later, as ever
      if (body.accepted === 0 && body.duplicates === events.length) repeatsAnswered += 1;
      else repeatsStoredAgain += 1;
    }

    async function sender(name: string): Promise<void> {
      while (streaming) {
        const events = Array.from({ length: 20 }, () => {
          n += 1;
          return { type: 'cycle', ts: start + n, line: 'A1', station: 'S07', cycleTime: 110, id: `${name}-${n}` };
        });
        // Resend the same batch until it is acknowledged: what a station with a retry loop does.
        for (;;) {
          const { status } = await post(events);
          if (status === 200) {
            for (const e of events) acked.add(e.id);
            ackedBatches.push(events);
            if (random() < 0.2) await resendAcked(events);
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
    for (let round = 0; round < 4; round += 1) {
      await sleep(300 + Math.floor(random() * 1200));
      await kill();
      await startCollector();
      // After the restart the repeat-id window is rebuilt from the spool: earlier batches are still repeats.
      for (let i = 0; i < 3 && ackedBatches.length > 0; i += 1) await resendAcked(ackedBatches[Math.floor(random() * ackedBatches.length)]!);
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

    // The durable log: every acknowledged event in exactly one record, and no event in two.
    const log = idsInSpoolLog();
    const notInLog = [...acked].filter((id) => !log.has(id));
    const twiceInLog = [...log].filter(([, c]) => c > 1).map(([id]) => id);
    const rows = await influxd.query(`SELECT "id" FROM cycle WHERE "station" = 'S07'`);
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(String(row.id), (counts.get(String(row.id)) ?? 0) + 1);
    const missing = [...acked].filter((id) => !counts.has(id));
    console.log(
      `crash (kill -9, unsynced bytes lost): 4 kills survived; ${acked.size} events acknowledged, ${repeatsAnswered} resends of acknowledged batches answered as repeats (${repeatsStoredAgain} stored again); ` +
        `found in the spool's log ${acked.size - notInLog.length} (${twiceInLog.length} twice), in InfluxDB ${acked.size - missing.length}`,
    );
    expect({ notInLog: notInLog.slice(0, 10), notInLogCount: notInLog.length, twiceInLog: twiceInLog.slice(0, 10) }).toEqual({ notInLog: [], notInLogCount: 0, twiceInLog: [] });
    const twice = [...counts].filter(([, c]) => c > 1);
    expect({ missing: missing.slice(0, 10), missingCount: missing.length, twice }).toEqual({ missing: [], missingCount: 0, twice: [] });
    expect({ repeatsStoredAgain }).toEqual({ repeatsStoredAgain: 0 });
    expect(repeatsAnswered).toBeGreaterThan(10);
  }, 90_000);
});
