/**
 * Labels of the manager workspace, in each locale. Kept apart from
 * messages.ts (the wall's catalogue) so each view's wording changes alone;
 * `en` is typed against the same interface, so a missing label is a compile
 * error. The locale itself comes from the shared locale store.
 */
import type { CalendarRange } from '@core/calendar/calendar';
import type { Locale } from './messages';
import { STATE_LABEL_ZH } from './state-labels';

/** Labels a formula's inputs may carry in the drill-down panel. */
export type DrillInputId =
  | 'planned'
  | 'downtime'
  | 'operating'
  | 'idealTakt'
  | 'units'
  | 'goodUnits'
  | 'constraint'
  | 'availability'
  | 'performance'
  | 'quality'
  | 'plan'
  | 'target';

export interface ManagerMessages {
  title: string;
  range: Record<CalendarRange, string> & {
    /** Last month, last quarter, the last twelve months (whole months on the line's clock). */
    past: Record<'month' | 'quarter' | 'year', string>;
    custom: string;
    label: string;
    from: string;
    to: string;
    apply: string;
    /** Why a custom range cannot be applied: fields not filled, end not after start, longer than `days`. */
    invalid: string;
    order: string;
    long: (days: string) => string;
  };
  /** Resolved interval under the picker; both ends already formatted. */
  interval: (from: string, to: string) => string;
  loading: string;
  retry: string;
  /** Offered when there is no shift in progress. */
  showPreviousShift: string;
  error: (message: string) => string;
  liveView: string;
  export: { title: string; csv: string; units: string; cycles: string; states: string; tooLong: string };
  summary: { units: string; plan: string; gap: string; goodUnits: string; downtime: string; actualTakt: string; noData: string };
  oee: {
    title: string;
    oee: string;
    availability: string;
    performance: string;
    quality: string;
    losses: string;
    availabilityLoss: string;
    performanceLoss: string;
    qualityLoss: string;
    /** Hint on the numbers: they open their formula. */
    drillHint: string;
    close: string;
    inputs: Record<DrillInputId, string>;
    /** How the constraint station was chosen. */
    constraintSource: Record<'configured' | 'detected' | 'none', string>;
    /** Why performance can read above 100 % (a station name, or null when none is known). */
    aboveHundred: (station: string | null) => string;
    noData: string;
  };
  charts: {
    hourly: string;
    hourlyDaily: string;
    units: string;
    plan: string;
    uph: string;
    target: string;
    cycles: string;
    takt: (seconds: string) => string;
    cycleTooltip: { min: string; p10: string; p50: string; p90: string; max: string; count: string; compliance: string };
    pareto: string;
    downtimeMinutes: string;
    cumulative: string;
    unspecified: string;
    timeline: string;
    timelineTooLong: string;
  };
  bottleneck: {
    title: string;
    station: string;
    rank: string;
    active: string;
    starved: string;
    blocked: string;
    meanCycle: string;
    effectiveCycle: string;
    method: Record<'active-period' | 'cycle-time' | 'none', string>;
    shifting: string;
    none: string;
  };
  reliability: { title: string; station: string; failures: string; mtbf: string; mttr: string; faultTime: string; microStops: string };
  units: { units: string; perHour: string; s: string; min: string; h: string };
  empty: string;
}

