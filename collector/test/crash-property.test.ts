/**
 * Crash property: the durable ingest path (ingestor → spool → writer) runs on
 * a file layer that crashes (collector/spool/crash-fs.ts): at 1,000+ seeded
 * random operations it goes down, losing every unsynced byte or tearing the
 * unsynced writes at a random length; some rounds also fill the disk (short
 * writes, ENOSPC) or fail one operation with EIO, some crash during recovery.
 * Senders stream batches with ids, resend what was not acknowledged and, like
 * a station whose acknowledgement was lost, resend some that were.
 *
 * After every recovery, every acknowledged event is in the spool's log exactly
 * once, and no event at all is there twice; at the end of each run the writer
 * has put every acknowledged event into the store. This fails when the
 * spool's datasync is removed (acknowledged events are lost) and when the
 * ingestor's dedupe is removed (resends land twice in the log).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { DEFAULT_COLLECTOR_CONFIG, type CollectorConfig } from '../config';
import { InfluxError } from '../influx/store';
import { createIngestPipeline, type IngestPipeline } from '../ingest/pipeline';
import { Metrics } from '../metrics';
import { decodeBatch } from '../spool/batch';
import { CrashFs, type CrashMode } from '../spool/crash-fs';
import { decodeRecords } from '../spool/record';
import { seededRandom } from './support/seeded-random';

const RUNS = 40;
const CRASHES_PER_RUN = 30;
const dataDir = mkdtempSync(join(tmpdir(), 'taktline-crash-property-'));
const spoolDir = join(dataDir, 'spool');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Batch {
  events: StationEvent[];
  acked: boolean;
  /** Its ids are in the spool's log (or were acknowledged since the last recovery): a resend must be answered as repeats. */
  inWindow: boolean;
}

interface Totals {
  crashPoints: number;
  byMode: Record<CrashMode, number>;
  duringRecovery: number;
  diskFullRounds: number;
  resumedAfterSpaceReturned: number;
  eioRounds: number;
  ackedBatches: number;
  ackedEvents: number;
  foundAfterRecovery: number;
  lostAckResends: number;
  storedAtEnd: number;
}

/** Every event id in the spool's log and how many records hold it, read from the files themselves. */
function eventsInLog(fs: CrashFs): Map<string, number> {
  const counts = new Map<string, number>();
  const files = [...fs.files(spoolDir)].filter(([n]) => n.endsWith('.seg')).sort(([a], [b]) => a.localeCompare(b));
  let expectedStart: number | null = null;
  for (const [name, buf] of files) {
    const start = Number(name.slice(0, 16));
    const decoded = decodeRecords(buf, start);
    // Recovery leaves whole records only, and segments that follow one another.
    expect({ name, stop: decoded.stop }).toEqual({ name, stop: 'clean' });
    if (expectedStart !== null) expect(start).toBeGreaterThanOrEqual(expectedStart);
    expectedStart = start + decoded.consumed;
    for (const record of decoded.records) {
      const batch = decodeBatch(record.payload);
      expect(batch).not.toBeNull();
      for (const event of batch?.events ?? []) {
        if (event.id !== undefined) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
      }
    }
  }
  return counts;
}

