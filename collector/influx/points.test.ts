import { describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { eventIdentity, eventIdentityBySort, eventToPoint, pointTimestampNs } from './points';

const TS = 1_803_859_200_000;
const line = (event: StationEvent) => eventToPoint(event).toLineProtocol() ?? '';

describe('eventToPoint', () => {
  it('writes line and station as tags and everything unbounded as fields', () => {
    const lp = line({ type: 'cycle', ts: TS, line: 'A1', station: 'S03', cycleTime: 118.5, unit: 'LSV123', result: 'ok' });
    expect(lp).toMatch(/^cycle,line=A1,station=S03 cycleTime=118.5,result="ok",unit="LSV123" 1803859200000\d{6}$/);
  });

  it('escapes free text so it cannot break line protocol', () => {
    const lp = line({ type: 'state', ts: TS, line: 'A1', station: 'S01', state: 'fault', reason: 'E-stop "pressed"\\ x=1,y' });
    expect(lp).toContain('reason="E-stop \\"pressed\\"\\\\ x=1,y"');
    expect(lp.split(' ')[0]).toBe('state,line=A1,station=S01');
  });

  it('counts good units with an integer field', () => {
    expect(line({ type: 'unit', ts: TS, line: 'A1', unit: 'V1', result: 'nok' })).toContain('good=0i');
    expect(line({ type: 'unit', ts: TS, line: 'A1', unit: 'V2' })).toContain('good=1i');
  });
});

describe('pointTimestampNs', () => {
  it('gives a replay of the same event the same nanosecond', () => {
    const a: StationEvent = { type: 'unit', ts: TS, line: 'A1', unit: 'V1' };
    expect(pointTimestampNs(a)).toBe(pointTimestampNs({ ...a }));
    expect(pointTimestampNs(a).slice(0, 13)).toBe(String(TS));
  });

  it('gives a repeat sent once with an id and once without the same nanosecond, so it is one point', () => {
    const unit: StationEvent = { type: 'unit', ts: TS, line: 'A1', unit: 'V1' };
    expect(pointTimestampNs({ ...unit, id: 'st-1' })).toBe(pointTimestampNs(unit));
    const cycle: StationEvent = { type: 'cycle', ts: TS, line: 'A1', station: 'S01', cycleTime: 100 };
    expect(pointTimestampNs({ ...cycle, id: 'st-2' })).toBe(pointTimestampNs(cycle));
    const orders: StationEvent = { type: 'orders', ts: TS, total: 5 };
    expect(pointTimestampNs({ ...orders, id: 'erp-1' })).toBe(pointTimestampNs(orders));
  });

  it('keeps two different events of the same millisecond apart', () => {
    const a = pointTimestampNs({ type: 'unit', ts: TS, line: 'A1', unit: 'V1' });
    const b = pointTimestampNs({ type: 'unit', ts: TS, line: 'A1', unit: 'V2' });
    expect(a).not.toBe(b);
  });
});

/** A seeded generator (mulberry32): the same events on every run, many shapes. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('eventIdentity', () => {
  it('keeps the nanosecond of points written by earlier versions (a replay overwrites, never duplicates)', () => {
    // Values from the identity as first defined (JSON.stringify with sorted keys), before the hand-built one.
    expect(pointTimestampNs({ type: 'cycle', ts: TS, line: 'A1', station: 'S03', cycleTime: 118.5, unit: 'LSV123', result: 'ok', id: 'x-1' })).toBe('1803859200000001555');
    expect(pointTimestampNs({ type: 'state', ts: TS, line: 'A1', station: 'S01', state: 'fault', reason: 'E-stop "pressed"\\ 急停' })).toBe('1803859200000185112');
  });

  it('equals JSON.stringify with sorted keys for 20,000 generated events of any keys and values', () => {
    const next = random(15);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const chars = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '急', '😀', '\ud800', '\udfff', '\u2028', '<', '}'];
    const text = () => Array.from({ length: Math.floor(next() * 8) }, () => pick(chars)).join('');
    const numbers = [0, -0, 1, -1, 118.5, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER, 5e-324, NaN, Infinity];
    const keys = ['type', 'ts', 'id', 'line', 'station', 'cycleTime', 'unit', 'result', 'defect', 'reason', 'a"b', 'k\\', 'é', '1', '__x', 'Z'];
    const value = (depth: number): unknown => {
      const kind = next();
      if (kind < 0.4) return text();
      if (kind < 0.7) return next() < 0.5 ? pick(numbers) : Math.round(next() * 1e6) / 100;
      if (kind < 0.78) return next() < 0.5;
      if (kind < 0.86) return undefined;
      if (kind < 0.9) return null;
      if (kind < 0.95 && depth < 2) return Object.fromEntries(Array.from({ length: 3 }, () => [pick(keys), value(depth + 1)]));
      if (depth < 2) return [value(depth + 1), value(depth + 1)];
      return text();
    };
    let flat = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const event: Record<string, unknown> = {};
      for (let k = Math.floor(next() * 9); k > 0; k -= 1) event[pick(keys)] = next() < 0.85 ? (next() < 0.5 ? text() : pick(numbers)) : value(0);
      if (Object.values(event).every((v) => typeof v !== 'object' || v === null)) flat += 1;
      const e = event as unknown as StationEvent;
      expect(eventIdentity(e)).toBe(eventIdentityBySort(e));
    }
    // Most generated events are flat, so the hand-built path itself is what is compared.
    expect(flat).toBeGreaterThan(10_000);
  });
});
