import { describe, expect, it } from 'vitest';
import type { Span } from '../calendar/calendar';
import { shiftingBottleneck } from '../kpi/active-period';
import type { StateSegment } from '../kpi/states';
import { chargeWindow } from './charge-pieces';
import { bucketTimeline, combineLossPieces, keptEpisodes, lossPieces, momentaryStretches, type LossPiece } from './loss-pieces';
import { chargeTime, MAX_EPISODES, topEpisodes, type TimeCharge } from './waterfall';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 6);
const IDEAL = 60;

/** One station: in the first hour 60 faults of 20 s, then one from 59:50 to 1:00:30 (10 s + 30 s: one 40 s episode), then running. */
function oneStation(): Map<string, StateSegment[]> {
  const segs: StateSegment[] = [];
  const seg = (state: StateSegment['state'], start: number, end: number): StateSegment => ({ state, reason: state === 'fault' ? 'jam' : null, start, end, since: start });
  let t = T0;
  for (let i = 0; i < 60; i += 1) {
    segs.push(seg('fault', t, t + 20_000));
    segs.push(seg('running', t + 20_000, t + 50_000));
    t += 50_000;
  }
  segs.push(seg('running', t, T0 + HOUR - 10_000));
  segs.push(seg('fault', T0 + HOUR - 10_000, T0 + HOUR + 30_000));
  segs.push(seg('running', T0 + HOUR + 30_000, T0 + 2 * HOUR));
  return new Map([['S1', segs]]);
}

describe('loss pieces', () => {
  it('keep the episodes touching their edges beyond the 50 longest, so one crossing an hour edge is whole on read', () => {
    const timelines = oneStation();
    const range = { start: T0, end: T0 + 2 * HOUR };
    const planned: Span[] = [range];
    const truth = chargeTime({ stationIds: ['S1'], timelines, planned, stretches: shiftingBottleneck(timelines, planned).stretches, from: range.start, asOf: range.end, idealTakt: IDEAL, partnerOf: () => null }, 'S1');
    const pieces: LossPiece[] = [];
    for (const h of [0, 1]) {
      const hour = { start: T0 + h * HOUR, end: T0 + (h + 1) * HOUR };
      const w = chargeWindow(timelines, hour, IDEAL, { known: range, hard: range });
      const [p] = lossPieces({ stationIds: ['S1'], timelines, planned, idealTakt: IDEAL }, hour, w.window, momentaryStretches(timelines, range), ['S1']);
      pieces.push((p as { piece: LossPiece }).piece);
    }
    // The first hour has more than 50 episodes: its first one and its 10 s part at the end are kept as edges.
    const first = (pieces[0] as LossPiece).charges[0]?.episodes ?? [];
    expect(first.length).toBe(MAX_EPISODES + 2);
    expect(first.at(-1)).toEqual({ from: T0 + HOUR - 10_000, to: T0 + HOUR, constraint: 'S1' });
    const got = combineLossPieces(pieces, []);
    const [key, entry] = [...truth.charges][0] as [string, TimeCharge];
    expect(got.charges.get(key)?.ms).toBe(entry.ms);
    expect(topEpisodes(got.charges.get(key)?.episodes ?? [], 1)).toEqual(topEpisodes(entry.episodes, 1));
    expect(topEpisodes(entry.episodes, 1)[0]).toMatchObject({ from: T0 + HOUR - 10_000, to: T0 + HOUR + 30_000, seconds: 40 });
    expect(got.productiveMs).toBe(truth.productiveMs);
  });

  it('keep every episode of a partner cause, and only the longest others past 50', () => {
    const eps = Array.from({ length: 80 }, (_, i) => ({ from: T0 + 2 + i * 100, to: T0 + 2 + i * 100 + (i % 7) + 1, constraint: null }));
    const piece = { start: T0, end: T0 + HOUR };
    expect(keptEpisodes(eps, piece, true)).toHaveLength(80);
    const kept = keptEpisodes(eps, piece, false);
    expect(kept).toHaveLength(MAX_EPISODES);
    // The shortest left out are the latest among equals (topEpisodes: longer first, then earlier).
    const shortestKept = Math.min(...kept.map((e) => e.to - e.from));
    expect(eps.filter((e) => e.to - e.from > shortestKept).every((e) => kept.some((k) => k.from === e.from))).toBe(true);
  });
});

describe('bucketTimeline', () => {
  const b = (start: number, stations: [string, number, number][]) => ({ start, end: start + HOUR, stations: stations.map(([station, soleMs, shiftingMs]) => ({ station, soleMs, shiftingMs })) });
  it('shows each bucket’s station with the most sole + shifting ms, shifting when shifting ms exceed sole, merging touching equal buckets', () => {
    expect(
      bucketTimeline([
        b(T0, [['A', 100, 0], ['B', 50, 60]]),
        b(T0 + HOUR, [['A', 10, 200], ['B', 0, 0]]),
        b(T0 + 2 * HOUR, [['A', 5, 300], ['B', 0, 0]]),
        b(T0 + 3 * HOUR, [['A', 0, 0], ['B', 0, 0]]),
        b(T0 + 4 * HOUR, [['A', 5, 300], ['B', 0, 0]]),
        // A tie: the earlier in flow.
        b(T0 + 5 * HOUR, [['A', 50, 0], ['B', 0, 50]]),
      ]),
    ).toEqual([
      { from: T0, to: T0 + HOUR, station: 'B', shifting: true },
      { from: T0 + HOUR, to: T0 + 3 * HOUR, station: 'A', shifting: true },
      { from: T0 + 4 * HOUR, to: T0 + 5 * HOUR, station: 'A', shifting: true },
      { from: T0 + 5 * HOUR, to: T0 + 6 * HOUR, station: 'A', shifting: false },
    ]);
  });
});
