/**
 * A real full disk: the test mounts a 1 MiB tmpfs (the machine's root may;
 * where `mount` is refused the test says so in its output and runs the same
 * steps on the crash layer's ENOSPC instead, never skipping), puts the
 * collector's data directory on it, fills it with a file, and streams.
 *
 * While the disk is full: batches get 503 `spool_full` with `Retry-After`
 * and a reason naming the full disk, health is 503 `degraded` with that
 * reason, and the spool holds no torn record. Once the file is removed, with
 * no restart: health is `ok` again by itself, the refused batches are taken, the
 * InfluxDB writer has caught up, and every acknowledged event is in InfluxDB
 * and in the spool's log exactly once. A wall screen on the live channel is
 * told the collector stopped taking events (and why) while the disk is full,
 * and that it takes them again after.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLogger } from '@influxdata/influxdb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LineLive, LiveServerMessage } from '../../core/live';
import { buildApp, type App } from '../app';
import { DEFAULT_COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import { connectInflux } from '../influx/store';
import { decodeBatch } from '../spool/batch';
import { CrashFs } from '../spool/crash-fs';
import type { SpoolFs } from '../spool/file-ops';
import { decodeRecords } from '../spool/record';
import { startTestInfluxd, type TestInfluxd } from './support/influxd';
import { seededRandom } from './support/seeded-random';

const TOKEN = 'enospc-test-token';
let influxd: TestInfluxd;
let dataDir: string;
let mounted = false;
let mountRefusal = '';
let app: App;
let base: string;
let crashFs: CrashFs | null = null;

/** The disk the spool is on: fill it up, free it, and read the segment files back. */
interface Disk {
  fill(): void;
  free(): void;
  segments(): Map<string, Buffer>;
}
let disk: Disk;

beforeAll(async () => {
  setLogger({ error: () => undefined, warn: () => undefined });
  influxd = await startTestInfluxd();
  dataDir = mkdtempSync(join(tmpdir(), 'taktline-enospc-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dataDir], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    mountRefusal = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
  }
  let spoolFs: SpoolFs | undefined;
  const spoolDir = join(dataDir, 'spool');
  if (mounted) {
    console.log(`real ENOSPC: a 1 MiB tmpfs is mounted at ${dataDir}; the collector's data directory is on it`);
    const filler = join(dataDir, 'filler');
    disk = {
      fill() {
        // Write until the kernel says ENOSPC: the disk is then really full. Appends: filling again takes only what was freed since.
        const fd = openSync(filler, 'a');
        const chunk = Buffer.alloc(4096, 0x61);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        } finally {
          closeSync(fd);
        }
      },
      free: () => rmSync(filler, { force: true }),
      segments: () => new Map(readdirSync(spoolDir).filter((n) => n.endsWith('.seg')).map((n) => [n, readFileSync(join(spoolDir, n))])),
    };
  } else {
    console.log(
      `real ENOSPC: NOT TESTED on a real file system here: 'mount -t tmpfs' was refused (${mountRefusal}). ` +
        'The same steps run on the crash layer (collector/spool/crash-fs.ts), whose full disk answers short writes and ENOSPC as Linux does.',
    );
    const fs = new CrashFs({ random: seededRandom(5) });
    crashFs = fs;
    spoolFs = fs;
    disk = {
      fill: () => void (fs.capacityBytes = fs.usedBytes()),
      free: () => void (fs.capacityBytes = Number.POSITIVE_INFINITY),
      segments: () => new Map([...fs.files(spoolDir)].filter(([n]) => n.endsWith('.seg'))),
    };
  }
  const config: CollectorConfig = {
    ...DEFAULT_COLLECTOR_CONFIG,
    host: '127.0.0.1',
    port: 0,
    dataDir,
    dashboardDir: '',
    influxUrl: influxd.url,
    ingestTokens: [TOKEN],
    influxRetryMinMs: 20,
    influxRetryMaxMs: 200,
    kpiRefreshMs: 3_600_000,
    heartbeatMs: 500,
  };
  const store = await connectInflux({ url: config.influxUrl, token: config.influxToken, org: config.influxOrg, bucket: config.influxBucket });
  app = buildApp({ config, store, ...(spoolFs ? { spoolFs } : {}) });
  await app.start();
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await influxd?.dispose();
  if (mounted) execFileSync('umount', [dataDir]);
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { accepted?: number; error?: { code: string; message: string } };
}

async function post(events: unknown[]): Promise<Answer> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] };
}

async function health(): Promise<{ status: number; body: { status: string; spool: { state: string; reason: string | null; writerProblem: string | null; unwrittenEvents: number } } }> {
  const res = await fetch(`${base}/api/v1/health`);
  return { status: res.status, body: (await res.json()) as never };
}

