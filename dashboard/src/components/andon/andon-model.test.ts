import { describe, expect, it } from 'vitest';
import { andonEn, andonZhCN } from '../../i18n/andon-messages';
import { ANDON_CONFIG, ANDON_NOW, callFixture, sessionFixture } from './andon-fixtures';
import {
  andonKpisOf,
  callActions,
  callCards,
  callTimeline,
  errorText,
  filterCalls,
  formatAndonDuration,
  lineClock,
  serverClock,
  lockSecondsLeft,
  newCallIds,
  stationMarks,
} from './andon-model';

describe('formatAndonDuration', () => {
  it('spells units out in both languages, never a bare clock face', () => {
    expect(formatAndonDuration(200, andonZhCN)).toBe('3分20秒');
    expect(formatAndonDuration(200, andonEn)).toBe('3 min 20 s');
    expect(formatAndonDuration(45.9, andonZhCN)).toBe('45秒');
    expect(formatAndonDuration(180, andonEn)).toBe('3 min');
    expect(formatAndonDuration(3900, andonZhCN)).toBe('1小时05分');
    // The second part in two digits, as the station tiles write theirs.
    expect(formatAndonDuration(3482, andonZhCN)).toBe('58分02秒');
    expect(formatAndonDuration(3482, andonEn)).toBe('58 min 02 s');
    expect(formatAndonDuration(7200, andonEn)).toBe('2 h');
    expect(formatAndonDuration(null, andonEn)).toBe('–');
    expect(formatAndonDuration(-5, andonEn)).toBe('0 s');
  });
});

describe('callCards', () => {
  it('puts waiting calls first, then the most urgent, then the oldest, with running time by the server clock', () => {
    const calls = [
      callFixture({ id: 'ack', status: 'acknowledged', priority: 'critical', raisedAt: ANDON_NOW - 900_000, acknowledgedBy: { kind: 'person', id: 'p-li', name: '李强' } }),
      callFixture({ id: 'young', raisedAt: ANDON_NOW - 20_000 }),
      callFixture({ id: 'old', raisedAt: ANDON_NOW - 200_000, tier: 1, tierRole: 'maintenance', kind: 'quality', station: 'S03' }),
      callFixture({ id: 'urgent', priority: 'high', raisedAt: ANDON_NOW - 10_000 }),
    ];
    const cards = callCards(calls, { now: ANDON_NOW, kinds: ANDON_CONFIG.kinds, locale: 'zh-CN', m: andonZhCN });
    expect(cards.map((c) => c.id)).toEqual(['urgent', 'old', 'young', 'ack']);
    const old = cards[1];
    expect(old).toMatchObject({ station: 'S03', kindLabel: '质量', duration: '3分20秒', tier: '第2级 维修', who: '无人响应' });
    expect(cards[3]?.who).toBe('李强 已响应');
  });

  it('labels a kind the config no longer lists from the catalogue, else by its id', () => {
    const cards = callCards([callFixture({ kind: 'safety' }), callFixture({ id: 'c-2', kind: 'paint-shop' })], { now: ANDON_NOW, kinds: [], locale: 'en', m: andonEn });
    expect(cards.map((c) => c.kindLabel)).toEqual(['Safety', 'paint-shop']);
  });
});

describe('next escalation', () => {
  it('says when an open call climbs to the next tier, and nothing once acknowledged or at the top', () => {
    const opts = { now: ANDON_NOW, kinds: ANDON_CONFIG.kinds, escalation: ANDON_CONFIG.escalation, locale: 'zh-CN' as const, m: andonZhCN };
    // Raised 2 min ago at tier 0: maintenance at 3 min, so in 1 min.
    expect(callCards([callFixture()], opts)[0]?.next).toBe('1分后升级至维修');
    expect(callCards([callFixture({ tier: 1, tierRole: 'maintenance' })], { ...opts, m: andonEn, locale: 'en' })[0]?.next).toBe('to Plant manager in 8 min');
    expect(callCards([callFixture({ tier: 2, tierRole: 'manager' })], opts)[0]?.next).toBeNull();
    expect(callCards([callFixture({ status: 'acknowledged' })], opts)[0]?.next).toBeNull();
    // A tier overdue (the collector's tick is coming) reads 0, never negative.
    expect(callCards([callFixture({ raisedAt: ANDON_NOW - 200_000 })], opts)[0]?.next).toBe('0秒后升级至维修');
    expect(callCards([callFixture()], { ...opts, escalation: [] })[0]?.next).toBeNull();
  });
});

