import { describe, expect, it } from 'vitest';
import { Environment, type ProcessBody } from './environment';
import { Container, NOTHING, Resource, Store } from './resources';

describe('Store', () => {
  it('with capacity 0 hands over directly: the putter waits for a getter', () => {
    const env = new Environment();
    const store = new Store<string>(env, 0);
    const log: string[] = [];
    env.process('producer', (function* (): ProcessBody {
      yield* store.put('u1');
      log.push(`put done@${env.now}`);
    })());
    env.process('consumer', (function* (): ProcessBody {
      yield 50;
      const item = yield* store.get();
      log.push(`got ${item}@${env.now}`);
    })());
    env.run(100);
    // Both resume at 50; the putter's grant was scheduled first, inside the getter's request.
    expect(log).toEqual(['put done@50', 'got u1@50']);
  });

  it('blocks a putter when full and admits it when an item is taken', () => {
    const env = new Environment();
    const store = new Store<number>(env, 2);
    const putTimes: number[] = [];
    env.process('producer', (function* (): ProcessBody {
      for (let i = 0; i < 4; i += 1) {
        yield* store.put(i);
        putTimes.push(env.now);
      }
    })());
    const got: number[] = [];
    env.process('consumer', (function* (): ProcessBody {
      for (;;) {
        yield 10;
        got.push(yield* store.get());
      }
    })());
    env.run(100);
    expect(putTimes).toEqual([0, 0, 10, 20]);
    expect(got).toEqual([0, 1, 2, 3]);
  });

  it('tryGet and tryPut never wait', () => {
    const env = new Environment();
    const store = new Store<number>(env, 1);
    expect(store.tryGet()).toBe(NOTHING);
    expect(store.tryPut(1)).toBe(true);
    expect(store.tryPut(2)).toBe(false);
    expect(store.tryGet()).toBe(1);
  });
});

describe('Container', () => {
  it('serves getters first come, first served once enough is there', () => {
    const env = new Environment();
    const stock = new Container(env, 1);
    const log: string[] = [];
    for (const [name, amount] of [['a', 2], ['b', 1]] as const) {
      env.process(name, (function* (): ProcessBody {
        yield* stock.get(amount);
        log.push(`${name}@${env.now}`);
      })());
    }
    env.process('delivery', (function* (): ProcessBody {
      yield 5;
      stock.put(1);
      yield 5;
      stock.put(1);
    })());
    env.run(20);
    expect(log).toEqual(['a@5', 'b@10']);
    expect(stock.level).toBe(0);
  });
});

describe('Resource', () => {
  it('makes the third user wait for a slot', () => {
    const env = new Environment();
    const crews = new Resource(env, 2);
    const starts: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      env.process(`job${i}`, (function* (): ProcessBody {
        yield* crews.request();
        starts.push(env.now);
        yield 30;
        crews.release();
      })());
    }
    env.run(100);
    expect(starts).toEqual([0, 0, 30]);
    expect(crews.inUse).toBe(0);
  });
});
