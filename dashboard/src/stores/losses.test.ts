import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FetchLike } from '../services/api-json';
import { fakeLossFetch, noDataReport, shortageReport } from '../testing/loss-fixtures';
import { LOSS_REFRESH_MS, useLossesStore } from './losses';

const previous = { kind: 'calendar', range: 'shift:previous' } as const;

describe('losses store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => vi.useRealTimers());

  it('loads the selected line and interval', async () => {
    const api = fakeLossFetch((url) => (url.searchParams.get('range') === 'shift:previous' ? shortageReport() : noDataReport()));
    const store = useLossesStore();
    store.configure({ fetch: api.fetch });
    await store.select({ line: 'A1' });
    expect(api.calls).toEqual(['/api/v1/losses?line=A1&range=shift%3Acurrent']);
    expect(store.report?.status).toBe('no_data');
    await store.select({ range: previous });
    expect(store.report?.losses[0]?.units).toBe(41);
    expect(store.error).toBeNull();
  });

  it('ignores an answer superseded by a newer selection', async () => {
    const pending: { url: string; resolve: () => void }[] = [];
    const fetch: FetchLike = (url) =>
      new Promise((resolve) => {
        const body = url.includes('previous') ? shortageReport() : noDataReport();
        pending.push({ url, resolve: () => resolve({ ok: true, status: 200, json: async () => body }) });
      });
    const store = useLossesStore();
    store.configure({ fetch });
    const first = store.select({ line: 'A1', range: previous });
    const second = store.select({ range: { kind: 'calendar', range: 'shift:current' } });
    // The older request answers last: it must not win.
    pending[1]?.resolve();
    await second;
    pending[0]?.resolve();
    await first;
    expect(store.report?.status).toBe('no_data');
  });

  it("keeps the report through a failed refresh, but never shows another interval's", async () => {
    let fail = false;
    const ok = fakeLossFetch(() => shortageReport());
    const fetch: FetchLike = (url) =>
      fail ? Promise.resolve({ ok: false, status: 503, json: async () => ({ error: { code: 'influx_unavailable', message: 'InfluxDB is not answering' } }) }) : ok.fetch(url);
    const store = useLossesStore();
    store.configure({ fetch });
    await store.select({ line: 'A1', range: previous });
    fail = true;
    await store.load();
    expect(store.error).toEqual({ code: 'influx_unavailable', message: 'InfluxDB is not answering' });
    expect(store.report?.planUnits).toBe(215);
    await store.select({ range: { kind: 'calendar', range: 'day:today' } });
    expect(store.report).toBeNull();
  });

  it('refreshes while the interval runs, and stops', async () => {
    vi.useFakeTimers();
    const api = fakeLossFetch(() => shortageReport());
    const store = useLossesStore();
    store.configure({ fetch: api.fetch });
    await store.select({ line: 'A1' });
    let running = true;
    store.startRefresh(() => running);
    await vi.advanceTimersByTimeAsync(LOSS_REFRESH_MS);
    expect(api.calls).toHaveLength(2);
    running = false;
    await vi.advanceTimersByTimeAsync(3 * LOSS_REFRESH_MS);
    expect(api.calls).toHaveLength(2);
    running = true;
    store.stop();
    await vi.advanceTimersByTimeAsync(3 * LOSS_REFRESH_MS);
    expect(api.calls).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });
});
