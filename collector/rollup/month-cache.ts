/**
 * Closed local months of a line merged from the summaries that cover them
 * (days, and hours where a day crosses the month's edge), with their
 * hours' unit counts (the hourly table), kept in memory: a year of KPIs then
 * adds up 12 merged months instead of 7,300 station days read from InfluxDB
 * (a year of cycle-time buckets alone is 7 MB). What is kept is exactly what
 * the day and hour summaries say (core/kpi/rollup-merge.ts).
 *
 * Staleness: a month is kept only when its days and hours cover it whole at
 * the current ROLLUP_VERSION. Every summary the roller writes into a month
 * (a late event, a replay, a re-roll at start) drops the month: the collector
 * is the only writer of summaries, and its roller writes through
 * {@link MonthRollups.written}. A read that began before such a write keeps
 * nothing of what it read. A month is also dropped as soon as an event
 * InfluxDB confirmed lands in it ({@link MonthRollups.stored}), before the
 * roller rolls its hour again. No raw state event is kept: the month's stored
 * shifting and loss pieces stand for its timelines. A month that is not whole is remembered as such
 * until a summary is written into it, so it is not read twice per request.
 */
import { ROLLUP_VERSION, type HourRollup } from '../../core/kpi/hour-summary';
import { mergeRollups, wholeMonths } from '../../core/kpi/rollup-merge';
import { taktTargetSeconds } from '../../core/kpi/throughput';
import type { StationEvent } from '../../core/events';
import type { LineConfig } from '../../core/plant';
import type { ShiftingPiece } from '../../core/kpi/shifting-pieces';
import { sharesOf } from '../../core/kpi/active-period';
import { intervalConstraint } from '../../core/loss/waterfall';
import { rollupPlan, storedLossRows, storedShiftingPieces, type StoredLossRows } from '../history/long-range';
import type { EventReads } from '../influx/reads';
import type { EventStore } from '../influx/store';

/** One closed month of a line, merged. */
export interface MonthPiece {
  rollup: HourRollup;
  /** Units and good units of every hour of the month, by the hour's start. */
  hourUnits: ReadonlyMap<number, { units: number; good: number }>;
}

/** Months kept, over all lines and takts (about 0.5 MB each for 20 stations). @default 64 */
const DEFAULT_MAX_MONTHS = 64;

export class MonthRollups {
  /** Keyed by line, month start and takt; null: the month is not whole in the summaries. Insertion order is recency. */
  private readonly entries = new Map<string, MonthPiece | null>();
  /** The stored final shifting-bottleneck pieces of a month's hours (`shifting_hour`), by line and month; dropped as the summaries are. */
  private readonly shifting = new Map<string, readonly ShiftingPiece[]>();
  private readonly shiftingReading = new Map<string, Promise<readonly ShiftingPiece[]>>();
  /** The stored loss rows of a month's hours at one constraint and the line's (`loss_hour`, `loss_line_hour`), by line, month and constraint; dropped as the summaries are. */
  private readonly losses = new Map<string, StoredLossRows>();
  private readonly lossReading = new Map<string, Promise<StoredLossRows>>();
  /** Months being read, by key; a write into one marks it stale, so what the read got is not kept. */
  private readonly reading = new Map<string, Promise<MonthPiece | null>>();
  private readonly stale = new Set<string>();
  private hits = 0;
  private misses = 0;
  /** Told of every span {@link written} drops, for what is kept beside the months (collector/history/trend-memo.ts). */
  private readonly listeners: ((line: string, spans: readonly { start: number; end: number }[]) => void)[] = [];

  constructor(
    private readonly reads: EventReads,
    private readonly maxMonths = DEFAULT_MAX_MONTHS,
  ) {}

  /** `listener` is told, line by line, of every span a summary was written into or an event stored into, when the months they touch are dropped. */
  onTouched(listener: (line: string, spans: readonly { start: number; end: number }[]) => void): void {
    this.listeners.push(listener);
  }

