import { describe, expect, it } from 'vitest';
import { countPageLoad, LOADS_KEY } from './reload-count';

describe('countPageLoad', () => {
  it('counts reloads across page loads, the first load not being one', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
    expect(countPageLoad(storage)).toBe(0);
    expect(countPageLoad(storage)).toBe(1);
    expect(countPageLoad(storage)).toBe(2);
    expect(map.get(LOADS_KEY)).toBe('3');
    expect(countPageLoad(null)).toBe(0);
  });
});
