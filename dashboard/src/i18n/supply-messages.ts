/**
 * Labels and number formats of the supply-chain panels (wall strip and the
 * manager's "供应链与目标" section), in each locale. Kept apart from the
 * wall's and the manager's catalogues so each changes alone; `en` is typed
 * against the same interface, so a missing label is a compile error.
 */
import type { PartnerStatus } from '@core/events';
import type { MaterialRiskReason } from '@core/cluster/material-risk';
import type { RunRateBasis } from '@core/cluster/goal';
import type { Locale } from './messages';

/** A partner's status, or none reported in the last 30 days. */
export type PartnerStatusKey = PartnerStatus | 'none';

export interface SupplyMessages {
  /** Manager section title. */
  title: string;
  /** "As of" an instant, already formatted. */
  asOf: (when: string) => string;
  loading: string;
  error: (message: string) => string;
  retry: string;
  status: Record<PartnerStatusKey, string>;
  reason: Record<MaterialRiskReason, string>;
  level: { critical: string; warning: string };
  orders: {
    title: string;
    total: string;
    delivered: string;
    backlog: string;
    rate: string;
    /** Units per planned hour, already formatted. */
    perPlannedHour: (rate: string) => string;
    daysToClear: string;
    /** Calendar days, already formatted. */
    days: (days: string) => string;
    /** Wall, beside the backlog: "需 207.6 天" / "207.6 days to clear". */
    toClear: (days: string) => string;
    productionDays: (days: string) => string;
    clearsAt: string;
    noSnapshot: string;
    /** Wall: the orders cell's caption. */
    wallTitle: string;
    /** Wall: "cumulative X · delivered Y". */
    wallLine: (total: string, delivered: string) => string;
  };
  partners: {
    title: string;
    partner: string;
    category: string;
    tier: string;
    inDistrict: string;
    stations: string;
    status: string;
    inventory: string;
    onTime: string;
    alert: string;
    yes: string;
    no: string;
    hours: (h: string) => string;
    /** Wall, nothing at risk. */
    allClear: string;
  };
  alert: {
    /** The loud banner's head, e.g. "缺料预警". */
    head: string;
    /** A station that will starve: who, at what local time, how long from now (all formatted). */
    willStarve: (station: string, at: string, inTime: string) => string;
    starvedSince: (station: string, at: string) => string;
    /** More alerts than the banner shows. */
    more: (n: number) => string;
  };
  goal: {
    title: (year: number) => string;
    target: string;
    yearToDate: string;
    progress: string;
    runRate: string;
    perMonth: (yuan: string) => string;
    annualized: string;
    projection: string;
    projectedShare: string;
    plannedGrowth: string;
    requiredAnnual: string;
    requiredPerMonth: string;
    requiredIncrease: string;
    basis: Record<RunRateBasis, string>;
    onTrack: string;
    behind: string;
    noProjection: string;
    /** Wall, short: year to date, and the annual growth still needed. */
    wallYtd: (yuan: string) => string;
    wallRequired: (rate: string) => string;
    /** When the pace already reaches the target: no growth is needed (a "needs −11 %" would puzzle). */
    aboveTarget: string;
    /** Wall: "projected X". */
    projected: (yuan: string) => string;
    contributions: string;
    monthly: string;
    chainMaster: string;
    output: string;
  };
  chain: {
    title: string;
    category: string;
    inDistrict: string;
    outOfDistrict: string;
    gap: string;
    noGaps: string;
    none: string;
  };
  duration: { h: string; min: string };
}

