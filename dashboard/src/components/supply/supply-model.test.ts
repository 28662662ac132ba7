import { describe, expect, it } from 'vitest';
import { supplyAnswers, SUPPLY_NOW } from './supply-fixtures';
import { alertBanner, alertsForLine, goalHeadline, partnerChips, partnerTone } from './supply-model';

const MIN = 60_000;

describe('alertBanner', () => {
  const { alerts } = supplyAnswers({ shortage: true }).partners;

  it('names the partner, the starving station and when, on the line clock in its time zone', () => {
    const zh = alertBanner(alerts, 'A1', SUPPLY_NOW, 'Asia/Shanghai', 'zh-CN');
    expect(zh).toMatchObject({ partner: 'P-BATT-01', level: 'critical', more: 0 });
    expect(zh?.head).toBe('缺料预警 · 东湖动力电池');
    expect(zh?.text).toBe('S07 电池包 将于 09:10 停线待料（56 分钟后）');
    const en = alertBanner(alerts, 'A1', SUPPLY_NOW, 'Asia/Shanghai', 'en');
    expect(en?.text).toBe('S07 Battery pack starves at 09:10 (in 56 min)');
    // The same instant on a screen set to another zone's line reads that zone's clock.
    expect(alertBanner(alerts, 'A1', SUPPLY_NOW, 'Europe/Berlin', 'en')?.text).toBe('S07 Battery pack starves at 03:10 (in 56 min)');
  });

  it('counts down on the line clock and says "since" once the time has passed', () => {
    expect(alertBanner(alerts, 'A1', SUPPLY_NOW + 20 * MIN, 'Asia/Shanghai', 'en')?.text).toBe('S07 Battery pack starves at 09:10 (in 36 min)');
    expect(alertBanner(alerts, 'A1', SUPPLY_NOW + 70 * MIN, 'Asia/Shanghai', 'zh-CN')?.text).toBe('S07 电池包 自 09:10 起待料');
  });

  it('says since when the shortage began (its open episode), not the latest empty-stock report', () => {
    // The partner keeps reporting an empty stock: each report moves the alert's starvesAt to itself, i.e. to now.
    const now = SUPPLY_NOW + 70 * MIN; // 09:24
    const latest = alerts.map((a) => ({ ...a, starvesAt: now - MIN, stations: a.stations.map((s) => ({ ...s, starvesAt: now - MIN })) }));
    const episode = { partner: 'P-BATT-01', station: 'S07', alertAt: SUPPLY_NOW - 30 * MIN, starvedFrom: SUPPLY_NOW + 56 * MIN, supplyBackAt: null, unitsLost: 4 };
    const partners = [{ id: 'P-BATT-01', shortages: [episode, { ...episode, starvedFrom: SUPPLY_NOW - 300 * MIN, supplyBackAt: SUPPLY_NOW - 200 * MIN }] }];
    expect(alertBanner(latest, 'A1', now, 'Asia/Shanghai', 'zh-CN', partners)?.text).toBe('S07 电池包 自 09:10 起待料');
    expect(alertBanner(latest, 'A1', now, 'Asia/Shanghai', 'en', partners)?.text).toBe('S07 Battery pack starved since 09:10');
    // Without an open episode (none recorded yet) it can only say the alert's own time.
    expect(alertBanner(latest, 'A1', now, 'Asia/Shanghai', 'en', [{ id: 'P-BATT-01', shortages: [] }])?.text).toBe('S07 Battery pack starved since 09:23');
  });

  it('shows the date when the starvation is on another day', () => {
    const text = alertBanner(alerts, 'A1', SUPPLY_NOW - 24 * 60 * MIN, 'Asia/Shanghai', 'en')?.text;
    expect(text).toMatch(/^S07 Battery pack starves at 4\/16 09:10 \(in 24 h 56 min\)$/);
  });

  it('is null without alerts, and ignores alerts for another line', () => {
    expect(alertBanner(supplyAnswers().partners.alerts, 'A1', SUPPLY_NOW, 'Asia/Shanghai', 'zh-CN')).toBeNull();
    expect(alertsForLine(alerts, 'B2')).toEqual([]);
    expect(alertBanner(alerts, 'B2', SUPPLY_NOW, 'Asia/Shanghai', 'zh-CN')).toBeNull();
  });
});

