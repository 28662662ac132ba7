import { describe, expect, it } from 'vitest';
import type { CycleEvent, UnitDefectEvent, UnitEvent } from '../events';
import { PlantConfig, referencePlant } from '../plant';
import { DEFAULT_DEFECTS } from './config';
import { defectRefusal, nokItems, qualityByDefect, withPeoplesDefects } from './defects';

const T0 = Date.UTC(2027, 2, 1, 8);
const unit = (n: number, extra: Partial<UnitEvent> = {}): UnitEvent => ({ type: 'unit', ts: T0 + n, line: 'A1', unit: `V${n}`, ...extra });
const cycle = (n: number, station: string, extra: Partial<CycleEvent> = {}): CycleEvent => ({ type: 'cycle', ts: T0 + n, line: 'A1', station, cycleTime: 60, ...extra });

describe('quality by defect', () => {
  it('counts nok units by defect (station null) and nok cycles by defect and station, largest first; good ones not at all', () => {
    const rows = qualityByDefect(
      [unit(1, { result: 'nok', defect: 'leak' }), unit(2, { result: 'nok', defect: 'leak' }), unit(3, { result: 'nok' }), unit(4, { defect: 'leak' })],
      [[cycle(5, 'S07', { result: 'nok', defect: 'torque' }), cycle(6, 'S07', { result: 'ok' })]],
    );
    expect(rows).toEqual([
      { defect: 'leak', station: null, units: 2 },
      { defect: null, station: null, units: 1 },
      { defect: 'torque', station: 'S07', units: 1 },
    ]);
  });
});

describe('the plant file', () => {
  it('the demo plant carries the default reason tree and defect catalogue, and validates', () => {
    const plant = PlantConfig.parse(referencePlant());
    expect(plant.reasons?.reasons.length).toBeGreaterThan(0);
    expect(plant.defects?.length).toBeGreaterThan(0);
  });

  it('refuses a defect code listed twice and a reason under an unknown category, naming the field', () => {
    const plant = referencePlant();
    const bad = PlantConfig.safeParse({
      ...plant,
      defects: [{ code: 'a', label: { zh: 'a', en: 'a' } }, { code: 'a', label: { zh: 'b', en: 'b' } }],
      reasons: { reasons: [{ code: 'x', category: 'weather', label: { zh: 'x', en: 'x' } }] },
    });
    expect(bad.success).toBe(false);
    const issues = bad.error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues).toContain('defects.1.code');
    expect(issues).toContain('reasons.reasons.0.category');
  });
});

const added = (unit: string, station: string | undefined, defect: string, ts: number, extra: Partial<UnitDefectEvent> = {}): UnitDefectEvent => ({
  type: 'unit_defect', ts, id: `d${ts}`, line: 'A1', unit, ...(station ? { station } : {}), defect, actorKind: 'person', actorId: 'op1', actorName: 'Wang', role: 'operator', ...extra,
});

describe('people\'s defect codes', () => {
  const events = [
    unit(1, { result: 'nok' }),
    unit(2, { result: 'nok', defect: 'leak' }),
    unit(3, { result: 'ok' }),
    cycle(4, 'S04', { result: 'nok', unit: 'V9' }),
    cycle(5, 'S04', { result: 'nok', unit: 'V8', defect: 'torque' }),
  ];

  it('give a nok unit or cycle without a code the newest person\'s code, never replacing a station\'s, and so count in quality by defect', () => {
    const defects = [added('V1', undefined, 'scratch', 10), added('V1', undefined, 'gap_flush', 20), added('V9', 'S04', 'torque', 10), added('V2', undefined, 'scratch', 10), added('V9', undefined, 'leak', 10)];
    const out = withPeoplesDefects(events, defects);
    const units = out.filter((e): e is UnitEvent => e.type === 'unit');
    const cycles = out.filter((e): e is CycleEvent => e.type === 'cycle');
    expect(qualityByDefect(units, [cycles])).toEqual([
      { defect: 'torque', station: 'S04', units: 2 },
      { defect: 'gap_flush', station: null, units: 1 },
      { defect: 'leak', station: null, units: 1 },
    ]);
    // Without them, V1 and V9 count under defect null.
    const raw = qualityByDefect(events.filter((e): e is UnitEvent => e.type === 'unit'), [events.filter((e): e is CycleEvent => e.type === 'cycle')]);
    expect(raw).toContainEqual({ defect: null, station: null, units: 1 });
    expect(raw).toContainEqual({ defect: null, station: 'S04', units: 1 });
  });

  it('lists a station\'s nok units (or the line end\'s), newest first, with the code in force', () => {
    const items = nokItems(events, 'S04', [added('V9', 'S04', 'torque', 10)]);
    expect(items.map((i) => [i.unit, i.sent, i.added?.defect ?? null, i.defect])).toEqual([['V8', 'torque', null, 'torque'], ['V9', null, 'torque', 'torque']]);
    expect(nokItems(events, null, []).map((i) => i.unit)).toEqual(['V2', 'V1']);
  });

  it('refuses with a reason: an unknown code (naming the closest), an ok unit, a station\'s code, an operator changing a person\'s code', () => {
    const op = { role: 'operator' as const, lines: ['A1'], stations: ['S04'] };
    const [v8, v9] = nokItems(events, 'S04', [added('V9', 'S04', 'torque', 10)]);
    const [, v1] = nokItems(events, null, []);
    const ask = (unit: string, station: string | null, defect: string) => ({ unit, station, defect });
    expect(defectRefusal(op, 'A1', ask('V1', null, 'scrach'), v1 ?? null, null, DEFAULT_DEFECTS)).toMatchObject({ status: 400, code: 'unknown_defect', message: expect.stringContaining("closest known code is 'scratch'") });
    expect(defectRefusal(op, 'A1', ask('V1', null, 'scratch'), v1 ?? null, null, DEFAULT_DEFECTS)).toBeNull();
    expect(defectRefusal(op, 'A1', ask('V3', null, 'scratch'), null, { unit: 'V3', station: null, result: 'ok' }, DEFAULT_DEFECTS)).toMatchObject({ status: 409, code: 'not_nok' });
    expect(defectRefusal(op, 'A1', ask('V7', null, 'scratch'), null, null, DEFAULT_DEFECTS)).toMatchObject({ status: 404, code: 'unknown_unit' });
    expect(defectRefusal(op, 'A1', ask('V8', 'S04', 'scratch'), v8 ?? null, null, DEFAULT_DEFECTS)).toMatchObject({ status: 409, code: 'already_coded' });
    expect(defectRefusal(op, 'A1', ask('V9', 'S04', 'scratch'), v9 ?? null, null, DEFAULT_DEFECTS)).toMatchObject({ status: 409, code: 'already_coded', message: expect.stringContaining('a supervisor may') });
    expect(defectRefusal({ ...op, role: 'supervisor' }, 'A1', ask('V9', 'S04', 'scratch'), v9 ?? null, null, DEFAULT_DEFECTS)).toBeNull();
    expect(defectRefusal({ ...op, stations: ['S01'] }, 'A1', ask('V9', 'S04', 'scratch'), v9 ?? null, null, DEFAULT_DEFECTS)).toMatchObject({ status: 403, code: 'forbidden' });
  });
});
