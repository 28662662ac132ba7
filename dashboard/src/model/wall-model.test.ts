import { describe, expect, it } from 'vitest';
import { lineFixture, shiftFixture } from '../testing/fakes';
import { DEFAULT_STALENESS, toneOf, toneWithLine, wallModel, type LiveInput } from './wall-model';

const LINE_NOW = 1_700_000_000_000; // the line's clock (may run ahead of the browser's)
const ARRIVED = 5_000_000; // the browser's clock when the message came

function input(overrides: Partial<LiveInput> = {}): LiveInput {
  return {
    line: lineFixture({ now: LINE_NOW }),
    lineArrivedAt: ARRIVED,
    lineServerTime: LINE_NOW,
    lastMessageAt: ARRIVED,
    linkSince: ARRIVED - 10_000,
    status: 'open',
    ...overrides,
  };
}

describe('wallModel', () => {
  it('is null before the first snapshot', () => {
    expect(wallModel(input({ line: null, lineArrivedAt: null }), ARRIVED)).toBeNull();
  });

  it('counts the takt down from the last unit on the line clock, extrapolated by local time', () => {
    // last unit 30 s before line.now; 10 s of local time later → 120 − 40 = 80 s left.
    const m = wallModel(input(), ARRIVED + 10_000);
    expect(m?.lineNow).toBe(LINE_NOW + 10_000);
    expect(m?.taktRemaining).toBe(80);
    // 100 s later the unit is 10 s overdue.
    expect(wallModel(input(), ARRIVED + 100_000)?.taktRemaining).toBe(-10);
    const none = input({ line: lineFixture({ now: LINE_NOW, lastUnitAt: null }) });
    expect(wallModel(none, ARRIVED)?.taktRemaining).toBeNull();
  });

  it('gives time in state by the line clock, null before any state event', () => {
    const m = wallModel(input(), ARRIVED + 5_000);
    expect(m?.stations.map((s) => [s.id, s.state, s.secondsInState])).toEqual([
      ['S01', 'running', 605],
      ['S02', 'fault', 95],
      ['S03', 'starved', null],
    ]);
  });

  it('stops times in state and the takt countdown at the last message while the link is down; the clock goes on', () => {
    // Last message 5 s after the snapshot; the link dropped; 60 s later the wall still shows the line as it last knew it.
    const down = input({ status: 'reconnecting', lastMessageAt: ARRIVED + 5_000 });
    const m = wallModel(down, ARRIVED + 65_000);
    expect(m?.lineNow).toBe(LINE_NOW + 65_000);
    expect(m?.observedNow).toBe(LINE_NOW + 5_000);
    expect(m?.stations.map((s) => s.secondsInState)).toEqual([605, 95, null]);
    expect(m?.taktRemaining).toBe(85);
    // Open again: everything runs on the line clock.
    const open = wallModel(input(), ARRIVED + 65_000);
    expect(open?.observedNow).toBe(LINE_NOW + 65_000);
    expect(open?.stations.map((s) => s.secondsInState)).toEqual([665, 155, null]);
  });

  it('sets this hour against the plan prorated to now', () => {
    const hourStart = LINE_NOW - 30 * 60_000; // half the hour gone
    const line = lineFixture({ now: LINE_NOW, hourStart, unitsThisHour: 12 });
    const m = wallModel(input({ line }), ARRIVED);
    expect(m?.planThisHour).toBe(30);
    expect(m?.expectedByNow).toBe(15);
    expect(m?.thisHourTone).toBe('warn'); // 12 of 15 = 80 %
    expect(m?.unitsPerHourTone).toBe('warn'); // 28 of 30
  });

  it('marks the bottleneck the collector picked, and says why', () => {
    const why = { zh: '最少缺料或堵塞', en: 'least often starved or blocked' };
    const kpis = { at: LINE_NOW, bottleneck: { station: 'S02', shifting: false, why }, oee: { availability: null, performance: null, quality: null, oee: null } };
    const m = wallModel(input({ line: lineFixture({ now: LINE_NOW, kpis }) }), ARRIVED);
    expect(m?.stations.map((s) => s.bottleneck)).toEqual([false, true, false]);
    expect(m?.bottleneckWhy).toEqual(why);
    const none = wallModel(input(), ARRIVED);
    expect(none?.stations.some((s) => s.bottleneck)).toBe(false);
    expect(none?.bottleneckWhy).toBeNull();
  });

  it('moves the bottleneck tag to the momentary bottleneck when the collector sends losses', () => {
    const shiftWhy = { zh: 'S01 最常活跃', en: 'S01 active most' };
    const kpis = { at: LINE_NOW, bottleneck: { station: 'S01', shifting: false, why: shiftWhy }, oee: { availability: null, performance: null, quality: null, oee: null } };
    const why = { zh: 'S03 因缺料 P-BATT-01 待料', en: 'S03 starved for P-BATT-01' };
    const largestLoss = { cause: { kind: 'starved' as const, station: 'S03', partner: 'P-BATT-01' }, units: 41 };
    const losses = { bottleneck: { station: 'S03', shifting: false, why }, largestLoss };
    const m = wallModel(input({ line: lineFixture({ now: LINE_NOW, kpis, losses, shift: shiftFixture(LINE_NOW) }) }), ARRIVED);
    expect(m?.stations.map((s) => s.bottleneck)).toEqual([false, false, true]);
    expect(m?.bottleneckWhy).toEqual(why);
    expect(m?.shift?.largestLoss).toEqual(largestLoss);
    // No station active at the moment: no tag, even though the shift's pick is S01.
    const idle = wallModel(input({ line: lineFixture({ now: LINE_NOW, kpis, losses: { bottleneck: { station: null, shifting: false, why }, largestLoss: null } }) }), ARRIVED);
    expect(idle?.stations.some((s) => s.bottleneck)).toBe(false);
    // A collector without loss accounting: the shift's pick, and no largest loss.
    const old = wallModel(input({ line: lineFixture({ now: LINE_NOW, kpis, shift: shiftFixture(LINE_NOW) }) }), ARRIVED);
    expect(old?.stations.map((s) => s.bottleneck)).toEqual([true, false, false]);
    expect(old?.shift?.largestLoss).toBeNull();
  });

  it("takes this hour's plan from the shift calendar when the collector sends it (breaks excluded)", () => {
    const hourStart = LINE_NOW - 40 * 60_000;
    const shift = shiftFixture(LINE_NOW, { hourStart, hourPlan: 20, hourPlanByNow: 10.5 });
    const m = wallModel(input({ line: lineFixture({ now: LINE_NOW, hourStart, shift }) }), ARRIVED);
    expect(m?.planThisHour).toBe(20);
    expect(m?.expectedByNow).toBe(10);
    // A shift figure for another hour (between shifts) is not used.
    const stale = { ...shift, hourStart: hourStart - 3_600_000 };
    expect(wallModel(input({ line: lineFixture({ now: LINE_NOW, hourStart, shift: stale }) }), ARRIVED)?.planThisHour).toBe(30);
  });

  it('shows the shift against plan when the collector sends it', () => {
    const shift = shiftFixture(LINE_NOW);
    const m = wallModel(input({ line: lineFixture({ now: LINE_NOW, shift }) }), ARRIVED);
    // The forecast is rounded down like the most the line can build: a unit is built once it is whole.
    expect(m?.shift).toMatchObject({ units: 56, planByNow: 87, planTotal: 215, gap: -31, forecast: 185, ended: false, tone: 'bad' });
    expect(wallModel(input(), ARRIVED)?.shift).toBeNull();
  });

  it('runs the line clock at the demo rate between messages, and at the wall rate otherwise', () => {
    expect(wallModel(input(), ARRIVED + 2_000)?.lineNow).toBe(LINE_NOW + 2_000);
    const demo = wallModel(input({ line: lineFixture({ now: LINE_NOW, clockRate: 60 }) }), ARRIVED + 2_000);
    expect(demo?.lineNow).toBe(LINE_NOW + 120_000);
    expect(demo?.demoRate).toBe(60);
  });

  it('computes the gap from the figures it shows: 24 built, 23 due → +1, not 0', () => {
    const shift = shiftFixture(LINE_NOW, { units: 24, planByNow: 23.7 });
    const m = wallModel(input({ line: lineFixture({ now: LINE_NOW, shift }) }), ARRIVED);
    expect(m?.shift).toMatchObject({ units: 24, planByNow: 23, gap: 1 });
  });

  it('never shows a green count while no station runs', () => {
    const line = lineFixture({ now: LINE_NOW });
    const starved = { ...line, unitsThisHour: 0, hourStart: LINE_NOW - 1000, stations: line.stations.map((s) => ({ ...s, state: 'starved' as const })) };
    const m = wallModel(input({ line: starved }), ARRIVED);
    expect(m?.expectedByNow).toBe(0);
    expect(m?.thisHourTone).toBe('bad');
    expect(m?.unitsPerHourTone).toBe('bad');
    expect(toneWithLine('good', [{ state: 'running' }, { state: 'fault' }])).toBe('warn');
    expect(toneWithLine('good', [{ state: 'running' }])).toBe('good');
  });

  it('says what it takes to catch up, and the largest downtime so far', () => {
    const top = { station: 'S06', state: 'fault' as const, reason: 'nutrunner torque', seconds: 750 };
    const shift = shiftFixture(LINE_NOW, { topDowntime: [top, { ...top, station: 'S02', seconds: 60 }] });
    const m = wallModel(input({ line: lineFixture({ now: LINE_NOW, shift }) }), ARRIVED);
    // 34.1 units/h would be needed; the line builds 30/h: at most 56 + 30 × 4 h 40 min = 196 of 215, 19 short (38 min more).
    expect(m?.shift).toMatchObject({ catchUp: { kind: 'short', maxAtCapacity: 196, short: 19, overtimeSeconds: 19 * 120 }, topDowntime: top });
    // Within reach: (215.2 − 80) / 4.67 h = 28.97/h, rounded up: 29.
    const near = shiftFixture(LINE_NOW, { units: 80, catchUpRate: (215.2 - 80) / (16800 / 3600) });
    expect(wallModel(input({ line: lineFixture({ now: LINE_NOW, shift: near }) }), ARRIVED)?.shift?.catchUp).toEqual({ kind: 'rate', rate: 29 });
    const ended = shiftFixture(LINE_NOW, { status: 'ended' });
    expect(wallModel(input({ line: lineFixture({ now: LINE_NOW, shift: ended }) }), ARRIVED)?.shift).toMatchObject({ catchUp: { kind: 'none' }, topDowntime: null });
  });

  it('shows a station whose source went silent as signal lost for as long as the server says, never as running', () => {
    const line = lineFixture({ now: LINE_NOW });
    // S01 runs by its last state, but its OPC UA source has been silent for 3 min by the server's clock.
    const silent = { ...line, stations: line.stations.map((s) => (s.id === 'S01' ? { ...s, signalLost: { source: 'plc-1', since: LINE_NOW - 180_000 } } : s)) };
    const m = wallModel(input({ line: silent }), ARRIVED + 5_000);
    expect(m?.stations.map((s) => [s.id, s.signalLostSeconds])).toEqual([
      ['S01', 185],
      ['S02', null],
      ['S03', null],
    ]);
    // The only running station is not heard from: the line's counts are not green.
    expect(m?.unitsPerHourTone).toBe('bad');
    expect(toneWithLine('good', [{ state: 'running', signalLostSince: 1 }, { state: 'running', signalLostSince: null }])).toBe('warn');
  });

  describe('freshness', () => {
    it('is live while messages flow and data is recent', () => {
      const m = wallModel(input(), ARRIVED + 3_000);
      expect(m?.freshness).toBe('live');
      expect(m?.staleBecause).toBe('none');
      expect(m?.dataAgeSeconds).toBe(4); // 1 s old on arrival + 3 s since
    });

    it('turns amber, then red, as the link goes silent', () => {
      const t = DEFAULT_STALENESS;
      expect(wallModel(input(), ARRIVED + t.linkAmberMs)?.freshness).toBe('amber');
      const red = wallModel(input(), ARRIVED + t.linkRedMs);
      expect(red?.freshness).toBe('red');
      expect(red?.staleBecause).toBe('link');
      expect(red?.linkAgeSeconds).toBe(t.linkRedMs / 1000);
    });

    it('is at least amber while reconnecting', () => {
      expect(wallModel(input({ status: 'reconnecting' }), ARRIVED + 1000)?.freshness).toBe('amber');
    });

    it('turns amber, then red, when the data stops though heartbeats keep coming', () => {
      const old = (ageMs: number) =>
        input({ line: lineFixture({ now: LINE_NOW, receivedAt: LINE_NOW - ageMs }), lastMessageAt: ARRIVED });
      expect(wallModel(old(DEFAULT_STALENESS.dataAmberMs), ARRIVED)?.freshness).toBe('amber');
      const red = wallModel(old(DEFAULT_STALENESS.dataRedMs), ARRIVED);
      expect(red?.freshness).toBe('red');
      expect(red?.staleBecause).toBe('data');
      expect(wallModel(input({ line: lineFixture({ now: LINE_NOW, receivedAt: null }) }), ARRIVED)?.freshness).toBe('amber');
    });

    it('turns red at once, with the reason and for how long, while the collector refuses events', () => {
      // The data is 1 s old and heartbeats flow: without the intake the wall would say live.
      const refusing = input({ line: lineFixture({ now: LINE_NOW, intake: { code: 'disk_full', since: LINE_NOW - 90_000 } }) });
      const m = wallModel(refusing, ARRIVED + 5_000);
      expect(m?.freshness).toBe('red');
      expect(m?.stale).toBe(true);
      expect(m?.staleBecause).toBe('intake');
      expect(m?.intake).toEqual({ code: 'disk_full', seconds: 95 });
      // Taking events again: live.
      const back = wallModel(input({ line: lineFixture({ now: LINE_NOW, intake: null }) }), ARRIVED + 3_000);
      expect(back?.freshness).toBe('live');
      expect(back?.intake).toBeNull();
      // With the link down the wall cannot know whether the collector took events again: the link is what it says.
      const down = wallModel({ ...refusing, status: 'reconnecting' }, ARRIVED + DEFAULT_STALENESS.linkRedMs);
      expect(down?.staleBecause).toBe('link');
      expect(down?.intake).toBeNull();
    });
  });
});

describe('toneOf', () => {
  it('grades against the target', () => {
    expect(toneOf(29, 30)).toBe('good');
    expect(toneOf(25, 30)).toBe('warn');
    expect(toneOf(20, 30)).toBe('bad');
    expect(toneOf(0, 0)).toBe('good');
  });
});