export const managerZhCN: ManagerMessages = {
  title: '生产管理',
  range: {
    'shift:current': '本班',
    'shift:previous': '上一班',
    'day:today': '今天',
    'day:previous': '昨天',
    'week:current': '本周',
    'week:previous': '上周',
    past: { month: '上月', quarter: '上季度', year: '近12个月' },
    custom: '自定义',
    label: '时间范围',
    from: '开始',
    to: '结束',
    apply: '应用',
    invalid: '请填写开始和结束时间',
    order: '结束时间须晚于开始时间',
    long: (days) => `时间范围最长 ${days} 天`,
  },
  interval: (from, to) => `${from} 至 ${to}`,
  loading: '正在加载…',
  retry: '重试',
  showPreviousShift: '查看上一班',
  error: (message) => `无法加载：${message}`,
  liveView: '实时',
  export: { title: '导出 CSV', csv: 'CSV', units: '下线记录', cycles: '节拍记录', states: '状态记录', tooLong: '原始记录最多导出 31 天：请选择 31 天以内的区间。' },
  summary: { units: '产量', plan: '计划', gap: '差额', goodUnits: '合格品', downtime: '瓶颈停机', actualTakt: '实际节拍', noData: '无数据' },
  oee: {
    title: '设备综合效率 OEE',
    oee: 'OEE',
    availability: '时间开动率',
    performance: '性能开动率',
    quality: '合格率',
    losses: '损失',
    aboveHundred: (station) =>
      `性能开动率高于 100%：${station ?? '约束工位'} 停机时，其后的缓冲区仍在出车，停机时间没有全部变成产量损失；时间越长，这一偏差越小。`,
    availabilityLoss: '停机损失',
    performanceLoss: '速度损失',
    qualityLoss: '质量损失',
    drillHint: '点击数字查看公式与输入',
    close: '关闭',
    inputs: {
      planned: '计划生产时间 P',
      downtime: '停机时间',
      operating: '开动时间 P − 停机',
      idealTakt: '理想节拍',
      units: '产量',
      goodUnits: '合格品',
      constraint: '约束工位',
      availability: '时间开动率 A',
      performance: '性能开动率',
      quality: '合格率',
      plan: '计划产量',
      target: '目标',
    },
    constraintSource: { configured: '配置指定', detected: '自动识别的瓶颈', none: '无工位数据' },
    noData: '区间内没有计划生产时间',
  },
  charts: {
    hourly: '每小时产量 vs 计划',
    hourlyDaily: '每日产量 vs 计划',
    units: '产量',
    plan: '计划',
    uph: '小时产量趋势',
    target: '目标',
    cycles: '工位节拍分布 vs 目标节拍',
    takt: (seconds) => `节拍 ${seconds} 秒`,
    cycleTooltip: { min: '最小', p10: 'P10', p50: '中位数', p90: 'P90', max: '最大', count: '循环数', compliance: '节拍达成率' },
    pareto: '停机帕累托',
    downtimeMinutes: '停机（分钟）',
    cumulative: '累计占比',
    unspecified: '未注明',
    timeline: '工位状态时间线',
    timelineTooLong: '状态时间线最长 31 天：请选择 31 天以内的区间查看。',
  },
  bottleneck: {
    title: '瓶颈工位',
    station: '工位',
    rank: '排名',
    active: '工作',
    starved: STATE_LABEL_ZH.starved,
    blocked: STATE_LABEL_ZH.blocked,
    meanCycle: '平均节拍',
    effectiveCycle: '有效节拍',
    method: { 'active-period': '平均工作时段法', 'cycle-time': '节拍时间法', none: '无数据' },
    shifting: '瓶颈漂移中',
    none: '无法判断瓶颈',
  },
  reliability: { title: '设备可靠性 MTBF / MTTR', station: '工位', failures: '故障次数', mtbf: 'MTBF', mttr: 'MTTR', faultTime: '故障时长', microStops: '短停' },
  units: { units: '台', perHour: '台/小时', s: '秒', min: '分', h: '小时' },
  empty: '暂无数据',
};