describe('partner chips', () => {
  it('colours by alert first, then by reported status; worst first, then partners supplying stations', () => {
    const partners = supplyAnswers({ shortage: true }).partners.partners;
    const chips = partnerChips(partners, 'zh-CN');
    expect(chips.map((c) => [c.id, c.tone])).toEqual([
      ['P-BATT-01', 'bad'],
      ['P-SEAT-01', 'good'],
      ['P-EDRV-01', 'none'],
      ['P-CHIP-01', 'none'],
      ['P-GLAS-01', 'none'],
      ['P-ADAS-01', 'none'],
    ]);
    expect(chips[0]).toMatchObject({ name: '东湖动力电池', status: 'late', alert: 'critical' });
    // A partner in trouble comes before the quiet ones wherever it stands in the registry.
    const glassDown = partners.map((p) => (p.id === 'P-GLAS-01' ? { ...p, status: { status: 'down' as const, reportedAt: 0, inventoryHours: null, onTimeRate: null, note: null } } : p));
    expect(partnerChips(glassDown, 'en').map((c) => c.id)).toEqual(['P-BATT-01', 'P-GLAS-01', 'P-SEAT-01', 'P-EDRV-01', 'P-CHIP-01', 'P-ADAS-01']);
    expect(partnerTone({ status: { status: 'at_risk', reportedAt: 0, inventoryHours: 3, onTimeRate: 1, note: null }, alert: null })).toBe('warn');
    expect(partnerTone({ status: { status: 'down', reportedAt: 0, inventoryHours: null, onTimeRate: null, note: null }, alert: null })).toBe('bad');
  });
});

describe('goalHeadline', () => {
  it('in the target year: year to date against the target, the projection and the verdict', () => {
    const c = supplyAnswers().cluster;
    expect(goalHeadline(c, 'zh-CN')).toMatchObject({
      caption: '今年累计',
      figure: '310 亿元',
      of: '/ 1000 亿元',
      bar: 0.31,
      sub: '31.0% · 预计 1045.7 亿元',
      tone: 'good',
      verdict: '可达成',
    });
    expect(goalHeadline(c, 'en')).toMatchObject({ figure: '31 bn', of: '/ 100 bn yuan', sub: '31.0% · projected 104.6 bn yuan', verdict: 'On track' });
    expect(goalHeadline({ ...c, onTrack: false }, 'en')).toMatchObject({ tone: 'bad', verdict: 'Behind' });
  });

  it('before the target year: the annualised pace against the target and the growth still needed', () => {
    const c = { ...supplyAnswers().cluster, year: 2026, progress: null, onTrack: null, growth: { ...supplyAnswers().cluster.growth, requiredAnnual: 0.1 } };
    expect(goalHeadline(c, 'zh-CN')).toMatchObject({
      caption: '年化产值',
      figure: '1040 亿元',
      of: '/ 1000 亿元',
      bar: 1.04,
      sub: '今年累计 310 亿元 · 仍需年增速 10.0%',
      tone: 'none',
      verdict: null,
    });
    // A pace that already reaches the target needs no growth; "needs −11.3 %" would puzzle.
    const ahead = { ...c, growth: { ...c.growth, requiredAnnual: -0.113 } };
    expect(goalHeadline(ahead, 'zh-CN').sub).toBe('今年累计 310 亿元 · 已高于目标水平');
    expect(goalHeadline(ahead, 'en').sub).toBe('YTD 31 bn yuan · already above target level');
  });
});
