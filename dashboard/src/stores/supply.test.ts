import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeSupplyFetch, supplyAnswers } from '../components/supply/supply-fixtures';
import type { FetchLike } from '../services/lines-api';
import { SUPPLY_REFRESH_MS, useSupplyStore } from './supply';

describe('supply store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.useRealTimers());

  it('loads a line as of the collector clock, or as of a given instant', async () => {
    const api = fakeSupplyFetch(() => supplyAnswers({ shortage: true }));
    const store = useSupplyStore();
    store.configure({ fetch: api.fetch });
    await store.select({ line: 'A1' });
    expect(store.data?.partners.alerts[0]?.partner).toBe('P-BATT-01');
    expect(store.error).toBeNull();
    expect(api.calls).toContain('/api/v1/orders?line=A1');
    await store.select({ asOf: 1000 });
    expect(api.calls.slice(-3).sort()).toEqual(['/api/v1/cluster?now=1000', '/api/v1/orders?line=A1&now=1000', '/api/v1/partners?now=1000']);
  });

  it('keeps the last good data through a failed refresh, with the error beside it', async () => {
    let fail = false;
    const ok = fakeSupplyFetch(() => supplyAnswers());
    const fetch: FetchLike = (url) =>
      fail ? Promise.resolve({ ok: false, status: 503, json: () => Promise.resolve({ error: { code: 'influx_unavailable', message: 'InfluxDB is not answering' } }) }) : ok.fetch(url);
    const store = useSupplyStore();
    store.configure({ fetch });
    await store.select({ line: 'A1' });
    fail = true;
    await store.load();
    expect(store.error).toEqual({ code: 'influx_unavailable', message: 'InfluxDB is not answering' });
    expect(store.data?.orders.backlog).toBe(120_005);
    fail = false;
    await store.load();
    expect(store.error).toBeNull();
  });

  it('ignores an answer superseded by a newer request', async () => {
    const resolvers: (() => void)[] = [];
    const data = supplyAnswers();
    const fetch: FetchLike = (url) =>
      new Promise((resolve) => {
        const path = url.split('?')[0];
        const body = path === '/api/v1/partners' ? data.partners : path === '/api/v1/orders' ? { ...data.orders, line: url.includes('B2') ? 'B2' : 'A1' } : data.cluster;
        resolvers.push(() => resolve({ ok: true, status: 200, json: () => Promise.resolve(body) }));
      });
    const store = useSupplyStore();
    store.configure({ fetch });
    const first = store.select({ line: 'A1' });
    const second = store.select({ line: 'B2' });
    resolvers.forEach((r) => r());
    await Promise.all([first, second]);
    expect(store.data?.orders.line).toBe('B2');
  });

  it('refreshes on its timer until stopped', async () => {
    vi.useFakeTimers();
    const api = fakeSupplyFetch(() => supplyAnswers());
    const store = useSupplyStore();
    store.configure({ fetch: api.fetch });
    await store.select({ line: 'A1' });
    store.startRefresh();
    expect(api.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(SUPPLY_REFRESH_MS - 1);
    expect(api.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.calls).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(SUPPLY_REFRESH_MS);
    expect(api.calls).toHaveLength(9);
    store.stop();
    await vi.advanceTimersByTimeAsync(5 * SUPPLY_REFRESH_MS);
    expect(api.calls).toHaveLength(9);
    expect(vi.getTimerCount()).toBe(0);
  });
});
