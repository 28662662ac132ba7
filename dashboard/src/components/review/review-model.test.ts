import { describe, expect, it } from 'vitest';
import type { StopReasonEvent } from '../../../../core/events';
import type { StopRecord } from '../../../../core/reasons/stops';
import { REVIEW_CATALOGUES } from '../../i18n/review-messages';
import { formatDuration } from '../../i18n/format';
import { checkSplit, historyRows, instantOnLineClock, parseClock, partViews, refusalText } from './review-model';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 2, 0); // 10:00 in Shanghai
const zh = REVIEW_CATALOGUES['zh-CN'];
const en = REVIEW_CATALOGUES.en;
const time = (ts: number) => new Date(ts).toISOString().slice(11, 19);

function record(over: Partial<StopRecord> = {}): StopRecord {
  return { id: 'S01.x', line: 'A1', station: 'S01', state: 'fault', from: T0, to: T0 + 10 * MIN, seconds: 600, stationReason: null, inferred: null, current: null, history: [], ...over };
}
function ev(id: string, over: Partial<StopReasonEvent>): StopReasonEvent {
  return { type: 'stop_reason', id, ts: T0 + 20 * MIN, stop: 'S01.x', line: 'A1', station: 'S01', reason: 'breakdown', category: 'machine', actorKind: 'person', actorId: 'op1', actorName: 'Wang Li', role: 'operator', ...over };
}

describe('the split instant on the line\'s clock', () => {
  it('reads HH:MM and HH:MM:SS and refuses anything else', () => {
    expect(parseClock('10:04')).toBe(10 * 3600 + 4 * 60);
    expect(parseClock('10:04:30')).toBe(10 * 3600 + 4 * 60 + 30);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('10:4')).toBeNull();
    expect(parseClock('soon')).toBeNull();
  });
  it('takes the wall clock of the line\'s zone, not the browser\'s or UTC', () => {
    expect(instantOnLineClock(parseClock('10:04:30') ?? 0, T0, 'Asia/Shanghai')).toBe(T0 + 4.5 * MIN);
    expect(instantOnLineClock(parseClock('02:04:30') ?? 0, T0, 'UTC')).toBe(T0 + 4.5 * MIN);
  });
  it('takes the next day for a stop over midnight', () => {
    const from = Date.UTC(2026, 11, 1, 15, 50); // 23:50 in Shanghai
    expect(instantOnLineClock(parseClock('00:05') ?? 0, from, 'Asia/Shanghai')).toBe(from + 15 * MIN);
  });
  it('accepts only an instant strictly inside the stop and says why not, in both languages', () => {
    const stop = record();
    expect(checkSplit(T0 + MIN, stop, T0 + 60 * MIN, en, time)).toEqual({ ok: true, at: T0 + MIN });
    for (const at of [T0, T0 + 10 * MIN, T0 - MIN, T0 + 11 * MIN]) {
      const c = checkSplit(at, stop, T0 + 60 * MIN, en, time);
      expect(c.ok).toBe(false);
      if (!c.ok) expect(c.why).toBe('The split instant must lie inside the stop (after 02:00:00, before 02:10:00)');
    }
    const zhCheck = checkSplit(null, stop, T0, zh, time);
    expect(zhCheck).toEqual({ ok: false, why: '拆分时刻须为“时:分”或“时:分:秒”' });
  });
  it('ends an ongoing stop at now', () => {
    const stop = record({ to: null });
    expect(checkSplit(T0 + 15 * MIN, stop, T0 + 20 * MIN, en, time).ok).toBe(true);
    expect(checkSplit(T0 + 25 * MIN, stop, T0 + 20 * MIN, en, time).ok).toBe(false);
  });
});

describe('parts and history', () => {
  it('gives each part of a split its length, adding up to the stop', () => {
    const stop = record({ current: { source: 'person', parts: [{ from: T0, to: T0 + 4.5 * MIN, reason: 'breakdown', category: 'machine' }, { from: T0 + 4.5 * MIN, to: T0 + 10 * MIN, reason: 'power', category: 'environment' }] } });
    const parts = partViews(stop, T0 + 60 * MIN, (c) => c.toUpperCase());
    expect(parts).toEqual([{ reason: 'breakdown', label: 'BREAKDOWN', seconds: 270 }, { reason: 'power', label: 'POWER', seconds: 330 }]);
    // Durations in words, never clock-like (4:30 reads as a time of day next to the stop's 13:27–13:37).
    expect(parts.map((p) => formatDuration(p.seconds, 'zh-CN'))).toEqual(['4分30秒', '5分30秒']);
  });
  it('lists every classification newest first with who, when and old → new, the split named', () => {
    const stop = record({
      stationReason: 'jam',
      history: [ev('e1', {}), ev('e2', { ts: T0 + 30 * MIN, actorName: 'Li Na', role: 'supervisor', supersedes: 'e1', reason: 'breakdown', splitAt: T0 + 4.5 * MIN, reason2: 'power', category2: 'environment', note: 'power dip' })],
    });
    const rows = historyRows(stop, en, (c) => c.toUpperCase(), time);
    expect(rows).toEqual([
      { id: 'e2', who: 'Li Na', role: 'supervisor', at: T0 + 30 * MIN, before: 'BREAKDOWN', after: 'BREAKDOWN until 02:04:30 + POWER from 02:04:30', split: true, note: 'power dip' },
      { id: 'e1', who: 'Wang Li', role: 'operator', at: T0 + 20 * MIN, before: 'station sent: jam', after: 'BREAKDOWN', split: false, note: null },
    ]);
    expect(historyRows(record(), zh, (c) => c, time)).toEqual([]);
  });
});

describe('refusals', () => {
  const refusal = (code: string, message: string) => Object.assign(new Error(message), { code });
  it('names the collector\'s reason in the page\'s language', () => {
    expect(refusalText(refusal('edit_window_closed', 'stop S01.x ended …'), zh)).toBe('已超过修改期限，不能再修改：stop S01.x ended …');
    expect(refusalText(refusal('edit_window_closed', 'stop S01.x ended …'), en)).toBe('The edit window has closed: stop S01.x ended …');
    expect(refusalText(refusal('not_signed_in', 'sign in'), zh)).toBe('请先登录，再分类或拆分停机');
    expect(refusalText(refusal('forbidden', 'a operator may not split a stop'), en)).toBe('You may not change this stop: a operator may not split a stop');
    expect(refusalText(refusal('spool_full', 'try again'), en)).toBe('Not saved: try again');
  });
});
