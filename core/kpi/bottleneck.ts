/**
 * Bottleneck detection by the average active-period method (Roser, Nakano &
 * Tanaka, 2001): a station is active when it is not waiting on its
 * neighbours (running, or down in fault or maintenance) and inactive when
 * starved, blocked, idle or offline. The station active for the largest share
 * of its known time limits the line; ties go to the longer effective cycle
 * (active seconds per unit). Without state data the longest mean cycle time
 * decides.
 */
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
  cycles: number;
  meanCycleSeconds: number | null;
  effectiveCycleSeconds: number | null;
}

export interface Bottleneck {
  station: string | null;
  method: 'active-period' | 'cycle-time' | 'none';
  /** All stations, most limiting first: the evidence. */
  ranking: BottleneckCandidate[];
  /** Lead of the first over the second: share of time (active-period) or seconds (cycle-time); null with < 2 stations. */
  margin: number | null;
  /** True when the lead is under {@link SHIFTING_MARGIN} (active-period method only). */
  shifting: boolean;
  /** Why this station, for a person. */
  why: { zh: string; en: string };
}

const desc = (a: number | null, b: number | null) => (b ?? -Infinity) - (a ?? -Infinity);
const pct = (x: number | null) => `${((x ?? 0) * 100).toFixed(1)}%`;
const secs = (x: number | null) => (x === null ? '—' : `${Math.round(x)}`);

/** Picks the bottleneck from per-station KPIs (in flow order) and says why. */
export function detectBottleneck(stations: readonly StationKpis[]): Bottleneck {
  const candidates: BottleneckCandidate[] = stations.map((s) => ({
    station: s.station,
    rank: 0,
    activeShare: s.activeShare,
    starvedShare: s.starvedShare,
    blockedShare: s.blockedShare,
    knownSeconds: s.knownSeconds,
    cycles: s.cycles.count,
    meanCycleSeconds: s.cycles.meanSeconds,
    effectiveCycleSeconds: s.effectiveCycleSeconds,
  }));
  const withStates = candidates.some((c) => c.knownSeconds > 0);
  const withCycles = candidates.some((c) => c.cycles > 0);
  const method: Bottleneck['method'] = withStates ? 'active-period' : withCycles ? 'cycle-time' : 'none';
  const ranking = [...candidates].sort((a, b) =>
    method === 'active-period'
      ? desc(a.activeShare, b.activeShare) || desc(a.effectiveCycleSeconds, b.effectiveCycleSeconds) || desc(a.meanCycleSeconds, b.meanCycleSeconds)
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
        zh: `${first.station} 平均节拍最长：${secs(first.meanCycleSeconds)} 秒（${first.cycles} 个循环）${nextZh}。区间内没有状态事件，未能计入缺料和堵料时间。`,
      },
    };
  }
  const margin = second ? (first.activeShare ?? 0) - (second.activeShare ?? 0) : null;
  const shifting = margin !== null && margin < SHIFTING_MARGIN;
  const next = second ? ` (next: ${second.station}, ${pct(second.activeShare)})` : '';
  const nextZh = second ? `（其次 ${second.station}，${pct(second.activeShare)}）` : '';
  let en =
    `${first.station} was active (working or down, not waiting) ${pct(first.activeShare)} of the time, more than any other station${next}. ` +
    `It was starved ${pct(first.starvedShare)} and blocked ${pct(first.blockedShare)} of the time; effective cycle ${secs(first.effectiveCycleSeconds)} s per unit.`;
  let zh =
    `${first.station} 有 ${pct(first.activeShare)} 的时间在工作或停机（未等待），高于其他工位${nextZh}；` +
    `缺料 ${pct(first.starvedShare)}，堵料 ${pct(first.blockedShare)}；有效节拍每台 ${secs(first.effectiveCycleSeconds)} 秒。`;
  if (shifting && second) {
    en += ` Its lead over ${second.station} is under ${SHIFTING_MARGIN * 100} points: the bottleneck is shifting between them.`;
    zh += `与 ${second.station} 相差不足 ${SHIFTING_MARGIN * 100} 个百分点：瓶颈在两者之间漂移。`;
  }
  return { station: first.station, method, ranking, margin, shifting, why: { zh, en } };
}
