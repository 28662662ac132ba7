import { describe, expect, it } from 'vitest';
import { addMonths, clusterGoal, compoundGrowthRate, latestReports, type OutputReport } from './goal';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);
const report = (entity: string, period: string, value: number, ts: string): OutputReport => ({ entity, period, value, ts: at(ts) });
const base = { targetYuan: 1e11, targetYear: 2027, baseline: { year: 2025, valueYuan: 6.4e10 }, timeZone: TZ, runRateMonths: 3 };

describe('compoundGrowthRate', () => {
  it('solves baseline × (1 + g)^years = target', () => {
    // 6.4e10 → 1e11 in 2 years: 1e11 / 6.4e10 = 1.5625 = 1.25², so g = 0.25.
    expect(compoundGrowthRate(6.4e10, 1e11, 2)).toBeCloseTo(0.25, 12);
    // 5e10 → 1e11 in 3 years: 2^(1/3) − 1 = 0.259921…
    expect(compoundGrowthRate(5e10, 1e11, 3)).toBeCloseTo(0.2599210499, 9);
    // 6.1e10 → 1e11 in 2 years (the demo): √(1.639344…) − 1 = 0.280368…
    expect(compoundGrowthRate(6.1e10, 1e11, 2)).toBeCloseTo(0.2803688, 6);
    expect(() => compoundGrowthRate(0, 1e11, 2)).toThrow(RangeError);
  });
});

describe('latestReports', () => {
  it('keeps the newest report of each entity and month instead of summing repeats', () => {
    const kept = latestReports([
      report('A', '2027-02', 3e9, '2027-02-15T00:00:00+08:00'),
      report('A', '2027-02', 6e9, '2027-03-01T00:00:00+08:00'),
      report('A', '2027-02', 5e9, '2027-02-20T00:00:00+08:00'),
      report('B', '2027-02', 2e9, '2027-02-20T00:00:00+08:00'),
    ]);
    expect(kept.map((r) => [r.entity, r.value]).sort()).toEqual([
      ['A', 6e9],
      ['B', 2e9],
    ]);
  });
});

describe('addMonths', () => {
  it('crosses year ends both ways', () => {
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-03', -12)).toBe('2026-03');
  });
});

describe('clusterGoal in the target year', () => {
  // 2027-04-16 00:00 in Shanghai: 15 of April's 30 days have passed, so the month is half over.
  const now = at('2027-04-16T00:00:00+08:00');
  const reports = [
    report('A', '2026-12', 5e9, '2027-01-02T00:00:00+08:00'), // last year: not in the year to date
    report('A', '2027-01', 6e9, '2027-02-01T00:00:00+08:00'),
    report('B', '2027-01', 2e9, '2027-02-01T00:00:00+08:00'),
    report('A', '2027-02', 3e9, '2027-02-15T00:00:00+08:00'), // superseded by the month's final figure
    report('A', '2027-02', 6e9, '2027-03-01T00:00:00+08:00'),
    report('B', '2027-02', 2e9, '2027-03-01T00:00:00+08:00'),
    report('A', '2027-03', 7e9, '2027-04-01T00:00:00+08:00'),
    report('B', '2027-03', 3e9, '2027-04-01T00:00:00+08:00'),
    report('A', '2027-04', 4e9, '2027-04-15T00:00:00+08:00'), // month to date
    report('B', '2027-04', 1e9, '2027-04-15T00:00:00+08:00'),
    report('A', '2027-05', 1e9, '2027-04-15T00:00:00+08:00'), // a future month: not output yet
  ];
  const r = clusterGoal({ ...base, reports, now });

  it('sums the year to date from the newest report of each entity and month', () => {
    // Jan 6 + 2, Feb 6 + 2, Mar 7 + 3, Apr (to date) 4 + 1 = 31e9.
    expect(r.year).toBe(2027);
    expect(r.period).toBe('2027-04');
    expect(r.yearToDateYuan).toBeCloseTo(31e9, 0);
    expect(r.progress).toBeCloseTo(0.31, 12);
    expect(r.months.map((m) => [m.period, m.valueYuan, m.complete])).toEqual([
      ['2027-01', 8e9, true],
      ['2027-02', 8e9, true],
      ['2027-03', 10e9, true],
      ['2027-04', 5e9, false],
    ]);
  });

  it('runs at the mean of the last three complete months and projects the rest of the year', () => {
    // Run rate = (8 + 8 + 10) / 3 = 8.6667e9 per month.
    expect(r.runRate.basis).toBe('complete_months');
    expect(r.runRate.months).toEqual(['2027-01', '2027-02', '2027-03']);
    expect(r.runRate.yuanPerMonth).toBeCloseTo(26e9 / 3, 0);
    // A whole year at that pace: 8.6667e9 × 12 = 104e9.
    expect(r.annualizedRunRateYuan).toBeCloseTo(104e9, 0);
    // Months remaining = (1 − 0.5) of April + May…December (8) = 8.5.
    expect(r.monthElapsedShare).toBeCloseTo(0.5, 12);
    expect(r.monthsRemaining).toBeCloseTo(8.5, 12);
    // Projection = 31e9 + 8.6667e9 × 8.5 = 31e9 + 73.6667e9 = 104.6667e9 ≥ 1e11: on track.
    expect(r.projectionYuan).toBeCloseTo(31e9 + (26e9 / 3) * 8.5, 0);
    expect(r.projectedShare).toBeCloseTo(1.0466667, 6);
    expect(r.onTrack).toBe(true);
  });

  it('says what monthly rate the rest of the target year needs', () => {
    // (1e11 − 31e9) / 8.5 = 8.1176e9 per month; 8.1176 / 8.6667 − 1 = −0.0633 (6.3 % slower would still do).
    expect(r.growth.requiredYuanPerMonth).toBeCloseTo(69e9 / 8.5, 0);
    expect(r.growth.requiredRunRateIncrease).toBeCloseTo(69e9 / 8.5 / (26e9 / 3) - 1, 9);
    expect(r.growth.requiredRunRateIncrease).toBeCloseTo(-0.063348, 5);
    expect(r.growth.requiredAnnual).toBeNull();
    // Planned path 6.4e10 (2025) → 1e11 (2027): 25 % a year.
    expect(r.growth.plannedAnnual).toBeCloseTo(0.25, 12);
  });

  it("gives each entity's share of the year to date", () => {
    // A: 6 + 6 + 7 + 4 = 23e9 of 31e9 = 0.741935; B: 2 + 2 + 3 + 1 = 8e9 = 0.258065.
    expect(r.contributions).toEqual([
      { entity: 'A', valueYuan: 23e9, share: 23 / 31 },
      { entity: 'B', valueYuan: 8e9, share: 8 / 31 },
    ]);
  });
});

