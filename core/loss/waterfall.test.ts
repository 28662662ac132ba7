import { describe, expect, it } from 'vitest';
import type { StationEvent, StationState } from '../events';
import type { LineConfig } from '../plant';
import { computeLosses, largestRemainder, lossReport } from './waterfall';

const MIN = 60_000;
/** 2027-03-01 06:00 Asia/Shanghai: the early shift, no break until 08:00. */
const T0 = Date.parse('2027-03-01T06:00:00+08:00');
const at = (minutes: number) => T0 + minutes * MIN;

function line(stations: string[]): LineConfig {
  return { id: 'A1', name: { zh: 'A1', en: 'A1' }, timeZone: 'Asia/Shanghai', targetPerHour: 30, stations: stations.map((id) => ({ id, name: { zh: id, en: id } })) };
}
const state = (station: string, minutes: number, s: StationState, reason?: string): StationEvent => ({
  type: 'state', ts: at(minutes), line: 'A1', station, state: s, ...(reason ? { reason } : {}),
});
const milli = (x: number) => Math.round(x * 1000);

describe('lossReport', () => {
  it('an interval without any event says no data: the whole plan is one no_data term', () => {
    const r = lossReport({ line: line(['S01', 'S02']), events: [], from: at(0), to: at(60), now: at(60) });
    expect(r.status).toBe('no_data');
    expect(r.planUnits).toBe(30);
    expect(r.goodUnits).toBe(0);
    expect(r.losses).toEqual([{ cause: { kind: 'no_data' }, units: 30, seconds: 3600, episodes: [] }]);
  });

  it("charges the bottleneck's breakdown, its slow cycle and the nok unit, and adds up exactly", () => {
    const events: StationEvent[] = [
      state('S01', 0, 'running'),
      state('S01', 20, 'blocked'),
      state('S01', 30, 'running'),
      state('S02', 0, 'running'),
      state('S02', 20, 'fault', 'spindle'),
      state('S02', 30, 'running'),
    ];
    // 25 cycles of 120 s at S02, one of them 150 s; 25 units, one nok.
    for (let i = 1; i <= 25; i += 1) {
      const minute = i <= 10 ? i * 2 : 30 + (i - 10) * 2 - 0.5;
      events.push({ type: 'cycle', ts: at(minute), line: 'A1', station: 'S02', cycleTime: i === 12 ? 150 : 120 });
      events.push({ type: 'unit', ts: at(minute) + 1000, line: 'A1', unit: `V${i}`, result: i === 5 ? 'nok' : 'ok' });
    }
    const r = lossReport({ line: line(['S01', 'S02']), events, from: at(0), to: at(60), now: at(60) });
    expect(r.status).toBe('ok');
    expect(r.planUnits).toBe(30);
    expect(r.goodUnits).toBe(24);
    const find = (kind: string) => r.losses.find((l) => l.cause.kind === kind);
    expect(find('downtime')).toMatchObject({ cause: { kind: 'downtime', station: 'S02', state: 'fault', reason: 'spindle' }, units: 5, seconds: 600 });
    expect(find('quality')?.units).toBe(1);
    expect(find('speed')).toMatchObject({ cause: { kind: 'speed', station: 'S02' }, units: 0.25, seconds: 30 });
    // 50 productive minutes at 120 s = 25 units, 25 built, 0.25 already charged to speed: −0.25 left, with the reason.
    expect(find('unexplained')?.units).toBe(-0.25);
    expect(find('unexplained')?.why?.en).toContain('drained');
    expect(r.losses.reduce((a, l) => a + milli(l.units), 0)).toBe(milli(r.planUnits - r.goodUnits));
    expect(r.bottleneck.stations.find((s) => s.station === 'S02')?.soleShare).toBeCloseTo(1, 6);
  });

  it('traces an empty line after a break upstream to the station that waited', () => {
    const events: StationEvent[] = [
      state('S01', 0, 'idle', 'refill after break'),
      state('S02', 0, 'starved'),
      state('S03', 0, 'starved'),
      state('S01', 10, 'running'),
      state('S02', 10, 'running'),
      state('S03', 10, 'running'),
    ];
    const { report } = computeLosses({ line: line(['S01', 'S02', 'S03']), events, from: at(0), to: at(60), now: at(60) });
    expect(report.losses.find((l) => l.cause.kind === 'starved')).toMatchObject({
      cause: { kind: 'starved', station: 'S01', state: 'idle', reason: 'refill after break' },
      units: 5,
      seconds: 600,
    });
  });

  it('traces blocking downstream to the partner whose parts ran out, and records the shortage episode', () => {
    const events: StationEvent[] = [
      { type: 'partner', ts: at(-30), partner: 'P-BATT-01', status: 'ok' },
      { type: 'partner', ts: at(-15), partner: 'P-BATT-01', status: 'at_risk' },
      { type: 'partner', ts: at(5), partner: 'P-BATT-01', status: 'down' },
      state('S01', 0, 'running'),
      state('S01', 20, 'blocked'),
      state('S01', 45, 'running'),
      state('S02', 0, 'running'),
      state('S02', 15, 'starved', 'waiting for parts from P-BATT-01'),
      state('S02', 45, 'running'),
      state('S03', 0, 'running'),
      state('S03', 17, 'starved'),
      state('S03', 47, 'running'),
    ];
    const r = lossReport({ line: line(['S01', 'S02', 'S03']), events, from: at(0), to: at(60), now: at(60) });
    const partner = r.losses.filter((l) => l.cause.partner === 'P-BATT-01');
    expect(partner.reduce((a, l) => a + l.units, 0)).toBe(15);
    expect(partner[0]?.cause).toMatchObject({ kind: 'starved', station: 'S02' });
    expect(r.shortages).toEqual([{ partner: 'P-BATT-01', station: 'S02', alertAt: at(-15), starvedFrom: at(15), supplyBackAt: at(45), unitsLost: 15 }]);
  });
});

