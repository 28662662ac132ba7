import { describe, expect, it } from 'vitest';
import type { AndonCallView } from '../andon/types';
import { lineCalendar } from '../calendar/calendar';
import type { StationEvent } from '../events';
import { computeLineKpis } from '../kpi/line-kpis';
import { lossReport } from '../loss/waterfall';
import { referencePlant } from '../plant';
import { DEFAULT_REASONS } from '../reasons/config';
import type { LossReport, LossTerm } from '../loss/types';
import { shiftByKey, shiftReport, REPORT_TOP_LOSSES } from './shift-report';

const line = referencePlant().lines[0];
if (!line) throw new Error('the reference plant has no line');
const cal = lineCalendar(line);
const MIN = 60_000;

function early() {
  const found = shiftByKey(cal, '2027-03-01/early');
  if (!found.ok) throw new Error(found.reason);
  return found.shift;
}

function call(id: string, raisedAt: number, closed: { resolvedAt?: number; cancelledAt?: number } = {}): AndonCallView {
  const who = { kind: 'station' as const, id: 'S05', name: 'S05' };
  return {
    id,
    line: line?.id ?? 'A1',
    station: 'S05',
    kind: 'maintenance',
    priority: 'normal',
    status: closed.resolvedAt ? 'resolved' : closed.cancelledAt ? 'cancelled' : 'open',
    raisedAt,
    raisedBy: who,
    note: null,
    tier: 0,
    tierRole: 'maintenance',
    escalations: [],
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: closed.resolvedAt ?? null,
    resolvedBy: closed.resolvedAt ? who : null,
    resolution: null,
    cancelledAt: closed.cancelledAt ?? null,
    cancelledBy: closed.cancelledAt ? who : null,
    reopens: null,
  };
}

describe('shiftByKey', () => {
  it('finds a shift of the calendar by its key', () => {
    const s = early();
    expect(s.key).toBe('2027-03-01/early');
    expect(s.start).toBe(Date.parse('2027-03-01T06:00:00+08:00'));
  });

  it('tells a malformed key from a shift the calendar does not have', () => {
    expect(shiftByKey(cal, 'early')).toMatchObject({ ok: false, code: 'invalid_shift' });
    expect(shiftByKey(cal, '2027-02-30/early')).toMatchObject({ ok: false, code: 'invalid_shift' });
    const unknown = shiftByKey(cal, '2027-03-01/graveyard');
    expect(unknown).toMatchObject({ ok: false, code: 'unknown_shift' });
    expect(unknown.ok ? '' : unknown.reason).toContain('early');
  });
});

describe('shiftReport', () => {
  const shift = early();
  const events: StationEvent[] = [];
  for (let i = 0; i < 40; i++) events.push({ type: 'unit', ts: shift.start + i * 3 * MIN, line: 'A1', unit: `U${i}`, ...(i === 7 ? { result: 'nok' as const } : {}) });
  events.push({ type: 'state', ts: shift.start + 30 * MIN, line: 'A1', station: 'S05', state: 'fault', reason: 'breakdown' });
  events.push({ type: 'state', ts: shift.start + 75 * MIN, line: 'A1', station: 'S05', state: 'running' });
  const now = shift.end + 10 * MIN;
  const req = { line, events, from: shift.start, to: shift.end, now, initialStates: {} };

  it('carries the KPI and loss figures unchanged and lists the calls still open at the end', () => {
    const kpis = computeLineKpis(req);
    const losses = lossReport(req);
    const calls = [call('late', shift.start + 200 * MIN), call('done', shift.start + 30 * MIN, { resolvedAt: shift.start + 40 * MIN }), call('after', shift.start + 300 * MIN, { resolvedAt: shift.end + 5 * MIN })];
    const r = shiftReport({ shift, kpis, losses, calls });
    expect(r).toMatchObject({ status: 'ok', draft: false, output: { units: 40, goodUnits: 39, plan: kpis.kpis.planTotal.value } });
    expect(r.oee.oee).toBe(kpis.oee.oee);
    expect(r.losses.top.map((t) => t.units)).toEqual(losses.losses.filter((t) => t.units > 0).slice(0, REPORT_TOP_LOSSES).map((t) => t.units));
    const listed = [...r.losses.top, ...r.losses.gains].reduce((s, t) => s + t.units, 0);
    expect(listed + r.losses.otherUnits).toBeCloseTo(losses.planUnits - losses.goodUnits, 6);
    expect(r.andon.calls.map((c) => c.id)).toEqual(['done', 'late', 'after']);
    // Resolved after the shift ended: still open when the shift was handed over.
    expect(r.andon.openAtEnd.map((c) => c.id)).toEqual(['late', 'after']);
  });

  it('is a draft before the shift ends, and says no data, not 0, for a shift without events', () => {
    const mid = { ...req, now: shift.start + 60 * MIN };
    expect(shiftReport({ shift, kpis: computeLineKpis(mid), losses: lossReport(mid), calls: [] }).draft).toBe(true);
    const empty = { ...req, events: [] };
    const r = shiftReport({ shift, kpis: computeLineKpis(empty), losses: lossReport(empty), calls: [] });
    expect(r.status).toBe('no_data');
    expect(r.output.units).toBeNull();
    expect(r.oee.oee).toBeNull();
  });

  it('never nets a gain against the rest: gains are listed by name, the rest sums losses only', () => {
    const kpis = computeLineKpis(req);
    const base = lossReport(req);
    const term = (units: number, station: string): LossTerm => ({ cause: { kind: 'downtime', station, state: 'fault', reason: 'breakdown' }, units, seconds: units * 120, episodes: [] });
    const gain: LossTerm = { cause: { kind: 'unexplained' }, units: -7.2, seconds: 0, episodes: [], why: { zh: '缓冲消耗', en: 'buffers drained' } };
    const terms = [8, 6, 5, 4, 3, 1.2, 0.9, 0.4].map((u, i) => term(u, `S0${i + 1}`));
    const losses: LossReport = { ...base, losses: [...terms, gain] };
    const r = shiftReport({ shift, kpis, losses, calls: [], reasons: DEFAULT_REASONS });
    expect(r.losses.top.map((t) => t.units)).toEqual([8, 6, 5, 4, 3]);
    expect(r.losses.otherCount).toBe(3);
    expect(r.losses.otherUnits).toBeCloseTo(2.5, 9);
    expect(r.losses.gains.map((t) => t.units)).toEqual([-7.2]);
    expect(r.reasonLabels).toEqual([{ reason: 'breakdown', code: 'breakdown', label: { zh: '设备故障', en: 'Breakdown' } }]);
  });
});
