import { describe, expect, it } from 'vitest';
import type { CycleEvent, UnitEvent } from '../events';
import { PlantConfig, referencePlant } from '../plant';
import { qualityByDefect } from './defects';

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
