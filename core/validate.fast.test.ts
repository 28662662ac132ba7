import { describe, expect, it } from 'vitest';
import { StationEvent } from './events';
import { validateEvent, wellFormedFast } from './validate';
import { seededRandom as random } from './test/support/seeded-random';


const next = random(2026);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
const TS = 1_803_859_200_000;

const strings = ['A1', 'S01', 'a', 'Z9_x.y-z', '_A', '-A', '.A', 'A B', 'A/B', 'A:B', 'VIN:1/2-3', 'é', '急停', '', 'x'.repeat(64), 'x'.repeat(65), 'A\n', 'ok', 'nok', 'OK', 'running', 'fault', 'Fault', 'offline', 'E-stop "pressed"', 'tab\tin', '\u007f', '\ud800', 'x'.repeat(200), 'x'.repeat(201), '~!@#', 'a'.repeat(128), 'a'.repeat(129), ' '];
const numbers = [0, -0, 1, -1, 0.001, 86_400, 86_400.0001, 118.5, 1e21, NaN, Infinity, -Infinity, TS, TS + 0.5, 946_684_800_000, 946_684_799_999, 9_999_999_999_999, 10_000_000_000_000, 1_700_000_000];
const others: unknown[] = [null, true, false, undefined, [], {}, ['A1'], { a: 1 }];
const anyValue = (): unknown => {
  const k = next();
  return k < 0.45 ? pick(strings) : k < 0.85 ? pick(numbers) : pick(others);
};

const GOOD: Record<string, () => Record<string, unknown>> = {
  cycle: () => ({ line: 'A1', station: pick(['S01', 'S02.b']), cycleTime: pick([0.5, 61, 118.5, 86_400]), unit: pick(['LVIN00000001', 'VIN:1/2', undefined]), result: pick(['ok', 'nok', undefined]), defect: pick(['scratch', undefined]) }),
  state: () => ({ line: 'A1', station: 'S01', state: pick(['running', 'idle', 'starved', 'blocked', 'fault', 'maintenance', 'offline']), reason: pick(['E-stop "pressed"\\', '急停', '', undefined]) }),
  unit: () => ({ line: 'A1', unit: 'VIN1', model: pick(['M3', undefined]), result: pick(['ok', 'nok', undefined]), defect: pick(['dent', undefined]) }),
  orders: () => ({ total: 5 }),
};

/** A valid event of a common type, or one with a field changed, dropped or added, in a shuffled key order. */
function generated(): unknown {
  const type = pick(Object.keys(GOOD));
  const fields: Record<string, unknown> = { type, ts: pick([TS, TS + 1, '2027-03-01T08:00:00+08:00', TS]), ...(GOOD[type]?.() ?? {}) };
  if (next() < 0.5) fields.id = pick(['st-1', 'a'.repeat(128), 'a b', '', 'é', 7]);
  for (const key of Object.keys(fields)) if (fields[key] === undefined && next() < 0.9) delete fields[key];
  const mutations = next() < 0.3 ? 0 : 1 + Math.floor(next() * 3);
  for (let m = 0; m < mutations; m += 1) {
    const kind = next();
    const keys = Object.keys(fields);
    if (kind < 0.6) fields[pick(keys)] = anyValue();
    else if (kind < 0.75) delete fields[pick(keys)];
    else if (kind < 0.9) fields[pick(['cycletime', 'Line', 'state', 'unit', 'model', 'reason', 'defect', 'total', 'extra', 'constructor', 'toString'])] = anyValue();
    else fields.type = pick(['cycle', 'state', 'unit', 'Cycle', 'partner', 3, null]);
  }
  const keys = Object.keys(fields).sort(() => next() - 0.5);
  const shuffled: Record<string, unknown> = {};
  for (const key of keys) shuffled[key] = fields[key];
  // Now and then through JSON, as the bytes of a request arrive (undefined dropped, NaN → null, `__proto__` an own key).
  if (next() < 0.3) return JSON.parse(next() < 0.2 ? JSON.stringify(shuffled).replace('{', '{"__proto__":{"x":1},') : JSON.stringify(shuffled)) as unknown;
  return shuffled;
}

describe('the fast path of validateEvent', () => {
  it('accepts exactly what zod accepts for cycle, state and unit events with epoch-ms ts, and returns the same event in the same key order', () => {
    let fastAccepted = 0;
    let rejected = 0;
    for (let i = 0; i < 30_000; i += 1) {
      const raw = generated();
      const fast = wellFormedFast(raw);
      const zod = StationEvent.safeParse(raw);
      if (fast !== null) {
        fastAccepted += 1;
        expect(zod.success).toBe(true);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
        expect(fast).toStrictEqual(zod.data);
      } else if (!zod.success) rejected += 1;
      const r = raw as { type?: unknown; ts?: unknown };
      const plainOfFastShape = ['cycle', 'state', 'unit'].includes(r.type as string) && typeof r.ts === 'number' && !Object.values(raw as object).includes(undefined);
      if (plainOfFastShape) expect(fast !== null).toBe(zod.success);
      else expect(fast).toBeNull();
    }
    // Both sides of the comparison are exercised many times.
    expect(fastAccepted).toBeGreaterThan(3_000);
    expect(rejected).toBeGreaterThan(3_000);
  });

  it('leaves every rejection to zod, with its field and reason', () => {
    const options = { now: TS, maxFutureMs: 60_000, maxAgeMs: 86_400_000, plant: null };
    expect(validateEvent({ type: 'cycle', ts: TS, line: 'A1', station: 'S01', cycletime: 61 }, options)).toEqual({
      ok: false,
      rejection: { code: 'invalid', field: '', reason: "unknown field(s) 'cycletime' (did you mean 'cycleTime'?): protocol v1 does not define them for this type" },
    });
    expect(validateEvent({ type: 'cycle', ts: TS, line: 'A1', station: 'S01', cycleTime: 0 }, options)).toEqual({
      ok: false,
      rejection: { code: 'invalid', field: 'cycleTime', reason: 'cycleTime must be greater than 0 (seconds)' },
    });
    expect(validateEvent({ type: 'cycle', ts: TS, line: 'A1', station: 'S01', cycleTime: 61 }, options)).toEqual({
      ok: true,
      event: { type: 'cycle', ts: TS, line: 'A1', station: 'S01', cycleTime: 61 },
      asSent: true,
    });
  });

  it('says an accepted event is as sent only when the item itself, through JSON, is that event', () => {
    const options = { now: TS, maxFutureMs: 366 * 86_400_000, maxAgeMs: 366 * 86_400_000, plant: null };
    let asSent = 0;
    let changed = 0;
    for (let i = 0; i < 30_000; i += 1) {
      const raw = generated();
      const verdict = validateEvent(raw, options);
      if (!verdict.ok) continue;
      // The spool keeps a request's bytes for such events: parsing them again must give the event, nothing more or less.
      if (verdict.asSent) {
        asSent += 1;
        expect(JSON.parse(JSON.stringify(raw))).toStrictEqual(verdict.event);
      } else changed += 1;
    }
    expect(asSent).toBeGreaterThan(3_000);
    // An RFC 3339 ts becomes epoch ms: such an event is never as sent.
    expect(changed).toBeGreaterThan(300);
    expect(validateEvent({ type: 'cycle', ts: '2027-03-01T08:00:00+08:00', line: 'A1', station: 'S01', cycleTime: 61 }, options)).toMatchObject({ ok: true, asSent: false });
  });
});
