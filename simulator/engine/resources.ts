/**
 * Shared things processes contend for: a {@link Store} of items (a buffer
 * between stations), a {@link Container} of a bulk quantity (parts on hand from
 * a partner) and a {@link Resource} with a number of slots (repair crews).
 * Waiters are served first come, first served.
 */
import type { Environment, Process, Waitable } from './environment';

/** Returned by the `try…` methods when nothing could be taken. */
export const NOTHING: unique symbol = Symbol('nothing');

/** A first-in, first-out queue with a ring buffer, so a long queue costs O(1) per operation. */
class Fifo<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(8);
  private head = 0;
  length = 0;

  push(item: T): void {
    if (this.length === this.items.length) {
      const grown = new Array<T | undefined>(this.items.length * 2);
      for (let i = 0; i < this.length; i += 1) grown[i] = this.items[(this.head + i) % this.items.length];
      this.items = grown;
      this.head = 0;
    }
    this.items[(this.head + this.length) % this.items.length] = item;
    this.length += 1;
  }

  peek(): T | undefined {
    return this.length === 0 ? undefined : this.items[this.head];
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.length -= 1;
    return item;
  }

  remove(pred: (item: T) => boolean): void {
    const kept: T[] = [];
    while (this.length > 0) {
      const item = this.shift() as T;
      if (!pred(item)) kept.push(item);
    }
    for (const item of kept) this.push(item);
  }
}

/**
 * A buffer of items with a capacity. Capacity 0 is a direct hand-over: a put
 * waits until a getter takes the item, which is how a station with no buffer
 * behind it stays blocked until the next station is free. `Infinity` never
 * blocks.
 */
export class Store<T> {
  private readonly items = new Fifo<T>();
  private readonly getters = new Fifo<Process>();
  private readonly putters = new Fifo<{ process: Process; item: T }>();

  constructor(
    readonly env: Environment,
    readonly capacity: number,
  ) {
    if (!(capacity >= 0)) throw new RangeError('Store capacity must be ≥ 0');
  }

  /** Items waiting in the buffer (not counting items held by blocked putters). */
  get level(): number {
    return this.items.length;
  }

  /** Takes an item if one is available at once; otherwise returns {@link NOTHING}. */
  tryGet(): T | typeof NOTHING {
    if (this.items.length > 0) {
      const item = this.items.shift() as T;
      this.admitPutter();
      return item;
    }
    const putter = this.putters.shift();
    if (putter === undefined) return NOTHING;
    putter.process.grant(undefined);
    return putter.item;
  }

  /** Puts an item if that needs no waiting; returns whether it did. */
  tryPut(item: T): boolean {
    const getter = this.getters.shift();
    if (getter !== undefined) {
      getter.grant(item);
      return true;
    }
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return true;
    }
    return false;
  }

  /** Waits for an item: `const item = yield* store.get()`. */
  *get(): Generator<Waitable, T, unknown> {
    return (yield this.getWait) as T;
  }

  /** Waits until the item is accepted: `yield* store.put(item)`. */
  *put(item: T): Generator<Waitable, void, unknown> {
    yield {
      wait: (process) => {
        if (this.tryPut(item)) process.grant(undefined);
        else this.putters.push({ process, item });
      },
      cancel: (process) => this.putters.remove((p) => p.process === process),
    };
  }

  private readonly getWait: Waitable = {
    wait: (process) => {
      const item = this.tryGet();
      if (item === NOTHING) this.getters.push(process);
      else process.grant(item);
    },
    cancel: (process) => this.getters.remove((p) => p === process),
  };

  private admitPutter(): void {
    if (this.items.length >= this.capacity) return;
    const putter = this.putters.shift();
    if (putter === undefined) return;
    this.items.push(putter.item);
    putter.process.grant(undefined);
  }
}

/**
 * A bulk quantity without an upper bound, such as parts on hand from a
 * supplier: `put` adds at once; `get(n)` waits until `n` are there.
 */
export class Container {
  private readonly getters = new Fifo<{ process: Process; amount: number }>();

  constructor(
    readonly env: Environment,
    public level = 0,
  ) {}

  /** Adds `amount` and serves waiting getters in order. */
  put(amount: number): void {
    this.level += amount;
    // Strict FIFO: a large request at the head holds back smaller ones behind it.
    for (let head = this.getters.peek(); head !== undefined && head.amount <= this.level; head = this.getters.peek()) {
      this.getters.shift();
      this.level -= head.amount;
      head.process.grant(head.amount);
    }
  }

  /** Takes `amount` if it is there and nobody waits ahead; returns whether it did. */
  tryGet(amount: number): boolean {
    if (this.getters.length > 0 || this.level < amount) return false;
    this.level -= amount;
    return true;
  }

  /** Waits until `amount` can be taken, then takes it. */
  *get(amount: number): Generator<Waitable, void, unknown> {
    yield {
      wait: (process) => {
        if (this.tryGet(amount)) process.grant(amount);
        else this.getters.push({ process, amount });
      },
      cancel: (process) => this.getters.remove((g) => g.process === process),
    };
  }
}

/** A number of identical slots, such as repair crews; `request` waits for a free one, `release` frees it. */
export class Resource {
  private readonly waiters = new Fifo<Process>();
  /** Slots in use. */
  inUse = 0;

  constructor(
    readonly env: Environment,
    readonly capacity: number,
  ) {
    if (!(capacity >= 1)) throw new RangeError('Resource capacity must be ≥ 1');
  }

  /** Takes a free slot if there is one and nobody waits; returns whether it did. */
  tryRequest(): boolean {
    if (this.inUse >= this.capacity || this.waiters.length > 0) return false;
    this.inUse += 1;
    return true;
  }

  /** Waits for a free slot and holds it until {@link release}. */
  *request(): Generator<Waitable, void, unknown> {
    yield {
      wait: (process) => {
        if (this.inUse < this.capacity) {
          this.inUse += 1;
          process.grant(undefined);
        } else this.waiters.push(process);
      },
      cancel: (process) => this.waiters.remove((p) => p === process),
    };
  }

  /** Frees a slot; the longest waiter, if any, takes it at once. */
  release(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next.grant(undefined);
    else this.inUse = Math.max(0, this.inUse - 1);
  }
}
