import { describe, expect, it } from 'vitest';
import type { StateSegment } from './states';
import { clipToPlanned, momentaryBottleneck, shiftingBottleneck } from './active-period';
import type { BottleneckSpan } from '../loss/types';
import type { Span } from '../calendar/calendar';
import { seededRandom } from '../test/support/seeded-random';

const MIN = 60_000;
/** A timeline from [state, minutes] pairs starting at 0. */
function tl(...parts: [StateSegment['state'], number, string?][]): StateSegment[] {
  let t = 0;
  return parts.map(([state, minutes, reason]) => {
    const seg: StateSegment = { state, reason: reason ?? null, start: t, end: t + minutes * MIN, since: t };
    t += minutes * MIN;
    return seg;
  });
}
const planned = [{ start: 0, end: 60 * MIN }];

describe('shiftingBottleneck (Roser active periods)', () => {
  it('gives a long breakdown the bottleneck from the start of its active period, not from the fault', () => {
    const timelines = new Map([
      ['S01', tl(['running', 10], ['blocked', 5], ['running', 10], ['blocked', 5], ['running', 10], ['blocked', 5], ['running', 15])],
      ['S02', tl(['running', 20], ['fault', 30], ['running', 2], ['starved', 8])],
    ]);
    const b = shiftingBottleneck(timelines, planned);
    // S02 is active 0–52 min, longer than any S01 period: sole bottleneck until S01's last period overlaps it.
    const s02 = b.stations.find((s) => s.station === 'S02');
    const s01 = b.stations.find((s) => s.station === 'S01');
    expect(b.timeline[0]).toMatchObject({ from: 0, station: 'S02' });
    expect((s02?.soleShare ?? 0) + (s02?.shiftingShare ?? 0)).toBeCloseTo(52 / 60, 6);
    // S01's last period (45–60) overlaps S02's (0–52) by 7 minutes: shifting, charged to both.
    expect(s01?.shiftingShare).toBeCloseTo(7 / 60, 6);
    expect(s02?.shiftingShare).toBeCloseTo(7 / 60, 6);
    expect(b.timeline.find((s) => s.shifting)).toMatchObject({ station: 'S02', with: 'S01', from: 45 * MIN, to: 52 * MIN });
  });

  it('counts a station starved for a partner as active, and one starved by its neighbour as not', () => {
    const timelines = new Map([
      ['S01', tl(['running', 5], ['blocked', 55])],
      ['S02', tl(['running', 5], ['starved', 55, 'waiting for parts from P-BATT-01'])],
      ['S03', tl(['running', 5], ['starved', 55])],
    ]);
    const b = shiftingBottleneck(timelines, planned);
    expect(b.stations.find((s) => s.station === 'S02')?.soleShare).toBeCloseTo(1, 6);
    expect(momentaryBottleneck(timelines, 60 * MIN).station).toBe('S02');
    expect(momentaryBottleneck(timelines, 60 * MIN).why.zh).toContain('P-BATT-01');
  });

  it('names no momentary bottleneck when every station waits', () => {
    const timelines = new Map([
      ['S01', tl(['blocked', 60])],
      ['S02', tl(['starved', 60])],
    ]);
    expect(momentaryBottleneck(timelines, 60 * MIN)).toMatchObject({ station: null, shifting: false });
    expect(shiftingBottleneck(timelines, planned).timeline).toEqual([]);
  });
});

describe('clipToPlanned', () => {
  /** Every span against every planned interval: the definition the lookup must equal. */
  function everyPair(spans: readonly BottleneckSpan[], plan: readonly Span[]): BottleneckSpan[] {
    const out: BottleneckSpan[] = [];
    for (const s of spans) for (const p of plan) if (Math.min(s.to, p.end) > Math.max(s.from, p.start)) out.push({ ...s, from: Math.max(s.from, p.start), to: Math.min(s.to, p.end) });
    return out;
  }

  it('cuts every span to exactly the planned time it overlaps, spans across several intervals and gaps included', () => {
    const rnd = seededRandom(15);
    for (let round = 0; round < 300; round += 1) {
      const plan: Span[] = [];
      for (let t = Math.floor(rnd() * 50); plan.length < 1 + Math.floor(rnd() * 12); ) {
        const start = t + Math.floor(rnd() * 40);
        const end = start + 1 + Math.floor(rnd() * 60);
        plan.push({ start, end });
        t = end + (rnd() < 0.3 ? 0 : 1);
      }
      const spans: BottleneckSpan[] = [];
      for (let t = 0; spans.length < Math.floor(rnd() * 15); ) {
        const from = t + Math.floor(rnd() * 30);
        const to = from + 1 + Math.floor(rnd() * 120);
        spans.push({ from, to, station: `S0${spans.length % 3}`, shifting: rnd() < 0.3 });
        t = to;
      }
      expect(clipToPlanned(spans, plan)).toEqual(everyPair(spans, plan));
    }
  });
});
