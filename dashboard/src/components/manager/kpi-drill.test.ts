import { computeOee } from '@core/kpi/oee';
import { describe, expect, it } from 'vitest';
import { managerEn, managerZhCN } from '../../i18n/manager-messages';
import { formatDuration, formatShare, oeeDrill } from './kpi-drill';

// 7 h 10 min planned, 12 min down at S06, 120 s ideal takt, 200 units of which 196 good.
const oee = computeOee({ plannedSeconds: 25_800, downtimeSeconds: 720, idealTaktSeconds: 120, units: 200, goodUnits: 196, constraintStation: 'S06', constraintSource: 'detected' });

describe('oeeDrill', () => {
  it('shows availability as its formula, the numbers put in, and its inputs', () => {
    const a = oeeDrill(oee, 'en', managerEn).availability;
    expect(a.value).toBe('97.2%');
    expect(a.formula).toBe('A = (P − D) ÷ P');
    expect(a.worked).toBe('(7 h 10 min − 12 min) ÷ 7 h 10 min = 97.2%');
    expect(a.inputs).toEqual([
      { id: 'planned', symbol: 'P', value: '7 h 10 min' },
      { id: 'downtime', symbol: 'D', value: '12 min' },
      { id: 'constraint', symbol: '', value: 'S06 (detected bottleneck)' },
    ]);
  });

  it('speaks Chinese units in zh-CN', () => {
    const d = oeeDrill(oee, 'zh-CN', managerZhCN);
    // 120 × 200 = 24,000 s ideal over 25,800 − 720 = 25,080 s operating: 95.69 %.
    expect(d.performance.worked).toBe('120 秒 × 200 ÷ 6 小时 58 分 = 95.7%');
    expect(d.availabilityLoss.value).toBe('12 分');
  });

  it('has losses that leave exactly the fully productive time T × G', () => {
    const d = oeeDrill(oee, 'en', managerEn);
    const losses = (d.availabilityLoss.raw ?? 0) + (d.performanceLoss.raw ?? 0) + (d.qualityLoss.raw ?? 0);
    expect(oee.plannedSeconds - losses).toBeCloseTo(120 * 196, 6);
    expect(d.oee.raw).toBeCloseTo((120 * 196) / 25_800, 9);
    expect(d.qualityLoss.value).toBe('8 min');
  });

  it('shows no loss, not the whole planned time as speed loss, for a range without data', () => {
    // The collector's answer for an interval with no event: planned time, every factor null (core/kpi/line-kpis.ts).
    const empty = computeOee({ ...oee, downtimeSeconds: 0, units: 0, goodUnits: 0 });
    const d = oeeDrill({ ...empty, availability: null, performance: null, quality: null, oee: null }, 'zh-CN', managerZhCN);
    for (const id of ['availabilityLoss', 'performanceLoss', 'qualityLoss'] as const) {
      expect(d[id].raw).toBeNull();
      expect(d[id].value).toBe('–');
      expect(d[id].worked).toBe(managerZhCN.oee.noData);
    }
  });

  it('says there was no planned time rather than printing 0 %', () => {
    const none = oeeDrill(computeOee({ ...oee, plannedSeconds: 0 }), 'en', managerEn);
    expect(none.oee.value).toBe('–');
    expect(none.availability.worked).toBe(managerEn.oee.noData);
  });
});

describe('formats', () => {
  it('durations in hours and minutes, short ones to a tenth of a minute', () => {
    expect(formatDuration(45, 'en', managerEn)).toBe('0.8 min');
    expect(formatDuration(3600, 'zh-CN', managerZhCN)).toBe('1 小时');
    expect(formatDuration(-90, 'en', managerEn)).toBe('−1.5 min');
    expect(formatDuration(null, 'en', managerEn)).toBe('–');
  });
  it('shares with one decimal', () => {
    expect(formatShare(0.8493, 'zh-CN')).toBe('84.9%');
    expect(formatShare(null, 'en')).toBe('–');
  });
});
