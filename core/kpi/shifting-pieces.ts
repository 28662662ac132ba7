/**
 * Roser's shifting bottleneck (core/kpi/active-period.ts) of a long range from
 * per-piece contributions (a piece is an hour, or any span) that add up to the
 * whole range's `shiftingBottleneck` exactly: the same integer milliseconds per
 * station, so the same shares bit for bit and the same `intervalBottleneck`.
 *
 * ## Why a piece can be computed on its own
 *
 * `shiftingBottleneck` charges every planned instant t on its own: the
 * momentary bottleneck at t is the longest active period P covering t; t is
 * *shifting* when the bottleneck before P's stretch (its period Q) still runs
 * at t or the one after it (R) already runs at t, else *sole* for P's station.
 * Two facts bound what t depends on:
 *  - a stretch of P that begins after P began was preceded by a longer period
 *    that ended where the stretch begins (it beat P and then stopped), whose
 *    overlap with P lies before the stretch: shifting with the previous
 *    bottleneck happens only in `[P.start, Q.end)`, Q being the bottleneck just
 *    before P.start; likewise with the next only in `[R.start, P.end)`, R the
 *    bottleneck at P.end;
 *  - which period is the bottleneck at an instant needs the whole length of
 *    every period covering it.
 * So a piece's charges are fixed by its **dependency window**: the piece, every
 * active period overlapping it (C), and every period covering the instant just
 * before a period of C begins or the instant a period of C ends, all in full.
 * The earliest start is reached through the period of C that begins first, the
 * latest end through the one that ends last ({@link shiftingWindow}). Cutting
 * the periods at the piece's edges (or taking C alone) charges other stations:
 * the tests show both on the shipped scenarios and on generated timelines.
 *
 * The raw path cuts periods at the range's edges (`from`, and `asOf`, the
 * earlier of `to` and now). A piece whose window lies inside the range is
 * charged there as on its own; one whose window crosses an edge is charged from
 * the range's raw timelines (its window computed on them, the edges being hard:
 * a period reaching one ends there, as in the raw path), as is every part of
 * the range no stored piece covers ({@link combineShifting}).
 *
 * ## Storing the pieces (the roller; wired: collector/rollup/shifting-roller.ts)
 *
 * Wired as below: the rows are written by collector/rollup/shifting-roller.ts
 * (called from the HourRoller), encoded in collector/influx/points.ts
 * (`shiftingHourToPoint`, `SHIFTING_VERSION`, its own version) and read by
 * `EventReads.shiftingHours`; collector/history/long-range.ts `longShifting`
 * is the read (the long `/api/v1/kpi` and the trend points). Beyond this
 * design, each row has a `status` field (`final`, `pending`, `unrollable`):
 * pending hours are stored too, so a final row that a late event makes
 * pending again is overwritten (InfluxDB merges a point's fields, so a row
 * rolled again without `stations` keeps the old field: `status` says whether
 * it counts). Late events are found per tick among state events stored with a
 * timestamp before the latest clock a roll read up to; t' is the station's next
 * state event within a day of t, else now (more re-rolls, never fewer).
 *
 * - One row per line and closed hour beside `rollup_hour`, measurement
 *   `shifting_hour`, tag `line`, time = the hour's start, fields: `end`,
 *   `status`, `window_start`, `window_end` (epoch ms), `planned_ms`, and per
 *   station `sole_ms` / `shifting_ms` as one JSON field `stations`
 *   (`[["S01",1200000,0],…]`, flow order, integers, final rows only);
 *   `version`. Integers keep the sum exact.
 * - The roller reads the line's state events over the day to roll ± 12 hours
 *   (plus each station's last state before the read), builds the timelines as
 *   the raw path does (`stateTimeline`, the same de-duplication as
 *   `shiftingOfStates`) and calls {@link rollShiftingPieces} for the hours not
 *   yet final; an hour that comes out `short` (its window reaches the read's
 *   edge) is tried with a wider read, up to the reach
 *   ({@link DEFAULT_SHIFTING_PIECE_OPTIONS}, 7 days). On `reference` (20
 *   stations, ~14,500 state events a day) windows reach p50 36 / p95 140 / max
 *   170 min before their hour and p50 57 / p95 151 / max 180 min after it, and
 *   rolling costs ~3–4 ms an hour in memory (bench/shifting-pieces.ts).
 * - A piece becomes final once every period its window depends on has ended
 *   before now (`final`): then it is written. `pending` (a deciding period is
 *   still open at now: a station running, down or offline since before the
 *   hour's end) is tried again at the next roll; such hours are near now, so a
 *   read takes them from the raw edge it reads anyway. `unrollable` (a deciding
 *   period reaches more than the reach before or after the hour: a breakdown or
 *   an offline week) is written as a marker row (no station field), so neither
 *   the roller nor the read looks for it again: the read computes it from raw
 *   events (their window is where a station's one long period is, so few events
 *   of that station, but all the others' too).
 * - A late state event at t of station s changes s's state over `[t, t')`, t'
 *   being s's next state event (or now). It re-rolls every stored piece whose
 *   window meets `[t, t']` (closed: a period ending or beginning at an edge
 *   counts), and the hour holding t, marker rows alike (their window as far as
 *   it was read); nothing else can change (a piece's charges depend on the
 *   segments inside its window only; tested). A replay (exact repeats)
 *   changes nothing and need not re-roll. A calendar change re-rolls as the
 *   rollups do (planned time is the piece's part of the calendar then in force).
 * - A read of `[from, to)` as of now ({@link combineShifting}): the stored final
 *   pieces whose hour and window both lie in `[from, asOf)`, plus the range's
 *   raw timelines over {@link shiftingReads}' spans (the rest, widened to the
 *   stored windows of the pieces overlapping it); when a window reaches past
 *   what was read the answer is `short` with wider spans to read, and the caller
 *   reads again. On a line that changes state every cycle the edges are a few
 *   hours; on one with week-long periods they are those periods. The result's
 *   `stations` and `plannedMs` are what `assembleLineKpis` takes as `shifting`
 *   (/api/v1/kpi) and its `bottleneck` is what `intervalConstraint` picks
 *   (/api/v1/losses). Measured in memory on `reference`: 28 days 13.9 ms
 *   against 896 ms for `shiftingOfStates` over the range's events, 91 days
 *   21.3 ms against 2,560 ms, with 6 h of raw edges, exact.
 * - Not covered here: the chart's `timeline` and the `stretches` the loss
 *   episodes are named from; both are the raw path's only. The time charges at
 *   the constraint have their own pieces (core/loss/charge-pieces.ts).
 */
