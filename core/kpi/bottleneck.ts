/**
 * The interval's bottleneck, named by Roser's shifting-bottleneck method
 * (core/kpi/active-period.ts, the same result `GET /api/v1/losses` and the
 * loss waterfall use, so the two never disagree): the station that was the
 * momentary bottleneck, sole or shifting, for the largest share of the
 * planned time; ties go to the station earlier in flow. The per-station
 * averages (active, starved, blocked, effective cycle) stay as evidence.
 * Without state data the longest mean cycle time decides.
 */
import { intervalBottleneck, type ShiftingBottleneck } from './active-period';
import type { StationKpis } from './stations';

/** Below this lead (share of time, 0–1) the top two trade places: the bottleneck is shifting. */
export const SHIFTING_MARGIN = 0.02;

export interface BottleneckCandidate {
  station: string;
  rank: number;
  activeShare: number | null;
  starvedShare: number | null;
  blockedShare: number | null;
  knownSeconds: number;
  /** Share of planned time as the sole / shifting momentary bottleneck (0–1); null without state data. */
  soleShare: number | null;
  shiftingShare: number | null;
  cycles: number;
  meanCycleSeconds: number | null;
  effectiveCycleSeconds: number | null;
}

export interface Bottleneck {
  station: string | null;
  method: 'active-period' | 'cycle-time' | 'none';
  /** All stations, most limiting first: the evidence. */
  ranking: BottleneckCandidate[];
  /** Lead of the first over the second: share of planned time as bottleneck (active-period) or seconds (cycle-time); null with < 2 stations. */
  margin: number | null;
  /** True when the lead is under {@link SHIFTING_MARGIN} (active-period method only). */
  shifting: boolean;
  /** Why this station, for a person. */
  why: { zh: string; en: string };
}

const desc = (a: number | null, b: number | null) => (b ?? -Infinity) - (a ?? -Infinity);
const share = (c: BottleneckCandidate) => (c.soleShare ?? 0) + (c.shiftingShare ?? 0);
const pct = (x: number | null) => `${((x ?? 0) * 100).toFixed(1)}%`;
const secs = (x: number | null) => (x === null ? '—' : `${Math.round(x)}`);

/**
 * Picks the bottleneck from per-station KPIs (in flow order) and the
 * interval's shifting bottleneck ({@link shiftingBottleneck} over the same
 * timelines), and says why.
 */
export function detectBottleneck(stations: readonly StationKpis[], shifting: ShiftingBottleneck): Bottleneck {
  const shares = new Map(shifting.stations.map((s) => [s.station, s]));
  const top = intervalBottleneck(shifting);
  const order = new Map(stations.map((s, i) => [s.station, i]));
  const candidates: BottleneckCandidate[] = stations.map((s) => ({
    station: s.station,
    rank: 0,
    activeShare: s.activeShare,
    starvedShare: s.starvedShare,
    blockedShare: s.blockedShare,
    knownSeconds: s.knownSeconds,
    soleShare: s.knownSeconds > 0 ? (shares.get(s.station)?.soleShare ?? 0) : null,
    shiftingShare: s.knownSeconds > 0 ? (shares.get(s.station)?.shiftingShare ?? 0) : null,
    cycles: s.cycles.count,
    meanCycleSeconds: s.cycles.meanSeconds,
    effectiveCycleSeconds: s.effectiveCycleSeconds,
  }));
  const withStates = candidates.some((c) => c.knownSeconds > 0);
  const withCycles = candidates.some((c) => c.cycles > 0);
  // With states but no station ever active (all only waited), there is no shifting bottleneck: the cycles decide.
  const method: Bottleneck['method'] = withStates && top !== null ? 'active-period' : withCycles ? 'cycle-time' : 'none';
  // The same order as intervalBottleneck: share desc, then flow order.
  const ranking = [...candidates].sort((a, b) =>
    method === 'active-period'
      ? share(b) - share(a) || (order.get(a.station) ?? 0) - (order.get(b.station) ?? 0)
      : desc(a.meanCycleSeconds, b.meanCycleSeconds),
  );
  ranking.forEach((c, i) => (c.rank = i + 1));
  const [first, second] = ranking;
  if (method === 'none' || !first) {
    return {
      station: null,
      method: 'none',
      ranking,
      margin: null,
      shifting: false,
      why: { zh: '区间内没有工位状态或节拍数据，无法判断瓶颈。', en: 'No station states or cycles in the interval: no bottleneck can be named.' },
    };
  }
  if (method === 'cycle-time') {
    const margin = second ? (first.meanCycleSeconds ?? 0) - (second.meanCycleSeconds ?? 0) : null;
    const next = second ? `; next ${second.station} at ${secs(second.meanCycleSeconds)} s` : '';
    const nextZh = second ? `；其次 ${second.station}，${secs(second.meanCycleSeconds)} 秒` : '';
    return {
      station: first.station,
      method,
      ranking,
      margin,
      shifting: false,
      why: {
        en: `${first.station} has the longest mean cycle time, ${secs(first.meanCycleSeconds)} s over ${first.cycles} cycles${next}. No state events were available, so starved and blocked time could not be weighed.`,
        zh: `${first.station} 平均节拍最长：${secs(first.meanCycleSeconds)} 秒（${first.cycles} 个循环）${nextZh}。区间内没有状态事件，未能计入待料和堵料时间。`,
      },
    };
  }
  const margin = second ? share(first) - share(second) : null;
  const shiftingNow = margin !== null && margin < SHIFTING_MARGIN;
  const next = second ? ` (next: ${second.station}, ${pct(share(second))})` : '';
  const nextZh = second ? `（其次 ${second.station}，${pct(share(second))}）` : '';
  let en =
    `${first.station} was the bottleneck ${pct(share(first))} of the planned time (alone ${pct(first.soleShare)}, shifting with a neighbour ${pct(first.shiftingShare)}), more than any other station${next}: ` +
    `its active periods (working, down, or waiting for a partner's parts, never for its neighbours) were the longest. ` +
    `It was starved ${pct(first.starvedShare)} and blocked ${pct(first.blockedShare)} of the time; effective cycle ${secs(first.effectiveCycleSeconds)} s per unit.`;
  let zh =
    `${first.station} 在 ${pct(share(first))} 的计划时间内是瓶颈（单独 ${pct(first.soleShare)}，与相邻工位漂移 ${pct(first.shiftingShare)}），高于其他工位${nextZh}：` +
    `它的连续工作时段（工作、停机或等待供应商物料，而非等待上下游）最长。` +
    `待料 ${pct(first.starvedShare)}，堵料 ${pct(first.blockedShare)}；有效节拍每台 ${secs(first.effectiveCycleSeconds)} 秒。`;
  if (shiftingNow && second) {
    en += ` Its lead over ${second.station} is under ${SHIFTING_MARGIN * 100} points: the bottleneck is shifting between them.`;
    zh += `与 ${second.station} 相差不足 ${SHIFTING_MARGIN * 100} 个百分点：瓶颈在两者之间漂移。`;
  }
  return { station: first.station, method, ranking, margin, shifting: shiftingNow, why: { zh, en } };
}
