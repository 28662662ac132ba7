import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { Metrics } from '../metrics';
import { seededRandom } from '../test/support/seeded-random';
import { encodeBatch } from '../spool/batch';
import { CrashFs } from '../spool/crash-fs';
import { Spool } from '../spool/spool';
import { SpoolDrain } from './drain';
import { InfluxError } from './store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taktline-drain-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const unit = (n: number): StationEvent => ({ type: 'unit', ts: 1_800_000_000_000 + n, line: 'A1', unit: `VIN${n}`, id: `u-${n}` });

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

describe('SpoolDrain', () => {
  it('writes in order, in batches of whole records, and checkpoints only what InfluxDB confirmed', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    for (let i = 0; i < 5; i += 1) await spool.append(encodeBatch({ at: 1, events: [unit(2 * i), unit(2 * i + 1)] }));
    const writes: string[][] = [];
    let failuresLeft = 2;
    const store = {
      async write(events: readonly StationEvent[]) {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new InfluxError('influx_unavailable', 'connection refused', true);
        }
        writes.push(events.map((e) => e.id ?? ''));
      },
    };
    const metrics = new Metrics();
    // One write in flight: the order of the writes themselves is the spool's.
    const drain = new SpoolDrain({ spool, store, metrics, deadLetterPath: join(dir, 'dead.ndjson'), batchEvents: 4, writesInFlight: 1, retryMinMs: 1, log: () => undefined }, 10);
    drain.start();
    await until(() => spool.checkpoint === spool.end);
    await drain.stop();
    expect(writes).toEqual([
      ['u-0', 'u-1', 'u-2', 'u-3'],
      ['u-4', 'u-5', 'u-6', 'u-7'],
      ['u-8', 'u-9'],
    ]);
    expect(metrics.summary()).toMatchObject({ written: 10, influxErrors: 2 });
    expect(drain.pendingEvents()).toBe(0);
    await spool.close();
  });

  it('takes a batch appended by this process as it was handed over, and decodes records it was not told of', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    const writes: string[][] = [];
    const store = {
      async write(events: readonly StationEvent[]) {
        writes.push(events.map((e) => e.id ?? ''));
      },
    };
    const drain = new SpoolDrain({ spool, store, metrics: new Metrics(), deadLetterPath: join(dir, 'dead.ndjson'), batchEvents: 2, writesInFlight: 1, log: () => undefined });
    // The hint differs from the payload on purpose: what the writer sends shows which one it read.
    const told = await spool.append(encodeBatch({ at: 1, events: [unit(0), unit(1)] }));
    drain.appended(2, { offset: told.offset, batch: { at: 1, events: [unit(100), unit(101)] } });
    await spool.append(encodeBatch({ at: 2, events: [unit(2), unit(3)] }));
    drain.appended(2);
    drain.start();
    await until(() => spool.checkpoint === spool.end);
    await drain.stop();
    expect(writes).toEqual([
      ['u-100', 'u-101'],
      ['u-2', 'u-3'],
    ]);
    await spool.close();
  });

  it('keeps several writes in flight, reads ahead, and advances the checkpoint strictly in order', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    const ends: number[] = [];
    for (let i = 0; i < 6; i += 1) ends.push((await spool.append(encodeBatch({ at: 1, events: [unit(2 * i), unit(2 * i + 1)] }))).end);
    const pending: { ids: string[]; confirm: () => void }[] = [];
    const store = {
      write: (events: readonly StationEvent[]) =>
        new Promise<void>((resolve) => pending.push({ ids: events.map((e) => e.id ?? ''), confirm: resolve })),
    };
    const drain = new SpoolDrain({ spool, store, metrics: new Metrics(), deadLetterPath: join(dir, 'dead.ndjson'), batchEvents: 2, writesInFlight: 3, log: () => undefined }, 12);
    drain.start();
    await until(() => pending.length === 3);
    await new Promise((r) => setTimeout(r, 20));
    expect(pending.map((p) => p.ids)).toEqual([
      ['u-0', 'u-1'],
      ['u-2', 'u-3'],
      ['u-4', 'u-5'],
    ]); // three in flight, no more
    pending[1]!.confirm();
    pending[2]!.confirm();
    await new Promise((r) => setTimeout(r, 20));
    // Confirmed out of order: the checkpoint waits for the first batch, and no slot is freed yet.
    expect(spool.checkpoint).toBe(0);
    expect(pending).toHaveLength(3);
    pending[0]!.confirm();
    await until(() => spool.checkpoint === ends[2]);
    await until(() => pending.length === 6);
    for (const p of pending.slice(3)) p.confirm();
    await until(() => spool.checkpoint === ends[5]);
    expect(drain.pendingEvents()).toBe(0);
    await drain.stop();
    await spool.close();
  });

  it('sends a short batch at once when no write is in flight, and while one is, gathers what follows into full-size writes', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    const pending: { ids: string[]; confirm: () => void }[] = [];
    const store = {
      write: (events: readonly StationEvent[]) => new Promise<void>((resolve) => pending.push({ ids: events.map((e) => e.id ?? ''), confirm: resolve })),
    };
    const drain = new SpoolDrain({ spool, store, metrics: new Metrics(), deadLetterPath: join(dir, 'dead.ndjson'), batchEvents: 4, writesInFlight: 4, log: () => undefined });
    drain.start();
    const append = async (i: number) => {
      await spool.append(encodeBatch({ at: 1, events: [unit(2 * i), unit(2 * i + 1)] }));
      drain.appended(2);
      // Time for the writer to read each record on its own, as a steady stream of requests arrives.
      await new Promise((r) => setTimeout(r, 20));
    };
    await append(0);
    // Nothing in flight: the lone short batch is not kept waiting.
    await until(() => pending.length === 1);
    for (let i = 1; i <= 3; i += 1) await append(i);
    // While the first write is in flight the next records are gathered: one full write, the short rest waits.
    expect(pending.map((p) => p.ids)).toEqual([
      ['u-0', 'u-1'],
      ['u-2', 'u-3', 'u-4', 'u-5'],
    ]);
    pending[0]!.confirm();
    pending[1]!.confirm();
    // Once InfluxDB confirmed what was in flight, the rest goes without waiting for more.
    await until(() => pending.length === 3);
    expect(pending[2]!.ids).toEqual(['u-6', 'u-7']);
    pending[2]!.confirm();
    await until(() => spool.checkpoint === spool.end);
    expect(drain.pendingEvents()).toBe(0);
    await drain.stop();
    await spool.close();
  });

  it('finds the events InfluxDB refuses for good by halving, dead-letters them and writes the rest', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    await spool.append(encodeBatch({ at: 1, events: Array.from({ length: 8 }, (_, i) => unit(i)) }));
    const written: string[] = [];
    const store = {
      async write(events: readonly StationEvent[]) {
        if (events.some((e) => e.id === 'u-5')) throw new InfluxError('influx_rejected', 'InfluxDB answered 400: field type conflict', false);
        written.push(...events.map((e) => e.id ?? ''));
      },
    };
    const metrics = new Metrics();
    const deadLetterPath = join(dir, 'dead.ndjson');
    const drain = new SpoolDrain({ spool, store, metrics, deadLetterPath, log: () => undefined, clock: () => 42 });
    drain.start();
    await until(() => spool.checkpoint === spool.end);
    await drain.stop();
    expect(written.sort()).toEqual(['u-0', 'u-1', 'u-2', 'u-3', 'u-4', 'u-6', 'u-7']);
    const dead = readFileSync(deadLetterPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(dead).toEqual([{ at: 42, reason: 'InfluxDB answered 400: field type conflict', event: unit(5) }]);
    expect(metrics.summary().deadLettered).toBe(1);
    await spool.close();
  });

  it('resumes from the checkpoint after a restart', async () => {
    const spool = await Spool.open({ dir, maxBytes: 1 << 20 });
    const first = await spool.append(encodeBatch({ at: 1, events: [unit(1)] }));
    await spool.append(encodeBatch({ at: 2, events: [unit(2)] }));
    await spool.commit(first.end);
    await spool.close();
    const reopened = await Spool.open({ dir, maxBytes: 1 << 20 });
    const written: string[] = [];
    const drain = new SpoolDrain({
      spool: reopened,
      store: { write: async (events) => void written.push(...events.map((e) => e.id ?? '')) },
      metrics: new Metrics(),
      deadLetterPath: join(dir, 'dead.ndjson'),
    });
    drain.start();
    await until(() => reopened.checkpoint === reopened.end);
    await drain.stop();
    expect(written).toEqual(['u-2']);
    await reopened.close();
  });

  it('pauses, never stops, while its disk is full, and goes on by itself once space returns', async () => {
    const fs = new CrashFs({ random: seededRandom(7) });
    const spool = await Spool.open({ dir: '/spool', maxBytes: 1 << 20, fs, warn: () => undefined });
    await spool.append(encodeBatch({ at: 1, events: [unit(1), unit(2)] }));
    let diskFull = true;
    // The checkpoint's temp file cannot be created: what a disk at 100 % answers.
    fs.injectFaults((op, path) => (diskFull && op === 'open' && path.endsWith('checkpoint.tmp') ? 'ENOSPC' : null));
    const written: string[] = [];
    const logs: string[] = [];
    const drain = new SpoolDrain(
      {
        spool,
        store: { write: async (events) => void written.push(...events.map((e) => e.id ?? '')) },
        metrics: new Metrics(),
        deadLetterPath: join(dir, 'dead.ndjson'),
        retryMinMs: 1,
        retryMaxMs: 5,
        log: (m) => logs.push(m),
      },
      2,
    );
    drain.start();
    await until(() => written.length === 2 && (drain.problem() ?? '').includes('ENOSPC'));
    expect(drain.problem()).toMatch(/cannot advance the checkpoint: ENOSPC/);
    expect(spool.checkpoint).toBe(0);
    diskFull = false;
    await until(() => spool.checkpoint === spool.end);
    expect(drain.problem()).toBeNull();
    await spool.append(encodeBatch({ at: 2, events: [unit(3)] }));
    await until(() => spool.checkpoint === spool.end);
    await drain.stop();
    // InfluxDB got the first batch again or not, but it got everything, and the writer never said it stopped.
    expect(new Set(written)).toEqual(new Set(['u-1', 'u-2', 'u-3']));
    expect(logs.join('\n')).not.toMatch(/writer stopped/);
    await spool.close();
  });
});
