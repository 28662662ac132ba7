/**
 * The kept months' bookkeeping over summaries in memory (the equality with
 * raw events through a real influxd is collector/test/rollup.test.ts): a
 * month is read once, a summary written into it drops it, a read that
 * overlapped a write keeps nothing, and a month that is not whole is
 * remembered as such until something is written into it.
 */
import { describe, expect, it } from 'vitest';
import { emptyCycleSummary, ROLLUP_VERSION, type HourRollup } from '../../core/kpi/hour-summary';
import { localDayOf } from '../../core/kpi/day-rollup';
import { localMonthOf } from '../../core/kpi/rollup-merge';
import { zeroStateSeconds } from '../../core/kpi/states';
import type { LineConfig } from '../../core/plant';
import type { EventReads, RollupDetail } from '../influx/reads';
import type { RollupSpan } from '../influx/points';
import { LOSS_VERSION, SHIFTING_VERSION, type LossHour, type LossLineHour, type ShiftingHour } from '../influx/points';
import { memoryStore } from '../influx/memory-reads';
import { storedLossRows, storedShiftingPieces } from '../history/long-range';
import { mergedSpans, millisecondSpans, MonthRollups, warmGroups, writingThrough } from './month-cache';
import type { StationEvent } from '../../core/events';

const HOUR = 3_600_000;
const ZONE = 'Asia/Shanghai';
const line: LineConfig = { id: 'A1', name: { zh: 'A1', en: 'A1' }, timeZone: ZONE, targetPerHour: 30, stations: [{ id: 'S01', name: { zh: 'S01', en: 'S01' } }] };
const november = localMonthOf(Date.parse('2026-11-15T12:00:00+08:00'), ZONE);

function piece(start: number, end: number, units: number): HourRollup {
  const stateSeconds = zeroStateSeconds();
  stateSeconds.running = (end - start) / 1000;
  return {
    line: 'A1',
    start,
    end,
    units,
    goodUnits: units,
    stateEvents: 0,
    taktSeconds: 120,
    version: ROLLUP_VERSION,
    losses: null,
    stations: [{ station: 'S01', cycles: emptyCycleSummary(), withinTakt: 0, stateSeconds, plannedStateSeconds: zeroStateSeconds(), stateEvents: 0, down: [] }],
  };
}

/** Hours with one unit each and their days, in memory; `reads` counts the reads and can be held. */
function summaries(from: number, to: number) {
  const hours: HourRollup[] = [];
  for (let h = from; h < to; h += HOUR) hours.push(piece(h, h + HOUR, 1));
  const days: HourRollup[] = [];
  for (let d = localDayOf(from, ZONE); d.start < to; d = localDayOf(d.end, ZONE)) days.push(piece(d.start, d.end, hours.filter((h) => h.start >= d.start && h.start < d.end).length));
  let reads = 0;
  const gate = readGate();
  let stateReads = 0;
  const store: Pick<EventReads, 'rollups' | 'lineEvents'> = {
    async rollups(l: string, a: number, b: number, _detail?: RollupDetail, span: RollupSpan = 'hour') {
      reads += 1;
      await gate.passed();
      return (span === 'day' ? days : span === 'hour' ? hours : []).filter((r) => r.line === l && r.start >= a && r.start < b);
    },
    // Counted, never to be called: a month is kept from its summaries alone.
    async lineEvents() {
      stateReads += 1;
      return { events: [], initialStates: Object.create(null) as Record<string, never> };
    },
  };
  return {
    // Only the month's summaries are read (by rollupPlan).
    store: store as EventReads,
    stateReads: () => stateReads,
    days,
    hours,
    reads: () => reads,
    holdReads: gate.hold,
  };
}

/** Holds reads until released: `hold()` returns the release; `passed()` waits while held. */
function readGate(): { hold: () => () => void; passed: () => Promise<void> } {
  let held: Promise<void> | null = null;
  return {
    hold() {
      let release = () => undefined as void;
      held = new Promise<void>((r) => (release = r));
      return () => {
        held = null;
        release();
      };
    },
    passed: async () => {
      if (held) await held;
    },
  };
}

