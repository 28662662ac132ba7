/**
 * The shifting bottleneck by Roser's active-period method (Roser, Nakano &
 * Tanaka, "Shifting bottleneck detection", Winter Simulation Conference 2002).
 *
 * A station is *active* while it does not wait for its neighbours: running,
 * down (`fault`, `maintenance`, `offline`), or starved for a supply partner's
 * parts (it waits for the outside world, not for the station before it). It
 * is *inactive* while starved by the station before it, blocked by the one
 * after it, idle (a paced first station waiting for its launch slot has
 * capacity to spare), or of unknown state. An active period is a maximal run
 * of active time.
 *
 * At any instant the momentary bottleneck is the station whose active period
 * covering that instant is the longest (whole period, so the start of a long
 * breakdown already belongs to it). Where the period of one bottleneck
 * overlaps the period of the next, the bottleneck is *shifting* between them:
 * both are charged with the overlap as shifting time; the rest of a
 * bottleneck's time is *sole* time. The live variant (the wall) can only see
 * periods up to now: the station whose current active period is the longest.
 */
import type { Span } from '../calendar/calendar';
import type { BottleneckShare, BottleneckSpan } from '../loss/types';
import { firstEndingAfter, overlapMs } from './spans';
import type { StateSegment } from './states';

/** Tells whether a station starved with `reason` was waiting for a partner's parts, and which partner. */
export type PartnerOf = (station: string, reason: string | null) => string | null;

/** Partner named by the simulator's and the protocol's reason text ("waiting for parts from P-BATT-01"). */
export const PARTS_REASON = /parts from ([A-Za-z0-9][A-Za-z0-9_.-]{0,63})/;

/** The default {@link PartnerOf}: the partner the reason names, if any. */
export function partnerFromReason(_station: string, reason: string | null): string | null {
  if (reason === null) return null;
  return PARTS_REASON.exec(reason)?.[1] ?? null;
}

/** Whether a station in this segment is active (see the module comment). */
export function isActive(station: string, segment: Pick<StateSegment, 'state' | 'reason'>, partnerOf: PartnerOf): boolean {
  switch (segment.state) {
    case 'running':
    case 'fault':
    case 'maintenance':
    case 'offline':
      return true;
    case 'starved':
      return partnerOf(station, segment.reason) !== null;
    default:
      return false;
  }
}

/** One active period of a station, `[start, end)`, epoch ms, clipped to the interval. */
export interface ActivePeriod {
  station: string;
  /** Flow position of the station (0 = first). */
  index: number;
  start: number;
  end: number;
}

/** A station's active periods from its timeline (ascending, non-overlapping). */
export function activePeriods(station: string, index: number, timeline: readonly StateSegment[], partnerOf: PartnerOf): ActivePeriod[] {
  const out: ActivePeriod[] = [];
  for (const s of timeline) {
    if (!isActive(station, s, partnerOf)) continue;
    const last = out.at(-1);
    if (last && last.end === s.start) last.end = s.end;
    else out.push({ station, index, start: s.start, end: s.end });
  }
  return out;
}

/** A stretch with one momentary bottleneck, and the active period that made it one. */
export interface BottleneckStretch {
  from: number;
  to: number;
  period: ActivePeriod;
  /** Where this bottleneck's period overlaps the previous / next bottleneck's (shifting), and with which station. */
  shiftingWith?: { station: string; start: number; end: number }[];
}

/** Longer period first; ties: the one that began earlier, then the station earlier in flow. */
function longer(a: ActivePeriod, b: ActivePeriod): boolean {
  const da = a.end - a.start;
  const db = b.end - b.start;
  if (da !== db) return da > db;
  if (a.start !== b.start) return a.start < b.start;
  return a.index < b.index;
}

/**
 * The momentary bottleneck over time: for every instant covered by at least
 * one active period, the longest period covering it. Instants where no station
 * is active are left out. Stretches are ascending and merged per period.
 */