export const managerEn: ManagerMessages = {
  title: 'Production management',
  range: {
    'shift:current': 'This shift',
    'shift:previous': 'Last shift',
    'day:today': 'Today',
    'day:previous': 'Yesterday',
    'week:current': 'This week',
    'week:previous': 'Last week',
    past: { month: 'Last month', quarter: 'Last quarter', year: 'Last 12 months' },
    custom: 'Custom',
    label: 'Time range',
    from: 'From',
    to: 'To',
    apply: 'Apply',
    invalid: 'Enter a start and an end',
    order: 'The end must be after the start',
    long: (days) => `A range can span at most ${days} days`,
  },
  interval: (from, to) => `${from} – ${to}`,
  loading: 'Loading…',
  retry: 'Retry',
  showPreviousShift: 'Show last shift',
  error: (message) => `Could not load: ${message}`,
  liveView: 'Live',
  export: { title: 'Export CSV', csv: 'CSV', units: 'Units', cycles: 'Cycles', states: 'States', tooLong: 'Raw records export up to 31 days: pick a range of 31 days or less.' },
  summary: { units: 'Units', plan: 'Plan', gap: 'Gap', goodUnits: 'Good units', downtime: 'Constraint downtime', actualTakt: 'Actual takt', noData: 'No data' },
  oee: {
    title: 'OEE',
    oee: 'OEE',
    availability: 'Availability',
    performance: 'Performance',
    quality: 'Quality',
    losses: 'Losses',
    aboveHundred: (station) =>
      `Performance above 100 %: while ${station ?? 'the constraint station'} was down, the buffers after it kept the line building, so not all of its downtime became lost output; the longer the interval, the smaller this effect.`,
    availabilityLoss: 'Downtime loss',
    performanceLoss: 'Speed loss',
    qualityLoss: 'Quality loss',
    drillHint: 'Click a number for its formula and inputs',
    close: 'Close',
    inputs: {
      planned: 'Planned production time P',
      downtime: 'Downtime',
      operating: 'Operating time P − downtime',
      idealTakt: 'Ideal takt',
      units: 'Units',
      goodUnits: 'Good units',
      constraint: 'Constraint station',
      availability: 'Availability A',
      performance: 'Performance',
      quality: 'Quality',
      plan: 'Plan',
      target: 'Target',
    },
    constraintSource: { configured: 'configured', detected: 'detected bottleneck', none: 'no station data' },
    noData: 'No planned production time in the interval',
  },
  charts: {
    hourly: 'Hourly output vs plan',
    hourlyDaily: 'Daily output vs plan',
    units: 'Units',
    plan: 'Plan',
    uph: 'Units per hour, trend',
    target: 'Target',
    cycles: 'Station cycle times vs takt',
    takt: (seconds) => `takt ${seconds} s`,
    cycleTooltip: { min: 'min', p10: 'p10', p50: 'median', p90: 'p90', max: 'max', count: 'cycles', compliance: 'within takt' },
    pareto: 'Downtime Pareto',
    downtimeMinutes: 'Downtime (min)',
    cumulative: 'Cumulative',
    unspecified: 'unspecified',
    timeline: 'Station state timeline',
    timelineTooLong: 'The state timeline covers at most 31 days: pick a range of 31 days or less to see it.',
  },
  bottleneck: {
    title: 'Bottleneck',
    station: 'Station',
    rank: 'Rank',
    active: 'Active',
    starved: 'Starved',
    blocked: 'Blocked',
    meanCycle: 'Mean cycle',
    effectiveCycle: 'Effective cycle',
    method: { 'active-period': 'active-period method', 'cycle-time': 'cycle-time method', none: 'no data' },
    shifting: 'shifting',
    none: 'No bottleneck can be named',
  },
  reliability: { title: 'Reliability: MTBF / MTTR', station: 'Station', failures: 'Failures', mtbf: 'MTBF', mttr: 'MTTR', faultTime: 'Fault time', microStops: 'Micro-stops' },
  units: { units: 'units', perHour: 'units/h', s: 's', min: 'min', h: 'h' },
  empty: 'No data',
};

/** Catalogue by locale. */
export const MANAGER_CATALOGUES: Readonly<Record<Locale, ManagerMessages>> = { 'zh-CN': managerZhCN, en: managerEn };