async function run(seed: number, totals: Totals): Promise<void> {
  const random = seededRandom(seed);
  const pick = <T,>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const fs = new CrashFs({ random });
  let now = Date.now();
  const clock = () => now;
  const stored = new Set<string>();
  let storeFailures = 0.1;
  const store = {
    async write(events: readonly StationEvent[]) {
      if (random() < storeFailures) throw new InfluxError('influx_unavailable', 'connection refused (simulated)', true);
      for (const e of events) stored.add(e.id ?? '');
    },
  };
  const config: CollectorConfig = {
    ...DEFAULT_COLLECTOR_CONFIG,
    dataDir,
    spoolSegmentBytes: 2048 + Math.floor(random() * 4096),
    influxBatchEvents: 1 + Math.floor(random() * 20),
    influxRetryMinMs: 1,
    influxRetryMaxMs: 4,
  };
  const batches: Batch[] = [];
  let n = 0;
  const open = (): IngestPipeline =>
    createIngestPipeline({ config, store, metrics: new Metrics(clock), clock, onDurable: () => undefined, spoolFs: fs, log: () => undefined });

  function checkLog(): void {
    const log = eventsInLog(fs);
    const twice = [...log].filter(([, c]) => c > 1).map(([id]) => id);
    const missing: string[] = [];
    for (const batch of batches) {
      if (!batch.acked) continue;
      // Still there: in the log, or in the store and its segment freed (a full disk frees confirmed segments early).
      for (const e of batch.events) if (!log.has(e.id ?? '') && !stored.has(e.id ?? '')) missing.push(e.id ?? '');
      batch.inWindow = batch.events.every((e) => log.has(e.id ?? ''));
    }
    expect({ seed, missing: missing.slice(0, 5), missingCount: missing.length, twice: twice.slice(0, 5) }).toEqual({ seed, missing: [], missingCount: 0, twice: [] });
    totals.foundAfterRecovery += batches.reduce((sum, b) => sum + (b.acked ? b.events.length : 0), 0);
  }

  async function send(pipeline: IngestPipeline, batch: Batch): Promise<boolean> {
    now += 1;
    let result;
    try {
      result = await pipeline.ingestor.ingest(batch.events);
    } catch {
      return false; // 503: nothing acknowledged, the sender resends later
    }
    expect(result.rejected).toEqual([]);
    if (batch.acked) {
      // A resend after a lost acknowledgement: every event is a repeat (unless a full disk freed its segment before a restart).
      if (batch.inWindow) expect({ seed, result }).toMatchObject({ seed, result: { accepted: 0, duplicates: batch.events.length } });
      totals.lostAckResends += 1;
    } else {
      batch.acked = true;
      batch.inWindow = true;
      totals.ackedBatches += 1;
      totals.ackedEvents += batch.events.length;
    }
    return true;
  }

  for (let round = 0; round < CRASHES_PER_RUN; round += 1) {
    const duringRecovery = random() < 0.1;
    if (duringRecovery) fs.crashAtOperation(fs.operations + 1 + Math.floor(random() * 25));
    const pipeline = open();
    const opened = await pipeline.ready.then(
      () => true,
      () => false,
    );
    if (opened) {
      if (!duringRecovery || !fs.isCrashed) checkLog();
      const diskFull = random() < 0.15;
      const eio = !diskFull && random() < 0.1;
      if (diskFull) {
        totals.diskFullRounds += 1;
        fs.capacityBytes = fs.usedBytes() + Math.floor(random() * 600);
      }
      if (eio) {
        totals.eioRounds += 1;
        const failAt = fs.operations + 1 + Math.floor(random() * 40);
        const code = random() < 0.5 ? 'EIO' : 'ENOSPC';
        fs.injectFaults(() => (fs.operations === failAt ? code : null));
      }
      if (!fs.isCrashed) fs.crashAtOperation(fs.operations + 1 + Math.floor(random() * 80));
      let spaceReturned = false;
      let ackedAfterSpace = false;
      const senders = Array.from({ length: 1 + Math.floor(random() * 3) }, async () => {
        for (let attempt = 0; attempt < 100 && !fs.isCrashed; attempt += 1) {
          if (diskFull && !spaceReturned && random() < 0.1) {
            fs.capacityBytes = Number.POSITIVE_INFINITY;
            spaceReturned = true;
          }
          const roll = random();
          const unacked = batches.filter((b) => !b.acked);
          const acked = batches.filter((b) => b.acked);
          let batch: Batch | undefined;
          if (roll < 0.2) batch = pick(unacked);
          else if (roll < 0.35) batch = pick(acked.slice(-20));
          if (!batch) {
            const events = Array.from({ length: 1 + Math.floor(random() * 8) }, (): StationEvent => {
              n += 1;
              return { type: 'cycle', ts: now - 60_000 + n, line: 'A1', station: 'S01', cycleTime: 100 + (n % 40), id: `r${seed}-${n}` };
            });
            batch = { events, acked: false, inWindow: false };
            batches.push(batch);
          }
          const ok = await send(pipeline, batch);
          if (ok && spaceReturned) ackedAfterSpace = true;
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
      await Promise.all(senders);
      if (ackedAfterSpace) totals.resumedAfterSpaceReturned += 1;
    }
    if (!fs.isCrashed) fs.crash();
    await pipeline.close().catch(() => undefined);
    const mode: CrashMode = random() < 0.5 ? 'lose' : 'torn';
    fs.restart(mode);
    fs.injectFaults(() => null);
    fs.capacityBytes = Number.POSITIVE_INFINITY;
    totals.crashPoints += 1;
    totals.byMode[mode] += 1;
    if (!opened) totals.duringRecovery += 1;
  }

  // The last recovery: the writer puts every acknowledged event into the store.
  storeFailures = 0;
  const pipeline = open();
  await pipeline.ready;
  checkLog();
  for (let i = 0; i < 2000 && pipeline.status().spool.state === 'ok'; i += 1) {
    const waiting = batches.some((b) => b.acked && b.events.some((e) => !stored.has(e.id ?? '')));
    if (!waiting) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await pipeline.close();
  const notStored = batches.flatMap((b) => (b.acked ? b.events.map((e) => e.id ?? '') : [])).filter((id) => !stored.has(id));
  expect({ seed, notStored: notStored.slice(0, 5) }).toEqual({ seed, notStored: [] });
  totals.storedAtEnd += batches.reduce((sum, b) => sum + (b.acked ? b.events.length : 0), 0);
}

describe('the durable ingest path on a crashing file layer', () => {
  it(`keeps every acknowledged event exactly once across ${RUNS * CRASHES_PER_RUN} random crash points`, async () => {
    const totals: Totals = {
      crashPoints: 0,
      byMode: { lose: 0, torn: 0 },
      duringRecovery: 0,
      diskFullRounds: 0,
      resumedAfterSpaceReturned: 0,
      eioRounds: 0,
      ackedBatches: 0,
      ackedEvents: 0,
      foundAfterRecovery: 0,
      lostAckResends: 0,
      storedAtEnd: 0,
    };
    for (let r = 0; r < RUNS; r += 1) await run(20270301 + r, totals);
    console.log(
      `crash property: ${totals.crashPoints} crash points survived (${totals.byMode.lose} losing unsynced bytes, ${totals.byMode.torn} tearing them, ` +
        `${totals.duringRecovery} during recovery; ${totals.diskFullRounds} rounds with a full disk, ${totals.resumedAfterSpaceReturned} of them resumed without a restart once space returned; ${totals.eioRounds} with an injected EIO/ENOSPC); ` +
        `${totals.ackedEvents} events acknowledged in ${totals.ackedBatches} batches, ${totals.lostAckResends} resends after a lost acknowledgement; ` +
        `acknowledged events found exactly once after every recovery: ${totals.foundAfterRecovery} checks; in the store at the end: ${totals.storedAtEnd} of ${totals.ackedEvents}`,
    );
    expect(totals.crashPoints).toBeGreaterThanOrEqual(1000);
    expect(totals.byMode.lose).toBeGreaterThan(300);
    expect(totals.byMode.torn).toBeGreaterThan(300);
    expect(totals.resumedAfterSpaceReturned).toBeGreaterThan(0);
    expect(totals.lostAckResends).toBeGreaterThan(100);
    expect(totals.storedAtEnd).toBe(totals.ackedEvents);
    // About 5 s on an idle 2-core machine; the margin is for a machine shared with other test runs.
  }, 300_000);
});
