/**
 * The loss waterfall of a long range from the waterfalls of its pieces (the
 * closed hours' rollups and raw stretches at the edges): what each piece's
 * waterfall charged, kept in milliseconds and seconds, added up, and turned
 * into units once for the whole range, so the terms still add up exactly to
 * plan − good.
 *
 * Exact, as the raw waterfall of the range gives them: planned time and plan
 * units, units, good units, the quality term, quality by defect, and the
 * total of all terms (plan − good). Approximated: the split of the lost time
 * between causes and the speed / micro-stop / unexplained split, because core's
 * waterfall picks the constraint of the moment from active periods that may
 * run across an hour's edge, and the micro-stop cap from the range's median
 * cycle; here each piece decides them on its own. Episodes are each piece's
 * largest, joined where one continues into the next piece; the bottleneck
 * timeline and the shortage episodes are not kept (empty). The bound the
 * shipped scenarios hold is tested in collector/test/rollup.test.ts and
 * stated in docs/performance.md.
 */
import type { StationEvent, UnitEvent } from '../events';
import type { LineConfig } from '../plant';
import { lineCalendar, plannedIntervals } from '../calendar/calendar';
import { computeLosses, largestRemainder, unexplainedWhy } from '../loss/waterfall';
import type { LossCause, LossEpisode, LossReport, LossTerm, QualityByDefect } from '../loss/types';
import { bufferChanges, drainedText } from './buffers';
import type { InitialState } from './states';
import { taktTargetSeconds } from './throughput';

const MILLI = 1000;
const MAX_EPISODES = 50;
/** Episodes kept per cause and piece. */
const PIECE_EPISODES = 5;
const TIME_KINDS: ReadonlySet<string> = new Set(['downtime', 'starved', 'blocked', 'no_data']);

/** What one piece's waterfall charged, before rounding to units. */
export interface PieceLosses {
  /** Planned milliseconds of the piece. */
  plannedMs: number;
  /** Whether the piece had any data (a piece without is all `no_data`). */
  hasData: boolean;
  /** Time charged to each cause, ms. */
  time: { cause: LossCause; ms: number; episodes: LossEpisode[] }[];
  /** Speed and micro-stop seconds per station. */
  speed: [string, number][];
  micro: [string, number][];
  units: number;
  goodUnits: number;
  qualityByDefect: QualityByDefect[];
  /** Planned ms each station was the sole / shifting bottleneck. */
  bottleneck: [string, number, number][];
}

/** A piece's charges from core's waterfall of it. */
export function pieceLosses(report: LossReport, plannedMs: number, units: number): PieceLosses {
  const time: PieceLosses['time'] = [];
  const speed: [string, number][] = [];
  const micro: [string, number][] = [];
  for (const term of report.losses) {
    if (TIME_KINDS.has(term.cause.kind) && report.status === 'ok') {
      time.push({ cause: term.cause, ms: Math.round(term.seconds * 1000), episodes: term.episodes.slice(0, PIECE_EPISODES) });
    } else if (term.cause.kind === 'speed') speed.push([term.cause.station ?? '', term.seconds]);
    else if (term.cause.kind === 'microstop') micro.push([term.cause.station ?? '', term.seconds]);
  }
  return {
    plannedMs,
    hasData: report.status === 'ok',
    time,
    speed,
    micro,
    units,
    goodUnits: report.goodUnits,
    qualityByDefect: report.qualityByDefect ?? [],
    bottleneck: report.bottleneck.stations.map((s) => [s.station, s.soleShare * plannedMs, s.shiftingShare * plannedMs]),
  };
}

/** The waterfall of one piece `[from, to)` as of `now` from its events (states may begin before `from`). */
export function lossesOfPiece(req: {
  line: LineConfig;
  events: readonly StationEvent[];
  initialStates?: Readonly<Record<string, InitialState>>;
  from: number;
  to: number;
  now: number;
}): PieceLosses {
  const asOf = Math.min(Math.max(req.now, req.from), req.to);
  const plannedMs = plannedIntervals(lineCalendar(req.line), req.from, asOf).reduce((s, p) => s + (p.end - p.start), 0);
  const { report } = computeLosses({ ...req, initialStates: req.initialStates ?? {} });
  const units = req.events.filter((e): e is UnitEvent => e.type === 'unit' && e.line === req.line.id && e.ts >= req.from && e.ts < req.to && e.ts <= req.now);
  return pieceLosses(report, plannedMs, new Set(units.map((u) => `${u.unit}|${u.ts}`)).size);
}

/**
 * Consecutive pieces as one piece (a day from its hours): charges added up
 * per cause, episodes that continue across an edge joined, the largest kept.
 */