describe('shortage episodes', () => {
  it('a shortage that runs into a break is still a shortage: supply is back only when the station runs again in planned time', () => {
    // 06:00 + 100 min = 07:40 S02 starves for packs; the break 08:00–08:10 begins, the station reports `idle`/break.
    const events: StationEvent[] = [
      state('S01', 0, 'running'),
      state('S02', 0, 'running'),
      state('S02', 100, 'starved', 'waiting for parts from P-BATT-01'),
      state('S01', 120, 'idle', 'break'),
      state('S02', 120, 'idle', 'break'),
    ];
    const during = lossReport({ line: line(['S01', 'S02']), events, from: at(0), to: at(480), now: at(125) });
    expect(during.shortages).toMatchObject([{ partner: 'P-BATT-01', station: 'S02', starvedFrom: at(100), supplyBackAt: null }]);
    // After the break S02 runs: supply came back when the break ended, not when it began.
    const after = lossReport({ line: line(['S01', 'S02']), events: [...events, state('S01', 130, 'running'), state('S02', 130, 'running')], from: at(0), to: at(480), now: at(140) });
    expect(after.shortages).toMatchObject([{ partner: 'P-BATT-01', station: 'S02', starvedFrom: at(100), supplyBackAt: at(130) }]);
  });
});

describe('largestRemainder', () => {
  it('splits a total into integers that add up to it', () => {
    expect(largestRemainder([1, 1, 1], 100)).toEqual([34, 33, 33]);
    expect(largestRemainder([0, 0], 7)).toEqual([0, 7]);
  });
});

describe('lossReport look-back', () => {
  it('has data when a stop carries into the interval from a state event before it, and keeps its reason', () => {
    const r = lossReport({ line: line(['S01']), events: [state('S01', -30, 'fault', 'hydraulics')], from: at(0), to: at(60), now: at(60) });
    expect(r.status).toBe('ok');
    expect(r.losses).toEqual([
      { cause: { kind: 'downtime', station: 'S01', state: 'fault', reason: 'hydraulics' }, units: 30, seconds: 3600, episodes: [{ from: at(0), to: at(60), constraint: 'S01', units: 30, seconds: 3600 }] },
    ]);
  });
});
