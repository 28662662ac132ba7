/**
 * Words of loss accounting (the manager's waterfall, its drill-down, the
 * owners of the top losses, the shifting bottleneck, shortage episodes, and
 * the wall's "largest loss" line), in each locale. Kept apart from the other
 * catalogues so this feature's wording changes alone; `en` is typed against
 * the same interface, so a missing label is a compile error.
 *
 * A cause reads the plant's way: "缺料 P-BATT-01" / "shortage P-BATT-01",
 * "S05 故障" / "S05 fault". Who owns it is a department a manager can call:
 * maintenance of a station, the supplier, quality, process engineering.
 */
import type { StationState } from '@core/events';
import type { LossCause, LossKind } from '@core/loss/types';
import { formatNumber } from './format';
import type { Locale } from './messages';
import { STATE_LABEL_ZH } from './state-labels';

export interface LossMessages {
  /** Section title. */
  title: string;
  loading: string;
  error: (message: string) => string;
  retry: string;
  /** Shown instead of any number when the interval has no data. */
  noData: string;
  noDataHint: string;
  /** Nothing was lost: good units met the plan. */
  noLoss: string;
  /** Each cause kind as a legend names it. */
  kind: Record<LossKind, string>;
  /** Station states a cause may carry. */
  state: Record<StationState, string>;
  waterfall: {
    title: string;
    plan: string;
    actual: string;
    /** The bar that gathers the smaller causes; `n` how many. */
    other: (n: number) => string;
    /** Tooltip and click hint. */
    drillHint: string;
    /** The gap to plan: "差 94 台（计划 215 · 合格 121）". */
    gap: (gap: string, plan: string, good: string) => string;
  };
  /** Units: "41 台" / "41 units". */
  units: (n: string) => string;
  episodes: {
    title: (cause: string) => string;
    from: string;
    to: string;
    duration: string;
    units: string;
    constraint: string;
    none: string;
    /** Episodes exist beyond the ones listed (the API sends the 50 largest). */
    more: (n: number) => string;
    close: string;
  };
  terms: { cause: string };
  top: { title: string; owner: string; ofLosses: (share: string) => string };
  owner: {
    maintenance: (station: string | null) => string;
    supplier: (partner: string) => string;
    quality: string;
    process: (station: string | null) => string;
    team: (station: string | null) => string;
    planning: string;
    it: string;
    investigate: string;
  };
  bottleneck: {
    title: string;
    timeline: string;
    shares: string;
    sole: string;
    shifting: string;
    method: string;
    none: string;
    /** Under the timeline of a long range, drawn by hour or by local day (docs/kpi.md). */
    resolution: Record<'hour' | 'day', string>;
  };
  shortages: {
    title: string;
    partner: string;
    station: string;
    alertAt: string;
    starvedFrom: string;
    supplyBackAt: string;
    stillShort: string;
    unitsLost: string;
    /** Lead time of the alert before the station starved; duration already formatted. */
    warnedAhead: (duration: string) => string;
    noAlert: string;
    none: string;
  };
  /** Durations in the tables. */
  duration: { h: string; min: string; s: string };
  /** The wall's line: "缺料 P-BATT-01 −41 台". */
  wallLargest: (cause: string, units: string) => string;
}