export function mergePieceLosses(parts: readonly PieceLosses[]): PieceLosses {
  const time = new Map<string, PieceLosses['time'][number]>();
  const speed = new Map<string, number>();
  const micro = new Map<string, number>();
  const quality = new Map<string, QualityByDefect>();
  const bottleneck = new Map<string, [string, number, number]>();
  const out: PieceLosses = { plannedMs: 0, hasData: false, time: [], speed: [], micro: [], units: 0, goodUnits: 0, qualityByDefect: [], bottleneck: [] };
  for (const p of parts) {
    out.plannedMs += p.plannedMs;
    out.units += p.units;
    out.goodUnits += p.goodUnits;
    // A piece without data charges all its planned time to no data, as combineLosses reads it.
    const charges = p.hasData ? p.time : p.plannedMs > 0 ? [{ cause: { kind: 'no_data' as const }, ms: p.plannedMs, episodes: [] }] : [];
    for (const t of charges) {
      const key = causeKey(t.cause);
      const entry = time.get(key) ?? { cause: t.cause, ms: 0, episodes: [] };
      entry.ms += t.ms;
      for (const e of t.episodes) {
        const joined = entry.episodes.find((x) => x.to === e.from && x.constraint === e.constraint);
        if (joined) {
          joined.to = e.to;
          joined.seconds += e.seconds;
        } else entry.episodes.push({ ...e });
      }
      time.set(key, entry);
    }
    for (const [st, s] of p.speed) speed.set(st, (speed.get(st) ?? 0) + s);
    for (const [st, s] of p.micro) micro.set(st, (micro.get(st) ?? 0) + s);
    for (const q of p.qualityByDefect) {
      const key = `${q.defect ?? ''}\u0000${q.station ?? ''}`;
      const row = quality.get(key) ?? { defect: q.defect, station: q.station, units: 0 };
      row.units += q.units;
      quality.set(key, row);
    }
    for (const [st, a, b] of p.bottleneck) {
      const row = bottleneck.get(st) ?? [st, 0, 0];
      row[1] += a;
      row[2] += b;
      bottleneck.set(st, row);
    }
  }
  // Once any part has data, the no-data parts are charges like the others.
  out.hasData = parts.some((p) => p.hasData);
  out.time = out.hasData
    ? [...time.values()].map((t) => ({ ...t, episodes: [...t.episodes].sort((a, b) => b.seconds - a.seconds || a.from - b.from).slice(0, PIECE_EPISODES) }))
    : [];
  out.speed = [...speed];
  out.micro = [...micro];
  out.qualityByDefect = [...quality.values()];
  out.bottleneck = [...bottleneck.values()];
  return out;
}

const causeKey = (c: LossCause) => JSON.stringify([c.kind, c.station ?? '', c.partner ?? '', c.state ?? '', c.reason ?? '']);

