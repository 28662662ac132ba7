/**
 * The event heap: a binary min-heap ordered by (time, priority, sequence).
 * The sequence number breaks every remaining tie, so two runs that schedule the
 * same things in the same order pop them in the same order: runs are
 * deterministic without any care from the model.
 */

/** One scheduled action. `cancelled` entries stay in the heap and are skipped when popped. */
export interface HeapEntry {
  /** Simulated time, seconds since the start of the run. */
  time: number;
  /** Lower runs first among entries at the same time. */
  priority: number;
  /** Insertion order; unique per environment. */
  seq: number;
  action: () => void;
  cancelled: boolean;
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

/** Binary min-heap of {@link HeapEntry}; O(log n) push and pop. */
export class EventHeap {
  private readonly items: HeapEntry[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The entry that would be popped next, without removing it. */
  peek(): HeapEntry | undefined {
    return this.items[0];
  }

  push(entry: HeapEntry): void {
    const items = this.items;
    let i = items.length;
    items.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as HeapEntry;
      if (!before(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  pop(): HeapEntry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      let c = items[left] as HeapEntry;
      if (right < n) {
        const r = items[right] as HeapEntry;
        if (before(r, c)) {
          child = right;
          c = r;
        }
      }
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
