/**
 * What the supply panels show, decided by pure functions from the API's
 * answers: which alert the wall shouts about and in what words, each
 * partner's status chip, the goal's headline. No Vue; times in the line's
 * time zone, the clock a parameter.
 */
import { formatTimeOfDay } from '../../i18n/format';
import type { Locale } from '../../i18n/messages';
import { nameIn } from '../../i18n/name';
import { formatLead, formatPercent, formatYuanShort, SUPPLY_CATALOGUES, type PartnerStatusKey } from '../../i18n/supply-messages';
import type { ClusterAnswer, MaterialRiskAlert, PartnerView } from '../../services/supply-api';

/** A partner's status colour: good, a warning, trouble, or nothing known. */
export type SupplyTone = 'good' | 'warn' | 'bad' | 'none';

/** One partner's chip on the wall. */
export interface PartnerChip {
  id: string;
  name: string;
  status: PartnerStatusKey;
  tone: SupplyTone;
  /** The partner has an alert (the chip is outlined). */
  alert: 'critical' | 'warning' | null;
}

/** The colour of a partner: its alert wins over its reported status. */
export function partnerTone(p: Pick<PartnerView, 'status' | 'alert'>): SupplyTone {
  if (p.alert?.level === 'critical') return 'bad';
  const s = p.status?.status;
  if (s === 'down') return 'bad';
  if (p.alert?.level === 'warning' || s === 'late' || s === 'at_risk') return 'warn';
  return s === 'ok' ? 'good' : 'none';
}

/** Worst first: a wall that has room for only some chips still shows the partners in trouble. */
const TONE_RANK: Record<SupplyTone, number> = { bad: 0, warn: 1, good: 2, none: 3 };

/** Chips worst tone first; within a tone, partners supplying stations first, then registry order. */
export function partnerChips(partners: readonly PartnerView[], locale: Locale): PartnerChip[] {
  return partners
    .map((p, i) => ({ p, i, tone: partnerTone(p) }))
    .sort((a, b) => TONE_RANK[a.tone] - TONE_RANK[b.tone] || Number(a.p.stations.length === 0) - Number(b.p.stations.length === 0) || a.i - b.i)
    .map(({ p, tone }) => ({
      id: p.id,
      name: nameIn(p.name, locale),
      status: p.status?.status ?? 'none',
      tone,
      alert: p.alert?.level ?? null,
    }));
}

/** The wall's loud banner for one alert. */
export interface AlertBanner {
  partner: string;
  level: 'critical' | 'warning';
  /** "缺料预警 · 东湖动力电池" */
  head: string;
  /** "S07 电池包 将于 09:11 停线待料（57 分钟后）", or the reasons when no starvation is predicted. */
  text: string;
  /** Starvation instant, epoch ms; null when none is predicted. */
  starvesAt: number | null;
  /** Further alerts not shown. */
  more: number;
}

/** Alerts that concern `line`: a station of it starves, or the partner supplies it. */
export function alertsForLine(alerts: readonly MaterialRiskAlert[], line: string): MaterialRiskAlert[] {
  return alerts.filter((a) => a.stations.length === 0 || a.stations.some((s) => s.line === line));
}

/**
 * The banner for the most urgent of the line's alerts (the API sorts them:
 * critical first, then the soonest starvation); null when there is none.
 * The countdown is from `now` (the line's clock), so it keeps moving between
 * refreshes; the clock time is in the line's time zone.
 *
 * Once the station starves, "since" is when the shortage began: the start of
 * its open material-shortage episode (`partners[].shortages`, loss
 * accounting), not the alert's `starvesAt`, which a partner reporting an
 * empty stock every few minutes moves to its latest report, i.e. to now.
 */
