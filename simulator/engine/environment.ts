/**
 * A small discrete-event engine in the manner of SimPy: an environment owns the
 * simulated clock and the event heap; processes are generators that yield what
 * they wait for; interrupts throw into a waiting process. The engine never reads
 * the wall clock: pacing to real time wraps it (see simulator/pacing.ts).
 */
import { EventHeap, type HeapEntry } from './heap';

/** Among actions at the same instant, urgent ones (resumptions, interrupts) run before normal ones. */
export const PRIORITY = { urgent: 0, normal: 1 } as const;

/**
 * Something a process can wait on besides a plain delay: a store request, a
 * signal. The engine calls `wait` when a process yields it and `cancel` when the
 * process is interrupted before the wait is granted. A waitable grants the wait
 * with {@link Process.grant}, never by resuming the process itself.
 */
export interface Waitable {
  wait(process: Process): void;
  cancel(process: Process): void;
}

/** What a process may yield: a delay in simulated seconds (≥ 0), or a {@link Waitable}. */
export type Yieldable = number | Waitable;

/** The body of a process. The value sent back into the generator is whatever the waitable granted. */
export type ProcessBody = Generator<Yieldable, void, unknown>;

/** Thrown into a process by {@link Process.interrupt}; `cause` says why. */
export class Interrupt extends Error {
  readonly code = 'interrupted';
  constructor(override readonly cause: unknown) {
    super(`process interrupted: ${String(cause)}`);
    this.name = 'Interrupt';
  }
}

/** Error with a stable code, for programmer errors inside the engine. */
export class EngineError extends Error {
  constructor(
    readonly code: 'negative_delay' | 'bad_yield' | 'interrupt_after_grant' | 'time_backwards',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** A running generator and what it currently waits for. */
export class Process {
  /** False once the generator has returned or thrown. */
  alive = true;
  private timer: HeapEntry | null = null;
  private waitingOn: Waitable | null = null;
  private granted: HeapEntry | null = null;

  constructor(
    readonly env: Environment,
    readonly name: string,
    private readonly body: ProcessBody,
  ) {}

  /** Whether the process waits on a plain delay right now (not on a waitable). */
  get sleeping(): boolean {
    return this.timer !== null;
  }

  /**
   * Grants the process's current wait: it resumes at the current instant,
   * receiving `value`. Called by waitables only.
   */
  grant(value: unknown): void {
    this.waitingOn = null;
    this.granted = this.env.schedule(0, () => this.step(false, value), PRIORITY.urgent);
  }

  /**
   * Throws an {@link Interrupt} into the process at the current instant,
   * cancelling its delay or wait. A process that has ended ignores it.
   * Interrupting a process whose wait was granted at this very instant would
   * lose what it was granted (a part, a slot), so that is refused.
   */
  interrupt(cause: unknown): void {
    if (!this.alive) return;
    if (this.granted !== null) {
      throw new EngineError('interrupt_after_grant', `${this.name}: cannot interrupt a process whose wait was just granted`);
    }
    if (this.timer !== null) {
      this.timer.cancelled = true;
      this.timer = null;
    }
    if (this.waitingOn !== null) {
      this.waitingOn.cancel(this);
      this.waitingOn = null;
    }
    this.granted = this.env.schedule(0, () => this.step(true, new Interrupt(cause)), PRIORITY.urgent);
  }

  /** Advances the generator by one yield. */
  step(isThrow: boolean, value: unknown): void {
    this.timer = null;
    this.granted = null;
    let result: IteratorResult<Yieldable, void>;
    try {
      result = isThrow ? this.body.throw(value) : this.body.next(value);
    } catch (error) {
      this.alive = false;
      throw error;
    }
    if (result.done) {
      this.alive = false;
      return;
    }
    const what = result.value;
    if (typeof what === 'number') {
      if (!(what >= 0)) throw new EngineError('negative_delay', `${this.name}: yielded delay ${what}; delays are seconds ≥ 0`);
      this.timer = this.env.schedule(what, () => this.step(false, undefined), PRIORITY.normal);
    } else if (what !== null && typeof what === 'object' && typeof what.wait === 'function') {
      this.waitingOn = what;
      what.wait(this);
    } else {
      throw new EngineError('bad_yield', `${this.name}: a process yields a delay in seconds or a waitable`);
    }
  }
}

/** A one-shot signal: processes wait until it is fired, then all resume with its value. */
export class Signal<T = void> implements Waitable {
  private waiters: Process[] = [];
  fired = false;
  value: T | undefined;

  wait(process: Process): void {
    if (this.fired) process.grant(this.value);
    else this.waiters.push(process);
  }

  cancel(process: Process): void {
    this.waiters = this.waiters.filter((p) => p !== process);
  }

  /** Fires the signal; waiters resume in the order they started waiting. Firing twice is ignored. */
  fire(value: T): void {
    if (this.fired) return;
    this.fired = true;
    this.value = value;
    const waiters = this.waiters;
    this.waiters = [];
    for (const p of waiters) p.grant(value);
  }
}

/** The simulated world: clock, heap, processes. Time is in seconds since the start of the run. */
export class Environment {
  /** Current simulated time, seconds. */
  now = 0;
  /** Heap entries executed so far (cancelled ones not counted). */
  steps = 0;
  private readonly heap = new EventHeap();
  private seq = 0;

  /** Schedules `action` to run `delay` seconds from now. */
  schedule(delay: number, action: () => void, priority: number = PRIORITY.normal): HeapEntry {
    const entry: HeapEntry = { time: this.now + delay, priority, seq: this.seq++, action, cancelled: false };
    this.heap.push(entry);
    return entry;
  }

  /** Starts a process; its first step runs at the current instant, after what is already due. */
  process(name: string, body: ProcessBody): Process {
    const p = new Process(this, name, body);
    this.schedule(0, () => p.step(false, undefined), PRIORITY.normal);
    return p;
  }

  /** Time of the next pending action, or Infinity when nothing is scheduled. */
  peek(): number {
    for (;;) {
      const top = this.heap.peek();
      if (top === undefined) return Infinity;
      if (!top.cancelled) return top.time;
      this.heap.pop();
    }
  }

  /**
   * Runs every action due strictly before `until`, then sets the clock to
   * `until`. Actions at exactly `until` stay for the next call, so a run in
   * slices does exactly what one long run does.
   */
  run(until: number): void {
    if (until < this.now) throw new EngineError('time_backwards', `run(${until}) is before now (${this.now})`);
    const heap = this.heap;
    for (;;) {
      const top = heap.peek();
      if (top === undefined || top.time >= until) break;
      heap.pop();
      if (top.cancelled) continue;
      this.now = top.time;
      this.steps += 1;
      top.action();
    }
    this.now = until;
  }
}