  /** Summaries were written (or a write was tried): the months they touch are read again next time. */
  written(rollups: readonly Pick<HourRollup, 'line' | 'start' | 'end'>[]): void {
    const byLine = new Map<string, { start: number; end: number }[]>();
    for (const r of rollups) {
      const list = byLine.get(r.line) ?? [];
      list.push({ start: r.start, end: r.end });
      byLine.set(r.line, list);
    }
    for (const [line, spans] of byLine) this.touched(line, mergedSpans(spans));
  }

  /** Drops what overlaps `spans` of `line` (sorted, apart: {@link mergedSpans}) and tells the listeners. */
  private touched(line: string, spans: readonly { start: number; end: number }[]): void {
    const touches = (key: string) => {
      const { line: l, start, end } = parseKey(key);
      return l === line && spans.some((s) => s.start < end && s.end > start);
    };
    for (const key of this.entries.keys()) if (touches(key)) this.entries.delete(key);
    for (const key of this.reading.keys()) if (touches(key)) this.stale.add(key);
    for (const key of this.shifting.keys()) if (touches(key)) this.shifting.delete(key);
    for (const key of this.shiftingReading.keys()) if (touches(key)) this.stale.add(key);
    for (const key of this.losses.keys()) if (touches(key)) this.losses.delete(key);
    for (const key of this.lossReading.keys()) if (touches(key)) this.stale.add(key);
    for (const listener of this.listeners) listener(line, spans);
  }

  /** The months of `line` kept now (whole, any takt) that end by `before`, ascending, each once: nothing is read. */
  keptBefore(line: string, before: number): { start: number; end: number; units: number }[] {
    const bySpan = new Map<number, { start: number; end: number; units: number }>();
    for (const [key, piece] of this.entries) {
      if (piece === null || piece.rollup.line !== line || piece.rollup.end > before) continue;
      if (parseKey(key).line === line) bySpan.set(piece.rollup.start, { start: piece.rollup.start, end: piece.rollup.end, units: piece.rollup.units });
    }
    return [...bySpan.values()].sort((a, b) => a.start - b.start);
  }

  /**
   * Merges the last `count` closed months of each line ahead of any request (the collector calls
   * it once its start-up backfill is done), one after the other, with their shifting pieces, so a
   * year's first request finds them kept. Resolves with how many months are kept for them; a failed read is left to the
   * request that needs the month.
   */
  async warm(lines: readonly LineConfig[], lineNow: (line: string) => number, count = 13): Promise<number> {
    let kept = 0;
    for (const line of lines) {
      const now = lineNow(line.id);
      const months = wholeMonths(now - (count + 1) * 31 * 86_400_000, now, line.timeZone).slice(-count);
      const shifting = new Map<number, readonly ShiftingPiece[]>();
      for (const m of months) {
        const piece = await this.month(line, m, taktTargetSeconds(line.targetPerHour)).catch(() => null);
        if (piece) kept += 1;
        // The month's shifting pieces too: a year's first kpi then reads none of them.
        shifting.set(m.start, (await this.shiftingPieces(line, m).catch(() => null)) ?? []);
      }
      // And the loss rows at the constraint each range a manager picks over those months gives (the configured one, else
      // its bottleneck): the 13 months, the last 12, each whole calendar quarter and each month; its first losses then
      // read none of them (a quarter whose bottleneck is not the year's read its 2,190 rows).
      for (const group of warmGroups(months, line.timeZone)) {
        const constraint = intervalConstraint(line, { stations: sharesOf(line.stations.map((s) => s.id), ...msOf(group.flatMap((m) => shifting.get(m.start) ?? [])), 1) });
        if (constraint !== null) for (const m of group) await this.lossRows(line, m, constraint).catch(() => null);
      }
    }
    return kept;
  }

  /** How often a month was answered from memory and how often it was read, and what is kept now. */
  stats(): { hits: number; misses: number; months: number } {
    return { hits: this.hits, misses: this.misses, months: this.entries.size };
  }