export function bottleneckStretches(periods: readonly ActivePeriod[]): BottleneckStretch[] {
  const points = [...new Set(periods.flatMap((p) => [p.start, p.end]))].sort((a, b) => a - b);
  const byStart = [...periods].sort((a, b) => a.start - b.start);
  const open: ActivePeriod[] = [];
  const out: BottleneckStretch[] = [];
  let next = 0;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const a = points[i] as number;
    const b = points[i + 1] as number;
    while (next < byStart.length && (byStart[next] as ActivePeriod).start <= a) open.push(byStart[next++] as ActivePeriod);
    for (let j = open.length - 1; j >= 0; j -= 1) if ((open[j] as ActivePeriod).end <= a) open.splice(j, 1);
    let best: ActivePeriod | null = null;
    for (const p of open) if (best === null || longer(p, best)) best = p;
    if (best === null) continue;
    const last = out.at(-1);
    if (last && last.period === best && last.to === a) last.to = b;
    else out.push({ from: a, to: b, period: best });
  }
  return out;
}

/** The shifting bottleneck of an interval: the timeline, each station's shares, and where it shifted. */
export interface ShiftingBottleneck {
  stretches: BottleneckStretch[];
  /** The timeline for a chart: stretches split where the bottleneck is shifting, planned time only. */
  timeline: BottleneckSpan[];
  /** Every station in flow order. */
  stations: BottleneckShare[];
  /** Planned milliseconds the shares are taken of. */
  plannedMs: number;
}

/**
 * Milliseconds each station was the sole and the shifting momentary
 * bottleneck inside `planned` (integers for integer timestamps, so the ms of
 * pieces of an interval add up exactly: core/kpi/shifting-pieces.ts), with
 * the stretches and the timeline (not yet cut to planned time).
 */
export interface BottleneckMs {
  stretches: BottleneckStretch[];
  timeline: BottleneckSpan[];
  /** Per station in flow order (every station of `timelines`, 0 when never the bottleneck). */
  soleMs: Map<string, number>;
  shiftingMs: Map<string, number>;
}

/** The accounting behind {@link shiftingBottleneck}, in milliseconds of `planned`. */
export function bottleneckMs(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  planned: readonly Span[],
  partnerOf: PartnerOf = partnerFromReason,
): BottleneckMs {
  const order = [...timelines.keys()];
  const periods = order.flatMap((station, index) => activePeriods(station, index, timelines.get(station) ?? [], partnerOf));
  const stretches = bottleneckStretches(periods);
  // Shifting where consecutive bottlenecks' active periods overlap: overlaps[i] is between stretch i and i + 1.
  const overlaps: (Span | null)[] = [];
  for (let i = 0; i + 1 < stretches.length; i += 1) {
    const a = (stretches[i] as BottleneckStretch).period;
    const b = (stretches[i + 1] as BottleneckStretch).period;
    const start = Math.max(a.start, b.start);
    const end = Math.min(a.end, b.end);
    overlaps.push(a.station !== b.station && end > start ? { start, end } : null);
  }
  const sole = new Map<string, number>(order.map((s) => [s, 0]));
  const shift = new Map<string, number>(order.map((s) => [s, 0]));
  const timeline: BottleneckSpan[] = [];
  stretches.forEach((st, i) => {
    const before = i > 0 ? overlaps[i - 1] ?? null : null;
    const after = overlaps[i] ?? null;
    const partners = [before ? (stretches[i - 1] as BottleneckStretch).period.station : null, after ? (stretches[i + 1] as BottleneckStretch).period.station : null];
    st.shiftingWith = [];
    if (before && partners[0]) st.shiftingWith.push({ station: partners[0], ...before });
    if (after && partners[1]) st.shiftingWith.push({ station: partners[1], ...after });
    // Cut the stretch where it enters and leaves an overlap with its neighbours' periods.
    const cuts = new Set<number>([st.from, st.to]);
    for (const o of [before, after]) {
      if (o === null) continue;
      if (o.start > st.from && o.start < st.to) cuts.add(o.start);
      if (o.end > st.from && o.end < st.to) cuts.add(o.end);
    }
    const sorted = [...cuts].sort((x, y) => x - y);
    for (let k = 0; k + 1 < sorted.length; k += 1) {
      const from = sorted[k] as number;
      const to = sorted[k + 1] as number;
      const ms = overlapMs(planned, from, to);
      if (ms <= 0) continue;
      const inside = (o: Span | null) => o !== null && o.start <= from && to <= o.end;
      const withStations = [inside(before) ? partners[0] : null, inside(after) ? partners[1] : null].filter((x): x is string => x !== null);
      const isShifting = withStations.length > 0;
      if (isShifting) {
        for (const station of new Set([st.period.station, ...withStations])) shift.set(station, (shift.get(station) ?? 0) + ms);
      } else {
        sole.set(st.period.station, (sole.get(st.period.station) ?? 0) + ms);
      }
      const last = timeline.at(-1);
      const other = withStations.find((x) => x !== st.period.station);
      if (last && last.station === st.period.station && last.shifting === isShifting && last.with === other && last.to === from) last.to = to;
      else timeline.push({ from, to, station: st.period.station, shifting: isShifting, ...(other !== undefined ? { with: other } : {}) });
    }
  });
  return { stretches, timeline, soleMs: sole, shiftingMs: shift };
}

