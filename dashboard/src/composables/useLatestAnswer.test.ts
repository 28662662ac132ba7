import { describe, expect, it } from 'vitest';
import { ApiError } from '../services/api-json';
import { useLatestAnswer } from './useLatestAnswer';

/** A collector stand-in: answers `{ n }` for query n, refuses while `down`. */
function stand() {
  const asked: number[] = [];
  const state = { down: false };
  const fetchAnswer = (q: number) => {
    asked.push(q);
    return state.down ? Promise.reject(new ApiError('unavailable', 'InfluxDB is away', 503, true)) : Promise.resolve({ n: q });
  };
  return { asked, state, fetchAnswer };
}

describe('useLatestAnswer (a store\'s answer for its current selection)', () => {
  it('asks nothing while there is no query, then lands the answer', async () => {
    const s = stand();
    let q: number | null = null;
    const a = useLatestAnswer({ query: () => q, fetchAnswer: s.fetchAnswer, onError: 'keep' });
    await a.load();
    expect(s.asked).toEqual([]);
    expect(a.loading.value).toBe(false);
    q = 7;
    await a.load();
    expect(s.asked).toEqual([7]);
    expect(a.data.value).toEqual({ n: 7 });
  });

  it("on a failed load keeps the answer beside the error, or drops it, as the store says", async () => {
    for (const onError of ['keep', 'drop'] as const) {
      const s = stand();
      const a = useLatestAnswer({ query: () => 1, fetchAnswer: s.fetchAnswer, onError });
      await a.load();
      s.state.down = true;
      await a.load();
      expect(a.error.value).toEqual({ code: 'unavailable', message: 'InfluxDB is away' });
      expect(a.data.value).toEqual(onError === 'keep' ? { n: 1 } : null);
      s.state.down = false;
      await a.load();
      expect(a.error.value).toBeNull();
    }
  });
});