import type { Span } from '../calendar/calendar';
import type { BottleneckShare } from '../loss/types';
import { activePeriods, bottleneckMs, intervalBottleneck, partnerFromReason, sharesOf, type ActivePeriod, type PartnerOf } from './active-period';
import { firstEndingAfter } from './spans';
import type { StateSegment } from './states';

/** Tunables of the roller's windows. */
export interface ShiftingPieceOptions {
  /** How far before the piece's start and after its end a window may reach and the piece still be stored, ms. @default 604_800_000 (7 days) */
  maxReachMs: number;
}

export const DEFAULT_SHIFTING_PIECE_OPTIONS: ShiftingPieceOptions = { maxReachMs: 7 * 86_400_000 };

/** One station's milliseconds inside a piece's planned time as the sole and as a shifting momentary bottleneck. */
export interface StationMs {
  station: string;
  soleMs: number;
  shiftingMs: number;
}

/** A piece's contribution to the shifting bottleneck of any range that holds it and its window. */
export interface ShiftingPiece {
  /** The piece, `[start, end)`, epoch ms. */
  start: number;
  end: number;
  /** Its dependency window (contains the piece). */
  window: Span;
  /** Planned milliseconds inside the piece. */
  plannedMs: number;
  /** Every station of the timelines, in flow order. */
  stations: StationMs[];
}

/**
 * How one side of a window stands: `settled` (the deciding periods end inside
 * what was known, or at a hard edge), `now` (a deciding period runs up to now:
 * it may still grow), `known` (it reaches the edge of the timelines given: read
 * further), `reach` (it reaches farther than `maxReachMs`).
 */
export type WindowSide = 'settled' | 'now' | 'known' | 'reach';

/** A piece's dependency window and whether it is final. */
export interface PieceWindow {
  /** final: both sides settled; pending: a side is `now`; short: a side is `known`; unrollable: a side is `reach`. */
  status: 'final' | 'pending' | 'short' | 'unrollable';
  /** The window as far as the timelines show it (the whole window when final). */
  window: Span;
  before: WindowSide;
  after: WindowSide;
}

/** What the timelines given cover, and how to read their edges. */
export interface WindowContext {
  /** The span the timelines cover: a period reaching its edge may go on beyond it. */
  known: Span;
  /** The clock: a period reaching `known.end` at or after `now` is still open. @default Infinity (no clock: `known` decides) */
  now?: number;
  /** Edges where periods end for good (the range's `from` and `asOf` on the raw path, which cuts periods there). */
  hard?: Span;
  /** @default DEFAULT_SHIFTING_PIECE_OPTIONS.maxReachMs */
  maxReachMs?: number;
}