/**
 * Roser's shifting bottleneck over the planned part of the interval. `timelines`
 * are in flow order; shares are of planned time, so `Σ soleShare` plus the
 * planned time without an active station (and half-counted overlaps) stays ≤ 1.
 */
export function shiftingBottleneck(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  planned: readonly Span[],
  partnerOf: PartnerOf = partnerFromReason,
): ShiftingBottleneck {
  const { stretches, timeline, soleMs, shiftingMs } = bottleneckMs(timelines, planned, partnerOf);
  const plannedMs = planned.reduce((s, p) => s + (p.end - p.start), 0);
  return {
    stretches,
    timeline: clipToPlanned(timeline, planned),
    stations: sharesOf([...timelines.keys()], soleMs, shiftingMs, plannedMs),
    plannedMs,
  };
}

/** Each station's shares of `plannedMs` from its milliseconds (0 when nothing was planned), in `order`. */
export function sharesOf(order: readonly string[], soleMs: ReadonlyMap<string, number>, shiftingMs: ReadonlyMap<string, number>, plannedMs: number): BottleneckShare[] {
  const share = (ms: number) => (plannedMs > 0 ? ms / plannedMs : 0);
  return order.map((station) => ({ station, soleShare: share(soleMs.get(station) ?? 0), shiftingShare: share(shiftingMs.get(station) ?? 0) }));
}

/**
 * The interval's bottleneck: the station that was the momentary bottleneck,
 * sole or shifting, for the largest share of planned time; the earlier in flow
 * on a tie; null when no station was ever active. The one pick that
 * `/api/v1/kpi`, the loss waterfall and the manager view all show.
 */
export function intervalBottleneck(result: Pick<ShiftingBottleneck, 'stations'>): string | null {
  let best: BottleneckShare | null = null;
  for (const s of result.stations) if (s.soleShare + s.shiftingShare > (best === null ? 0 : best.soleShare + best.shiftingShare)) best = s;
  return best?.station ?? null;
}

/**
 * Spans cut to planned time (a chart leaves breaks and nights empty). Each span looks up the first planned
 * interval it can meet (a year has thousands of them, its timeline tens of thousands of spans).
 */
export function clipToPlanned(spans: readonly BottleneckSpan[], planned: readonly Span[]): BottleneckSpan[] {
  const out: BottleneckSpan[] = [];
  for (const s of spans) {
    for (let i = firstEndingAfter(planned, s.from); i < planned.length; i += 1) {
      const p = planned[i] as Span;
      if (p.start >= s.to) break;
      const from = Math.max(s.from, p.start);
      const to = Math.min(s.to, p.end);
      if (to > from) out.push({ ...s, from, to });
    }
  }
  return out;
}

