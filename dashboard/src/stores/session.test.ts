import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ANDON_NOW, FAKE_LOCK_SECONDS, fakeAndonCollector } from '../components/andon/andon-fixtures';
import { useSessionStore } from './session';

describe('session store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
    sessionStorage.clear();
  });

  it('signs in with a PIN, remembers nothing but what the collector says, and signs out', async () => {
    const api = fakeAndonCollector();
    const store = useSessionStore();
    store.configure({ fetch: api.fetch });
    await store.restore();
    expect(store.checked).toBe(true);
    expect(store.session).toBeNull();
    expect(await store.signInWithPin('p-li', '2222')).toBe(true);
    expect(store.session?.person.name).toBe('李强');
    expect(api.bodies).toEqual([{ person: 'p-li', pin: '2222' }]);
    // Nothing of the sign-in lands in the page's storage: the cookie is the collector's.
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');
    await store.signOutNow();
    expect(store.session).toBeNull();
    expect(api.calls.at(-1)).toBe('DELETE /api/v1/session');
  });

  it('keeps the tries left after a wrong PIN, then the lock and its length', async () => {
    const api = fakeAndonCollector();
    const store = useSessionStore();
    store.configure({ fetch: api.fetch, now: () => ANDON_NOW });
    expect(await store.signInWithPin('p-li', '0000')).toBe(false);
    expect(store.error).toMatchObject({ code: 'bad_credentials', attemptsLeft: 4 });
    for (let i = 0; i < 4; i += 1) await store.signInWithPin('p-li', '0000');
    expect(store.error).toMatchObject({ code: 'locked', retryAfterSeconds: FAKE_LOCK_SECONDS, at: ANDON_NOW });
    // Locked: even the right PIN is refused until the lock ends.
    expect(await store.signInWithPin('p-li', '2222')).toBe(false);
    expect(store.error?.code).toBe('locked');
    expect(store.session).toBeNull();
  });

  it('forgets the person when the collector says the session is gone', async () => {
    const api = fakeAndonCollector();
    const store = useSessionStore();
    store.configure({ fetch: api.fetch });
    await store.signInWithPin('p-li', '2222');
    store.expired();
    expect(store.session).toBeNull();
    expect(store.error?.code).toBe('not_signed_in');
  });
});