describe('kept months', () => {
  it('a whole month is merged from its days once, then answered from memory with its hours', async () => {
    const s = summaries(november.start, november.end);
    const months = new MonthRollups(s.store);
    const first = await months.month(line, november, 120);
    expect(first?.rollup).toMatchObject({ start: november.start, end: november.end, units: 720 });
    expect(first?.hourUnits.size).toBe(720);
    expect(first?.rollup.stations[0]?.stateSeconds?.running).toBe(30 * 86_400);
    const readsAfterFirst = s.reads();
    expect(await months.month(line, november, 120)).toBe(first);
    expect(s.reads()).toBe(readsAfterFirst);
    expect(months.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('a summary written into the month drops it; one written elsewhere or for another line does not', async () => {
    const s = summaries(november.start, november.end);
    const months = new MonthRollups(s.store);
    await months.month(line, november, 120);
    months.written([{ line: 'A1', start: november.end, end: november.end + HOUR }]);
    months.written([{ line: 'B2', start: november.start, end: november.start + HOUR }]);
    await months.month(line, november, 120);
    expect(months.stats()).toMatchObject({ hits: 1, misses: 1 });
    // A late unit re-rolled into 15 November: its hour and day are written again.
    const hour = s.hours[14 * 24 + 5] as HourRollup;
    hour.units += 1;
    hour.goodUnits += 1;
    const day = s.days[14] as HourRollup;
    day.units += 1;
    day.goodUnits += 1;
    months.written([hour]);
    const again = await months.month(line, november, 120);
    expect(again?.rollup.units).toBe(721);
    expect(again?.hourUnits.get(hour.start)).toEqual({ units: 2, good: 2 });
  });

  it('reads no state event of the month (its stored pieces stand for its timelines), and drops the month as soon as an event stored into it is confirmed', async () => {
    const s = summaries(november.start, november.end);
    const months = new MonthRollups(s.store);
    expect((await months.month(line, november, 120))?.rollup.units).toBe(720);
    expect(s.stateReads()).toBe(0);
    months.stored([{ type: 'unit', ts: november.end + 5, line: 'A1', unit: 'X' }, { type: 'orders', ts: november.start + 5, total: 3 }]);
    await months.month(line, november, 120);
    expect(months.stats()).toMatchObject({ hits: 1, misses: 1 });
    months.stored([{ type: 'state', ts: november.start + 7 * HOUR, line: 'A1', station: 'S01', state: 'running' }]);
    await months.month(line, november, 120);
    expect(months.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('two reads of a month at once read it once', async () => {
    const s = summaries(november.start, november.end);
    const months = new MonthRollups(s.store);
    const [a, b] = await Promise.all([months.month(line, november, 120), months.month(line, november, 120)]);
    expect(a).toBe(b);
    expect(months.stats().misses).toBe(1);
  });

  it('the roller’s store drops the months of what it writes, after the write', async () => {
    const s = summaries(november.start, november.end);
    const months = new MonthRollups(s.store);
    await months.month(line, november, 120);
    const written: HourRollup[][] = [];
    const store = writingThrough({ reads: {} as EventReads, writeRollups: async (r) => void written.push([...r]) }, months);
    await store.writeRollups([s.hours[100] as HourRollup]);
    expect(written).toHaveLength(1);
    await months.month(line, november, 120);
    expect(months.stats().misses).toBe(2);
  });

  it('a read that overlapped a write keeps nothing of what it read', async () => {
    const s = summaries(november.start, november.end);
    const months = new MonthRollups(s.store);
    const release = s.holdReads();
    const pending = months.month(line, november, 120);
    // Written elsewhere (the open month, another line) while November is read: November is kept.
    months.written([{ line: 'A1', start: november.end + HOUR, end: november.end + 2 * HOUR }]);
    months.stored([{ type: 'cycle', ts: november.start + HOUR, line: 'B2', station: 'S01', cycleTime: 100 }]);
    release();
    await pending;
    await months.month(line, november, 120);
    expect(months.stats()).toMatchObject({ hits: 1, misses: 1 });
    // Written into November while it is read: nothing kept.
    const release2 = s.holdReads();
    months.written([s.hours[0] as HourRollup]);
    const again = months.month(line, november, 120);
    months.written([s.hours[3] as HourRollup]);
    release2();
    expect(await again).not.toBeNull();
    await months.month(line, november, 120);
    expect(months.stats()).toMatchObject({ hits: 1, misses: 3 });
  });

  it('a day missing is read from its hours; a month missing a day and its hours, or an hour, is not whole: null, remembered until a summary is written into it', async () => {
    const byHours = summaries(november.start, november.end);
    byHours.days.splice(10, 1);
    expect((await new MonthRollups(byHours.store).month(line, november, 120))?.rollup.units).toBe(720);
    const s = summaries(november.start, november.end);
    const [day] = s.days.splice(10, 1) as [HourRollup];
    const hours = s.hours.splice(10 * 24, 24);
    const months = new MonthRollups(s.store);
    expect(await months.month(line, november, 120)).toBeNull();
    expect(await months.month(line, november, 120)).toBeNull();
    expect(months.stats()).toMatchObject({ hits: 1, misses: 1 });
    const t = summaries(november.start, november.end);
    t.hours.splice(200, 1);
    expect(await new MonthRollups(t.store).month(line, november, 120)).toBeNull();
    // The day is rolled: the month is whole now.
    s.days.splice(10, 0, day);
    s.hours.splice(10 * 24, 0, ...hours);
    months.written([day]);
    expect((await months.month(line, november, 120))?.rollup.units).toBe(720);
  });

  it('keeps at most the months it was given room for, the least recently used leaving first', async () => {
    const october = localMonthOf(november.start - 1, ZONE);
    const s = summaries(october.start, november.end);
    const months = new MonthRollups(s.store, 1);
    await months.month(line, october, 120);
    await months.month(line, november, 120);
    await months.month(line, october, 120);
    expect(months.stats()).toMatchObject({ hits: 0, misses: 3, months: 1 });
  });

  it('warms the last closed months of each line, one read each, so the first request finds them kept', async () => {
    const october = localMonthOf(november.start - 1, ZONE);
    const s = summaries(october.start, november.end);
    const months = new MonthRollups(s.store);
    // The line's clock in December: October and November are closed (September has no summaries: not whole, nothing kept).
    expect(await months.warm([line], () => november.end + 5 * HOUR, 3)).toBe(2);
    expect(months.stats()).toMatchObject({ hits: 0, misses: 3 });
    await months.month(line, october, 120);
    await months.month(line, november, 120);
    expect(months.stats()).toMatchObject({ hits: 2, misses: 3 });
  });

  describe('the shifting-bottleneck pieces of a month', () => {
    /** One stored row per hour of November, the 5th a pending one and the 6th of another version; `rows()` counts the reads. */
    function shiftingRows() {
      const rows: ShiftingHour[] = [];
      for (let h = november.start; h < november.end; h += HOUR) {
        const i = rows.length;
        rows.push({
          line: 'A1',
          start: h,
          end: h + HOUR,
          status: i === 5 ? 'pending' : 'final',
          window: { start: h - HOUR, end: h + 2 * HOUR },
          plannedMs: HOUR,
          stations: i === 5 ? [] : [{ station: 'S01', soleMs: HOUR, shiftingMs: 0 }],
          version: i === 6 ? SHIFTING_VERSION - 1 : SHIFTING_VERSION,
        });
      }
      let reads = 0;
      const gate = readGate();
      const reader = {
        async shiftingHours(l: string, a: number, b: number) {
          reads += 1;
          await gate.passed();
          return rows.filter((r) => r.line === l && r.start >= a && r.start < b);
        },
      } as unknown as EventReads;
      return {
        reader,
        rows,
        reads: () => reads,
        holdReads: gate.hold,
      };
    }

    it('are read once and kept: the final ones of the current version, as storedShiftingPieces reads them', async () => {
      const s = shiftingRows();
      const months = new MonthRollups(s.reader);
      const first = await months.shiftingPieces(line, november);
      expect(first).toEqual(await storedShiftingPieces(s.reader, line, november.start, november.end));
      expect(first).toHaveLength(s.rows.length - 2);
      const reads = s.reads();
      expect(await months.shiftingPieces(line, november)).toBe(first);
      expect(s.reads()).toBe(reads);
      // A long read through the months takes November from them and reads only the hours beside it.
      const from = november.start - 3 * HOUR;
      const through = await storedShiftingPieces(s.reader, line, from, november.end + 2 * HOUR, months);
      expect(through).toEqual(await storedShiftingPieces(s.reader, line, from, november.end + 2 * HOUR));
      expect(through.map((p) => p.start)).toEqual([...through.map((p) => p.start)].sort((a, b) => a - b));
    });

    it('are dropped by a piece written through the roller’s store, by a summary written, and by an event stored into the month', async () => {
      const s = shiftingRows();
      const months = new MonthRollups(s.reader);
      const writes: number[] = [];
      // What is kept beside the months (the trend points) is told of the pieces written too.
      const told: string[] = [];
      months.onTouched((l, spans) => told.push(...spans.map((x) => `${l}@${x.start}`)));
      const store = writingThrough({ reads: s.reader, writeRollups: async (r: readonly HourRollup[]) => void r, writeShiftingHours: async (h) => void writes.push(h.length) }, months);
      await months.shiftingPieces(line, november);
      let reads = s.reads();
      // The pending hour became final: written through the store, so the kept pieces go.
      const now = { ...(s.rows[5] as ShiftingHour), status: 'final' as const, stations: [{ station: 'S01', soleMs: 1, shiftingMs: 0 }] };
      s.rows[5] = now;
      await store.writeShiftingHours([now]);
      expect(writes).toEqual([1]);
      expect(told).toEqual([`A1@${now.start}`]);
      expect((await months.shiftingPieces(line, november)).some((p) => p.start === now.start)).toBe(true);
      expect(s.reads()).toBe(reads + 1);
      reads = s.reads();
      await store.writeRollups([piece(november.start + 10 * HOUR, november.start + 11 * HOUR, 1)]);
      await months.shiftingPieces(line, november);
      expect(s.reads()).toBe(reads + 1);
      reads = s.reads();
      months.stored([{ type: 'state', ts: november.start + 20 * HOUR, line: 'A1', station: 'S01', state: 'running' }]);
      await months.shiftingPieces(line, november);
      expect(s.reads()).toBe(reads + 1);
      // Elsewhere (another line, the next month): kept.
      reads = s.reads();
      months.written([{ line: 'B2', start: november.start, end: november.end }, { line: 'A1', start: november.end, end: november.end + HOUR }]);
      await months.shiftingPieces(line, november);
      expect(s.reads()).toBe(reads);
    });

    it('are warmed with the months, so the first long read reads none of them', async () => {
      const sh = shiftingRows();
      const sums = summaries(november.start, november.end);
      const reader = { ...(sums.store as object), shiftingHours: (sh.reader as EventReads).shiftingHours } as EventReads;
      const months = new MonthRollups(reader);
      expect(await months.warm([line], () => november.end + 5 * HOUR, 1)).toBe(1);
      const reads = sh.reads();
      expect(reads).toBe(1);
      await months.shiftingPieces(line, november);
      expect(sh.reads()).toBe(reads);
    });

    it('a read that overlapped a write keeps nothing of what it read', async () => {
      const s = shiftingRows();
      const months = new MonthRollups(s.reader);
      const release = s.holdReads();
      const pending = months.shiftingPieces(line, november);
      months.written([s.rows[100] as ShiftingHour]);
      release();
      await pending;
      const reads = s.reads();
      await months.shiftingPieces(line, november);
      expect(s.reads()).toBe(reads + 1);
    });
  });
});

describe('the spans a write touches, merged', () => {
  /** A seeded generator (mulberry32): the same cases every run. */
  const seeded = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  type Span = { start: number; end: number };
  // The test every user of the spans makes (MonthRollups' keys, the trend points): does [a, b) overlap any of them.
  const overlapsAny = (spans: readonly Span[], q: Span) => spans.some((s) => s.start < q.end && s.end > q.start);
  const queries = (random: () => number) =>
    Array.from({ length: 60 }, () => {
      const start = Math.floor(random() * 80) - 5;
      return { start, end: start + 1 + Math.floor(random() * 8) };
    });

  it('overlap any query exactly when the spans as given do (empty, touching, overlapping and repeated spans), sorted and apart', () => {
    const random = seeded(7);
    const wrong: unknown[] = [];
    for (let c = 0; c < 3000; c += 1) {
      const spans = Array.from({ length: Math.floor(random() * 30) }, () => {
        const start = Math.floor(random() * 60);
        return { start, end: start + Math.floor(random() * 6) };
      });
      const merged = mergedSpans(spans);
      for (const q of queries(random)) if (overlapsAny(merged, q) !== overlapsAny(spans, q)) wrong.push({ spans, merged, q });
      for (let i = 1; i < merged.length; i += 1) if ((merged[i] as Span).start <= (merged[i - 1] as Span).end) wrong.push({ spans, merged });
    }
    expect(wrong).toEqual([]);
  });

  it('of events’ milliseconds: overlap any query exactly when one millisecond span per event does', () => {
    const random = seeded(11);
    const wrong: unknown[] = [];
    for (let c = 0; c < 3000; c += 1) {
      const times = Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 60));
      const merged = millisecondSpans(times);
      const each = times.map((t) => ({ start: t, end: t + 1 }));
      for (const q of queries(random)) if (overlapsAny(merged, q) !== overlapsAny(each, q)) wrong.push({ times, merged, q });
      for (let i = 1; i < merged.length; i += 1) if ((merged[i] as Span).start <= (merged[i - 1] as Span).end) wrong.push({ times, merged });
    }
    expect(wrong).toEqual([]);
  });

  it('stored events tell the listeners, line by line, spans that overlap a query exactly when the events’ own milliseconds do', () => {
    const random = seeded(13);
    const wrong: unknown[] = [];
    for (let c = 0; c < 500; c += 1) {
      const events: StationEvent[] = Array.from({ length: Math.floor(random() * 40) }, () => {
        const ts = Math.floor(random() * 60);
        const line = random() < 0.5 ? 'A1' : 'B2';
        const kind = random();
        if (kind < 0.4) return { type: 'cycle', ts, line, station: 'S01', cycleTime: 60 };
        if (kind < 0.7) return { type: 'unit', ts, line, unit: 'X' };
        if (kind < 0.9) return { type: 'state', ts, line, station: 'S01', state: 'running' };
        return { type: 'orders', ts, total: 3 };
      });
      const months = new MonthRollups({} as EventReads);
      const told = new Map<string, Span[]>();
      months.onTouched((l, spans) => told.set(l, [...(told.get(l) ?? []), ...spans]));
      months.stored(events);
      for (const l of ['A1', 'B2']) {
        const own = events.flatMap((e) => (e.type !== 'orders' && 'line' in e && e.line === l ? [{ start: e.ts, end: e.ts + 1 }] : []));
        for (const q of queries(random)) if (overlapsAny(told.get(l) ?? [], q) !== overlapsAny(own, q)) wrong.push({ events, l, q });
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('the loss rows of a month', () => {
  const HOUR_MS = 3_600_000;
  const rowsOf = (start: number, n: number) => {
    const hours: LossHour[] = [];
    const lines: LossLineHour[] = [];
    for (let i = 0; i < n; i += 1) {
      const s = start + i * HOUR_MS;
      const base = { line: 'A1', start: s, end: s + HOUR_MS, status: 'final' as const, window: { start: s, end: s + HOUR_MS }, version: LOSS_VERSION };
      hours.push({ ...base, constraint: 'S01', charges: [{ key: '["downtime","S01","","fault",""]', cause: { kind: 'downtime', station: 'S01', state: 'fault' }, ms: i, episodes: [] }], productiveMs: HOUR_MS - i });
      lines.push({ ...base, known: true, starved: [] });
    }
    return { hours, lines };
  };

  it('are read once and kept, as storedLossRows reads them, and dropped by a row written through the roller’s store', async () => {
    const store = memoryStore();
    const { hours, lines } = rowsOf(november.start - 5 * HOUR_MS, (november.end - november.start) / HOUR_MS + 10);
    await store.writeLossHours(hours, lines);
    let reads = 0;
    const reader: EventReads = { ...store.reads, lossHours: (...a) => ((reads += 1), store.reads.lossHours(...a)) };
    const months = new MonthRollups(reader);
    const first = await months.lossRows(line, november, 'S01');
    expect(first).toEqual(await storedLossRows(store.reads, line, 'S01', november.start, november.end));
    expect(first.hours).toHaveLength((november.end - november.start) / HOUR_MS);
    expect(await months.lossRows(line, november, 'S01')).toBe(first);
    expect(reads).toBe(1);
    // Through the months: November from them, the hours beside it read.
    const from = november.start - 3 * HOUR_MS;
    expect(await storedLossRows(reader, line, 'S01', from, november.end + 2 * HOUR_MS, months)).toEqual(await storedLossRows(store.reads, line, 'S01', from, november.end + 2 * HOUR_MS));
    // A re-rolled hour written through the roller's store drops the kept month.
    const through = writingThrough(store, months);
    const changed = { ...(hours[100] as LossHour), productiveMs: 7 };
    await through.writeLossHours([changed], []);
    expect((await months.lossRows(line, november, 'S01')).hours.find((h) => h.start === changed.start)?.productiveMs).toBe(7);
  });

  it('are warmed with the months at the constraint they give (here the first station: no shifting pieces), so a year’s first losses read none', async () => {
    const store = memoryStore();
    const { hours, lines } = rowsOf(november.start, (november.end - november.start) / HOUR_MS);
    await store.writeLossHours(hours, lines);
    let reads = 0;
    const reader: EventReads = { ...store.reads, lossHours: (...a) => ((reads += 1), store.reads.lossHours(...a)) };
    const months = new MonthRollups(reader);
    await months.warm([line], () => november.end + 5 * HOUR_MS, 1);
    expect(reads).toBe(1);
    expect((await months.lossRows(line, november, 'S01')).hours).toHaveLength(hours.length);
    expect(reads).toBe(1);
  });

  it('are warmed at the constraint of each range over the months, not only of all of them: a month whose bottleneck is not theirs reads none either', async () => {
    const two: LineConfig = { ...line, stations: [{ id: 'S01', name: { zh: 'S01', en: 'S01' } }, { id: 'S02', name: { zh: 'S02', en: 'S02' } }] };
    const october = localMonthOf(november.start - 1, ZONE);
    const store = memoryStore();
    const shifting: ShiftingHour[] = [];
    for (let h = october.start; h < november.end; h += HOUR_MS) {
      // S01 is October's bottleneck and both months', S02 November's.
      const s01 = h < november.start ? 0.9 * HOUR_MS : 0.3 * HOUR_MS;
      const stations = [{ station: 'S01', soleMs: s01, shiftingMs: 0 }, { station: 'S02', soleMs: HOUR_MS - s01, shiftingMs: 0 }];
      shifting.push({ line: 'A1', start: h, end: h + HOUR_MS, status: 'final', window: { start: h, end: h + HOUR_MS }, plannedMs: HOUR_MS, stations, version: SHIFTING_VERSION });
    }
    await store.writeShiftingHours(shifting);
    const n = (november.end - october.start) / HOUR_MS;
    const s01 = rowsOf(october.start, n);
    const s02 = s01.hours.map((h) => ({ ...h, constraint: 'S02' }));
    await store.writeLossHours([...s01.hours, ...s02], s01.lines);
    const asked: string[] = [];
    const reader: EventReads = { ...store.reads, lossHours: (...a) => (asked.push(String(a[1])), store.reads.lossHours(...a)) };
    const months = new MonthRollups(reader);
    await months.warm([two], () => november.end + 5 * HOUR_MS, 2);
    expect(new Set(asked)).toEqual(new Set(['S01', 'S02']));
    const warmed = asked.length;
    expect((await months.lossRows(two, november, 'S02')).hours).toHaveLength((november.end - november.start) / HOUR_MS);
    expect((await months.lossRows(two, october, 'S01')).hours).toHaveLength((november.start - october.start) / HOUR_MS);
    expect(asked).toHaveLength(warmed);
  });

  it('groups the kept months as a manager picks ranges: all, the last 12, each whole calendar quarter, each month', () => {
    let at = localMonthOf(Date.parse('2025-11-15T12:00:00+08:00'), ZONE);
    const kept = [];
    for (let i = 0; i < 13; i += 1) {
      kept.push(at);
      at = localMonthOf(at.end, ZONE);
    }
    const label = (m: { start: number }) => new Date(m.start + 8 * HOUR_MS).toISOString().slice(0, 7);
    const groups = warmGroups(kept, ZONE).map((g) => g.map(label).join(' '));
    expect(groups.slice(0, 2)).toEqual([kept.map(label).join(' '), kept.slice(1).map(label).join(' ')]);
    expect(groups.slice(2, 15)).toEqual(kept.map(label));
    // November 2025 to November 2026: the quarters whole among them.
    expect(groups.slice(15)).toEqual(['2026-01 2026-02 2026-03', '2026-04 2026-05 2026-06', '2026-07 2026-08 2026-09']);
  });
});