/** A timeline cut to `span` (ascending, non-overlapping segments). */
export function clipTimeline(timeline: readonly StateSegment[], span: Span): StateSegment[] {
  const out: StateSegment[] = [];
  for (let i = firstEndingAfter(timeline, span.start); i < timeline.length; i += 1) {
    const s = timeline[i] as StateSegment;
    if (s.start >= span.end) break;
    out.push(s.start >= span.start && s.end <= span.end ? s : { ...s, start: Math.max(s.start, span.start), end: Math.min(s.end, span.end) });
  }
  return out;
}

/** Spans (ascending, non-overlapping) cut to `span`. */
function clipSpans(spans: readonly Span[], span: Span): Span[] {
  const out: Span[] = [];
  for (let i = firstEndingAfter(spans, span.start); i < spans.length; i += 1) {
    const s = spans[i] as Span;
    if (s.start >= span.end) break;
    out.push({ start: Math.max(s.start, span.start), end: Math.min(s.end, span.end) });
  }
  return out;
}

/** Each station's active periods over what the timelines cover, cut to `known`, so many pieces share one pass. */
export class ActivePeriodIndex {
  private readonly periods: ActivePeriod[][];

  constructor(
    timelines: ReadonlyMap<string, readonly StateSegment[]>,
    readonly known: Span,
    partnerOf: PartnerOf = partnerFromReason,
  ) {
    this.periods = [...timelines.entries()].map(([station, tl], index) => activePeriods(station, index, clipTimeline(tl, known), partnerOf));
  }

  /** The piece's dependency window (see the module comment) as far as `known` shows it, and whether it is final. */
  window(piece: Span, ctx: Omit<WindowContext, 'known'> = {}): PieceWindow {
    const { known } = this;
    if (!(piece.start >= known.start && piece.end <= known.end && piece.end > piece.start)) {
      throw new RangeError(`piece [${piece.start}, ${piece.end}) is empty or not inside the known timelines [${known.start}, ${known.end})`);
    }
    const maxReach = ctx.maxReachMs ?? DEFAULT_SHIFTING_PIECE_OPTIONS.maxReachMs;
    // C: the periods overlapping the piece; first: the one that begins first, last: the one that ends last.
    let first: ActivePeriod | null = null;
    let last: ActivePeriod | null = null;
    for (const ps of this.periods) {
      const i = firstEndingAfter(ps, piece.start);
      const p = ps[i];
      if (p === undefined || p.start >= piece.end) continue;
      if (first === null || p.start < first.start) first = p;
      let j = i;
      while (j + 1 < ps.length && (ps[j + 1] as ActivePeriod).start < piece.end) j += 1;
      const q = ps[j] as ActivePeriod;
      if (last === null || q.end > last.end) last = q;
    }
    if (first === null || last === null) return { status: 'final', window: { start: piece.start, end: piece.end }, before: 'settled', after: 'settled' };
    let lo = first.start;
    let hi = last.end;
    for (const ps of this.periods) {
      // The period covering the instant just before `first` begins, and the one covering the instant `last` ends.
      const b = ps[firstEndingAfter(ps, first.start, true)];
      if (b !== undefined && b.start < first.start) lo = Math.min(lo, b.start);
      const a = ps[firstEndingAfter(ps, last.end)];
      if (a !== undefined && a.start <= last.end) hi = Math.max(hi, a.end);
    }
    const hardStart = ctx.hard !== undefined && known.start <= ctx.hard.start;
    const hardEnd = ctx.hard !== undefined && known.end >= ctx.hard.end;
    const now = ctx.now ?? Infinity;
    let before: WindowSide = 'settled';
    if (lo < piece.start - maxReach) before = 'reach';
    else if (lo <= known.start && !hardStart) before = known.start <= piece.start - maxReach ? 'reach' : 'known';
    let after: WindowSide = 'settled';
    if (hi > piece.end + maxReach) after = 'reach';
    else if (hi >= known.end && !hardEnd) after = known.end >= piece.end + maxReach ? 'reach' : known.end >= now ? 'now' : 'known';
    const sides = [before, after];
    const status = sides.includes('reach') ? 'unrollable' : sides.includes('known') ? 'short' : sides.includes('now') ? 'pending' : 'final';
    return { status, window: { start: Math.min(lo, piece.start), end: Math.max(hi, piece.end) }, before, after };
  }
}

