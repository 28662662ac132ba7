import { describe, expect, it } from 'vitest';
import { lineCalendar } from '../calendar/calendar';
import { referencePlant } from '../plant';
import { alertHistory, materialRisk, materialRisks, nextDeliveryAfter, plannedInstantAfter, type PartnerStatusReport } from './material-risk';
import { referencePartnerRegistry } from './reference';
import type { PartnerConfig } from './registry';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const plant = referencePlant();
const cal = lineCalendar(plant.lines[0]!);
const battery = referencePartnerRegistry().partners.find((p) => p.id === 'P-BATT-01') as PartnerConfig;
const report = (ts: string, status: PartnerStatusReport['status'], inventoryHours: number | null): PartnerStatusReport => ({
  partner: 'P-BATT-01',
  ts: at(ts),
  status,
  inventoryHours,
  onTimeRate: 0.97,
  note: null,
});

describe('nextDeliveryAfter', () => {
  it('finds the next slot strictly after t on a schedule that restarts each local day', () => {
    const every2 = { deliveryEveryHours: 2, firstDeliveryAt: '00:00' };
    expect(nextDeliveryAfter(every2, TZ, at('2027-03-01T07:00:00'))).toBe(at('2027-03-01T08:00:00'));
    expect(nextDeliveryAfter(every2, TZ, at('2027-03-01T08:00:00'))).toBe(at('2027-03-01T10:00:00'));
    // Every 8 h from 05:00: 05, 13, 21; at 04:59 the next is today's 05:00.
    expect(nextDeliveryAfter({ deliveryEveryHours: 8, firstDeliveryAt: '05:00' }, TZ, at('2027-03-01T04:59:00'))).toBe(at('2027-03-01T05:00:00'));
    // Every 7 h from 00:00: 00, 07, 14, 21, then the next day's 00:00 (not 04:00).
    expect(nextDeliveryAfter({ deliveryEveryHours: 7, firstDeliveryAt: '00:00' }, TZ, at('2027-03-01T22:00:00'))).toBe(at('2027-03-02T00:00:00'));
  });
});

describe('plannedInstantAfter', () => {
  it('uses stock only in planned time: breaks and the night meal push the run-out later', () => {
    // 07:00 + 1 h → 08:00; break 08:00–08:10; + 1.5 h → 09:40.
    expect(plannedInstantAfter(cal, at('2027-03-01T07:00:00'), 2.5 * 3600)).toBe(at('2027-03-01T09:40:00'));
    // 23:00 + 1 h → 00:00; night meal 00:00–00:30; + 0.5 h → 01:00.
    expect(plannedInstantAfter(cal, at('2027-03-01T23:00:00'), 1.5 * 3600)).toBe(at('2027-03-02T01:00:00'));
    // Stock used up exactly at a break starves the station when work resumes: 07:00 + 1 h = 08:00 → 08:10.
    expect(plannedInstantAfter(cal, at('2027-03-01T07:00:00'), 3600)).toBe(at('2027-03-01T08:10:00'));
    // Nothing left during a break: starved when work resumes.
    expect(plannedInstantAfter(cal, at('2027-03-01T08:05:00'), 0)).toBe(at('2027-03-01T08:10:00'));
    // Beyond the horizon: no prediction.
    expect(plannedInstantAfter(cal, at('2027-03-01T07:00:00'), 1000 * 3600)).toBeNull();
  });
});

