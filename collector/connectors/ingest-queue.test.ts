import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StationEventInput } from '../../core/events';
import { IngestError } from '../ingest/errors';
import type { Ingestor, IngestResult } from '../ingest/ingest';
import { IngestQueue } from './ingest-queue';

const event = (n: number): StationEventInput => ({ type: 'orders', ts: 1_800_000_000_000 + n, total: n });
const ok = (items: readonly unknown[]): IngestResult => ({ accepted: items.length, duplicates: 0, rejected: [], ids: [] });

afterEach(() => {
  vi.useRealTimers();
});

describe('IngestQueue', () => {
  it('keeps a batch the spool cannot take and retries it after retryAfterSeconds, in order', async () => {
    vi.useFakeTimers();
    const stored: number[] = [];
    let full = true;
    const ingestor = {
      async ingest(items: readonly unknown[]) {
        if (full) throw new IngestError('spool_full', 'full', { retryAfterSeconds: 5 });
        stored.push(...(items as { total: number }[]).map((e) => e.total));
        return ok(items);
      },
    } as unknown as Ingestor;
    const dropped: number[] = [];
    const queue = new IngestQueue({ ingestor, onResult: () => undefined, onDropped: (n) => dropped.push(n) });
    queue.push([event(1), event(2)]);
    queue.push([event(3)]);
    await vi.advanceTimersByTimeAsync(4000);
    expect(stored).toEqual([]);
    expect(queue.size()).toBe(3);
    full = false;
    await vi.advanceTimersByTimeAsync(1000);
    await queue.idle();
    expect(stored).toEqual([1, 2, 3]);
    expect(dropped).toEqual([]);
  });

  it('drops and counts the oldest waiting batches past its bound, never the one being retried', async () => {
    vi.useFakeTimers();
    const stored: number[] = [];
    let full = true;
    const ingestor = {
      async ingest(items: readonly unknown[]) {
        if (full) throw new IngestError('spool_full', 'full', { retryAfterSeconds: 1 });
        stored.push(...(items as { total: number }[]).map((e) => e.total));
        return ok(items);
      },
    } as unknown as Ingestor;
    const dropped: number[] = [];
    const queue = new IngestQueue({ ingestor, maxQueuedEvents: 3, onResult: () => undefined, onDropped: (n) => dropped.push(n) });
    for (let n = 1; n <= 5; n += 1) queue.push([event(n)]);
    expect(dropped).toEqual([1, 1]);
    full = false;
    await vi.advanceTimersByTimeAsync(1000);
    await queue.idle();
    expect(stored).toEqual([1, 4, 5]);
  });

  it('drops a batch ingest refuses for good, and goes on', async () => {
    const ingestor = {
      async ingest(items: readonly unknown[]) {
        if ((items[0] as { total: number }).total === 1) throw new Error('disk on fire');
        return ok(items);
      },
    } as unknown as Ingestor;
    const reasons: string[] = [];
    const results: number[] = [];
    const queue = new IngestQueue({ ingestor, onResult: (r) => results.push(r.accepted), onDropped: (_n, reason) => reasons.push(reason) });
    queue.push([event(1)]);
    queue.push([event(2)]);
    await queue.idle();
    expect(reasons).toEqual(['disk on fire']);
    expect(results).toEqual([1]);
  });
  it('on close finishes the batch being ingested and reports the waiting ones as dropped', async () => {
    const stored: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ingestor = {
      async ingest(items: readonly unknown[]) {
        await gate;
        stored.push(...(items as { total: number }[]).map((e) => e.total));
        return ok(items);
      },
    } as unknown as Ingestor;
    const dropped: [number, string][] = [];
    const queue = new IngestQueue({ ingestor, onResult: () => undefined, onDropped: (n, why) => dropped.push([n, why]) });
    queue.push([event(1)]);
    queue.push([event(2), event(3)]);
    await new Promise((r) => setImmediate(r));
    queue.close();
    expect(dropped).toEqual([[2, 'the collector stopped before they were stored']]);
    release();
    await queue.idle();
    expect(stored).toEqual([1]);
    expect(queue.size()).toBe(0);
  });

  it('says a batch was taken only after the ingestor answered for it, in order, and never for a dropped one', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ingestor = {
      async ingest(items: readonly unknown[]) {
        await gate;
        log.push(`stored ${(items as { total: number }[]).map((e) => e.total).join(',')}`);
        return ok(items);
      },
    } as unknown as Ingestor;
    const queue = new IngestQueue({ ingestor, onResult: () => undefined, onDropped: (n) => log.push(`dropped ${n}`), maxQueuedEvents: 3 });
    queue.push([event(1)], () => log.push('taken 1'));
    queue.push([event(2)], () => log.push('taken 2'));
    queue.push([event(3), event(4)], () => log.push('taken 3-4')); // past the bound: batch 2 is dropped
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['dropped 1']);
    release();
    await queue.idle();
    expect(log).toEqual(['dropped 1', 'stored 1', 'taken 1', 'stored 3,4', 'taken 3-4']);
  });

  it('on close reports a batch waiting to be retried (spool full) as dropped, not silently', async () => {
    vi.useFakeTimers();
    const ingestor = {
      async ingest() {
        throw new IngestError('spool_full', 'full', { retryAfterSeconds: 5 });
      },
    } as unknown as Ingestor;
    const dropped: number[] = [];
    const queue = new IngestQueue({ ingestor, onResult: () => undefined, onDropped: (n) => dropped.push(n) });
    queue.push([event(1), event(2)]);
    await vi.advanceTimersByTimeAsync(1000);
    queue.close();
    await queue.idle();
    expect(dropped).toEqual([2]);
    expect(queue.size()).toBe(0);
  });
});
