import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from './config';
import { suggestReasons } from './suggest';

const stop = { state: 'fault' as const, stationReason: null, inferred: null, current: null };

describe('suggestReasons', () => {
  it('puts a station-sent label (any case, either language) first', () => {
    expect(suggestReasons({ ...stop, stationReason: 'Robot Alarm' }, DEFAULT_REASONS)[0]).toEqual({ code: 'robot', source: 'station' });
    expect(suggestReasons({ ...stop, stationReason: '停电' }, DEFAULT_REASONS)[0]).toEqual({ code: 'power', source: 'station' });
  });

  it('puts the station-prefilled classification first', () => {
    const current = { source: 'station' as const, parts: [{ from: 0, to: 1, reason: 'air', category: 'environment' }] };
    expect(suggestReasons({ ...stop, current }, DEFAULT_REASONS)[0]).toEqual({ code: 'air', source: 'station' });
  });

  it('offers the inferred category for a starvation for a partner\'s parts, before the state\'s', () => {
    const s = suggestReasons({ ...stop, state: 'starved', stationReason: 'waiting for parts from P-BATT-01', inferred: { category: 'material', partner: 'P-BATT-01' } }, DEFAULT_REASONS);
    expect(s.map((x) => x.code)).toEqual(['parts_shortage', 'wrong_parts']);
    expect(s.every((x) => x.source === 'inferred')).toBe(true);
  });

  it('falls back on the state\'s category, each code once, at most `limit`', () => {
    const s = suggestReasons({ ...stop, stationReason: 'breakdown' }, DEFAULT_REASONS, 2);
    expect(s).toEqual([
      { code: 'breakdown', source: 'station' },
      { code: 'tooling', source: 'state' },
    ]);
  });

  it('suggests nothing from a category the tree does not have', () => {
    const tree = { ...DEFAULT_REASONS, categories: [{ id: 'x', label: { zh: 'x', en: 'x' } }], reasons: [{ code: 'r', category: 'x', label: { zh: 'r', en: 'r' } }] };
    expect(suggestReasons(stop, tree)).toEqual([]);
  });
});
