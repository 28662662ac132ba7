import { describe, expect, it } from 'vitest';
import { seededRandom as createSeededRandom } from '../test/support/seeded-random';
import {
  addCycleTime,
  CYCLE_PERCENTILE_ERROR_SECONDS,
  decodeBuckets,
  emptyCycleSummary,
  encodeBuckets,
  mergeCycleSummary,
  summariseHours,
  summaryPercentile,
} from './hour-summary';


/** InfluxDB's nearest rank, the raw path's definition. */
function rawPercentile(sorted: number[], p: number): number | null {
  const i = Math.floor((sorted.length * p) / 100 + 0.5) - 1;
  return i < 0 || i >= sorted.length ? null : (sorted[i] ?? null);
}

describe('cycle-time summary', () => {
  it('gives percentiles within half a bucket of the raw nearest rank, merged from parts in any split', () => {
    const random = createSeededRandom(42);
    for (let run = 0; run < 50; run += 1) {
      const times = Array.from({ length: 1 + Math.floor(random() * 400) }, () => 30 + random() * 200);
      const parts = [emptyCycleSummary(), emptyCycleSummary(), emptyCycleSummary()];
      for (const t of times) addCycleTime(parts[Math.floor(random() * 3)] ?? emptyCycleSummary(), t);
      const merged = emptyCycleSummary();
      for (const p of parts) mergeCycleSummary(merged, p);
      const sorted = [...times].sort((a, b) => a - b);
      expect(merged.count).toBe(times.length);
      expect(merged.min).toBe(sorted[0]);
      expect(merged.max).toBe(sorted.at(-1));
      for (const p of [10, 50, 90]) {
        const raw = rawPercentile(sorted, p);
        const got = summaryPercentile(merged, p);
        if (raw === null) expect(got).toBeNull();
        else expect(Math.abs((got ?? Number.NaN) - raw)).toBeLessThanOrEqual(CYCLE_PERCENTILE_ERROR_SECONDS + 1e-9);
      }
    }
  });

  it('survives its string encoding', () => {
    const s = emptyCycleSummary();
    for (const t of [118.04, 118.06, 120, 0.3]) addCycleTime(s, t);
    expect(decodeBuckets(encodeBuckets(s.buckets))).toEqual(s.buckets);
    expect(decodeBuckets('')).toEqual(new Map());
  });

  it('decodes large summaries exactly and skips malformed tokens', () => {
    const random = createSeededRandom(7);
    const s = emptyCycleSummary();
    for (let i = 0; i < 20_000; i += 1) addCycleTime(s, 20 + random() * 300);
    expect(decodeBuckets(encodeBuckets(s.buckets))).toEqual(s.buckets);
    // 'a' = 10, then '*' without a count, a token without a delta, a stray character: only the good ones count.
    expect(decodeBuckets('a,3*,*5,b?,2*3')).toEqual(new Map([[10, 1], [12, 3]]));
  });
});

/** The sparse form as the roller wrote every summary before the dense one existed. */
function sparseForm(buckets: ReadonlyMap<number, number>): string {
  let previous = 0;
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([i, n]) => {
      const token = `${(i - previous).toString(36)}${n > 1 ? `*${n.toString(36)}` : ''}`;
      previous = i;
      return token;
    })
    .join(',');
}

describe('the dense bucket form', () => {
  it('is chosen for a day of filled buckets, a third of the sparse length or less, and decodes to the same counts', () => {
    const random = createSeededRandom(11);
    const day = emptyCycleSummary();
    // The bench's day: 720 cycles of 95–125 s, about 2.4 per 0.1 s bucket; one bucket of 200 (above one character).
    for (let i = 0; i < 720; i += 1) addCycleTime(day, 95 + random() * 30);
    for (let i = 0; i < 200; i += 1) addCycleTime(day, 110);
    const text = encodeBuckets(day.buckets);
    expect(text.startsWith('#')).toBe(true);
    expect(text).toContain('~');
    expect(decodeBuckets(text)).toEqual(day.buckets);
    const sparse = sparseForm(day.buckets);
    expect(decodeBuckets(sparse)).toEqual(day.buckets);
    expect(text.length * 2.5).toBeLessThan(sparse.length);
  });

  it('leaves an hour of few, spread cycles sparse, and still reads summaries stored before it', () => {
    const hour = emptyCycleSummary();
    for (const t of [95, 101.3, 118.04, 124.9]) addCycleTime(hour, t);
    const text = encodeBuckets(hour.buckets);
    expect(text.startsWith('#')).toBe(false);
    expect(decodeBuckets(text)).toEqual(hour.buckets);
    // Both forms of the same counts, the sparse one as the roller wrote it before the dense form existed.
    expect(decodeBuckets('#2n:12~1k.03')).toEqual(new Map([[95, 1], [96, 2], [97, 56], [99, 3]]));
    expect(decodeBuckets('2n,1*2,1*1k,2*3')).toEqual(new Map([[95, 1], [96, 2], [97, 56], [99, 3]]));
    // Malformed dense text: unknown characters are empty buckets, a bad start or an unterminated escape stops.
    expect(decodeBuckets('#2n:1?1')).toEqual(new Map([[95, 1], [97, 1]]));
    expect(decodeBuckets('#:11')).toEqual(new Map());
    expect(decodeBuckets('#2n:1~5')).toEqual(new Map([[95, 1]]));
  });
});

describe('summariseHours', () => {
  const H = 3_600_000;
  it('counts units, good units, cycles within takt and seconds per state, carrying the state across hours', () => {
    const [h0, h1] = summariseHours({
      line: 'A1',
      stations: ['S01', 'S02'],
      hours: [
        { start: 0, end: H },
        { start: H, end: 2 * H },
      ],
      events: [
        { type: 'state', ts: 30 * 60_000, line: 'A1', station: 'S01', state: 'fault' },
        { type: 'unit', ts: 10, line: 'A1', unit: 'U1' },
        { type: 'unit', ts: H + 10, line: 'A1', unit: 'U2', result: 'nok' },
        { type: 'cycle', ts: 20, line: 'A1', station: 'S01', cycleTime: 100 },
        { type: 'cycle', ts: 30, line: 'A1', station: 'S01', cycleTime: 130 },
        { type: 'unit', ts: 40, line: 'B9', unit: 'OTHER' },
      ],
      initialStates: { S01: { state: 'running' } },
      taktSeconds: 120,
    });
    expect(h0).toMatchObject({ units: 1, goodUnits: 1, stateEvents: 1 });
    expect(h1).toMatchObject({ units: 1, goodUnits: 0, stateEvents: 0 });
    const s01 = h0?.stations.find((s) => s.station === 'S01');
    expect(s01?.cycles.count).toBe(2);
    expect(s01?.withinTakt).toBe(1);
    expect(s01?.stateSeconds?.running).toBe(1800);
    expect(s01?.stateSeconds?.fault).toBe(1800);
    expect(h1?.stations.find((s) => s.station === 'S01')?.stateSeconds?.fault).toBe(3600);
    expect(h1?.stations.find((s) => s.station === 'S02')?.stateSeconds?.unknown).toBe(3600);
  });
});
