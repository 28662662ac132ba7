/**
 * The loss waterfall's time part of a long range from per-hour pieces: the
 * charges per cause (core/loss/charge-pieces.ts), the episodes behind them and
 * the partner-starved segments behind the shortages, so that stored pieces plus
 * raw edges give `lossReport`'s numbers, episodes and shortages over the whole
 * range exactly (collector/history/long-range.ts `longLosses`; the roller:
 * collector/rollup/shifting-roller.ts).
 *
 * - **Episodes** name the momentary bottleneck, the longest active period
 *   covering the instant: inside an hour that is fixed by the hour's shifting
 *   dependency window (core/kpi/shifting-pieces.ts), so the stretches of the
 *   timelines cut to that window name an hour's episodes as the whole range's
 *   stretches do. An episode crossing an hour edge is stored as two parts; a
 *   read merges parts of one cause where one ends at the next one's start with
 *   the same momentary bottleneck (the raw path merges exactly those). A piece
 *   keeps the episodes touching its edges, every episode of a partner (material)
 *   cause (a shortage's units add them up) and its {@link MAX_EPISODES} longest
 *   others (ties: the earlier first, as `topEpisodes` sorts): the range's 50
 *   longest of a cause are among them.
 * - **Shortages** (`shortageEpisodes`) walk each station's partner-starved
 *   segments in time order; a segment cut at hour edges gives the same episodes
 *   (the parts touch, so they merge, and the first keeps `since`).
 * - **hasData**: whether any station's state is known somewhere in the hour.
 */
import type { Span } from '../calendar/calendar';
import { activePeriods, bottleneckStretches, partnerFromReason, type BottleneckStretch, type PartnerOf } from '../kpi/active-period';
import { clipTimeline } from '../kpi/shifting-pieces';
import type { StateSegment } from '../kpi/states';
import { chargeWindow } from './charge-pieces';
import type { BottleneckSpan, LossCause } from './types';
import { chargeTime, MAX_EPISODES, type TimeCharge, type TimeCharges } from './waterfall';

/** A stored part of an episode: `[from, to)` and the momentary bottleneck then. */
export interface EpisodePart {
  from: number;
  to: number;
  constraint: string | null;
}

/** One piece's time charges at one constraint with the episodes a read needs. */
export interface LossPiece {
  start: number;
  end: number;
  /** The charge window (core/loss/charge-pieces.ts `chargeWindow`); contains the piece. */
  window: Span;
  constraint: string | null;
  /** Planned ms per cause, in the order the causes first occur in the piece, with the kept episode parts (ascending). */
  charges: { key: string; cause: LossCause; ms: number; episodes: EpisodePart[] }[];
  productiveMs: number;
}

/** A partner-starved segment of a station cut to a piece (its `since` kept). */
export interface StarvedPart {
  station: string;
  reason: string | null;
  since: number | null;
  start: number;
  end: number;
}

/** A piece's line-level part: whether any state is known in it and the partner-starved segments in it, stations in flow order. */
export interface LossLinePiece {
  start: number;
  end: number;
  known: boolean;
  starved: StarvedPart[];
}

/** The momentary bottleneck's stretches of the timelines cut to `window` (a piece's shifting dependency window: exact inside the piece). */
export function momentaryStretches(timelines: ReadonlyMap<string, readonly StateSegment[]>, window: Span, partnerOf: PartnerOf = partnerFromReason): BottleneckStretch[] {
  const periods = [...timelines.entries()].flatMap(([station, tl], index) => activePeriods(station, index, clipTimeline(tl, window), partnerOf));
  return bottleneckStretches(periods);
}

/** The episodes of one cause a piece keeps (see the module comment), ascending. */
export function keptEpisodes(episodes: readonly EpisodePart[], piece: Span, all: boolean): EpisodePart[] {
  if (all || episodes.length <= MAX_EPISODES) return episodes.map((e) => ({ from: e.from, to: e.to, constraint: e.constraint }));
  const edge = (e: EpisodePart) => e.from === piece.start || e.to === piece.end;
  const longest = episodes
    .filter((e) => !edge(e))
    .sort((a, b) => b.to - b.from - (a.to - a.from) || a.from - b.from)
    .slice(0, MAX_EPISODES);
  const keep = new Set([...episodes.filter(edge), ...longest]);
  return episodes.filter((e) => keep.has(e)).map((e) => ({ from: e.from, to: e.to, constraint: e.constraint }));
}

/** What charging a piece needs. */
export interface LossPieceInput {
  /** Stations in flow order. */
  stationIds: readonly string[];
  /** The stations' timelines, covering the piece's charge window and shifting window. */
  timelines: ReadonlyMap<string, readonly StateSegment[]>;
  /** Planned spans covering the piece. */
  planned: readonly Span[];
  idealTakt: number;
  partnerOf?: PartnerOf;
}

/**
 * The piece's charges at each of `constraints` from the timelines cut to its
 * charge `window`, episodes named by `stretches` (from {@link momentaryStretches}
 * over its shifting window), and the productive spans (what a raw part's cycles
 * are matched against).
 */