describe('a full disk under the spool', () => {
  it('is back-pressure with a reason, leaves no torn record, and the collector resumes by itself once space returns', async () => {
    // A wall screen of the line, listening throughout.
    const screen = new WebSocket(`${base.replace('http', 'ws')}/api/v1/live?line=A1`);
    const views: LineLive[] = [];
    screen.on('message', (data) => {
      const m = JSON.parse(data.toString()) as LiveServerMessage;
      if (m.type === 'snapshot' || m.type === 'update') views.push(m.line);
    });
    expect(await until(() => views.length > 0, 5_000)).toBe(true);
    expect(views.at(-1)?.intake).toBeNull();
    const acked = new Set<string>();
    const start = Date.now() - 60_000;
    let n = 0;
    // About 2 KiB per batch: a few fill the last free pages.
    const batch = () =>
      Array.from({ length: 12 }, () => {
        n += 1;
        return { type: 'cycle', ts: start + n, line: 'A1', station: 'S05', cycleTime: 100 + (n % 30), unit: `VIN${String(n).padStart(12, '0')}`, id: `e-${n}` };
      });

    for (let i = 0; i < 5; i += 1) {
      const events = batch();
      expect((await post(events)).status).toBe(200);
      for (const e of events) acked.add(e.id);
    }

    disk.fill();
    const refused: unknown[][] = [];
    let full: Answer | null = null;
    for (let i = 0; i < 200 && !full; i += 1) {
      const events = batch();
      const answer = await post(events);
      if (answer.status === 200) for (const e of events) acked.add(e.id);
      else {
        refused.push(events);
        full = answer;
      }
    }
    expect(full).toMatchObject({ status: 503, retryAfter: '5', body: { error: { code: 'spool_full' } } });
    expect(full?.body.error?.message).toMatch(/disk under the spool is full.*(ENOSPC|short write)/);
    const degraded = await health();
    expect(degraded).toMatchObject({ status: 503, body: { status: 'degraded', spool: { state: 'full' } } });
    expect(degraded.body.spool.reason).toMatch(/disk under the spool is full/);
    // The screen is told on a heartbeat (no event came through to announce it), with the reason.
    expect(await until(() => views.at(-1)?.intake?.code === 'disk_full', 5_000)).toBe(true);
    // Still full: a resend is refused the same way, never half-stored. Filled again first: the writer's failed
    // checkpoint can hand a page back when it removes its temporary file, which a 2 KiB batch may then fit in.
    disk.fill();
    expect((await post(refused[0]!)).status).toBe(503);

    // Every segment holds whole records only: nothing torn was left behind by the short writes.
    for (const [name, bytes] of disk.segments()) expect({ name, stop: decodeRecords(bytes).stop }).toEqual({ name, stop: 'clean' });

    disk.free();
    // No restart and no batch needed: the spool's probe finds the space, and health says so by itself.
    const healthDeadline = Date.now() + 20_000;
    let recovered = await health();
    while (recovered.status !== 200 && Date.now() < healthDeadline) {
      await sleep(100);
      recovered = await health();
    }
    expect(recovered).toMatchObject({ status: 200, body: { status: 'ok', spool: { state: 'ok', reason: null } } });
    expect(await until(() => views.at(-1)?.intake === null, 5_000)).toBe(true);
    screen.close();
    // The station's resend after Retry-After is taken.
    for (const events of refused) {
      const answer = await post(events);
      expect(answer.status).toBe(200);
      for (const e of events as { id: string }[]) acked.add(e.id);
    }
    for (let i = 0; i < 3; i += 1) {
      const events = batch();
      expect((await post(events)).status).toBe(200);
      for (const e of events) acked.add(e.id);
    }
    const deadline = Date.now() + 20_000;
    let now = await health();
    while ((now.body.spool.unwrittenEvents > 0 || now.status !== 200) && Date.now() < deadline) {
      await sleep(50);
      now = await health();
    }
    expect(now).toMatchObject({ status: 200, body: { status: 'ok', spool: { state: 'ok', reason: null, writerProblem: null, unwrittenEvents: 0 } } });

    const rows = await influxd.query(`SELECT "id" FROM cycle WHERE "station" = 'S05'`);
    const inInflux = new Set(rows.map((r) => String(r.id)));
    const log = new Map<string, number>();
    for (const bytes of disk.segments().values()) {
      for (const record of decodeRecords(bytes).records) {
        for (const e of decodeBatch(record.payload)?.events ?? []) log.set(e.id ?? '', (log.get(e.id ?? '') ?? 0) + 1);
      }
    }
    const missing = [...acked].filter((id) => !inInflux.has(id));
    const notInLog = [...acked].filter((id) => log.get(id) !== 1);
    console.log(
      `real ENOSPC (${mounted ? 'tmpfs' : 'crash layer'}): ${acked.size} events acknowledged, ${refused.length} batch(es) refused with 503 while full and taken after space returned; ` +
        `found in InfluxDB ${acked.size - missing.length}, exactly once in the spool's log ${acked.size - notInLog.length}`,
    );
    expect({ missing, notInLog }).toEqual({ missing: [], notInLog: [] });
    if (!mounted) expect(crashFs?.capacityBytes).toBe(Number.POSITIVE_INFINITY);
  }, 60_000);
});
