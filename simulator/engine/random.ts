/**
 * Seeded random streams: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32 from a hash of (run seed, stream name). Each station draws from
 * its own named streams, so a change to one station's settings leaves every
 * other station's draws untouched, and the same seed gives the same run.
 */

/** 32-bit FNV-1a of a string, as an unsigned integer. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32: turns one 32-bit seed into a sequence of well-mixed words for seeding. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** One stream of pseudo-random numbers with the distributions the line model needs. */
export class RandomStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  /** Derives the stream called `name` from the run's `seed` (any non-negative safe integer). */
  constructor(seed: number, name: string) {
    // Both halves of a seed above 2^32 matter, and so does every character of the name.
    const mix = splitmix32(fnv1a(`${seed}/${name}`) ^ Math.floor(seed / 4294967296));
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next 32-bit unsigned output of xoshiro128**. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 bits of resolution. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Exponential with the given mean (> 0). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** Standard normal, by the Box–Muller transform (the second value is kept for the next call). */
  standardNormal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log stays finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Lognormal with the given mean and coefficient of variation (sd / mean) of the variable itself. */
  lognormal(mean: number, cv: number): number {
    const sigma2 = Math.log(1 + cv * cv);
    const mu = Math.log(mean) - sigma2 / 2;
    return Math.exp(mu + Math.sqrt(sigma2) * this.standardNormal());
  }

  /** Bernoulli trial: true with probability `p`. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Uniform integer in [0, n). */
  index(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Poisson count with the given mean, by counting unit-rate exponential gaps (fine for small means). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.standardNormal()));
    let n = 0;
    let t = this.exponential(1);
    while (t < mean) {
      n += 1;
      t += this.exponential(1);
    }
    return n;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
