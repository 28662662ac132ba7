import { describe, expect, it } from 'vitest';
import type { LossTerm } from './types';
import { largestLoss } from './live';

const term = (cause: LossTerm['cause'], units: number): LossTerm => ({ cause, units, seconds: 0, episodes: [] });

describe('largestLoss', () => {
  it("adds up a partner's terms (starved at its station, blocked behind it) and a station's reasons", () => {
    const losses = [
      term({ kind: 'downtime', station: 'S05', state: 'fault', reason: 'breakdown' }, 30),
      term({ kind: 'downtime', station: 'S05', state: 'maintenance', reason: 'changeover' }, 5),
      term({ kind: 'starved', station: 'S07', partner: 'P-BATT-01', state: 'starved' }, 25),
      term({ kind: 'blocked', station: 'S07', partner: 'P-BATT-01', state: 'starved' }, 16),
      term({ kind: 'unexplained' }, 60),
    ];
    expect(largestLoss(losses)).toEqual({ cause: { kind: 'starved', partner: 'P-BATT-01', station: 'S07' }, units: 41 });
  });

  it('is null when nothing was lost', () => {
    expect(largestLoss([term({ kind: 'unexplained' }, -3)])).toBeNull();
  });
});