/** The waterfall of `[from, to)` from its pieces in time order; `cycles` per station feed the why of a negative unexplained term. */
export function combineLosses(req: { line: LineConfig; from: number; to: number; label: string; pieces: readonly PieceLosses[]; cycles: (station: string) => number }): LossReport {
  const idealTakt = taktTargetSeconds(req.line.targetPerHour);
  const milliPerMs = MILLI / (idealTakt * 1000);
  const plannedMs = req.pieces.reduce((s, p) => s + p.plannedMs, 0);
  const planMilli = Math.round(plannedMs * milliPerMs);
  const range = { from: req.from, to: req.to, label: req.label };
  const stations = req.line.stations.map((s) => s.id);
  const sole = new Map<string, number>(stations.map((s) => [s, 0]));
  const shifting = new Map<string, number>(stations.map((s) => [s, 0]));
  for (const p of req.pieces) {
    for (const [station, a, b] of p.bottleneck) {
      sole.set(station, (sole.get(station) ?? 0) + a);
      shifting.set(station, (shifting.get(station) ?? 0) + b);
    }
  }
  const share = (ms: number) => (plannedMs > 0 ? ms / plannedMs : 0);
  const bottleneck = { stations: stations.map((station) => ({ station, soleShare: share(sole.get(station) ?? 0), shiftingShare: share(shifting.get(station) ?? 0) })), timeline: [] };
  if (!req.pieces.some((p) => p.hasData)) {
    return {
      status: 'no_data',
      line: req.line.id,
      range,
      planUnits: planMilli / MILLI,
      goodUnits: 0,
      losses: planMilli > 0 ? [{ cause: { kind: 'no_data' }, units: planMilli / MILLI, seconds: plannedMs / 1000, episodes: [] }] : [],
      bottleneck,
      shortages: [],
    };
  }

  const charges = new Map<string, { cause: LossCause; ms: number; episodes: LossEpisode[] }>();
  const charge = (cause: LossCause, ms: number, episodes: readonly LossEpisode[]) => {
    const key = causeKey(cause);
    const entry = charges.get(key) ?? { cause, ms: 0, episodes: [] };
    entry.ms += ms;
    for (const e of episodes) {
      const joined = entry.episodes.find((x) => x.to === e.from && x.constraint === e.constraint);
      if (joined) {
        joined.to = e.to;
        joined.seconds += e.seconds;
      } else entry.episodes.push({ ...e });
    }
    charges.set(key, entry);
  };
  let chargedMs = 0;
  const speedBy = new Map<string, number>();
  const microBy = new Map<string, number>();
  const quality = new Map<string, QualityByDefect>();
  let units = 0;
  let goodUnits = 0;
  for (const p of req.pieces) {
    units += p.units;
    goodUnits += p.goodUnits;
    for (const q of p.qualityByDefect) {
      const key = `${q.defect ?? ''}\u0000${q.station ?? ''}`;
      const row = quality.get(key) ?? { defect: q.defect, station: q.station, units: 0 };
      row.units += q.units;
      quality.set(key, row);
    }
    if (!p.hasData) {
      // A piece without any data: all its planned time is no data, as the raw waterfall charges time it cannot see.
      if (p.plannedMs > 0) charge({ kind: 'no_data' }, p.plannedMs, []);
      chargedMs += p.plannedMs;
      continue;
    }
    for (const t of p.time) {
      charge(t.cause, t.ms, t.episodes);
      chargedMs += t.ms;
    }
    for (const [station, s] of p.speed) speedBy.set(station, (speedBy.get(station) ?? 0) + s);
    for (const [station, s] of p.micro) microBy.set(station, (microBy.get(station) ?? 0) + s);
  }
  const productiveMs = Math.max(0, plannedMs - chargedMs);
  const timeEntries = [...charges.values()];
  const milli = largestRemainder([...timeEntries.map((e) => e.ms * milliPerMs), productiveMs * milliPerMs], planMilli);
  const productiveMilli = milli.at(-1) ?? 0;
  const total = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
  const speedMilli = Math.round(total(speedBy) * 1000 * milliPerMs);
  const microMilli = Math.round(total(microBy) * 1000 * milliPerMs);
  const unexplainedMilli = productiveMilli - units * MILLI - speedMilli - microMilli;

  const losses: LossTerm[] = timeEntries.map((e, i) => ({
    cause: e.cause,
    units: (milli[i] ?? 0) / MILLI,
    seconds: e.ms / 1000,
    episodes: [...e.episodes]
      .map((x) => ({ ...x, units: Math.round((x.to - x.from) * milliPerMs) / MILLI }))
      .sort((a, b) => b.seconds - a.seconds || a.from - b.from)
      .slice(0, MAX_EPISODES),
  }));
  const stationTerms = (map: Map<string, number>, kind: 'speed' | 'microstop', sum: number): LossTerm[] => {
    const entries = [...map.entries()].filter(([, s]) => s > 0);
    const parts = largestRemainder(entries.map(([, s]) => s * 1000 * milliPerMs), sum);
    return entries.map(([station, s], i) => ({ cause: { kind, station }, units: (parts[i] ?? 0) / MILLI, seconds: s, episodes: [] }));
  };
  losses.push(...stationTerms(speedBy, 'speed', speedMilli), ...stationTerms(microBy, 'microstop', microMilli));
  if (units > goodUnits) losses.push({ cause: { kind: 'quality' }, units: units - goodUnits, seconds: 0, episodes: [] });
  if (unexplainedMilli !== 0) {
    const drained = drainedText(bufferChanges(stations, req.cycles));
    losses.push({ cause: { kind: 'unexplained' }, units: unexplainedMilli / MILLI, seconds: 0, episodes: [], why: unexplainedWhy(unexplainedMilli, drained) });
  }
  return {
    status: 'ok',
    line: req.line.id,
    range,
    planUnits: planMilli / MILLI,
    goodUnits,
    losses: losses.filter((l) => l.units !== 0).sort((x, y) => y.units - x.units || causeKey(x.cause).localeCompare(causeKey(y.cause))),
    bottleneck,
    shortages: [],
    qualityByDefect: [...quality.values()].sort(
      (a, b) => b.units - a.units || String(a.defect).localeCompare(String(b.defect)) || String(a.station).localeCompare(String(b.station)),
    ),
  };
}