  /**
   * Events InfluxDB confirmed: a month they land in is dropped at once, and the listeners told (its
   * summaries and pieces are written again when the roller rolls the hour).
   */
  stored(events: readonly StationEvent[]): void {
    // An event touches the millisecond of its ts: per line the distinct ones, ascending, and runs of
    // consecutive milliseconds as one span (a write of 5,000 events touched 5,000 one-millisecond spans, each
    // compared with every kept month and trend point; the same union drops the same ones).
    const byLine = new Map<string, number[]>();
    let lastLine: string | null = null;
    let list: number[] = [];
    for (const e of events) {
      if (e.type !== 'unit' && e.type !== 'cycle' && e.type !== 'state') continue;
      if (e.line !== lastLine) {
        lastLine = e.line;
        list = byLine.get(e.line) ?? [];
        byLine.set(e.line, list);
      }
      list.push(e.ts);
    }
    for (const [line, times] of byLine) this.touched(line, millisecondSpans(times));
  }

  /**
   * The stored final shifting-bottleneck pieces of the current version of the hours of `span` (a whole
   * local month that closed), as {@link storedShiftingPieces} reads them, kept: a year's kpi otherwise
   * reads and decodes 8,760 rows per request. Every piece or summary written into the month and every
   * event stored into it drops them ({@link written}, {@link stored}).
   */
  shiftingPieces(line: LineConfig, span: { start: number; end: number }): Promise<readonly ShiftingPiece[]> {
    const key = `${span.start}|${span.end}|shifting|${line.id}`;
    return this.keep(this.shifting, this.shiftingReading, key, () => storedShiftingPieces(this.reads, line, span.start, span.end));
  }

  /**
   * The stored loss rows of the hours of `span` (a whole local month that closed) at `constraint`
   * and the line's, any status, as {@link storedLossRows} reads them, kept: a year's losses otherwise
   * read and decode 17,520 rows per request. Dropped as the shifting pieces are.
   */
  lossRows(line: LineConfig, span: { start: number; end: number }, constraint: string): Promise<StoredLossRows> {
    const key = `${span.start}|${span.end}|loss:${constraint}|${line.id}`;
    return this.keep(this.losses, this.lossReading, key, () => storedLossRows(this.reads, line, constraint, span.start, span.end));
  }

  /** The merged month `span` (a whole local month that closed), with takt compliance against `taktSeconds`; null when its summaries do not cover it whole. */
  month(line: LineConfig, span: { start: number; end: number }, taktSeconds: number): Promise<MonthPiece | null> {
    const key = `${span.start}|${span.end}|${taktSeconds}|${line.id}`;
    if (this.entries.has(key)) this.hits += 1;
    else if (!this.reading.has(key)) this.misses += 1;
    return this.keep(this.entries, this.reading, key, async () => {
      // No state event is read: the shifting and loss pieces stand for the month's timelines (`shiftingPieces`, `lossRows`).
      const [plan, hours] = await Promise.all([
        // The coarsest summaries that cover the month, as a long read takes them (days, and hours where a day crosses its edge).
        rollupPlan(this.reads, line, span.start, span.end, 'stations'),
        this.reads.rollups(line.id, span.start, span.end, 'line'),
      ]);
      return plan.raw.length > 0 ? null : whole(line.id, span, plan.rollups, hours, taktSeconds);
    });
  }

  /**
   * What `cache` keeps at `key` (most recently used last), else `read` once however often it is asked meanwhile
   * (two requests over the same months), kept unless a write touched the key during the read ({@link touched}
   * marks it stale); at most `maxMonths` per cache, the least recently used leaving first.
   */
  private keep<T>(cache: Map<string, T>, reading: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
    if (cache.has(key)) {
      const hit = cache.get(key) as T;
      cache.delete(key);
      cache.set(key, hit);
      return Promise.resolve(hit);
    }
    const pending = reading.get(key);
    if (pending) return pending;
    const started = read().then((value) => {
      if (!this.stale.delete(key)) {
        cache.set(key, value);
        while (cache.size > this.maxMonths) cache.delete(cache.keys().next().value as string);
      }
      return value;
    });
    reading.set(key, started);
    return started.finally(() => {
      reading.delete(key);
      this.stale.delete(key);
    });
  }
}

/**
 * The same union of half-open spans, sorted by start, with every two that overlap or touch made one: whether a span
 * overlaps any of them is unchanged (month-cache.test.ts holds it to the spans as given, over generated ones).
 */
