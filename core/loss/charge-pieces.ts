/**
 * The loss waterfall's time charges (core/loss/waterfall.ts `chargeTime`) of a
 * long range from per-piece charges that add up to the whole range's exactly:
 * the same integer milliseconds per cause and of productive time, at a given
 * constraint. The counterpart of core/kpi/shifting-pieces.ts for losses.
 *
 * ## What a piece's charges depend on
 *
 * `chargeTime` charges each planned instant t from the stations' segments at t
 * (the constraint's state, a starvation traced upstream, a blocking traced
 * downstream). One thing reaches beyond t: whether an `idle` segment is the
 * pace of the flow or a loss depends on its whole length (`end − since` over
 * one ideal takt). `since` travels with the segment (`stateTimeline` carries
 * the state's start across a cut), so only the end matters, and only until the
 * segment has lasted one ideal takt. A piece's **charge window** is therefore
 * the piece, extended after its end to `min(end, since + ideal takt + 1 ms)` of
 * every idle segment (of any station) overlapping it: at most one ideal takt
 * (120 s at 30/h) past the piece. A segment whose start is unknown (`since`
 * null: the state came from the caller's initial state without a time) is
 * measured from where its timeline begins, so the window reaches back there.
 *
 * The raw path cuts segments at `asOf`: a piece whose window passes the range's
 * end (an idle segment undecided at `asOf`) is charged from the range's raw
 * timelines, as is every part of the range that no stored piece covers.
 *
 * The constraint is the range's (`intervalConstraint`: the configured one, else
 * the whole range's shifting bottleneck, core/kpi/shifting-pieces.ts), unknown
 * until the range is: a roller stores each hour's charges once per station as
 * the constraint (as it stores each station's `asConstraint` cycles), about
 * stations × causes integers per hour.
 *
 * ## Storing (wired: core/loss/loss-pieces.ts, collector/rollup/shifting-roller.ts)
 *
 * As designed here, with the episodes: per line, hour and station as the
 * constraint a `loss_hour` row (collector/influx/points.ts, LOSS_VERSION:
 * charges with their kept episode parts, productive ms, the window) and per
 * line and hour a `loss_line_hour` row (the charge window, the partner-starved
 * segments, whether any state is known), rolled beside the shifting pieces
 * from the same read. Final only once both the hour's shifting piece and its
 * charge window are settled; a late state event re-rolls the hours whose
 * shifting or charge window meets `[t, t']`. Episodes crossing an hour edge
 * are merged on read where the first ends at the second's start with the same
 * momentary bottleneck, named from the stretches over the hour's shifting
 * window; a piece keeps its edge episodes, every partner cause's and its 50
 * longest others (core/loss/loss-pieces.ts). The read is
 * collector/history/long-range.ts `longLosses`.
 */
import type { Span } from '../calendar/calendar';
import { partnerFromReason, type PartnerOf } from '../kpi/active-period';
import { clipTimeline } from '../kpi/shifting-pieces';
import { firstEndingAfter } from '../kpi/spans';
import type { StateSegment } from '../kpi/states';
import type { LossCause } from './types';
import { chargeTime } from './waterfall';

/** One piece's charges at one constraint. */
export interface ChargePiece {
  start: number;
  end: number;
  /** The charge window (contains the piece). */
  window: Span;
  constraint: string | null;
  /** Planned ms per cause, by cause key (core/loss/waterfall.ts `causeKey`). */
  charges: { key: string; cause: LossCause; ms: number }[];
  productiveMs: number;
}

/** The piece's charge window, and whether the timelines given (over `known`) settle it; `hard`: edges where segments end for good (the range's `from` and `asOf`). */
export function chargeWindow(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  piece: Span,
  idealTaktSeconds: number,
  ctx: { known: Span; hard?: Span },
): { status: 'final' | 'short'; window: Span } {
  const paceMs = idealTaktSeconds * 1000;
  let start = piece.start;
  let end = piece.end;
  for (const tl of timelines.values()) {
    for (let i = firstEndingAfter(tl, piece.start); i < tl.length && (tl[i] as StateSegment).start < piece.end; i += 1) {
      const seg = tl[i] as StateSegment;
      if (seg.state !== 'idle') continue;
      // Measured from where the timeline has it begin when its start is unknown, as chargeTime does.
      if (seg.since === null) start = Math.min(start, seg.start);
      end = Math.max(end, Math.min(seg.end, (seg.since ?? seg.start) + paceMs + 1));
    }
  }
  const hardStart = ctx.hard !== undefined && ctx.known.start <= ctx.hard.start;
  const hardEnd = ctx.hard !== undefined && ctx.known.end >= ctx.hard.end;
  const short = (start <= ctx.known.start && start < piece.start && !hardStart) || (end >= ctx.known.end && end > piece.end && !hardEnd);
  return { status: short ? 'short' : 'final', window: { start, end } };
}

