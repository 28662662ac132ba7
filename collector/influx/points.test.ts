import { describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { eventIdentity, eventIdentityBySort, eventToLine, eventToPoint, identityHash, identityHashByPieces, pointTimestampNs, pointTimestampNsByText } from './points';
import { seededRandom as random } from '../test/support/seeded-random';

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


describe('eventIdentity', () => {
  it('keeps the nanosecond of points written by earlier versions (a replay overwrites, never duplicates)', () => {
    // Values from the identity as first defined (JSON.stringify with sorted keys), before the hand-built one.
    expect(pointTimestampNs({ type: 'cycle', ts: TS, line: 'A1', station: 'S03', cycleTime: 118.5, unit: 'LSV123', result: 'ok', id: 'x-1' })).toBe('1803859200000001555');
    expect(pointTimestampNs({ type: 'state', ts: TS, line: 'A1', station: 'S01', state: 'fault', reason: 'E-stop "pressed"\\ 急停' })).toBe('1803859200000185112');
  });

  it('equals JSON.stringify with sorted keys, and so does the nanosecond hashed from it, for 20,000 generated events of any keys and values', () => {
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
      // The nanosecond hashes the identity piece by piece, never building its text: the same hash as of the text.
      if (pointTimestampNs(e) !== pointTimestampNsByText(e)) expect({ e, ns: pointTimestampNs(e) }).toEqual({ e, ns: pointTimestampNsByText(e) });
    }
    // Most generated events are flat, so the hand-built path itself is what is compared.
    expect(flat).toBeGreaterThan(10_000);
  });
});

describe('identityHash', () => {
  it('equals the hash fed piece by piece for runs of events sharing their keys, in the same and in another order, after other keys as many, and for any integer', () => {
    const next = random(21);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const chars = ['a', 'Z', '0', ' ', '~', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '急', '😀', '\ud800'];
    const text = () => Array.from({ length: Math.floor(next() * 10) }, () => (next() < 0.8 ? pick(['a', 'Z', '0', ' ', '~', '-']) : pick(chars))).join('');
    // Safe integers either side of every power of ten, negatives, -0, and the first unsafe ones (written by JSON.stringify).
    const integers = [0, -0, 1, -1, 9, 10, 99, 100, 1_803_859_200_000, -1_803_859_200_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, -(2 ** 53), 1e21, 123e20];
    const number = () => {
      const kind = next();
      if (kind < 0.4) return pick(integers);
      if (kind < 0.7) return Math.floor(next() * 10 ** Math.floor(next() * 16)) * (next() < 0.2 ? -1 : 1);
      return pick([118.5, 0.1 + 0.2, 1e-7, 5e-324, NaN, Infinity, -Infinity]);
    };
    const keySets = [
      ['type', 'ts', 'line', 'station', 'cycleTime', 'result', 'unit', 'id'],
      ['type', 'ts', 'line', 'unit', 'result'],
      ['id', 'type', 'ts', 'total'],
      ['type', 'ts', 'line', 'unit', 'model'],
      ['type', 'a"b', 'k\\', 'é', '1', 'Z'],
      ['type', 'ts', 'line', 'station', 'state', 'reason'],
    ];
    let hashed = 0;
    for (let run = 0; run < 2_000; run += 1) {
      let keys = pick(keySets);
      // Now and then the same keys in another order: the kept sorted keys must not be taken for it.
      if (next() < 0.3) keys = [...keys].sort(() => next() - 0.5);
      for (let i = Math.floor(next() * 12); i > 0; i -= 1) {
        const event: Record<string, unknown> = {};
        for (const k of keys) {
          const kind = next();
          event[k] = kind < 0.45 ? text() : kind < 0.9 ? number() : kind < 0.95 ? next() < 0.5 : kind < 0.98 ? undefined : { nested: text() };
        }
        const e = event as unknown as StationEvent;
        hashed += 1;
        if (identityHash(e) !== identityHashByPieces(e)) expect({ e, hash: identityHash(e) }).toEqual({ e, hash: identityHashByPieces(e) });
        if (pointTimestampNs(e) !== pointTimestampNsByText(e)) expect({ e, ns: pointTimestampNs(e) }).toEqual({ e, ns: pointTimestampNsByText(e) });
      }
    }
    expect(hashed).toBeGreaterThan(8_000);
  });
});

/** Every event type's fields as eventToPoint writes them: tags, strings, floats and integers, each required or optional. */
const SHAPES: Record<StationEvent['type'], { tags: string[]; optionalTags?: string[]; strings: string[]; optional?: string[]; floats?: string[]; optionalFloats?: string[]; ints?: string[]; optionalInts?: string[] }> = {
  cycle: { tags: ['line', 'station'], strings: [], optional: ['unit', 'result', 'defect'], floats: ['cycleTime'] },
  state: { tags: ['line', 'station'], strings: ['state'], optional: ['reason'] },
  unit: { tags: ['line'], strings: ['unit'], optional: ['result', 'model', 'defect'] },
  orders: { tags: [], strings: [], ints: ['total'] },
  partner: { tags: ['partner'], strings: ['status'], optional: ['note'], optionalFloats: ['inventoryHours', 'onTimeRate'] },
  output: { tags: ['entity'], strings: ['period'], floats: ['value'] },
  andon: { tags: ['line', 'station'], strings: ['kind'], optional: ['action'] },
  andon_call: {
    tags: ['line'],
    optionalTags: ['station'],
    strings: ['call', 'action', 'actorKind', 'actorId', 'actorName'],
    optional: ['kind', 'priority', 'note', 'reason', 'role', 'reopens', 'rule', 'episode'],
    optionalInts: ['tier'],
  },
  andon_rules: { tags: [], strings: ['actorKind', 'actorId', 'actorName'], optional: ['rules'] },
  stop_reason: {
    tags: ['line', 'station'],
    strings: ['stop', 'reason', 'category', 'actorKind', 'actorId', 'actorName', 'role'],
    optional: ['reason2', 'category2', 'supersedes', 'note'],
    optionalInts: ['splitAt'],
  },
  report_handover: { tags: ['line'], strings: ['shift', 'action', 'actorKind', 'actorId', 'actorName', 'role'], optional: ['note'], ints: ['version'], optionalInts: ['supersedes'] },
  unit_defect: { tags: ['line'], optionalTags: ['station'], strings: ['unit', 'defect', 'actorKind', 'actorId', 'actorName', 'role'], optional: ['supersedes'] },
};

