import { describe, expect, it } from 'vitest';
import { validateEvent, type ValidationOptions } from './validate';
import { referencePlant } from './plant';

const NOW = Date.parse('2027-03-01T08:00:00+08:00');
const options: ValidationOptions = { now: NOW, maxFutureMs: 300_000, maxAgeMs: 7 * 86_400_000, plant: referencePlant(8) };

describe('validateEvent', () => {
  it('accepts a cycle event and normalises an RFC 3339 ts to epoch ms', () => {
    const verdict = validateEvent(
      { type: 'cycle', ts: '2027-03-01T07:59:00+08:00', line: 'A1', station: 'S03', cycleTime: 118.5, result: 'ok' },
      options,
    );
    expect(verdict).toEqual({
      ok: true,
      event: { type: 'cycle', ts: NOW - 60_000, line: 'A1', station: 'S03', cycleTime: 118.5, result: 'ok' },
      // Changed by validation: the sender's JSON does not encode this event.
      asSent: false,
    });
  });

  it.each([
    [{ type: 'cycle', ts: NOW, line: 'A1', station: 'S01', cycleTime: Number.NaN }, 'cycleTime', /finite/],
    [{ type: 'cycle', ts: NOW, line: 'A1', station: 'S01', cycleTime: -3 }, 'cycleTime', /greater than 0/],
    [{ type: 'cycle', ts: NOW, line: 'A1', station: 'S01', cycleTime: '12' }, 'cycleTime', /must be a number/],
    [{ type: 'state', ts: NOW, line: 'A1', station: 'S01', state: 'broken' }, 'state', /one of running/],
    [{ type: 'state', ts: NOW / 1000, line: 'A1', station: 'S01', state: 'fault' }, 'ts', /not seconds/],
    [{ type: 'unit', ts: NOW, line: 'A1 x=1', unit: 'VIN1' }, 'line', /letters, digits/],
    [{ type: 'unit', ts: NOW, line: 'A1', unit: 'VIN1', colour: 'red' }, '', /unknown field.*'colour'/],
    [{ type: 'cycle', ts: NOW, line: 'A1', station: 'S01', cycletime: 118 }, '', /unknown field\(s\) 'cycletime' \(did you mean 'cycleTime'\?\)/],
    [{ type: 'teleport', ts: NOW }, 'type', /type must be one of cycle/],
    [{ type: 'state', ts: NOW, line: 'A1', station: 'S01', state: 'fault', reason: 'a\u0000b' }, 'reason', /control/],
    [{ type: 'output', ts: NOW, entity: 'P1', period: '2027-13', value: 1 }, 'period', /YYYY-MM/],
  ])('rejects %j with a reason on field %s', (raw, field, reason) => {
    const verdict = validateEvent(raw, options);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.rejection.field).toBe(field);
    expect(verdict.rejection.reason).toMatch(reason);
  });

  it('rejects timestamps beyond the future limit and older than the age limit', () => {
    const future = validateEvent({ type: 'orders', ts: NOW + 301_000, total: 5 }, options);
    expect(future).toMatchObject({ ok: false, rejection: { code: 'too_far_in_future', field: 'ts' } });
    const old = validateEvent({ type: 'orders', ts: NOW - 8 * 86_400_000, total: 5 }, options);
    expect(old).toMatchObject({ ok: false, rejection: { code: 'too_old', field: 'ts' } });
  });

  it('rejects lines and stations the plant does not have', () => {
    expect(validateEvent({ type: 'unit', ts: NOW, line: 'B7', unit: 'X' }, options)).toMatchObject({
      ok: false,
      rejection: { code: 'unknown_line', field: 'line' },
    });
    expect(
      validateEvent({ type: 'state', ts: NOW, line: 'A1', station: 'S99', state: 'idle' }, options),
    ).toMatchObject({ ok: false, rejection: { code: 'unknown_station', field: 'station' } });
  });

  it('checks a unit\'s or cycle\'s defect code against the plant\'s catalogue, names the closest known code, and takes events without one', () => {
    const typo = validateEvent({ type: 'unit', ts: NOW, line: 'A1', unit: 'VIN1', result: 'nok', defect: 'scrach' }, options);
    expect(typo).toMatchObject({ ok: false, rejection: { code: 'unknown_defect', field: 'defect' } });
    expect(typo.ok ? '' : typo.rejection.reason).toMatch(/closest known code is 'scratch'/);
    const far = validateEvent({ type: 'cycle', ts: NOW, line: 'A1', station: 'S02', cycleTime: 60, result: 'nok', defect: 'torq_low_x' }, options);
    expect(far.ok ? '' : far.rejection.reason).toMatch(/closest known code is 'torque' \(codes: scratch, gap_flush, torque/);
    expect(validateEvent({ type: 'cycle', ts: NOW, line: 'A1', station: 'S02', cycleTime: 60, result: 'nok', defect: 'torque' }, options).ok).toBe(true);
    expect(validateEvent({ type: 'unit', ts: NOW, line: 'A1', unit: 'VIN1', result: 'nok' }, options).ok).toBe(true);
    // A plant with its own catalogue: only its codes.
    const own = { ...options, plant: { ...referencePlant(8), defects: [{ code: 'dent', label: { zh: '凹陷', en: 'Dent' } }] } };
    expect(validateEvent({ type: 'unit', ts: NOW, line: 'A1', unit: 'VIN1', result: 'nok', defect: 'scratch' }, own)).toMatchObject({ ok: false, rejection: { code: 'unknown_defect' } });
    expect(validateEvent({ type: 'unit', ts: NOW, line: 'A1', unit: 'VIN1', result: 'nok', defect: 'dent' }, own).ok).toBe(true);
  });

  it('rejects non-objects', () => {
    for (const raw of [null, 3, 'x', [1]]) {
      expect(validateEvent(raw, options)).toMatchObject({ ok: false, rejection: { code: 'invalid' } });
    }
  });
});