/** The piece's charges at `constraint` from the timelines cut to `window` (exact when it contains the piece's charge window). */
export function chargePiece(
  req: { stationIds: readonly string[]; timelines: ReadonlyMap<string, readonly StateSegment[]>; planned: readonly Span[]; idealTakt: number; partnerOf?: PartnerOf },
  piece: Span,
  window: Span,
  constraint: string | null,
): ChargePiece {
  const timelines = new Map<string, StateSegment[]>();
  for (const [station, tl] of req.timelines) timelines.set(station, clipTimeline(tl, window));
  const planned = req.planned.flatMap((p) => (p.end > piece.start && p.start < piece.end ? [{ start: Math.max(p.start, piece.start), end: Math.min(p.end, piece.end) }] : []));
  const time = chargeTime(
    { stationIds: req.stationIds, timelines, planned, stretches: [], from: piece.start, asOf: piece.end, idealTakt: req.idealTakt, partnerOf: req.partnerOf ?? partnerFromReason },
    constraint,
  );
  return {
    start: piece.start,
    end: piece.end,
    window: { start: window.start, end: window.end },
    constraint,
    charges: [...time.charges].map(([key, c]) => ({ key, cause: c.cause, ms: c.ms })),
    productiveMs: time.productiveMs,
  };
}

/** Pieces' charges added up: planned ms per cause key (with its cause) and productive ms. */
export function addCharges(pieces: readonly Pick<ChargePiece, 'charges' | 'productiveMs'>[]): { charges: Map<string, { cause: LossCause; ms: number }>; productiveMs: number } {
  const charges = new Map<string, { cause: LossCause; ms: number }>();
  let productiveMs = 0;
  for (const p of pieces) {
    productiveMs += p.productiveMs;
    for (const c of p.charges) {
      const e = charges.get(c.key);
      if (e) e.ms += c.ms;
      else charges.set(c.key, { cause: c.cause, ms: c.ms });
    }
  }
  return { charges, productiveMs };
}

/**
 * A range's charges at `constraint` from stored pieces (those at this
 * constraint whose piece and window lie in `[from, asOf)`) plus the rest
 * charged from the range's raw timelines (which must cover it: here the whole
 * range is given; a read needs only the uncovered parts and one ideal takt
 * past each): the same ms per cause and productive ms as `chargeTime` over the
 * range.
 */
export function combineCharges(req: {
  stationIds: readonly string[];
  /** `[from, asOf)`. */
  range: Span;
  planned: readonly Span[];
  idealTakt: number;
  constraint: string | null;
  pieces: readonly ChargePiece[];
  timelines: ReadonlyMap<string, readonly StateSegment[]>;
  partnerOf?: PartnerOf;
}): { charges: Map<string, { cause: LossCause; ms: number }>; productiveMs: number; stored: number } {
  const { range } = req;
  const use = req.pieces
    .filter((p) => p.constraint === req.constraint && p.start >= range.start && p.end <= range.end && p.window.start >= range.start && p.window.end <= range.end)
    .sort((a, b) => a.start - b.start);
  const parts: Pick<ChargePiece, 'charges' | 'productiveMs'>[] = [...use];
  let at = range.start;
  const rest: Span[] = [];
  for (const p of use) {
    if (p.start < at) throw new RangeError('stored charge pieces overlap');
    if (p.start > at) rest.push({ start: at, end: p.start });
    at = p.end;
  }
  if (range.end > at) rest.push({ start: at, end: range.end });
  for (const r of rest) {
    // The range's edges are hard: the raw path cuts segments there too.
    const w = chargeWindow(req.timelines, r, req.idealTakt, { known: range, hard: range });
    parts.push(chargePiece({ ...req, ...(req.partnerOf ? { partnerOf: req.partnerOf } : {}) }, r, w.window, req.constraint));
  }
  return { ...addCharges(parts), stored: use.length };
}

