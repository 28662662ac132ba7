import { describe, expect, it } from 'vitest';
import { Environment, Interrupt, Signal, type ProcessBody } from './environment';

describe('Environment', () => {
  it('runs processes in simulated time and stops strictly before `until`', () => {
    const env = new Environment();
    const log: string[] = [];
    env.process('a', (function* (): ProcessBody {
      for (;;) {
        yield 10;
        log.push(`a@${env.now}`);
      }
    })());
    env.run(30);
    expect(log).toEqual(['a@10', 'a@20']);
    expect(env.now).toBe(30);
    env.run(31);
    expect(log).toEqual(['a@10', 'a@20', 'a@30']);
  });

  it('breaks ties at the same instant by start order', () => {
    const env = new Environment();
    const log: string[] = [];
    for (const name of ['x', 'y', 'z']) {
      env.process(name, (function* (): ProcessBody {
        yield 5;
        log.push(name);
      })());
    }
    env.run(100);
    expect(log).toEqual(['x', 'y', 'z']);
  });

  it('throws an Interrupt into a sleeping process and cancels its delay', () => {
    const env = new Environment();
    const log: string[] = [];
    const worker = env.process('worker', (function* (): ProcessBody {
      const started = env.now;
      try {
        yield 100;
        log.push('finished');
      } catch (e) {
        if (!(e instanceof Interrupt)) throw e;
        log.push(`interrupted by ${String(e.cause)} after ${env.now - started}`);
      }
      yield 1;
      log.push(`done@${env.now}`);
    })());
    env.process('breaker', (function* (): ProcessBody {
      yield 30;
      worker.interrupt('break');
    })());
    env.run(1000);
    expect(log).toEqual(['interrupted by break after 30', 'done@31']);
  });

  it('resumes every waiter of a signal with its value', () => {
    const env = new Environment();
    const signal = new Signal<string>();
    const got: string[] = [];
    for (const n of [1, 2]) {
      env.process(`w${n}`, (function* (): ProcessBody {
        const v = (yield signal) as string;
        got.push(`${n}:${v}@${env.now}`);
      })());
    }
    env.process('firer', (function* (): ProcessBody {
      yield 7;
      signal.fire('go');
    })());
    env.run(10);
    expect(got).toEqual(['1:go@7', '2:go@7']);
  });

  it('refuses a negative delay', () => {
    const env = new Environment();
    env.process('bad', (function* (): ProcessBody {
      yield -1;
    })());
    expect(() => env.run(1)).toThrow(/delays are seconds/);
  });
});
