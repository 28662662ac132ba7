import { describe, expect, it } from 'vitest';
import { acknowledgeDue, DEFAULT_RESPONSE_TIMES, parseResponders, planResponses, type ResponderCall, type StationNow } from './responders';

const T0 = Date.parse('2026-12-02T06:00:00Z');
const MIN = 60_000;
const REASONS = ['repaired', 'part_replaced', 'material_delivered', 'other'];

const call = (over: Partial<ResponderCall> = {}): ResponderCall => ({ id: 'c-1', station: 'S05', kind: 'maintenance', status: 'open', raisedAt: T0, acknowledgedAt: null, ...over });
const states = (entries: [string, StationNow][]) => new Map(entries);

describe('planResponses', () => {
  it('acknowledges an open call once its own delay, between one and five minutes of line time, has passed', () => {
    const due = acknowledgeDue(call());
    expect(due - T0).toBeGreaterThanOrEqual(MIN);
    expect(due - T0).toBeLessThan(5 * MIN);
    expect(planResponses([call()], states([]), due - 1, REASONS)).toEqual([]);
    expect(planResponses([call()], states([]), due, REASONS)).toEqual([{ call: 'c-1', action: 'acknowledge' }]);
  });

  it('gives each call its own delay, the same on every run', () => {
    const delays = Array.from({ length: 50 }, (_, i) => acknowledgeDue(call({ id: `c-${i}` })) - T0);
    expect(new Set(delays).size).toBeGreaterThan(40);
    expect(acknowledgeDue(call({ id: 'c-7' }))).toBe(acknowledgeDue(call({ id: 'c-7' })));
    const [lo, hi] = DEFAULT_RESPONSE_TIMES.acknowledgeMs;
    for (const d of delays) expect(d >= lo && d < hi).toBe(true);
  });

  it('resolves a station\'s call only once the station has worked again for two minutes, with the kind\'s reason', () => {
    const acked = call({ status: 'acknowledged', acknowledgedAt: T0 + 2 * MIN });
    const now = T0 + 30 * MIN;
    // Still broken, or back less than two minutes ago: the call stays.
    expect(planResponses([acked], states([['S05', { state: 'fault', since: T0 }]]), now, REASONS)).toEqual([]);
    expect(planResponses([acked], states([['S05', { state: 'maintenance', since: T0 }]]), now, REASONS)).toEqual([]);
    expect(planResponses([acked], states([['S05', { state: 'running', since: now - 2 * MIN + 1 }]]), now, REASONS)).toEqual([]);
    expect(planResponses([acked], states([['S05', { state: 'running', since: now - 2 * MIN }]]), now, REASONS)).toEqual([{ call: 'c-1', action: 'resolve', reason: 'repaired' }]);
    // Starved or blocked is working as far as the station goes: its repair is done.
    expect(planResponses([acked], states([['S05', { state: 'starved', since: now - 5 * MIN }]]), now, REASONS)).toHaveLength(1);
  });

  it('waits two minutes after the acknowledgement too, so a call is never resolved the moment it is acknowledged', () => {
    const acked = call({ status: 'acknowledged', acknowledgedAt: T0 + 10 * MIN });
    const running = states([['S05', { state: 'running', since: T0 }]]);
    expect(planResponses([acked], running, T0 + 11 * MIN, REASONS)).toEqual([]);
    expect(planResponses([acked], running, T0 + 12 * MIN, REASONS)).toHaveLength(1);
  });

  it('resolves a call without a known station ten minutes after its acknowledgement', () => {
    const line = call({ station: null, kind: 'help', status: 'acknowledged', acknowledgedAt: T0 });
    const unknown = call({ id: 'c-2', station: 'S99', kind: 'help', status: 'acknowledged', acknowledgedAt: T0 });
    expect(planResponses([line, unknown], states([]), T0 + 10 * MIN - 1, REASONS)).toEqual([]);
    expect(planResponses([line, unknown], states([]), T0 + 10 * MIN, REASONS)).toEqual([
      { call: 'c-1', action: 'resolve', reason: 'repaired' },
      { call: 'c-2', action: 'resolve', reason: 'repaired' },
    ]);
  });

  it('names the kind\'s own reason when the plant has it, else the plant\'s first', () => {
    const running = states([['S05', { state: 'running', since: T0 }]]);
    const acked = (kind: string) => call({ kind, status: 'acknowledged', acknowledgedAt: T0 });
    const reasonOf = (kind: string, reasons: string[]) => planResponses([acked(kind)], running, T0 + 20 * MIN, reasons)[0]?.reason;
    expect(reasonOf('material', REASONS)).toBe('material_delivered');
    expect(reasonOf('material', ['fixed', 'other'])).toBe('fixed');
    expect(reasonOf('safety', REASONS)).toBe('repaired');
    // No reason configured at all: a resolve the collector would refuse is not sent.
    expect(planResponses([acked('maintenance')], running, T0 + 20 * MIN, [])).toEqual([]);
  });

  it('leaves resolved and cancelled calls alone', () => {
    const running = states([['S05', { state: 'running', since: T0 }]]);
    const later = T0 + 60 * MIN;
    expect(planResponses([call({ status: 'resolved', acknowledgedAt: T0 }), call({ status: 'cancelled' })], running, later, REASONS)).toEqual([]);
  });
});

describe('parseResponders', () => {
  it('takes the first person as the one who acknowledges and the last as the one who resolves', () => {
    expect(parseResponders('li.wei:2222,zhao.qiang:3333')).toEqual({ acknowledger: { person: 'li.wei', pin: '2222' }, resolver: { person: 'zhao.qiang', pin: '3333' } });
    expect(parseResponders(' li.wei:2222 ')).toEqual({ acknowledger: { person: 'li.wei', pin: '2222' }, resolver: { person: 'li.wei', pin: '2222' } });
  });

  it('says what is wrong with anything else', () => {
    expect(() => parseResponders('')).toThrow(/one or two people as person:PIN/);
    expect(() => parseResponders('a:1111,b:2222,c:3333')).toThrow(/one or two people/);
    expect(() => parseResponders('li.wei')).toThrow(/'li.wei' is not person:PIN/);
    expect(() => parseResponders(':2222')).toThrow(/is not person:PIN/);
    expect(() => parseResponders('li.wei:22')).toThrow(/4–12 digits/);
    expect(() => parseResponders('li.wei:abcd')).toThrow(/4–12 digits/);
  });
});