const zhCN: LossMessages = {
  title: '损失分析',
  loading: '加载中…',
  error: (message) => `损失数据加载失败：${message}`,
  retry: '重试',
  noData: '无数据',
  noDataHint: '此区间没有任何事件：无法计算损失。',
  noLoss: '未损失：合格品达到计划。',
  kind: {
    downtime: '停机',
    starved: STATE_LABEL_ZH.starved,
    blocked: STATE_LABEL_ZH.blocked,
    speed: '速度损失',
    quality: '质量损失',
    microstop: '小停机',
    no_data: '无数据',
    unexplained: '未解释',
  },
  state: { ...STATE_LABEL_ZH },
  waterfall: {
    title: '损失瀑布图（计划 → 原因 → 实际）',
    plan: '计划',
    actual: '合格',
    other: (n) => `其他 ${n} 项`,
    drillHint: '点击柱子查看明细',
    gap: (gap, plan, good) => `差 ${gap} 台（计划 ${plan} · 合格 ${good}）`,
  },
  units: (n) => `${n} 台`,
  episodes: {
    title: (cause) => `明细：${cause}`,
    from: '开始',
    to: '结束',
    duration: '时长',
    units: '损失',
    constraint: '当时瓶颈',
    none: '此项没有按时段的明细（例如质量损失按台计）。',
    more: (n) => `另有 ${n} 段未列出`,
    close: '关闭',
  },
  terms: { cause: '原因' },
  top: { title: '三大损失', owner: '责任方', ofLosses: (share) => `占损失 ${share}` },
  owner: {
    maintenance: (station) => (station ? `${station} 维修` : '维修'),
    supplier: (partner) => `供应商 ${partner}`,
    quality: '质量',
    process: (station) => (station ? `${station} 工艺` : '工艺'),
    team: (station) => (station ? `${station} 班组` : '班组'),
    planning: '生产计划',
    it: '数据采集（IT）',
    investigate: '待查',
  },
  bottleneck: {
    title: '移动瓶颈',
    timeline: '时间线',
    shares: '瓶颈时间占比',
    sole: '唯一瓶颈',
    shifting: '瓶颈转移',
    method: '活跃期法（Roser）：最长连续活跃的工位即当时瓶颈；两工位活跃期重叠时为转移。',
    none: '此区间没有瓶颈数据。',
    resolution: {
      hour: '按小时汇总：每小时显示占瓶颈时间最多的工位。',
      day: '按天汇总：每天显示占瓶颈时间最多的工位。',
    },
  },
  shortages: {
    title: '缺料事件',
    partner: '供应商',
    station: '工位',
    alertAt: '预警',
    starvedFrom: '开始待料',
    supplyBackAt: '恢复供应',
    stillShort: '仍缺料',
    unitsLost: '损失',
    warnedAhead: (d) => `提前 ${d} 预警`,
    noAlert: '无预警',
    none: '此区间没有缺料事件。',
  },
  duration: { h: '小时', min: '分', s: '秒' },
  wallLargest: (cause, units) => `${cause} −${units} 台`,
};

const en: LossMessages = {
  title: 'Losses',
  loading: 'Loading…',
  error: (message) => `Could not load the losses: ${message}`,
  retry: 'Retry',
  noData: 'no data',
  noDataHint: 'No events in this interval: there is nothing to account for.',
  noLoss: 'Nothing lost: good units met the plan.',
  kind: {
    downtime: 'downtime',
    starved: 'starved',
    blocked: 'blocked',
    speed: 'speed loss',
    quality: 'quality loss',
    microstop: 'micro-stops',
    no_data: 'no data',
    unexplained: 'unexplained',
  },
  state: { running: 'running', idle: 'idle', starved: 'starved', blocked: 'blocked', fault: 'fault', maintenance: 'maintenance', offline: 'offline' },
  waterfall: {
    title: 'Loss waterfall (plan → causes → actual)',
    plan: 'plan',
    actual: 'good',
    other: (n) => `${n} more`,
    drillHint: 'Click a bar for its episodes',
    gap: (gap, plan, good) => `${gap} units short (plan ${plan} · good ${good})`,
  },
  units: (n) => `${n} units`,
  episodes: {
    title: (cause) => `Episodes: ${cause}`,
    from: 'from',
    to: 'to',
    duration: 'duration',
    units: 'lost',
    constraint: 'bottleneck then',
    none: 'This loss has no episodes in time (quality is counted per unit).',
    more: (n) => `${n} more not listed`,
    close: 'Close',
  },
  terms: { cause: 'cause' },
  top: { title: 'Top three losses', owner: 'owner', ofLosses: (share) => `${share} of units lost` },
  owner: {
    maintenance: (station) => (station ? `maintenance of ${station}` : 'maintenance'),
    supplier: (partner) => `supplier ${partner}`,
    quality: 'quality',
    process: (station) => (station ? `process engineering of ${station}` : 'process engineering'),
    team: (station) => (station ? `team at ${station}` : 'production team'),
    planning: 'production planning',
    it: 'IT (data collection)',
    investigate: 'to be investigated',
  },
  bottleneck: {
    title: 'Shifting bottleneck',
    timeline: 'Timeline',
    shares: 'Share of time as bottleneck',
    sole: 'sole',
    shifting: 'shifting',
    method: "Active-period method (Roser): the station active longest without a break is the bottleneck; where two stations' active periods overlap it is shifting.",
    none: 'No bottleneck data for this interval.',
    resolution: {
      hour: 'By hour: each hour shows the station that was the bottleneck longest.',
      day: 'By day: each day shows the station that was the bottleneck longest.',
    },
  },
  shortages: {
    title: 'Material shortages',
    partner: 'partner',
    station: 'station',
    alertAt: 'alert',
    starvedFrom: 'starved from',
    supplyBackAt: 'supply back',
    stillShort: 'still short',
    unitsLost: 'lost',
    warnedAhead: (d) => `warned ${d} ahead`,
    noAlert: 'no alert',
    none: 'No material shortage in this interval.',
  },
  duration: { h: 'h', min: 'min', s: 's' },
  wallLargest: (cause, units) => `${cause} −${units} units`,
};