export function mergedSpans(spans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  // An empty span [x, x) overlaps [a, b) when a < x < b (as `s.start < end && s.end > start` says): merged into
  // a span that reaches x it adds nothing, alone it stays as it is.
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** {@link mergedSpans} of `[t, t + 1)` for each of `times` (ms), without an object per time. */
export function millisecondSpans(times: number[]): { start: number; end: number }[] {
  const sorted = Float64Array.from(times).sort();
  const out: { start: number; end: number }[] = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    if (last && t <= last.end) last.end = Math.max(last.end, t + 1);
    else out.push({ start: t, end: t + 1 });
  }
  return out;
}

function parseKey(key: string): { start: number; end: number; line: string } {
  const [start, end, , ...line] = key.split('|');
  return { start: Number(start), end: Number(end), line: line.join('|') };
}

/** The stations' sole and shifting ms added up over pieces. */
/** The ranges over the kept months whose loss rows are warmed: all of them, the last 12, each whole calendar quarter, each month. */
export function warmGroups<M extends { start: number; end: number }>(months: readonly M[], timeZone: string): M[][] {
  const monthOf = new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric' });
  const groups: M[][] = [[...months], months.slice(-12), ...months.map((m) => [m])];
  months.forEach((m, i) => {
    const quarter = months.slice(i, i + 3);
    // A quarter starts in January, April, July or October, and its three months follow one another.
    const first = Number(monthOf.format(m.start));
    if (quarter.length === 3 && (first - 1) % 3 === 0 && quarter.every((q, k) => k === 0 || (quarter[k - 1] as M).end === q.start)) groups.push(quarter);
  });
  return groups;
}

function msOf(pieces: readonly ShiftingPiece[]): [Map<string, number>, Map<string, number>] {
  const sole = new Map<string, number>();
  const shifting = new Map<string, number>();
  for (const p of pieces) {
    for (const s of p.stations) {
      sole.set(s.station, (sole.get(s.station) ?? 0) + s.soleMs);
      shifting.set(s.station, (shifting.get(s.station) ?? 0) + s.shiftingMs);
    }
  }
  return [sole, shifting];
}

/** The month from the summaries that cover it, with its hours' unit counts; null unless both cover it whole and agree on the units. */
function whole(
  line: string,
  span: { start: number; end: number },
  summaries: readonly HourRollup[],
  hours: readonly HourRollup[],
  taktSeconds: number,
): MonthPiece | null {
  const rollup = mergeRollups(line, span, summaries, taktSeconds);
  if (!rollup) return null;
  const hourUnits = new Map<number, { units: number; good: number }>();
  let cursor = span.start;
  let units = 0;
  let good = 0;
  for (const h of hours) {
    if (h.start !== cursor || h.version !== ROLLUP_VERSION) return null;
    cursor = h.end;
    units += h.units;
    good += h.goodUnits;
    hourUnits.set(h.start, { units: h.units, good: h.goodUnits });
  }
  if (cursor !== span.end || units !== rollup.units || good !== rollup.goodUnits) return null;
  return { rollup, hourUnits };
}

/** The roller's store: summaries and shifting pieces written through it drop the months they touch in `months`, once the write is done or failed. */
export function writingThrough<S extends Pick<EventStore, 'reads' | 'writeRollups'> & Partial<Pick<EventStore, 'writeShiftingHours' | 'writeLossHours'>>>(store: S, months: MonthRollups): S {
  const writeShiftingHours = store.writeShiftingHours;
  const writeLossHours = store.writeLossHours;
  return {
    ...store,
    async writeRollups(rollups, span) {
      try {
        await store.writeRollups(rollups, span);
      } finally {
        months.written(rollups);
      }
    },
    ...(writeShiftingHours
      ? {
          async writeShiftingHours(hours: Parameters<EventStore['writeShiftingHours']>[0]) {
            try {
              await writeShiftingHours.call(store, hours);
            } finally {
              months.written(hours);
            }
          },
        }
      : {}),
    ...(writeLossHours
      ? {
          async writeLossHours(hours: Parameters<EventStore['writeLossHours']>[0], lines: Parameters<EventStore['writeLossHours']>[1]) {
            try {
              await writeLossHours.call(store, hours, lines);
            } finally {
              months.written([...hours, ...lines]);
            }
          },
        }
      : {}),
  };
}