describe('stationMarks', () => {
  it('marks each station with a live call, open winning over acknowledged, closed calls ignored', () => {
    const marks = stationMarks([
      callFixture({ id: 'a', station: 'S02', status: 'acknowledged' }),
      callFixture({ id: 'b', station: 'S02', status: 'open' }),
      callFixture({ id: 'c', station: 'S05', status: 'acknowledged' }),
      callFixture({ id: 'd', station: 'S09', status: 'resolved' }),
      callFixture({ id: 'e', station: null }),
    ]);
    expect([...marks]).toEqual([
      ['S02', 'open'],
      ['S05', 'acknowledged'],
    ]);
  });
});

describe('callActions', () => {
  it('offers what the role may and the status allows', () => {
    const open = callFixture();
    expect(callActions(open, sessionFixture('team_leader'))).toEqual(['acknowledge', 'resolve']);
    expect(callActions(open, sessionFixture('operator', 'p-wang', '王芳'))).toEqual(['cancel']);
    expect(callActions(open, sessionFixture('operator', 'p-other', '刘洋'))).toEqual([]);
    expect(callActions({ ...open, status: 'acknowledged' }, sessionFixture('maintenance'))).toEqual(['resolve']);
    expect(callActions({ ...open, status: 'resolved' }, sessionFixture('admin'))).toEqual([]);
    expect(callActions(open, null)).toEqual([]);
  });
});

describe('errors', () => {
  it('says how many PIN tries are left, and how long a lock still lasts', () => {
    expect(errorText({ code: 'bad_credentials', message: 'x', attemptsLeft: 2 }, andonZhCN, 0)).toBe('PIN 不正确，还可再试 2 次');
    expect(errorText({ code: 'bad_credentials', message: 'x', attemptsLeft: 1 }, andonEn, 0)).toBe('Wrong PIN: 1 try left');
    const lock = { code: 'locked', message: 'x', retryAfterSeconds: 300, at: 1_000_000 };
    expect(lockSecondsLeft(lock, 1_000_000 + 50_000)).toBe(250);
    expect(errorText(lock, andonZhCN, 1_000_000 + 50_000)).toBe('错误次数过多，已锁定，4分10秒后可再试');
    expect(lockSecondsLeft(lock, 1_000_000 + 400_000)).toBe(0);
    expect(errorText({ code: 'locked', message: 'x', retryAfterSeconds: null }, andonEn, 0)).toBe('Too many wrong PINs: locked for a while');
    expect(errorText({ code: 'forbidden', message: 'team leaders and maintenance may acknowledge' }, andonEn, 0)).toBe('Not allowed: team leaders and maintenance may acknowledge');
    expect(errorText({ code: 'invalid_transition', message: 'call c-12 is already resolved' }, andonZhCN, 0)).toBe('无法执行：call c-12 is already resolved');
  });
});

describe('newCallIds', () => {
  it('finds the open calls not seen before', () => {
    const calls = [callFixture({ id: 'a' }), callFixture({ id: 'b' }), callFixture({ id: 'c', status: 'acknowledged' })];
    expect(newCallIds(new Set(['a']), calls)).toEqual(['b']);
  });
});