export const LOSS_CATALOGUES: Readonly<Record<Locale, LossMessages>> = { 'zh-CN': zhCN, en };

const isState = (s: string | undefined): s is StationState => s !== undefined && s in zhCN.state;

/**
 * A cause in a few words, for a bar's label, a table row or the wall:
 * "缺料 P-BATT-01", "S05 故障", "待料 S03", "速度损失". The station's reason
 * text is not part of it (tables show it in its own column).
 */
export function causeLabel(cause: LossCause, locale: Locale): string {
  const L = LOSS_CATALOGUES[locale];
  const zh = locale === 'zh-CN';
  const station = cause.station ?? null;
  switch (cause.kind) {
    case 'downtime': {
      const what = isState(cause.state) ? L.state[cause.state] : L.kind.downtime;
      return station ? `${station} ${what}` : what;
    }
    case 'starved':
      if (cause.partner) return zh ? `缺料 ${cause.partner}` : `shortage ${cause.partner}`;
      if (station) return zh ? `待料 ${station}` : `starved by ${station}`;
      return L.kind.starved;
    case 'blocked':
      if (station) return zh ? `堵料 ${station}` : `blocked by ${station}`;
      return L.kind.blocked;
    case 'speed':
    case 'quality':
    case 'microstop':
      return station ? `${L.kind[cause.kind]} ${station}` : L.kind[cause.kind];
    case 'no_data':
    case 'unexplained':
      return L.kind[cause.kind];
  }
}

/**
 * Who owns a cause: whom a manager calls about it. A station that was down
 * (its own downtime, or the origin of a starvation or blocking) is
 * maintenance's; a partner's shortage the supplier's; speed, process
 * engineering's; micro-stops, the station's team; an empty line without an
 * origin, planning's; planned time without data, IT's.
 */
export function causeOwner(cause: LossCause, locale: Locale): string {
  const O = LOSS_CATALOGUES[locale].owner;
  const station = cause.station ?? null;
  const down = cause.state === 'fault' || cause.state === 'maintenance';
  switch (cause.kind) {
    case 'downtime':
      return O.maintenance(station);
    case 'starved':
      if (cause.partner) return O.supplier(cause.partner);
      if (station) return down ? O.maintenance(station) : O.team(station);
      return O.planning;
    case 'blocked':
      if (station) return down ? O.maintenance(station) : O.team(station);
      return O.planning;
    case 'speed':
      return O.process(station);
    case 'microstop':
      return O.team(station);
    case 'quality':
      return O.quality;
    case 'no_data':
      return O.it;
    case 'unexplained':
      return O.investigate;
  }
}

/** Units lost, whole where whole, else one decimal: "41", "2.5". */
export function formatLossUnits(units: number, locale: Locale): string {
  return formatNumber(units, locale, 1);
}

/** A duration in words for tables: "1 小时 22 分", "12 分", "45 秒" / "1 h 22 min". */
export function formatLossDuration(seconds: number, locale: Locale): string {
  const D = LOSS_CATALOGUES[locale].duration;
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} ${D.s}`;
  const minutes = Math.round(total / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} ${D.h}${m > 0 ? ` ${m} ${D.min}` : ''}` : `${m} ${D.min}`;
}

/** The wall's line naming the shift's largest loss so far: "缺料 P-BATT-01 −41 台" / "shortage P-BATT-01 −41 units". */
export function largestLossLine(loss: { cause: LossCause; units: number }, locale: Locale): string {
  return LOSS_CATALOGUES[locale].wallLargest(causeLabel(loss.cause, locale), formatNumber(Math.round(loss.units), locale));
}
