import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { callFixture, fakeAndonCollector } from '../components/andon/andon-fixtures';
import { useAndonReportStore, useAndonStore, withCall } from './andon';
import { useSessionStore } from './session';

describe('andon store (station tablet)', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('raises a call in one request and shows it at once', async () => {
    const api = fakeAndonCollector();
    const session = useSessionStore();
    session.configure({ fetch: api.fetch });
    await session.signInWithPin('p-wang', '1111');
    const store = useAndonStore();
    store.configure({ fetch: api.fetch });
    await store.watchStation('A1', 'S07');
    expect(store.calls).toEqual([]);
    const before = api.calls.length;
    expect(await store.raise('material')).toBe(true);
    expect(api.calls.slice(before)).toEqual(['POST /api/v1/andon/calls']);
    expect(api.bodies.at(-1)).toEqual({ line: 'A1', station: 'S07', kind: 'material' });
    expect(store.calls.map((c) => [c.station, c.kind, c.status])).toEqual([['S07', 'material', 'open']]);
    expect(store.lastRaised?.kind).toBe('material');
  });

  it('acknowledges and resolves with a reason and note; a resolved call leaves the list', async () => {
    const api = fakeAndonCollector({ calls: [callFixture()] });
    useSessionStore().configure({ fetch: api.fetch });
    await useSessionStore().signInWithPin('p-li', '2222');
    const store = useAndonStore();
    store.configure({ fetch: api.fetch });
    await store.watchStation('A1', 'S07');
    expect(await store.act('c-1', 'acknowledge')).toBe(true);
    expect(store.calls[0]?.acknowledgedBy?.name).toBe('李强');
    expect(await store.act('c-1', 'resolve', { reason: 'fixed', note: 'new fuse' })).toBe(true);
    expect(api.bodies.at(-1)).toEqual({ call: 'c-1', action: 'resolve', reason: 'fixed', note: 'new fuse' });
    expect(store.calls).toEqual([]);
  });

  it('keeps the collector’s reason for a refusal, and signs the screen out on 401', async () => {
    const api = fakeAndonCollector({ calls: [callFixture()] });
    const session = useSessionStore();
    session.configure({ fetch: api.fetch });
    await session.signInWithPin('p-wang', '1111');
    const store = useAndonStore();
    store.configure({ fetch: api.fetch });
    await store.watchStation('A1', 'S07');
    expect(await store.act('c-1', 'acknowledge')).toBe(false);
    expect(store.error).toMatchObject({ code: 'forbidden', message: 'a operator may not acknowledge a call' });
    expect(session.session).not.toBeNull();
    api.failNext('/api/v1/andon/calls', 401, { code: 'not_signed_in', message: 'your session has expired' });
    expect(await store.raise('help')).toBe(false);
    expect(session.session).toBeNull();
  });

  it('clears a failed read once the collector answers again (a read or the live channel), but keeps a refused tap', async () => {
    const api = fakeAndonCollector({ calls: [callFixture()] });
    let down = true;
    const flaky: typeof api.fetch = (url, init) => (down ? Promise.reject(new TypeError('Failed to fetch')) : api.fetch(url, init));
    const store = useAndonStore();
    store.configure({ fetch: flaky });
    await store.watchStation('A1', 'S07');
    expect(store.error?.code).toBe('network');
    down = false;
    await store.watchStation('A1', 'S07');
    expect(store.error).toBeNull();
    down = true;
    await store.loadConfig();
    expect(store.error?.code).toBe('network');
    store.applyLive([callFixture()]);
    expect(store.error).toBeNull();
    // A tap the collector refused is the person's to read and dismiss: a later read does not hide it.
    down = false;
    useSessionStore().configure({ fetch: api.fetch });
    await useSessionStore().signInWithPin('p-wang', '1111');
    expect(await store.act('c-1', 'acknowledge')).toBe(false);
    expect(store.error?.code).toBe('forbidden');
    await store.watchStation('A1', 'S07');
    store.applyLive([]);
    expect(store.error?.code).toBe('forbidden');
  });

  it('takes the live channel’s open calls of its own station only', async () => {
    const store = useAndonStore();
    store.configure({ fetch: fakeAndonCollector().fetch });
    await store.watchStation('A1', 'S07');
    store.applyLive([callFixture({ id: 'x' }), callFixture({ id: 'y', station: 'S03' })]);
    expect(store.calls.map((c) => c.id)).toEqual(['x']);
  });

  it('drops a fetched list that the live channel overtook while it was on its way', async () => {
    let answer: (() => void) | null = null;
    const api = fakeAndonCollector({ calls: [callFixture({ id: 'stale' })] });
    const slow: typeof api.fetch = (url, init) => new Promise((resolve) => (answer = () => resolve(api.fetch(url, init))));
    const store = useAndonStore();
    store.configure({ fetch: slow });
    const loading = store.watchStation('A1', 'S07');
    store.applyLive([callFixture({ id: 'fresh', status: 'acknowledged' })]);
    answer!();
    await loading;
    expect(store.calls.map((c) => c.id)).toEqual(['fresh']);
  });

  it('withCall replaces a call by id and drops it once closed', () => {
    const a = callFixture({ id: 'a' });
    expect(withCall([a], { ...a, status: 'acknowledged' }).map((c) => c.status)).toEqual(['acknowledged']);
    expect(withCall([a], { ...a, status: 'cancelled' })).toEqual([]);
  });
});

describe('andon report store (manager)', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads every call of the range and one call’s detail', async () => {
    const api = fakeAndonCollector({ calls: [callFixture(), callFixture({ id: 'c-2', status: 'resolved' })] });
    const store = useAndonReportStore();
    store.configure({ fetch: api.fetch });
    await store.load({ line: 'A1', range: 'shift:current' });
    expect(api.calls).toContain('GET /api/v1/andon/calls?line=A1&status=all&range=shift%3Acurrent');
    expect(store.calls.map((c) => c.id)).toEqual(['c-1', 'c-2']);
    await store.open('c-2');
    expect(store.detail?.call.status).toBe('resolved');
    await store.open('nope');
    expect(store.detailError?.code).toBe('unknown_call');
  });
});
