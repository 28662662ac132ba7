import { describe, expect, it } from 'vitest';
import { RandomStream } from './random';

function draw(stream: RandomStream, n: number): number[] {
  return Array.from({ length: n }, () => stream.uniform());
}

describe('RandomStream', () => {
  it('repeats for the same seed and name, differs for another seed or name', () => {
    const a = draw(new RandomStream(42, 'S01/cycle'), 5);
    expect(draw(new RandomStream(42, 'S01/cycle'), 5)).toEqual(a);
    expect(draw(new RandomStream(43, 'S01/cycle'), 5)).not.toEqual(a);
    expect(draw(new RandomStream(42, 'S02/cycle'), 5)).not.toEqual(a);
    expect(draw(new RandomStream(42 + 2 ** 32, 'S01/cycle'), 5)).not.toEqual(a);
  });

  it('has the moments the distributions promise', () => {
    const rng = new RandomStream(1, 'moments');
    const n = 200_000;
    let u = 0;
    let e = 0;
    let ln = 0;
    let ln2 = 0;
    let z2 = 0;
    for (let i = 0; i < n; i += 1) {
      u += rng.uniform();
      e += rng.exponential(600);
      const x = rng.lognormal(100, 0.2);
      ln += x;
      ln2 += x * x;
      z2 += rng.standardNormal() ** 2;
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(e / n / 600).toBeCloseTo(1, 1);
    const mean = ln / n;
    const sd = Math.sqrt(ln2 / n - mean * mean);
    expect(mean).toBeGreaterThan(99.5);
    expect(mean).toBeLessThan(100.5);
    expect(sd / mean).toBeCloseTo(0.2, 2);
    expect(z2 / n).toBeCloseTo(1, 1);
  });

  it('draws Poisson counts with the right mean', () => {
    const rng = new RandomStream(3, 'poisson');
    let sum = 0;
    for (let i = 0; i < 20_000; i += 1) sum += rng.poisson(8);
    expect(sum / 20_000).toBeCloseTo(8, 1);
  });
});
