import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../services/lines-api';
import { fakeApi, managerAnswers, SHIFT_START } from '../testing/manager-fixtures';
import { useHistoryStore } from './history';

describe('useHistoryStore', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads the current shift of a line first, then the range asked for', async () => {
    const api = fakeApi((url) => managerAnswers({ units: url.searchParams.get('range') === 'shift:previous' ? 52 : 40 }));
    const store = useHistoryStore();
    store.configure({ fetch: api.fetch });
    await store.select({ line: 'A1' });
    expect(store.data?.kpis.inputs.counts.units).toBe(40);
    expect(store.loading).toBe(false);
    await store.select({ range: { kind: 'calendar', range: 'shift:previous' } });
    expect(store.data?.kpis.inputs.counts.units).toBe(52);
    expect(api.calls.at(-1)).toContain('range=shift%3Aprevious');
  });

  it("keeps the API's error and drops the other range's data", async () => {
    let fail = false;
    const api = fakeApi(() => (fail ? { status: 404, code: 'no_current_shift', message: 'no shift is in progress' } : managerAnswers()));
    const store = useHistoryStore();
    store.configure({ fetch: api.fetch });
    await store.select({ line: 'A1', range: { kind: 'calendar', range: 'day:today' } });
    expect(store.data).not.toBeNull();
    fail = true;
    await store.select({ range: { kind: 'calendar', range: 'shift:current' } });
    expect(store.error).toEqual({ code: 'no_current_shift', message: 'no shift is in progress' });
    expect(store.data).toBeNull();
    fail = false;
    await store.load();
    expect(store.error).toBeNull();
  });

  it('shows the latest selection even when an older answer arrives after it', async () => {
    const slow: { release: () => void }[] = [];
    const api = fakeApi((url) => managerAnswers({ units: url.searchParams.has('from') ? 12 : 40 }));
    // Requests for the calendar range hang until released; the custom range answers at once.
    const fetchFn: FetchLike = (input, init) =>
      input.includes('range=') ? new Promise((resolve) => slow.push({ release: () => resolve(api.fetch(input, init)) })) : api.fetch(input, init);
    const store = useHistoryStore();
    store.configure({ fetch: fetchFn });
    const first = store.select({ line: 'A1', range: { kind: 'calendar', range: 'week:current' } });
    const second = store.select({ range: { kind: 'custom', from: SHIFT_START, to: SHIFT_START + 7_200_000 } });
    await second;
    expect(store.data?.kpis.inputs.counts.units).toBe(12);
    for (const s of slow) s.release();
    await first;
    expect(store.data?.kpis.inputs.counts.units).toBe(12);
    expect(store.range).toEqual({ kind: 'custom', from: SHIFT_START, to: SHIFT_START + 7_200_000 });
  });
});