describe('eventToLine', () => {
  const next = random(1503);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  // Everything line protocol escapes, and what it must leave alone.
  const chars = ['a', 'Z', '0', ' ', ',', '=', '"', '\\', '\n', '\r', '\t', "'", '$', '{', '#', 'é', '急', '停', '😀', '\ud800', '\u2028', '\u0000'];
  const text = () => Array.from({ length: Math.floor(next() * 7) }, () => pick(chars)).join('');
  const floats = [0, -0, 1, -1, 118.5, 1e21, 1e-7, 0.1 + 0.2, 5e-324, Number.MAX_SAFE_INTEGER, -3.25];
  const ints = [0, 1, -1, 7, 2 ** 40, Number.MAX_SAFE_INTEGER, -(2 ** 31), 4.7];

  function generated(): StationEvent {
    const type = pick(Object.keys(SHAPES) as StationEvent['type'][]);
    const shape = SHAPES[type];
    const event: Record<string, unknown> = { type, ts: TS + Math.floor(next() * 1e6) };
    if (next() < 0.5) event.id = text();
    for (const k of shape.tags) event[k] = next() < 0.1 ? '' : text();
    for (const k of shape.optionalTags ?? []) if (next() < 0.5) event[k] = text();
    for (const k of shape.strings) event[k] = text();
    for (const k of shape.optional ?? []) if (next() < 0.5) event[k] = type === 'cycle' && k === 'result' ? pick(['ok', 'nok']) : text();
    if (type === 'unit' && next() < 0.5) event.result = pick(['ok', 'nok']);
    for (const k of shape.floats ?? []) event[k] = pick(floats);
    for (const k of shape.optionalFloats ?? []) if (next() < 0.5) event[k] = pick(floats);
    for (const k of shape.ints ?? []) event[k] = pick(ints);
    for (const k of shape.optionalInts ?? []) if (next() < 0.5) event[k] = pick(ints);
    // Keys in any order: the line must not depend on it.
    return Object.fromEntries(Object.entries(event).sort(() => next() - 0.5)) as unknown as StationEvent;
  }

  it("equals the client's Point line for 30,000 generated events of every type with quotes, commas, spaces, equals signs, backslashes, line breaks and unicode", () => {
    const seen = new Set<string>();
    let escapedTags = 0;
    let escapedStrings = 0;
    for (let i = 0; i < 30_000; i += 1) {
      const event = generated();
      const expected = eventToPoint(event).toLineProtocol();
      const actual = eventToLine(event);
      if (actual !== expected) expect({ event, actual }).toEqual({ event, actual: expected });
      seen.add(event.type);
      const head = expected?.split(' ')[0] ?? '';
      if (/\\[, =nrt]/.test(head)) escapedTags += 1;
      if (/\\["\\]/.test(expected ?? '')) escapedStrings += 1;
    }
    expect([...seen].sort()).toEqual(Object.keys(SHAPES).sort());
    // The escapes themselves are what is compared, not only plain text.
    expect(escapedTags).toBeGreaterThan(5_000);
    expect(escapedStrings).toBeGreaterThan(5_000);
  });

  it('refuses a float or integer the client refuses, with the same message', () => {
    const bad: StationEvent[] = [
      { type: 'cycle', ts: TS, line: 'A1', station: 'S1', cycleTime: Number.NaN },
      { type: 'cycle', ts: TS, line: 'A1', station: 'S1', cycleTime: Number.POSITIVE_INFINITY },
      { type: 'orders', ts: TS, total: Number.NaN },
      { type: 'orders', ts: TS, total: 1e19 },
      { type: 'output', ts: TS, entity: 'x', period: 'day', value: Number.NEGATIVE_INFINITY },
    ];
    for (const event of bad) {
      let message = '';
      try {
        eventToPoint(event).toLineProtocol();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(() => eventToLine(event)).toThrow(message);
    }
  });

  it('writes a pinned line for a cycle and a state with text to escape', () => {
    expect(eventToLine({ type: 'cycle', ts: TS, line: 'A 1', station: 'S=3,b', cycleTime: 118.5, unit: 'LSV"1\\', result: 'ok', id: 'x-1' })).toBe(
      `cycle,line=A\\ 1,station=S\\=3\\,b cycleTime=118.5,id="x-1",result="ok",unit="LSV\\"1\\\\" ${pointTimestampNs({ type: 'cycle', ts: TS, line: 'A 1', station: 'S=3,b', cycleTime: 118.5, unit: 'LSV"1\\', result: 'ok' })}`,
    );
  });
});