describe('materialRisk', () => {
  it('is quiet while the stock lasts to the next delivery and stays above the minimum', () => {
    // 07:00, 2.5 h: runs out 09:40, delivery due 08:00; 2.5 ≥ 2 h minimum.
    expect(materialRisk(battery, report('2027-03-01T07:00:00', 'ok', 2.5), plant, at('2027-03-01T07:01:00'))).toBeNull();
    expect(materialRisk(battery, null, plant, at('2027-03-01T07:01:00'))).toBeNull();
  });

  it('warns below the minimum when the next delivery still comes in time', () => {
    // 07:00, 1.5 h: runs out 08:40 (1 h to 08:00, break, 0.5 h); the 08:00 delivery comes first.
    const a = materialRisk(battery, report('2027-03-01T07:00:00', 'at_risk', 1.5), plant, at('2027-03-01T07:00:00'));
    expect(a).toMatchObject({ level: 'warning', reasons: ['below_minimum'], starvesAt: at('2027-03-01T08:40:00'), nextDeliveryAt: at('2027-03-01T08:00:00') });
    expect(a?.message.en).toContain('below the minimum of 2 h');
  });

  it('names the station that starves, and when, if the stock runs out before the delivery counted on', () => {
    // 07:00, 0.5 h: runs out 07:30, before the 08:00 delivery.
    const a = materialRisk(battery, report('2027-03-01T07:00:00', 'at_risk', 0.5), plant, at('2027-03-01T07:10:00'));
    expect(a).toMatchObject({
      partner: 'P-BATT-01',
      level: 'critical',
      reasons: ['runs_out_before_delivery', 'below_minimum'],
      starvesAt: at('2027-03-01T07:30:00'),
      countedDeliveryAt: at('2027-03-01T08:00:00'),
      stations: [{ line: 'A1', station: 'S07', name: { zh: '电池包', en: 'Battery pack' }, starvesAt: at('2027-03-01T07:30:00') }],
    });
    expect(a?.hoursToStarvation).toBeCloseTo(20 / 60, 12);
    expect(a?.message.en).toBe(
      'Donghu Power Battery (P-BATT-01): line-side stock 0.5 h runs out at 07:30 (in 20 min), before its next delivery at 08:00: S07 Battery pack will starve',
    );
    expect(a?.message.zh).toContain('S07 电池包 将停线待料');
  });

  it('does not count on the next delivery of a late partner', () => {
    // 08:00 (break until 08:10), 1.9 h = 1 h 54 min: runs out 10:04; next slot 10:00 — in time if on time,
    // but a late partner is assumed to miss it, so the 12:00 delivery is counted: critical.
    const onTime = materialRisk(battery, report('2027-03-01T08:00:00', 'at_risk', 1.9), plant, at('2027-03-01T08:00:00'));
    expect(onTime).toMatchObject({ level: 'warning', reasons: ['below_minimum'], starvesAt: at('2027-03-01T10:04:00') });
    const late = materialRisk(battery, report('2027-03-01T08:00:00', 'late', 1.9), plant, at('2027-03-01T08:00:00'));
    expect(late).toMatchObject({
      level: 'critical',
      reasons: ['runs_out_before_delivery', 'partner_late', 'below_minimum'],
      starvesAt: at('2027-03-01T10:04:00'),
      nextDeliveryAt: at('2027-03-01T10:00:00'),
      countedDeliveryAt: at('2027-03-01T12:00:00'),
    });
    // Late with stock for a day: a warning only.
    const stocked = materialRisk(battery, report('2027-03-01T08:00:00', 'late', 24), plant, at('2027-03-01T08:00:00'));
    expect(stocked).toMatchObject({ level: 'warning', reasons: ['partner_late'] });
  });

  it('treats a partner that is down as critical, with or without a stock figure', () => {
    const withStock = materialRisk(battery, report('2027-03-01T08:00:00', 'down', 0), plant, at('2027-03-01T09:00:00'));
    // Nothing left: S07 starves when work resumes after the 08:00 break, which has passed at 09:00.
    expect(withStock).toMatchObject({ level: 'critical', reasons: ['partner_down', 'below_minimum'], starvesAt: at('2027-03-01T08:10:00') });
    expect(withStock?.hoursToStarvation).toBeCloseTo(-50 / 60, 12);
    expect(withStock?.message.en).toContain('starved since 08:10');
    const blind = materialRisk(battery, report('2027-03-01T08:00:00', 'down', null), plant, at('2027-03-01T08:00:00'));
    expect(blind).toMatchObject({ level: 'critical', reasons: ['partner_down'], starvesAt: null });
    expect(blind?.message.en).toBe('Donghu Power Battery (P-BATT-01) is down');
  });

  it('orders alerts: critical first, then the soonest starvation', () => {
    const registry = referencePartnerRegistry();
    const reports = new Map<string, PartnerStatusReport>([
      ['P-SEAT-01', { ...report('2027-03-01T07:00:00', 'at_risk', 1), partner: 'P-SEAT-01' }],
      ['P-BATT-01', report('2027-03-01T07:00:00', 'at_risk', 0.5)],
      ['P-EDRV-01', { ...report('2027-03-01T07:00:00', 'ok', 40), partner: 'P-EDRV-01' }],
    ]);
    const alerts = materialRisks(registry.partners, reports, plant, at('2027-03-01T07:00:00'));
    // Seats: 1 h ≥ its 1 h to the 08:00 delivery? runs out 08:10 (break) > 08:00: warning (below 1.5 h).
    expect(alerts.map((a) => [a.partner, a.level])).toEqual([
      ['P-BATT-01', 'critical'],
      ['P-SEAT-01', 'warning'],
    ]);
  });
});

describe('alertHistory', () => {
  it("judges every report by the material-risk rules at its own time, so a shortage can date its alert", () => {
    const reports = [report('2027-03-01T09:00:00', 'down', 1.5), report('2027-03-01T07:00:00', 'ok', 30), report('2027-03-01T11:00:00', 'ok', 30)];
    const marks = alertHistory([battery], reports, plant).get('P-BATT-01');
    expect(marks).toEqual([
      { ts: at('2027-03-01T07:00:00'), alerting: false },
      { ts: at('2027-03-01T09:00:00'), alerting: true },
      { ts: at('2027-03-01T11:00:00'), alerting: false },
    ]);
  });
});