/** The dependency window of one piece (for many, build one {@link ActivePeriodIndex}). */
export function shiftingWindow(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  piece: Span,
  ctx: WindowContext,
  partnerOf: PartnerOf = partnerFromReason,
): PieceWindow {
  return new ActivePeriodIndex(timelines, ctx.known, partnerOf).window(piece, ctx);
}

/**
 * The piece's contribution from the timelines cut to `window`: each station's
 * sole and shifting milliseconds inside the piece's part of `planned`. Exact
 * when `window` contains the piece's dependency window (and timelines cover it).
 */
export function shiftingPiece(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  piece: Span,
  window: Span,
  planned: readonly Span[],
  partnerOf: PartnerOf = partnerFromReason,
): ShiftingPiece {
  if (!(window.start <= piece.start && piece.end <= window.end)) throw new RangeError(`window [${window.start}, ${window.end}) does not contain piece [${piece.start}, ${piece.end})`);
  const cut = new Map<string, StateSegment[]>();
  for (const [station, tl] of timelines) cut.set(station, clipTimeline(tl, window));
  const inPiece = clipSpans(planned, piece);
  const { soleMs, shiftingMs } = bottleneckMs(cut, inPiece, partnerOf);
  return {
    start: piece.start,
    end: piece.end,
    window: { start: window.start, end: window.end },
    plannedMs: inPiece.reduce((s, p) => s + (p.end - p.start), 0),
    stations: [...timelines.keys()].map((station) => ({ station, soleMs: soleMs.get(station) ?? 0, shiftingMs: shiftingMs.get(station) ?? 0 })),
  };
}

/** What the roller does with one piece: store it (final), or not yet / never. */
export type RolledPiece = { status: 'final'; piece: ShiftingPiece } | { status: 'pending' | 'short' | 'unrollable'; start: number; end: number; window: PieceWindow };

/**
 * The roller's step: each piece's window from timelines covering `known` as of
 * `now`, and its contribution when the window is final. `planned` covers the
 * pieces (e.g. `plannedIntervals` of the whole read).
 */
export function rollShiftingPieces(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  pieces: readonly Span[],
  ctx: { known: Span; now: number; planned: readonly Span[]; maxReachMs?: number; partnerOf?: PartnerOf },
): RolledPiece[] {
  const partnerOf = ctx.partnerOf ?? partnerFromReason;
  const index = new ActivePeriodIndex(timelines, ctx.known, partnerOf);
  return pieces.map((p) => {
    const w = index.window(p, { now: ctx.now, ...(ctx.maxReachMs !== undefined ? { maxReachMs: ctx.maxReachMs } : {}) });
    if (w.status !== 'final') return { status: w.status, start: p.start, end: p.end, window: w };
    return { status: 'final', piece: shiftingPiece(timelines, p, w.window, ctx.planned, partnerOf) };
  });
}

/** Spans `[a, b)` merged where they overlap or touch, ascending. */
function merged(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].filter((x) => x.end > x.start).sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/** Whether a stored piece can stand for its hour in `range`: the piece and its whole window inside it. */
function usable(p: ShiftingPiece, range: Span): boolean {
  return range.start <= p.window.start && p.window.end <= range.end && range.start <= p.start && p.end <= range.end;
}

/** The stored pieces a read of `range` uses (ascending; a piece overlapping an earlier one is a programmer error). */
function usablePieces(range: Span, pieces: readonly ShiftingPiece[]): ShiftingPiece[] {
  const use = pieces.filter((p) => usable(p, range)).sort((a, b) => a.start - b.start);
  for (let i = 1; i < use.length; i += 1) {
    if ((use[i] as ShiftingPiece).start < (use[i - 1] as ShiftingPiece).end) throw new RangeError('stored shifting pieces overlap');
  }
  return use;
}

/** The parts of `range` that no usable piece covers. */
function rawSpans(range: Span, use: readonly ShiftingPiece[]): Span[] {
  const out: Span[] = [];
  let at = range.start;
  for (const p of use) {
    if (p.start > at) out.push({ start: at, end: p.start });
    at = Math.max(at, p.end);
  }
  if (range.end > at) out.push({ start: at, end: range.end });
  return out;
}

/** How far {@link shiftingReads} reads past the stored windows, ms. */
const READ_MARGIN_MS = 60_000;

/**
 * What a read of `range` (`[from, asOf)`) must take raw, first guess: the
 * parts no usable stored piece covers (`raw`), and the spans to read the
 * range's state timelines over (`read`): those parts widened to the stored
 * windows of the pieces overlapping them, inside the range.
 */