const zhCN: SupplyMessages = {
  title: '供应链与目标',
  asOf: (when) => `截至 ${when}`,
  loading: '正在加载供应链数据…',
  error: (message) => `供应链数据无法加载：${message}`,
  retry: '重试',
  status: { ok: '正常', at_risk: '有风险', late: '延误', down: '停供', none: '无报告' },
  reason: {
    partner_down: '供应商停供',
    runs_out_before_delivery: '到货前断料',
    partner_late: '到货延误',
    below_minimum: '低于库存下限',
  },
  level: { critical: '严重', warning: '警告' },
  orders: {
    title: '订单进度',
    total: '累计订单',
    delivered: '已交付',
    backlog: '未交付订单',
    rate: '交付速度',
    perPlannedHour: (rate) => `${rate} 台/计划小时`,
    daysToClear: '交付完毕还需',
    days: (days) => `${days} 天`,
    toClear: (days) => `需 ${days} 天`,
    productionDays: (days) => `${days} 个生产日`,
    clearsAt: '预计交付完毕',
    noSnapshot: '无订单快照',
    wallTitle: '未交付订单',
    wallLine: (total, delivered) => `累计 ${total} · 已交付 ${delivered}`,
  },
  partners: {
    title: '供应伙伴',
    partner: '伙伴',
    category: '环节',
    tier: '层级',
    inDistrict: '区内',
    stations: '供应工位',
    status: '状态',
    inventory: '线边库存',
    onTime: '准时率',
    alert: '预警',
    yes: '是',
    no: '否',
    hours: (h) => `${h} 小时`,
    allClear: '无缺料风险',
  },
  alert: {
    head: '缺料预警',
    willStarve: (station, at, inTime) => `${station} 将于 ${at} 停线待料（${inTime}后）`,
    starvedSince: (station, at) => `${station} 自 ${at} 起待料`,
    more: (n) => `另有 ${n} 条`,
  },
  goal: {
    title: (year) => `${year} 集群目标`,
    target: '目标',
    yearToDate: '今年累计',
    progress: '完成进度',
    runRate: '当前月均',
    perMonth: (yuan) => `${yuan}/月`,
    annualized: '年化产值',
    projection: '全年预计',
    projectedShare: '预计达成率',
    plannedGrowth: '规划年增速',
    requiredAnnual: '仍需年增速',
    requiredPerMonth: '余下每月需',
    requiredIncrease: '较当前月均',
    basis: { complete_months: '近几个完整月', month_to_date: '本月至今推算', none: '无数据' },
    onTrack: '可达成',
    behind: '落后',
    noProjection: '无预计',
    wallYtd: (yuan) => `今年累计 ${yuan}`,
    wallRequired: (rate) => `仍需年增速 ${rate}`,
    aboveTarget: '已高于目标水平',
    projected: (yuan) => `预计 ${yuan}`,
    contributions: '各成员贡献（今年累计）',
    monthly: '月度产值',
    chainMaster: '链主',
    output: '产值',
  },
  chain: {
    title: '补链：区内无配套的环节',
    category: '环节',
    inDistrict: '区内伙伴',
    outOfDistrict: '区外伙伴',
    gap: '缺口',
    noGaps: '各环节均有区内配套',
    none: '—',
  },
  duration: { h: '小时', min: '分钟' },
};

const en: SupplyMessages = {
  title: 'Supply chain & goal',
  asOf: (when) => `As of ${when}`,
  loading: 'Loading supply-chain data…',
  error: (message) => `Supply-chain data could not be loaded: ${message}`,
  retry: 'Retry',
  status: { ok: 'OK', at_risk: 'At risk', late: 'Late', down: 'Down', none: 'No report' },
  reason: {
    partner_down: 'partner down',
    runs_out_before_delivery: 'runs out before delivery',
    partner_late: 'deliveries late',
    below_minimum: 'below minimum stock',
  },
  level: { critical: 'Critical', warning: 'Warning' },
  orders: {
    title: 'Orders',
    total: 'Orders booked',
    delivered: 'Delivered',
    backlog: 'Backlog',
    rate: 'Delivery rate',
    perPlannedHour: (rate) => `${rate} per planned hour`,
    daysToClear: 'To clear',
    days: (days) => `${days} days`,
    toClear: (days) => `${days} days`,
    productionDays: (days) => `${days} production days`,
    clearsAt: 'Cleared by',
    noSnapshot: 'no order snapshot',
    wallTitle: 'Backlog · to clear',
    wallLine: (total, delivered) => `booked ${total} · delivered ${delivered}`,
  },
  partners: {
    title: 'Partners',
    partner: 'Partner',
    category: 'Link',
    tier: 'Tier',
    inDistrict: 'In district',
    stations: 'Stations',
    status: 'Status',
    inventory: 'Line-side stock',
    onTime: 'On time',
    alert: 'Alert',
    yes: 'yes',
    no: 'no',
    hours: (h) => `${h} h`,
    allClear: 'No material risk',
  },
  alert: {
    head: 'Material risk',
    willStarve: (station, at, inTime) => `${station} starves at ${at} (in ${inTime})`,
    starvedSince: (station, at) => `${station} starved since ${at}`,
    more: (n) => `+${n} more`,
  },
  goal: {
    title: (year) => `Cluster goal ${year}`,
    target: 'Target',
    yearToDate: 'Year to date',
    progress: 'Progress',
    runRate: 'Run rate',
    perMonth: (yuan) => `${yuan}/month`,
    annualized: 'Annualised',
    projection: 'Projection',
    projectedShare: 'Projected share',
    plannedGrowth: 'Planned growth',
    requiredAnnual: 'Growth still needed',
    requiredPerMonth: 'Needed a month',
    requiredIncrease: 'vs run rate',
    basis: { complete_months: 'latest complete months', month_to_date: 'this month scaled', none: 'no data' },
    onTrack: 'On track',
    behind: 'Behind',
    noProjection: 'no projection',
    wallYtd: (yuan) => `YTD ${yuan}`,
    wallRequired: (rate) => `needs ${rate}/yr`,
    aboveTarget: 'already above target level',
    projected: (yuan) => `projected ${yuan}`,
    contributions: 'Contribution by member (year to date)',
    monthly: 'Monthly output',
    chainMaster: 'chain master',
    output: 'Output',
  },
  chain: {
    title: 'Chain gaps: links with no partner in the district',
    category: 'Link',
    inDistrict: 'In district',
    outOfDistrict: 'Outside',
    gap: 'gap',
    noGaps: 'Every link has a partner in the district',
    none: '—',
  },
  duration: { h: 'h', min: 'min' },
};

