/**
 * Mulberry32: a small seeded generator for test inputs (kill points, fuzz
 * cases, demo data), so every run sees the same ones. Not the simulator's
 * generator (simulator/engine/random.ts), whose named streams a test does not need.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