/** The wall's momentary bottleneck: the station whose active period ongoing at `asOf` is the longest so far. */
export interface MomentaryBottleneck {
  station: string | null;
  /** Active since, epoch ms. */
  since: number | null;
  /** The runner-up's current active period is at least {@link SHIFTING_RATIO} of the leader's: the bottleneck may move. */
  shifting: boolean;
  runnerUp: { station: string; since: number } | null;
  why: { zh: string; en: string };
}

/** A runner-up whose current active period is this share of the leader's or more makes the bottleneck shifting. */
export const SHIFTING_RATIO = 0.8;

function duration(ms: number): { zh: string; en: string } {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return { zh: `${minutes} 分钟`, en: `${minutes} min` };
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return { zh: `${h} 小时 ${m} 分钟`, en: `${h} h ${m} min` };
}

/** What a station in `segment` is doing, as the why-text says it. */
function doing(segment: StateSegment | undefined, partner: string | null): { zh: string; en: string } {
  switch (segment?.state) {
    case 'fault':
      return { zh: '故障停机', en: 'down in fault' };
    case 'maintenance':
      return { zh: '维护/换型', en: 'in maintenance or changeover' };
    case 'offline':
      return { zh: '离线', en: 'offline' };
    case 'starved':
      return { zh: `等待 ${partner ?? ''} 的物料`, en: `waiting for parts from ${partner ?? 'a partner'}` };
    default:
      return { zh: '在工作', en: 'working' };
  }
}

/** The momentary bottleneck at `asOf` from each station's timeline up to `asOf` (flow order). */
export function momentaryBottleneck(
  timelines: ReadonlyMap<string, readonly StateSegment[]>,
  asOf: number,
  partnerOf: PartnerOf = partnerFromReason,
): MomentaryBottleneck {
  const current: { station: string; since: number; index: number; segment: StateSegment }[] = [];
  [...timelines.entries()].forEach(([station, timeline], index) => {
    const periods = activePeriods(station, index, timeline, partnerOf);
    const last = periods.at(-1);
    const segment = timeline.at(-1);
    if (last && last.end >= asOf && segment) current.push({ station, since: last.start, index, segment });
  });
  current.sort((a, b) => a.since - b.since || a.index - b.index);
  const [first, second] = current;
  if (!first) {
    return {
      station: null,
      since: null,
      shifting: false,
      runnerUp: null,
      why: { zh: '此刻没有工位在工作或停机：全部在等待上下游或无数据。', en: 'No station is working or down right now: all wait for their neighbours or have no data.' },
    };
  }
  const lead = asOf - first.since;
  const shifting = second !== undefined && asOf - second.since >= SHIFTING_RATIO * lead;
  const what = doing(first.segment, partnerOf(first.station, first.segment.reason));
  const d = duration(lead);
  const next = second ? { zh: `（其次 ${second.station}，${duration(asOf - second.since).zh}）`, en: ` (next: ${second.station}, ${duration(asOf - second.since).en})` } : { zh: '', en: '' };
  let en = `${first.station} has been active without waiting for its neighbours for ${d.en}, longer than any other station${next.en}; it is ${what.en} now.`;
  let zh = `${first.station} 已连续 ${d.zh} 未等待上下游，时间最长${next.zh}；当前${what.zh}。`;
  if (shifting && second) {
    en += ` ${second.station} has been active almost as long: the bottleneck is shifting between them.`;
    zh += `${second.station} 的连续工作时间接近：瓶颈在两者之间漂移。`;
  }
  return { station: first.station, since: first.since, shifting, runnerUp: second ? { station: second.station, since: second.since } : null, why: { zh, en } };
}