export function alertBanner(
  alerts: readonly MaterialRiskAlert[],
  line: string,
  now: number,
  timeZone: string,
  locale: Locale,
  partners: readonly Pick<PartnerView, 'id' | 'shortages'>[] = [],
): AlertBanner | null {
  const mine = alertsForLine(alerts, line);
  const a = mine[0];
  if (!a) return null;
  const L = SUPPLY_CATALOGUES[locale];
  const starving = a.stations.filter((s) => s.line === line && s.starvesAt !== null && s.starvesAt === a.starvesAt);
  const stations = starving.map((s) => `${s.station}${s.name ? ` ${nameIn(s.name, locale)}` : ''}`).join(locale === 'zh-CN' ? '、' : ', ');
  let text: string;
  if (a.starvesAt !== null && stations !== '') {
    const at = clockOrDate(a.starvesAt, now, timeZone, locale);
    text = a.starvesAt > now ? L.alert.willStarve(stations, at, formatLead(a.starvesAt - now, locale)) : L.alert.starvedSince(stations, clockOrDate(shortageSince(a, line, partners, now) ?? a.starvesAt, now, timeZone, locale));
  } else {
    text = a.reasons.map((r) => L.reason[r]).join(locale === 'zh-CN' ? '，' : ', ');
    if (a.inventoryHours !== null) text += locale === 'zh-CN' ? `，线边库存 ${a.inventoryHours.toFixed(1)} 小时` : `, stock ${a.inventoryHours.toFixed(1)} h`;
  }
  return {
    partner: a.partner,
    level: a.level,
    head: `${a.level === 'critical' ? L.alert.head : L.level.warning} · ${nameIn(a.partnerName, locale)}`,
    text,
    starvesAt: a.starvesAt,
    more: mine.length - 1,
  };
}

/** When the shortage of `alert` at `line`'s starving stations began: the earliest open episode's start; null when none is open. */
export function shortageSince(alert: MaterialRiskAlert, line: string, partners: readonly Pick<PartnerView, 'id' | 'shortages'>[], now: number): number | null {
  const stations = new Set(alert.stations.filter((s) => s.line === line).map((s) => s.station));
  let since: number | null = null;
  for (const e of partners.find((p) => p.id === alert.partner)?.shortages ?? []) {
    if (e.supplyBackAt !== null || !stations.has(e.station) || e.starvedFrom > now) continue;
    if (since === null || e.starvedFrom < since) since = e.starvedFrom;
  }
  return since;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** A cached formatter: the wall asks every second for weeks. */
function dateFormat(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...options });
    dateFormats.set(key, f);
  }
  return f;
}

/** `HH:mm` in the line's zone, with the date when it is not today there. */
export function clockOrDate(ts: number, now: number, timeZone: string, locale: Locale): string {
  const day = dateFormat('en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' });
  const clock = formatTimeOfDay(ts, timeZone, locale, false);
  if (day.format(ts) === day.format(now)) return clock;
  return `${dateFormat(locale, timeZone, { month: 'numeric', day: 'numeric' }).format(ts)} ${clock}`;
}

/** The goal's headline for the wall: in the target year the year to date against the target, before it the annualised pace. */
export interface GoalHeadline {
  /** What the large figure is: year to date, or the annualised run rate. */
  caption: string;
  /** Large: "310 亿元". */
  figure: string;
  /** After it, smaller: "/ 1000 亿元". */
  of: string;
  /** 0–1 for the bar: progress in the target year, the annualised pace's share of the target before it. */
  bar: number | null;
  /** Smaller: projection and what is still needed. */
  sub: string;
  /** On track, behind, or not judged (before the target year, or no run rate). */
  tone: 'good' | 'bad' | 'none';
  verdict: string | null;
}

export function goalHeadline(c: ClusterAnswer, locale: Locale): GoalHeadline {
  const L = SUPPLY_CATALOGUES[locale].goal;
  const y = (v: number | null) => formatYuanShort(v, locale);
  const bare = (v: number | null) => formatYuanShort(v, locale, { bare: true });
  const of = `/ ${y(c.target.valueYuan)}`;
  if (c.year === c.target.year) {
    return {
      caption: L.yearToDate,
      figure: bare(c.yearToDateYuan),
      of,
      bar: c.progress,
      sub: `${formatPercent(c.progress, locale)} · ${c.projectionYuan === null ? L.noProjection : L.projected(y(c.projectionYuan))}`,
      tone: c.onTrack === null ? 'none' : c.onTrack ? 'good' : 'bad',
      verdict: c.onTrack === null ? null : c.onTrack ? L.onTrack : L.behind,
    };
  }
  // Another year: its year to date cannot be held against the target year's value; the pace can.
  const pace = c.annualizedRunRateYuan;
  const required = c.growth.requiredAnnual;
  return {
    caption: L.annualized,
    figure: bare(pace),
    of,
    bar: pace === null ? null : pace / c.target.valueYuan,
    sub: [L.wallYtd(y(c.yearToDateYuan)), required === null ? null : required <= 0 ? L.aboveTarget : L.wallRequired(formatPercent(required, locale))]
      .filter((s) => s !== null)
      .join(' · '),
    tone: 'none',
    verdict: null,
  };
}