/** Every locale's catalogue. */
export const SUPPLY_CATALOGUES: Record<Locale, SupplyMessages> = { 'zh-CN': zhCN, en };

const formats = new Map<string, Intl.NumberFormat>();
function nf(locale: Locale, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let f = formats.get(key);
  if (!f) {
    // Chinese does not group four-digit numbers ("1000 亿元"); English does.
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: locale === 'zh-CN' ? 'min2' : 'auto' });
    formats.set(key, f);
  }
  return f;
}

/**
 * An amount of yuan, short: Chinese in 亿 (10⁸) and 万 (10⁴) with one
 * decimal ("832.4 亿元"), English in billions and millions ("83.2 bn yuan").
 * Whole numbers drop the decimal ("1000 亿元", "100 bn yuan"). `bare`
 * leaves out English's trailing "yuan", for a figure whose unit follows
 * ("113.7 bn / 100 bn yuan").
 */
export function formatYuanShort(yuan: number | null, locale: Locale, options: { bare?: boolean } = {}): string {
  if (yuan === null || !Number.isFinite(yuan)) return '–';
  const abs = Math.abs(yuan);
  const scaled = (value: number, unit: string) => {
    const rounded = Math.round(value * 10) / 10;
    return `${nf(locale, Number.isInteger(rounded) ? 0 : 1).format(rounded)} ${unit}`;
  };
  if (locale === 'zh-CN') {
    if (abs >= 1e8) return scaled(yuan / 1e8, '亿元');
    if (abs >= 1e4) return scaled(yuan / 1e4, '万元');
    return `${nf(locale, 0).format(yuan)} 元`;
  }
  const unit = options.bare ? '' : ' yuan';
  if (abs >= 1e9) return scaled(yuan / 1e9, `bn${unit}`);
  if (abs >= 1e6) return scaled(yuan / 1e6, `m${unit}`);
  return `${nf(locale, 0).format(yuan)} yuan`;
}

/** A count or rate with `digits` decimals at most. */
export function formatCount(value: number | null, locale: Locale, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return '–';
  // Cached: the wall re-renders every second for weeks.
  const key = `count|${locale}|${digits}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
    formats.set(key, f);
  }
  return f.format(value);
}

/** A fraction as a percentage, e.g. 0.312 → "31.2%" ("31.2 %" reads the same in both). */
export function formatPercent(fraction: number | null, locale: Locale, digits = 1): string {
  if (fraction === null || !Number.isFinite(fraction)) return '–';
  return `${nf(locale, digits).format(fraction * 100)}%`;
}

/** A span of time ahead, whole minutes: "57 分钟" / "1 h 5 min". */
export function formatLead(ms: number, locale: Locale): string {
  const { h, min } = SUPPLY_CATALOGUES[locale].duration;
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} ${min}`;
  return rest === 0 ? `${hours} ${h}` : `${hours} ${h} ${rest} ${min}`;
}
