import { describe, expect, it } from 'vitest';
import type { StopReasonEvent } from '../events';
import { partnerFromReason } from '../kpi/active-period';
import type { StateSegment } from '../kpi/states';
import { classifyRefusal } from './access';
import { DEFAULT_REASONS, ReasonsConfig } from './config';
import { reasonTotals, stopRecords, unclassifiedShare, type StopRecord } from './stops';

const T0 = Date.UTC(2027, 2, 1, 8);
const MIN = 60_000;
const seg = (state: StateSegment['state'], start: number, end: number, reason: string | null = null): StateSegment => ({ state, reason, start: T0 + start * MIN, end: T0 + end * MIN, since: T0 + start * MIN });
const planned = [{ start: T0, end: T0 + 120 * MIN }];

function records(timeline: StateSegment[], classifications: StopReasonEvent[] = [], tree = DEFAULT_REASONS) {
  return stopRecords({ line: 'A1', timelines: new Map([['S01', timeline]]), planned, tree, asOf: T0 + 120 * MIN, partnerOf: partnerFromReason, classifications });
}
const event = (stop: string, ts: number, reason: string, category: string, extra: Partial<StopReasonEvent> = {}): StopReasonEvent => ({
  type: 'stop_reason', ts, id: `r-${ts}`, stop, line: 'A1', station: 'S01', reason, category, actorKind: 'person', actorId: 'sv1', actorName: 'sv', role: 'supervisor', ...extra,
});

describe('stop records', () => {
  it('turns stops of at least the threshold into records and counts shorter ones as micro-stops', () => {
    const s = records([seg('running', 0, 10), seg('fault', 10, 15), seg('running', 15, 20), seg('starved', 20, 21), seg('idle', 21, 30), seg('running', 30, 120)]);
    expect(s.records.map((r) => [r.state, r.seconds])).toEqual([['fault', 300], ['idle', 540]]);
    expect(s.micro).toEqual({ count: 1, seconds: 60 });
  });

  it('counts only planned time: a fault outside the plan is no record', () => {
    const s = records([seg('running', 0, 120), seg('fault', 120, 180)]);
    expect(s.records).toEqual([]);
  });

  it('a station-sent code of the tree classifies the record; starved for a partner pre-fills material', () => {
    const s = records([seg('fault', 0, 10, 'robot'), seg('starved', 10, 20, 'waiting for parts from P-BATT-01'), seg('running', 20, 120)]);
    expect(s.records[0]?.current).toMatchObject({ source: 'station', parts: [{ reason: 'robot', category: 'machine' }] });
    expect(s.records[1]).toMatchObject({ current: null, inferred: { category: 'material', partner: 'P-BATT-01' } });
    expect(unclassifiedShare(s.records)).toBe(0.5);
  });

  it('the newest classification decides; older ones stay as history; a split gives two parts', () => {
    const first = records([seg('fault', 0, 10), seg('running', 10, 120)]).records[0] as StopRecord;
    const s = records([seg('fault', 0, 10), seg('running', 10, 120)], [
      event(first.id, T0 + 30 * MIN, 'power', 'environment', { splitAt: T0 + 4 * MIN, reason2: 'breakdown', category2: 'machine', id: 'b' }),
      event(first.id, T0 + 20 * MIN, 'breakdown', 'machine', { id: 'a' }),
    ]);
    const r = s.records[0] as StopRecord;
    expect(r.history.map((h) => h.id)).toEqual(['a', 'b']);
    expect(r.current?.parts.map((p) => [p.reason, (p.to - p.from) / MIN])).toEqual([['power', 4], ['breakdown', 6]]);
    const totals = reasonTotals(s.records, planned);
    expect(totals.byReason.map((t) => [t.reason, t.seconds])).toEqual([['breakdown', 360], ['power', 240]]);
    expect(totals.byCategory.map((t) => [t.category, t.seconds])).toEqual([['machine', 360], ['environment', 240]]);
  });

  it('has no unclassified share without records (no data, not 0 %)', () => {
    expect(unclassifiedShare([])).toBeNull();
  });

  it('honours a configured threshold', () => {
    const tree = ReasonsConfig.parse({ reasons: [], thresholdSeconds: 30 });
    expect(records([seg('fault', 0, 1), seg('running', 1, 120)], [], tree).records).toHaveLength(1);
  });
});

describe('the reason tree', () => {
  it('refuses a reason under an unknown category and a code listed twice, naming the field', () => {
    const bad = ReasonsConfig.safeParse({ reasons: [{ code: 'x', category: 'nope', label: { zh: 'x', en: 'x' } }, { code: 'x', category: 'machine', label: { zh: 'x', en: 'x' } }] });
    expect(bad.success).toBe(false);
    const issues = bad.error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toContainEqual(['reasons.0.category', expect.stringMatching(/category 'nope' is not one of/)]);
    expect(issues).toContainEqual(['reasons.1.code', "reason code 'x' is listed twice"]);
  });
});

describe('who may classify', () => {
  const stop = (history: StopReasonEvent[] = [], to: number | null = T0 + 10 * MIN): StopRecord => ({ id: 'S01.x', line: 'A1', station: 'S01', state: 'fault', from: T0, to, seconds: 600, stationReason: null, inferred: null, current: null, history });
  const op = { id: 'op1', role: 'operator' as const, lines: ['A1'], stations: ['S01'] };
  const sv = { id: 'sv1', role: 'supervisor' as const, lines: ['A1'], stations: [] };
  const now = T0 + 60 * MIN;

  it('lets an operator classify their station once, and only a supervisor change it', () => {
    expect(classifyRefusal(op, stop(), { reason: 'breakdown' }, DEFAULT_REASONS, now)).toBeNull();
    expect(classifyRefusal({ ...op, stations: ['S02'] }, stop(), { reason: 'breakdown' }, DEFAULT_REASONS, now)?.status).toBe(403);
    const done = stop([event('S01.x', T0 + 11 * MIN, 'breakdown', 'machine')]);
    expect(classifyRefusal(op, done, { reason: 'power' }, DEFAULT_REASONS, now)).toMatchObject({ status: 403, code: 'forbidden' });
    expect(classifyRefusal(sv, done, { reason: 'power' }, DEFAULT_REASONS, now)).toBeNull();
  });

  it('refuses an edit after the window with edit_window_closed, and an unknown code or a split outside the stop with 400', () => {
    expect(classifyRefusal(sv, stop(), { reason: 'power' }, DEFAULT_REASONS, T0 + 10 * MIN + 24 * 60 * MIN + 1)).toMatchObject({ status: 409, code: 'edit_window_closed' });
    expect(classifyRefusal(sv, stop(), { reason: 'nope' }, DEFAULT_REASONS, now)).toMatchObject({ status: 400, code: 'unknown_reason' });
    expect(classifyRefusal(sv, stop(), { reason: 'power', splitAt: T0 + 11 * MIN, reason2: 'breakdown' }, DEFAULT_REASONS, now)?.status).toBe(400);
    expect(classifyRefusal(op, stop(), { reason: 'power', splitAt: T0 + 5 * MIN, reason2: 'breakdown' }, DEFAULT_REASONS, now)?.status).toBe(403);
  });
});
