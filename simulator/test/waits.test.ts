/**
 * The ground truth of waits: every starved or blocked second of a station is
 * recorded with what it waited for, from the model's own state.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../model/scenario';
import { runScenario } from './helpers';

describe('summary.stations[].waits', () => {
  it('accounts for every starved and blocked second, each with its cause', () => {
    const { summary } = runScenario(loadScenario('partner-shortage'), 2, 8);
    for (const s of summary.stations) {
      const sum = (state: string) => s.waits.filter((w) => w.state === state).reduce((a, w) => a + w.seconds, 0);
      expect(sum('starved')).toBeCloseTo(s.secondsInState.starved, 1);
      expect(sum('blocked')).toBeCloseTo(s.secondsInState.blocked, 1);
    }
    // S07 waits for battery packs; the stations before it wait for the one after them; after it, for the one before.
    const s07 = summary.stations.find((s) => s.id === 'S07');
    const packs = s07?.waits.find((w) => 'partner' in w.waitingFor && w.waitingFor.partner === 'P-BATT-01');
    expect(packs?.seconds ?? 0).toBeGreaterThan(3 * 3600);
    const s06 = summary.stations.find((s) => s.id === 'S06');
    expect(s06?.waits.find((w) => w.state === 'blocked')?.waitingFor).toEqual({ station: 'S07' });
    const s08 = summary.stations.find((s) => s.id === 'S08');
    expect(s08?.waits.find((w) => w.state === 'starved')?.waitingFor).toEqual({ station: 'S07' });
    const s01 = summary.stations.find((s) => s.id === 'S01');
    expect(s01?.waits.some((w) => w.state === 'idle' && 'launch' in w.waitingFor)).toBe(true);
  });
});