describe('filterCalls', () => {
  it('filters by kind, station and status, newest first', () => {
    const calls = [
      callFixture({ id: 'a', raisedAt: 1, kind: 'quality' }),
      callFixture({ id: 'b', raisedAt: 3, status: 'resolved' }),
      callFixture({ id: 'c', raisedAt: 2, station: 'S03', status: 'acknowledged' }),
    ];
    expect(filterCalls(calls, { kind: null, station: null, status: null }).map((c) => c.id)).toEqual(['b', 'c', 'a']);
    expect(filterCalls(calls, { kind: null, station: null, status: 'active' }).map((c) => c.id)).toEqual(['c', 'a']);
    expect(filterCalls(calls, { kind: 'maintenance', station: 'S07', status: null }).map((c) => c.id)).toEqual(['b']);
  });
});

describe('callTimeline', () => {
  it('lists raise, each escalation, acknowledgement and resolution with offsets after the raise', () => {
    const t0 = ANDON_NOW - 900_000;
    const call = callFixture({
      raisedAt: t0,
      status: 'resolved',
      tier: 1,
      tierRole: 'maintenance',
      escalations: [
        { tier: 0, role: 'team_leader', at: t0 },
        { tier: 1, role: 'maintenance', at: t0 + 180_000 },
      ],
      acknowledgedAt: t0 + 200_000,
      acknowledgedBy: { kind: 'person', id: 'p-zhao', name: '赵磊' },
      resolvedAt: t0 + 600_000,
      resolvedBy: { kind: 'person', id: 'p-zhao', name: '赵磊' },
      resolution: { reason: 'fixed', note: 'replaced the gripper' },
    });
    const steps = callTimeline(call, [], { m: andonEn, reasonLabel: (id) => (id === 'fixed' ? 'Fixed' : id) });
    expect(steps.map((s) => [s.kind, s.offsetSeconds, s.label, s.actor])).toEqual([
      ['raised', 0, 'Raised', '王芳'],
      ['escalated', 180, 'Escalated to Maintenance', null],
      ['acknowledged', 200, 'Acknowledged', '赵磊'],
      ['resolved', 600, 'Resolved', '赵磊'],
    ]);
    expect(steps[3]?.detail).toBe('Fixed · replaced the gripper');
  });
});

describe('andonKpisOf', () => {
  it('reads the KPI answer’s andon part, and null when the collector sends none', () => {
    expect(andonKpisOf({ andon: { mtta: { seconds: 95, calls: 4 }, mttr: { seconds: null, calls: 0 }, byKind: [] } })).toEqual({
      mtta: { seconds: 95, calls: 4 },
      mttr: { seconds: null, calls: 0 },
      byKind: [],
    });
    expect(andonKpisOf({ oee: {} })).toBeNull();
    expect(andonKpisOf({ andon: { mtta: 5 } })).toBeNull();
  });
});

describe('lineClock', () => {
  it('runs the line’s clock on from its last message, so a demo clock ahead of the kiosk still times calls right', () => {
    // The line's clock is 2 h ahead of the kiosk (a demo); 5 s after the message it reads 5 s later.
    expect(lineClock(1_000_005_000, 1_007_200_000, 1_000_000_000)).toBe(1_007_205_000);
    expect(lineClock(42, null, null)).toBe(42);
  });

  it('serverClock corrects a kiosk clock that is off by the last message’s server time', () => {
    // The kiosk is 10 min slow: a message stamped 12:10 arrived at its 12:00.
    expect(serverClock(1_000_060_000, 1_000_600_000, 1_000_000_000)).toBe(1_000_660_000);
    expect(serverClock(7, null, 5)).toBe(7);
  });
});

describe('keys the collector controls', () => {
  it('never index the catalogues’ prototypes: an unknown role, priority or kind reads as itself', () => {
    const [card] = callCards([callFixture({ tierRole: '__proto__' as never, priority: 'constructor' as never, kind: 'toString' })], { now: ANDON_NOW, kinds: [], locale: 'en', m: andonEn });
    expect(card).toMatchObject({ tier: 'Tier 1 __proto__', priorityLabel: 'constructor', kindLabel: 'toString' });
  });
});