describe('clusterGoal before the target year', () => {
  it('scales the month to date when no month is complete and asks for the compound growth to the target', () => {
    // 2026-03-11 00:00: 10 of March's 31 days have passed.
    const now = at('2026-03-11T00:00:00+08:00');
    const r = clusterGoal({ ...base, reports: [report('A', '2026-03', 2e9, '2026-03-10T12:00:00+08:00')], now });
    // Run rate = 2e9 / (10 / 31) = 6.2e9 per month.
    expect(r.runRate).toEqual({ yuanPerMonth: expect.closeTo(6.2e9, 0) as number, basis: 'month_to_date', months: ['2026-03'] });
    // Months remaining = 21/31 + 9; projection = 2e9 + 6.2e9 × 21/31 + 6.2e9 × 9 = 2 + 4.2 + 55.8 = 62e9.
    expect(r.monthsRemaining).toBeCloseTo(21 / 31 + 9, 12);
    expect(r.projectionYuan).toBeCloseTo(62e9, 0);
    // Still required: 62e9 × (1 + g)^(2027 − 2026) = 1e11 → g = 1e11 / 6.2e10 − 1 = 0.612903.
    expect(r.growth.requiredAnnual).toBeCloseTo(1e11 / 6.2e10 - 1, 12);
    expect(r.growth.requiredYuanPerMonth).toBeNull();
    expect(r.progress).toBeNull();
    expect(r.onTrack).toBeNull();
  });

  it('counts complete months of the previous year for the run rate in January', () => {
    // 2027-01-01 08:00 (Shanghai): no 2027 report yet; Oct, Nov, Dec 2026 = 7, 8, 9e9 → run rate 8e9.
    const now = at('2027-01-01T08:00:00+08:00');
    const reports = ['2026-10', '2026-11', '2026-12'].map((p, i) => report('A', p, (7 + i) * 1e9, '2027-01-01T00:00:00+08:00'));
    const r = clusterGoal({ ...base, reports, now });
    expect(r.yearToDateYuan).toBe(0);
    expect(r.runRate.yuanPerMonth).toBeCloseTo(8e9, 0);
    // 8 h of January's 744 h have passed: 12 − 8/744 months remain; projection = 8e9 × that.
    expect(r.monthsRemaining).toBeCloseTo(12 - 8 / 744, 12);
    expect(r.projectionYuan).toBeCloseTo(8e9 * (12 - 8 / 744), 0);
    expect(r.contributions).toEqual([]);
  });

  it('has no run rate and no projection without reports', () => {
    const r = clusterGoal({ ...base, reports: [], now: at('2026-06-01T00:00:00+08:00') });
    expect(r.runRate).toEqual({ yuanPerMonth: null, basis: 'none', months: [] });
    expect(r.projectionYuan).toBeNull();
    expect(r.annualizedRunRateYuan).toBeNull();
    expect(r.growth.requiredAnnual).toBeNull();
  });
});

describe('entities named like Object members', () => {
  it('sums constructor, toString, valueOf and hasOwnProperty as numbers', () => {
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    const g = clusterGoal({
      ...base,
      now: at('2027-04-16T00:00:00+08:00'),
      reports: names.map((name, i) => report(name, '2027-04', 1000 * (i + 1), '2027-04-10T00:00:00+08:00')),
    });
    const april = g.months.find((m) => m.period === '2027-04');
    expect(names.map((n) => april?.byEntity[n])).toEqual([1000, 2000, 3000, 4000]);
    expect(Object.getPrototypeOf(april?.byEntity)).toBeNull();
    expect(g.contributions.map((c) => [c.entity, c.valueYuan])).toEqual([
      ['hasOwnProperty', 4000],
      ['valueOf', 3000],
      ['toString', 2000],
      ['constructor', 1000],
    ]);
    expect(g.yearToDateYuan).toBe(10_000);
  });
});