export function shiftingReads(range: Span, pieces: readonly ShiftingPiece[]): { raw: Span[]; read: Span[] } {
  const raw = rawSpans(range, usablePieces(range, pieces));
  const read = raw.map((r) => {
    let start = r.start;
    let end = r.end;
    for (const p of pieces) {
      if (p.end <= r.start || p.start >= r.end) continue;
      start = Math.min(start, p.window.start);
      end = Math.max(end, p.window.end);
    }
    // A minute beyond the windows: a deciding period that begins or ends exactly at a read's edge could go on past it (`short`).
    return { start: Math.max(start - READ_MARGIN_MS, range.start), end: Math.min(end + READ_MARGIN_MS, range.end) };
  });
  return { raw, read: merged(read) };
}

export interface CombineShiftingRequest {
  /** The line's stations in flow order. */
  stations: readonly string[];
  /** `[from, asOf)`: the raw path cuts periods at both. */
  range: Span;
  /** The planned part of the range (`plannedIntervals(calendar, from, asOf)`), as the raw path takes it. */
  planned: readonly Span[];
  /** Stored final pieces (any; those not usable for this range are left out). */
  pieces: readonly ShiftingPiece[];
  /**
   * The range's raw timelines over `known` (spans inside the range, e.g.
   * {@link shiftingReads}' `read`), as the raw path builds them: each station's
   * state at a span's start from its last state event before it.
   */
  raw: { timelines: ReadonlyMap<string, readonly StateSegment[]>; known: readonly Span[] };
  partnerOf?: PartnerOf;
}

/** The range's shifting bottleneck from stored pieces and raw edges, or the wider spans to read first. */
export type CombinedShifting =
  | {
      status: 'ok';
      /** As `shiftingBottleneck(...).stations` over the whole range. */
      stations: BottleneckShare[];
      plannedMs: number;
      /** `intervalBottleneck` of those shares. */
      bottleneck: string | null;
      /** The parts taken from stored pieces and from raw timelines. */
      stored: Span[];
      computed: Span[];
    }
  | { status: 'short'; read: Span[] };

/** Stored pieces plus the raw edges = the whole range's `shiftingBottleneck` shares and pick, exactly. */
export function combineShifting(req: CombineShiftingRequest): CombinedShifting {
  const { range } = req;
  const partnerOf = req.partnerOf ?? partnerFromReason;
  const use = usablePieces(range, req.pieces);
  const sole = new Map<string, number>(req.stations.map((s) => [s, 0]));
  const shift = new Map<string, number>(req.stations.map((s) => [s, 0]));
  const add = (stations: readonly StationMs[]) => {
    for (const s of stations) {
      sole.set(s.station, (sole.get(s.station) ?? 0) + s.soleMs);
      shift.set(s.station, (shift.get(s.station) ?? 0) + s.shiftingMs);
    }
  };
  for (const p of use) add(p.stations);
  const known = merged(req.raw.known.map((k) => ({ start: Math.max(k.start, range.start), end: Math.min(k.end, range.end) })));
  const indexes = new Map<Span, ActivePeriodIndex>();
  const wider: Span[] = [];
  const computed = rawSpans(range, use);
  for (const r of computed) {
    const k = known.find((x) => x.start <= r.start && r.end <= x.end);
    if (k === undefined) {
      wider.push(r);
      continue;
    }
    let index = indexes.get(k);
    if (index === undefined) {
      index = new ActivePeriodIndex(req.raw.timelines, k, partnerOf);
      indexes.set(k, index);
    }
    const w = index.window(r, { hard: range, maxReachMs: Infinity });
    if (w.status !== 'final') {
      // Read twice as far on the open side (at least an hour), up to the range's edges.
      const grow = Math.max(k.end - k.start, 3_600_000);
      wider.push({ start: w.before === 'settled' ? k.start : Math.max(range.start, k.start - grow), end: w.after === 'settled' ? k.end : Math.min(range.end, k.end + grow) });
      continue;
    }
    add(shiftingPiece(req.raw.timelines, r, w.window, req.planned, partnerOf).stations);
  }
  if (wider.length > 0) return { status: 'short', read: merged([...known, ...wider]) };
  const plannedMs = req.planned.reduce((s, p) => s + (p.end - p.start), 0);
  const stations = sharesOf(req.stations, sole, shift, plannedMs);
  return { status: 'ok', stations, plannedMs, bottleneck: intervalBottleneck({ stations }), stored: use.map((p) => ({ start: p.start, end: p.end })), computed };
}
