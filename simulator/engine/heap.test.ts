import { describe, expect, it } from 'vitest';
import { EventHeap, type HeapEntry } from './heap';
import { RandomStream } from './random';

const entry = (time: number, priority: number, seq: number): HeapEntry => ({ time, priority, seq, action: () => {}, cancelled: false });

describe('EventHeap', () => {
  it('pops in (time, priority, sequence) order whatever the push order', () => {
    const rng = new RandomStream(7, 'heap');
    const entries: HeapEntry[] = [];
    for (let seq = 0; seq < 2000; seq += 1) entries.push(entry(rng.index(50), rng.index(2), seq));
    const heap = new EventHeap();
    const shuffled = [...entries];
    for (let i = shuffled.length - 1; i > 0; i -= 1) {
      const j = rng.index(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j] as HeapEntry, shuffled[i] as HeapEntry];
    }
    for (const e of shuffled) heap.push(e);
    const popped: HeapEntry[] = [];
    for (let e = heap.pop(); e !== undefined; e = heap.pop()) popped.push(e);
    const expected = [...entries].sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
    expect(popped.map((e) => e.seq)).toEqual(expected.map((e) => e.seq));
  });

  it('is empty after popping everything', () => {
    const heap = new EventHeap();
    heap.push(entry(1, 1, 0));
    expect(heap.size).toBe(1);
    expect(heap.pop()?.time).toBe(1);
    expect(heap.pop()).toBeUndefined();
    expect(heap.size).toBe(0);
  });
});
