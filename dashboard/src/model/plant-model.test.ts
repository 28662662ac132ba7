import { describe, expect, it } from 'vitest';
import { lineFixture, shiftFixture } from '../testing/fakes';
import { lineCondition, plantCard, plantGrid } from './plant-model';
import { wallBase, wallModel, wallTick } from './wall-model';

const NOW = Date.UTC(2027, 2, 1, 2, 30);

describe('plant overview model', () => {
  it('names the line by its worst station', () => {
    expect(lineCondition([{ state: 'running' }, { state: 'running' }])).toBe('running');
    expect(lineCondition([{ state: 'running' }, { state: 'starved' }])).toBe('degraded');
    expect(lineCondition([{ state: 'running' }, { state: 'fault' }])).toBe('down');
    expect(lineCondition([{ state: 'starved' }, { state: 'idle' }])).toBe('stopped');
    expect(lineCondition([])).toBe('no_data');
  });

  it('takes its figures from the wall model, and optional fields only when the collector sends them', () => {
    const line = lineFixture({ now: NOW, shift: shiftFixture(NOW) });
    const input = { line, lineArrivedAt: NOW, lineServerTime: NOW, lastMessageAt: NOW, linkSince: NOW, status: 'open' as const };
    const cardAt = (l: typeof line, at: number) => {
      const base = wallBase(l);
      return plantCard(base, base && wallTick(base, { ...input, line: l }, at));
    };
    const card = cardAt(line, NOW);
    expect(card).toMatchObject({ shiftUnits: 56, shiftPlanByNow: 87, openCalls: null, largestLoss: undefined, oee: null });
    // The same figures as the line's own wall.
    const wall = wallModel(input, NOW);
    expect(card).toMatchObject({ unitsThisHour: wall?.unitsThisHour, planThisHour: wall?.planThisHour, expectedByNow: wall?.expectedByNow, thisHourTone: wall?.thisHourTone, stale: wall?.stale });
    const withExtras = { ...line, andon: { open: [] }, losses: { bottleneck: { station: null, shifting: false, why: { zh: '', en: '' } }, largestLoss: null } };
    expect(cardAt(withExtras, NOW)).toMatchObject({ openCalls: 0, largestLoss: null });
  });

  it('lays 1 to 12 lines out in a grid that suits a 16:9 screen', () => {
    expect(plantGrid(1)).toEqual({ columns: 1, rows: 1 });
    expect(plantGrid(4)).toEqual({ columns: 2, rows: 2 });
    expect(plantGrid(6)).toEqual({ columns: 3, rows: 2 });
    expect(plantGrid(12)).toEqual({ columns: 4, rows: 3 });
    for (let n = 1; n <= 12; n += 1) {
      const g = plantGrid(n);
      expect(g.columns * g.rows).toBeGreaterThanOrEqual(n);
    }
  });
});
