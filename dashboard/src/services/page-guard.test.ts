import { describe, expect, it } from 'vitest';
import { startPageGuard, type PageGuardEnv } from './page-guard';

class FakeEnv implements PageGuardEnv {
  time = 1_000_000;
  heap: number | null = 20e6;
  reloads = 0;
  listeners = new Map<string, () => void>();
  ticks: (() => void)[] = [];
  store = new Map<string, string>();
  storage = { getItem: (k: string) => this.store.get(k) ?? null, setItem: (k: string, v: string) => void this.store.set(k, v) };
  addEventListener(type: string, fn: () => void) {
    this.listeners.set(type, fn);
  }
  removeEventListener(type: string) {
    this.listeners.delete(type);
  }
  reload() {
    this.reloads += 1;
  }
  heapBytes() {
    return this.heap;
  }
  now() {
    return this.time;
  }
  setInterval(fn: () => void) {
    this.ticks.push(fn);
    return this.ticks.length;
  }
  clearInterval() {
    this.ticks = [];
  }
  tick(ms = 600_000) {
    this.time += ms;
    for (const t of this.ticks) t();
  }
}

describe('page guard', () => {
  it('reloads when the heap has grown past four times its settled size', () => {
    const env = new FakeEnv();
    const why: string[] = [];
    startPageGuard(env, {}, (w) => why.push(w));
    env.tick(); // baseline 20 MB
    env.heap = 70e6;
    env.tick();
    expect(env.reloads).toBe(0);
    env.heap = 81e6;
    env.tick();
    expect(env.reloads).toBe(1);
    expect(why).toEqual(['heap']);
  });

  it('reloads on a burst of uncaught errors, not on the odd one', () => {
    const env = new FakeEnv();
    startPageGuard(env, { maxErrors: 5, errorWindowMs: 60_000 });
    const fire = () => env.listeners.get('error')?.();
    for (let i = 0; i < 4; i += 1) {
      fire();
      env.time += 20_000; // four errors spread over more than a minute: no reload
    }
    expect(env.reloads).toBe(0);
    for (let i = 0; i < 5; i += 1) fire();
    expect(env.reloads).toBe(1);
  });

  it('stops reloading after three guard reloads in an hour, so a broken build does not loop', () => {
    const env = new FakeEnv();
    // Each reload is a new page with a new guard; sessionStorage carries the count across them.
    const loadPageAndFail = () => {
      const stop = startPageGuard(env, { maxErrors: 1 });
      env.listeners.get('unhandledrejection')?.();
      stop();
      env.time += 60_000;
    };
    for (let i = 0; i < 5; i += 1) loadPageAndFail();
    expect(env.reloads).toBe(3);
    env.time += 3_600_000;
    loadPageAndFail();
    expect(env.reloads).toBe(4);
  });

  it('does nothing about memory where the browser does not report the heap, and stops when asked', () => {
    const env = new FakeEnv();
    env.heap = null;
    const stop = startPageGuard(env);
    env.tick();
    env.tick();
    expect(env.reloads).toBe(0);
    stop();
    expect(env.listeners.size).toBe(0);
    expect(env.ticks).toHaveLength(0);
  });
});
