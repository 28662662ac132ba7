import { describe, expect, it } from 'vitest';
import { hashPin, hashToken, verifyPin } from './secrets';
import { MAX_SESSIONS_PER_PERSON, SessionStore } from './sessions';

const settings = { idleMs: 60_000, absoluteMs: 300_000, maxFailures: 5, lockMs: 120_000 };

describe('PIN and token hashes', () => {
  it('verifies the PIN it hashed and no other; two hashes of one PIN differ (salted)', async () => {
    const h = await hashPin('4321', { N: 1024, r: 8, p: 1 });
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPin('4321', h)).toBe(true);
    expect(await verifyPin('4322', h)).toBe(false);
    expect(await hashPin('4321', { N: 1024, r: 8, p: 1 })).not.toBe(h);
    expect(await verifyPin('4321', 'scrypt$x')).toBe(false);
  });
});

describe('sessions', () => {
  it('ends a session after the idle time and after the absolute time, however it is used', async () => {
    let now = 1_800_000_000_000;
    const person = { id: 'p', name: 'P', role: 'team_leader' as const, lines: [], stations: [], notify: {}, tokenHash: hashToken('tkl_abcdefghijklmnopqrstuvwx') };
    const store = new SessionStore([person], settings, () => now);
    const a = store.signInWithToken('tkl_abcdefghijklmnopqrstuvwx');
    if (!a.ok) throw new Error('no session');
    now += 59_000;
    expect(store.lookup(a.sessionId)).not.toBeNull();
    now += 60_000;
    expect(store.lookup(a.sessionId)).toBeNull();
    const b = store.signInWithToken('tkl_abcdefghijklmnopqrstuvwx');
    if (!b.ok) throw new Error('no session');
    for (let i = 0; i < 5; i += 1) {
      now += 59_000;
      expect(store.lookup(b.sessionId)).not.toBeNull();
    }
    now += 59_000; // 354 s after sign-in: past the absolute 300 s
    expect(store.lookup(b.sessionId)).toBeNull();
    expect(store.signInWithToken('tkl_wrong-token-000000000').ok).toBe(false);
  });

  it('counts parallel wrong PINs: five at once lock the person', async () => {
    const now = 1_800_000_000_000;
    const person = { id: 'p', name: 'P', role: 'operator' as const, lines: [], stations: [], notify: {}, pinHash: await hashPin('1234', { N: 1024, r: 8, p: 1 }) };
    const store = new SessionStore([person], settings, () => now);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.signInWithPin('p', '9999')));
    expect(results.filter((r) => !r.ok && r.code === 'locked').length).toBeGreaterThanOrEqual(3);
    const right = await store.signInWithPin('p', '1234');
    expect(right).toMatchObject({ ok: false, code: 'locked', retryAfterSeconds: 120 });
  });
});

describe('session count', () => {
  it(`keeps at most ${MAX_SESSIONS_PER_PERSON} sessions per person, ending the least recently used`, () => {
    let now = 1_800_000_000_000;
    const person = { id: 'p', name: 'P', role: 'operator' as const, lines: [], stations: [], notify: {}, tokenHash: hashToken('tkl_abcdefghijklmnopqrstuvwx') };
    const store = new SessionStore([person], settings, () => now);
    const ids: string[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_PERSON + 5; i += 1) {
      now += 1;
      const r = store.signInWithToken('tkl_abcdefghijklmnopqrstuvwx');
      if (r.ok) ids.push(r.sessionId);
    }
    expect(ids.filter((id) => store.lookup(id) !== null)).toEqual(ids.slice(5));
  });
});
