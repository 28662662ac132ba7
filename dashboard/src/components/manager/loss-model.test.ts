import { describe, expect, it } from 'vitest';
import { shortageReport } from '../../testing/loss-fixtures';
import { alertLeadSeconds, episodesOf, gapToPlan, topLosses } from './loss-model';

describe('loss model', () => {
  it('ranks the losses that cost units, with their share of the gap', () => {
    const report = shortageReport();
    expect(gapToPlan(report)).toBe(94);
    expect(topLosses(report).map((t) => [t.index, t.units, Math.round((t.shareOfGap ?? 0) * 1000) / 1000])).toEqual([
      [0, 41, 0.436],
      [1, 18, 0.191],
      [2, 9, 0.096],
    ]);
  });

  it('leaves gains out, and has no share of a gap when the plan was met', () => {
    const report = shortageReport({
      planUnits: 100,
      goodUnits: 102,
      losses: [
        { cause: { kind: 'speed' }, units: -4, seconds: 0, episodes: [] },
        { cause: { kind: 'quality' }, units: 2, seconds: 0, episodes: [] },
      ],
    });
    expect(topLosses(report)).toEqual([{ index: 1, cause: { kind: 'quality' }, units: 2, seconds: 0, shareOfGap: null }]);
  });

  it('lists the episodes of several terms largest first, each with its cause', () => {
    const rows = episodesOf(shortageReport(), [2, 3]);
    expect(rows.map((r) => [r.term, r.units])).toEqual([
      [3, 8],
      [2, 6],
      [2, 3],
    ]);
    expect(rows[0]?.cause.kind).toBe('blocked');
    expect(episodesOf(shortageReport(), [99])).toEqual([]);
  });

  it("measures the alert's lead before the station starved", () => {
    expect(alertLeadSeconds({ alertAt: 1_000, starvedFrom: 61_000 })).toBe(60);
    expect(alertLeadSeconds({ alertAt: 61_000, starvedFrom: 1_000 })).toBe(-60);
    expect(alertLeadSeconds({ alertAt: null, starvedFrom: 1_000 })).toBeNull();
  });
});
