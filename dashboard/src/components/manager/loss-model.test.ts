import { describe, expect, it } from 'vitest';
import { shortageReport } from '../../testing/loss-fixtures';
import { alertLeadSeconds, episodesOf, gapToPlan, reasonLine, reasonText, termLabels, topLosses } from './loss-model';

describe('loss model', () => {
  it('ranks the losses that cost units, with their share of all units lost', () => {
    const report = shortageReport();
    expect(gapToPlan(report)).toBe(94);
    expect(topLosses(report).map((t) => [t.index, t.units, Math.round(t.shareOfLosses * 1000) / 1000])).toEqual([
      [0, 41, 0.436],
      [1, 18, 0.191],
      [2, 9, 0.096],
    ]);
  });

  it('leaves gains out, and shares of losses never pass 100 % when a gain shrinks the gap', () => {
    const report = shortageReport({
      planUnits: 100,
      goodUnits: 102,
      losses: [
        { cause: { kind: 'unexplained' }, units: -6, seconds: 0, episodes: [] },
        { cause: { kind: 'quality' }, units: 3, seconds: 0, episodes: [] },
        { cause: { kind: 'speed' }, units: 1, seconds: 0, episodes: [] },
      ],
    });
    expect(topLosses(report).map((t) => [t.index, t.shareOfLosses])).toEqual([
      [1, 0.75],
      [2, 0.25],
    ]);
  });

  it('tells apart two terms that read the same by their reason', () => {
    const losses = [
      { cause: { kind: 'downtime' as const, station: 'S05', state: 'maintenance', reason: 'tool change' } },
      { cause: { kind: 'downtime' as const, station: 'S05', state: 'maintenance', reason: 'lubrication' } },
      { cause: { kind: 'quality' as const } },
    ];
    const label = (c: { station?: string; kind: string }) => `${c.station ?? ''} ${c.kind}`.trim();
    expect(termLabels(losses, label)).toEqual(['S05 downtime · tool change', 'S05 downtime · lubrication', 'quality']);
  });

  it("shows the simulator's English reasons in Chinese on the Chinese page, and drops a reason that repeats the partner", () => {
    expect(reasonText('breakdown', 'zh-CN')).toBe('故障停机');
    expect(reasonText('changeover SEDAN to SUV', 'zh-CN')).toBe('换型 SEDAN → SUV');
    expect(reasonText('changeover SEDAN to SUV', 'en')).toBe('changeover SEDAN to SUV');
    // A station's own words stay as sent.
    expect(reasonText('主轴过热', 'zh-CN')).toBe('主轴过热');
    const labels = termLabels(
      [{ cause: { kind: 'downtime', station: 'S05', state: 'maintenance', reason: 'changeover SEDAN to SUV' } }, { cause: { kind: 'downtime', station: 'S05', state: 'maintenance', reason: 'changeover SUV to SEDAN' } }],
      () => 'S05 维护',
      (r) => reasonText(r, 'zh-CN'),
    );
    expect(labels).toEqual(['S05 维护 · 换型 SEDAN → SUV', 'S05 维护 · 换型 SUV → SEDAN']);
    expect(reasonLine({ kind: 'starved', station: 'S07', partner: 'P-BATT-01', reason: 'waiting for parts from P-BATT-01' }, 'zh-CN')).toBeNull();
    expect(reasonLine({ kind: 'downtime', station: 'S05', state: 'fault', reason: 'breakdown' }, 'zh-CN')).toBe('故障停机');
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