export function lossPieces(
  req: LossPieceInput,
  piece: Span,
  window: Span,
  stretches: readonly BottleneckStretch[],
  constraints: readonly (string | null)[],
  keepAll = false,
): { piece: LossPiece; productive: Span[] }[] {
  const partnerOf = req.partnerOf ?? partnerFromReason;
  const timelines = new Map<string, StateSegment[]>();
  for (const [station, tl] of req.timelines) timelines.set(station, clipTimeline(tl, window));
  const planned = req.planned.flatMap((p) => (p.end > piece.start && p.start < piece.end ? [{ start: Math.max(p.start, piece.start), end: Math.min(p.end, piece.end) }] : []));
  const inPiece = stretches.filter((s) => s.to > piece.start && s.from < piece.end);
  return constraints.map((constraint) => {
    const time = chargeTime({ stationIds: req.stationIds, timelines, planned, stretches: inPiece, from: piece.start, asOf: piece.end, idealTakt: req.idealTakt, partnerOf }, constraint);
    return {
      piece: {
        start: piece.start,
        end: piece.end,
        window: { start: window.start, end: window.end },
        constraint,
        charges: [...time.charges].map(([key, c]) => ({ key, cause: c.cause, ms: c.ms, episodes: keptEpisodes(c.episodes, piece, keepAll || c.cause.partner !== undefined) })),
        productiveMs: time.productiveMs,
      },
      productive: time.productive,
    };
  });
}

/** The piece's line-level part from the timelines (covering it). */
export function lossLinePiece(timelines: ReadonlyMap<string, readonly StateSegment[]>, piece: Span, partnerOf: PartnerOf = partnerFromReason): LossLinePiece {
  let known = false;
  const starved: StarvedPart[] = [];
  for (const [station, tl] of timelines) {
    for (const s of clipTimeline(tl, piece)) {
      if (s.state !== 'unknown') known = true;
      if (s.state === 'starved' && partnerOf(station, s.reason) !== null) starved.push({ station, reason: s.reason, since: s.since, start: s.start, end: s.end });
    }
  }
  return { start: piece.start, end: piece.end, known, starved };
}

/** A raw part of a range: its charge window from timelines over `known` (edges of `range` hard), or short when they do not show it whole. */
export function rawChargeWindow(timelines: ReadonlyMap<string, readonly StateSegment[]>, part: Span, idealTakt: number, known: Span, range: Span): { status: 'final' | 'short'; window: Span } {
  return chargeWindow(timelines, part, idealTakt, { known, hard: range });
}

/**
 * The range's time charges at one constraint from pieces (stored ones and those
 * charged raw, together covering the range once, any order): ms per cause in
 * the order causes first occur in the range, episodes merged across pieces,
 * productive ms. `productive` (the productive spans) is what the caller gives:
 * a long read matches only its raw parts' cycles against it.
 */
export function combineLossPieces(pieces: readonly LossPiece[], productive: readonly Span[]): TimeCharges {
  const charges = new Map<string, TimeCharge>();
  let productiveMs = 0;
  for (const p of [...pieces].sort((a, b) => a.start - b.start)) {
    productiveMs += p.productiveMs;
    for (const c of p.charges) {
      let entry = charges.get(c.key);
      if (entry === undefined) {
        entry = { cause: c.cause, ms: 0, episodes: [] };
        charges.set(c.key, entry);
      }
      entry.ms += c.ms;
      for (const e of c.episodes) {
        const last = entry.episodes.at(-1);
        if (last && last.to === e.from && last.constraint === e.constraint) {
          last.to = e.to;
          last.seconds = (e.to - last.from) / 1000;
        } else entry.episodes.push({ from: e.from, to: e.to, constraint: e.constraint, units: 0, seconds: (e.to - e.from) / 1000 });
      }
    }
  }
  return { charges, productive: [...productive].sort((a, b) => a.start - b.start), productiveMs };
}

/** Line parts of a range (covering it once) as `shortageEpisodes` reads timelines: each station's partner-starved segments in time order, and whether any state is known. */
export function combineLinePieces(stationIds: readonly string[], pieces: readonly LossLinePiece[]): { known: boolean; timelines: Map<string, StateSegment[]> } {
  const timelines = new Map<string, StateSegment[]>(stationIds.map((s) => [s, []]));
  let known = false;
  for (const p of [...pieces].sort((a, b) => a.start - b.start)) {
    known ||= p.known;
    for (const s of p.starved) timelines.get(s.station)?.push({ state: 'starved', reason: s.reason, since: s.since, start: s.start, end: s.end });
  }
  return { known, timelines };
}

/** A bucket of a long range's bottleneck timeline: each station's sole and shifting bottleneck ms in it (core/kpi/shifting-pieces.ts pieces added up). */
export interface BottleneckBucket {
  start: number;
  end: number;
  stations: readonly { station: string; soleMs: number; shiftingMs: number }[];
}

/**
 * A long range's bottleneck timeline by bucket (an hour or a local day,
 * docs/kpi.md): each bucket's station is the one with the most bottleneck ms
 * (sole + shifting; the earlier in flow on a tie), `shifting` when its shifting
 * ms exceed its sole ms; a bucket without any is left out; touching buckets of
 * the same station and flag merge. No `with`.
 */
export function bucketTimeline(buckets: readonly BottleneckBucket[]): BottleneckSpan[] {
  const out: BottleneckSpan[] = [];
  for (const b of [...buckets].sort((x, y) => x.start - y.start)) {
    let best: BottleneckBucket['stations'][number] | null = null;
    for (const s of b.stations) if (s.soleMs + s.shiftingMs > (best === null ? 0 : best.soleMs + best.shiftingMs)) best = s;
    if (best === null) continue;
    const shifting = best.shiftingMs > best.soleMs;
    const last = out.at(-1);
    if (last && last.to === b.start && last.station === best.station && last.shifting === shifting) last.to = b.end;
    else out.push({ from: b.start, to: b.end, station: best.station, shifting });
  }
  return out;
}
