/**
 * Material risk: will a partner's line-side stock run out before its next
 * delivery, and which station starves when? Pure: the clock is a parameter.
 *
 * The partner reports `inventoryHours` (line-side stock in hours of
 * production at the line's target rate) at time t. Stock is only used while
 * the line produces, so it runs out after `inventoryHours` of *planned*
 * production time from t on the line's calendar (breaks and nights without
 * shifts do not use parts). The supplied station starves at the first planned
 * instant after that. Deliveries are due on the registry's schedule
 * (`inventoryPolicy`); which delivery is counted on depends on the status:
 *
 * | status | delivery counted on |
 * | --- | --- |
 * | `ok`, `at_risk` | the next scheduled delivery after t |
 * | `late` | the one after it (a late partner is assumed to miss one slot) |
 * | `down` | none: the stock will run out |
 *
 * An alert is `critical` when a station is predicted to starve before the
 * delivery counted on (or the partner is down), `warning` when stock is below
 * the policy's minimum or the partner is late but the stock lasts.
 */
import { lineCalendar, plannedIntervals } from '../calendar/calendar';
import type { PartnerStatus } from '../events';
import type { PlantConfig } from '../plant';
import { addDays, clockMinutes, formatClock, localTime, zonedToEpoch } from '../time/civil';
import type { InventoryPolicy, PartnerConfig } from './registry';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How far ahead a run-out is looked for, ms: stock beyond two weeks never threatens a shift soon. */
export const RUN_OUT_HORIZON_MS = 14 * DAY_MS;

/** The newest `partner` event of a partner, as stored. */
export interface PartnerStatusReport {
  partner: string;
  /** When the partner reported, epoch ms. */
  ts: number;
  status: PartnerStatus;
  /** Line-side stock, hours at the target rate; null when not reported. */
  inventoryHours: number | null;
  /** Share of deliveries on time, 0–1; null when not reported. */
  onTimeRate: number | null;
  note: string | null;
}

export type MaterialRiskLevel = 'critical' | 'warning';
export type MaterialRiskReason = 'runs_out_before_delivery' | 'partner_down' | 'partner_late' | 'below_minimum';

/** A station the alert says will starve. */
export interface StarvingStation {
  line: string;
  station: string;
  /** From the plant configuration; null when the plant does not list the station. */
  name: { zh: string; en: string } | null;
  /** First planned instant without parts, epoch ms; null when the stock lasts beyond the horizon. */
  starvesAt: number | null;
}

export interface MaterialRiskAlert {
  partner: string;
  partnerName: { zh: string; en: string };
  level: MaterialRiskLevel;
  /** Every rule that fired, most severe first. */
  reasons: MaterialRiskReason[];
  status: PartnerStatus;
  /** The report the alert rests on. */
  reportedAt: number;
  inventoryHours: number | null;
  minHours: number | null;
  /** Next scheduled delivery after the report, epoch ms; null without a schedule. */
  nextDeliveryAt: number | null;
  /** The delivery the prediction counts on (see the table above); null when none is. */
  countedDeliveryAt: number | null;
  /** Earliest starvation over the supplied stations, epoch ms; null when none is predicted within the horizon. */
  starvesAt: number | null;
  /** (starvesAt − now) / 1 h; negative once it has passed. */
  hoursToStarvation: number | null;
  stations: StarvingStation[];
  message: { zh: string; en: string };
}

/**
 * The first scheduled delivery strictly after `t`: deliveries are due at
 * `firstDeliveryAt` and every `deliveryEveryHours` after it, the schedule
 * restarting at `firstDeliveryAt` each local day.
 */
export function nextDeliveryAfter(policy: Pick<InventoryPolicy, 'deliveryEveryHours' | 'firstDeliveryAt'>, timeZone: string, t: number): number {
  const every = policy.deliveryEveryHours * HOUR_MS;
  const anchorMinute = clockMinutes(policy.firstDeliveryAt);
  const today = localTime(t, timeZone).date;
  let dayAnchor = zonedToEpoch(today, anchorMinute, timeZone);
  if (dayAnchor > t) dayAnchor = zonedToEpoch(addDays(today, -1), anchorMinute, timeZone);
  const nextDayAnchor = zonedToEpoch(addDays(localTime(dayAnchor, timeZone).date, 1), anchorMinute, timeZone);
  const next = dayAnchor + (Math.floor((t - dayAnchor) / every) + 1) * every;
  return Math.min(next, nextDayAnchor);
}

/**
 * The first planned instant at which `seconds` of planned production time
 * after `from` have been used up: where a station runs out of parts that last
 * `seconds` of production. Null beyond `horizonMs`.
 */
export function plannedInstantAfter(
  cal: Parameters<typeof plannedIntervals>[0],
  from: number,
  seconds: number,
  horizonMs = RUN_OUT_HORIZON_MS,
): number | null {
  let remainingMs = seconds * 1000;
  for (const p of plannedIntervals(cal, from, from + horizonMs)) {
    const length = p.end - p.start;
    // Stock used up exactly at the end of an interval runs short when production resumes.
    if (remainingMs < length) return p.start + remainingMs;
    remainingMs -= length;
  }
  return null;
}

/** The alert for one partner's newest report, or null when nothing is at risk. */
export function materialRisk(partner: PartnerConfig, report: PartnerStatusReport | null, plant: PlantConfig, now: number): MaterialRiskAlert | null {
  if (!report) return null;
  const policy = partner.inventoryPolicy ?? null;
  const firstLine = plant.lines.find((l) => partner.stations.some((s) => s.line === l.id)) ?? plant.lines[0];
  const timeZone = firstLine?.timeZone ?? 'UTC';

  const stations: StarvingStation[] = partner.stations.map((s) => {
    const line = plant.lines.find((l) => l.id === s.line);
    const name = line?.stations.find((st) => st.id === s.station)?.name ?? null;
    const starvesAt =
      report.inventoryHours === null ? null : plannedInstantAfter(line ? lineCalendar(line) : calendarFor(timeZone), report.ts, report.inventoryHours * 3600);
    return { line: s.line, station: s.station, name, starvesAt };
  });
  const starvesAt = stations.reduce<number | null>((min, s) => (s.starvesAt !== null && (min === null || s.starvesAt < min) ? s.starvesAt : min), null);

  const nextDeliveryAt = policy ? nextDeliveryAfter(policy, timeZone, report.ts) : null;
  let countedDeliveryAt: number | null = null;
  if (policy && nextDeliveryAt !== null) {
    if (report.status === 'ok' || report.status === 'at_risk') countedDeliveryAt = nextDeliveryAt;
    else if (report.status === 'late') countedDeliveryAt = nextDeliveryAfter(policy, timeZone, nextDeliveryAt);
  }

  const reasons: MaterialRiskReason[] = [];
  if (report.status === 'down') reasons.push('partner_down');
  else if (starvesAt !== null && countedDeliveryAt !== null && starvesAt < countedDeliveryAt) reasons.push('runs_out_before_delivery');
  if (report.status === 'late') reasons.push('partner_late');
  if (policy && report.inventoryHours !== null && report.inventoryHours < policy.minHours) reasons.push('below_minimum');
  if (reasons.length === 0) return null;
  const level: MaterialRiskLevel = reasons[0] === 'partner_down' || reasons[0] === 'runs_out_before_delivery' ? 'critical' : 'warning';

  const alert: MaterialRiskAlert = {
    partner: partner.id,
    partnerName: partner.name,
    level,
    reasons,
    status: report.status,
    reportedAt: report.ts,
    inventoryHours: report.inventoryHours,
    minHours: policy?.minHours ?? null,
    nextDeliveryAt,
    countedDeliveryAt,
    starvesAt,
    hoursToStarvation: starvesAt === null ? null : (starvesAt - now) / HOUR_MS,
    stations,
    message: { zh: '', en: '' },
  };
  alert.message = alertMessage(alert, timeZone, now);
  return alert;
}

/** Alerts for every partner, critical first, then the soonest starvation. */
export function materialRisks(
  partners: readonly PartnerConfig[],
  reports: ReadonlyMap<string, PartnerStatusReport>,
  plant: PlantConfig,
  now: number,
): MaterialRiskAlert[] {
  const alerts: MaterialRiskAlert[] = [];
  for (const p of partners) {
    const alert = materialRisk(p, reports.get(p.id) ?? null, plant, now);
    if (alert) alerts.push(alert);
  }
  const rank = (a: MaterialRiskAlert) => (a.level === 'critical' ? 0 : 1);
  return alerts.sort((a, b) => rank(a) - rank(b) || (a.starvesAt ?? Infinity) - (b.starvesAt ?? Infinity) || a.partner.localeCompare(b.partner));
}

function calendarFor(timeZone: string) {
  return lineCalendar({ timeZone });
}

/** `MM-DD HH:MM` local, or `HH:MM` on the same local day as `now`. */
function when(ts: number, timeZone: string, now: number): string {
  const t = localTime(ts, timeZone);
  const clock = formatClock(t.minuteOfDay);
  return t.date === localTime(now, timeZone).date ? clock : `${t.date.slice(5)} ${clock}`;
}

function duration(ms: number): { zh: string; en: string } {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? { zh: `${h} 小时 ${m} 分钟`, en: `${h} h ${m} min` } : { zh: `${m} 分钟`, en: `${m} min` };
}

function alertMessage(a: MaterialRiskAlert, timeZone: string, now: number): { zh: string; en: string } {
  const who = { zh: `${a.partnerName.zh}（${a.partner}）`, en: `${a.partnerName.en} (${a.partner})` };
  const starving = a.stations.filter((s) => s.starvesAt !== null && s.starvesAt === a.starvesAt);
  const names = {
    zh: starving.map((s) => `${s.station} ${s.name?.zh ?? ''}`.trim()).join('、'),
    en: starving.map((s) => `${s.station} ${s.name?.en ?? ''}`.trim()).join(', '),
  };
  const stock =
    a.inventoryHours === null ? null : { zh: `线边库存 ${a.inventoryHours.toFixed(1)} 小时`, en: `line-side stock ${a.inventoryHours.toFixed(1)} h` };
  if (a.level === 'critical' && a.starvesAt !== null && names.en !== '') {
    const at = when(a.starvesAt, timeZone, now);
    const past = a.starvesAt <= now;
    const left = duration(a.starvesAt - now);
    const delivery =
      a.reasons[0] === 'partner_down'
        ? { zh: '供应商停供', en: 'the partner is down' }
        : a.countedDeliveryAt !== null
          ? { zh: `早于下次到货 ${when(a.countedDeliveryAt, timeZone, now)}`, en: `before its next delivery at ${when(a.countedDeliveryAt, timeZone, now)}` }
          : { zh: '无到货计划', en: 'no delivery due' };
    return past
      ? {
          zh: `${who.zh}缺料：${names.zh} 自 ${at} 起待料（${delivery.zh}）`,
          en: `${who.en} short: ${names.en} starved since ${at} (${delivery.en})`,
        }
      : {
          zh: `${who.zh}${stock ? stock.zh + '，' : ''}将于 ${at}（${left.zh}后）耗尽，${delivery.zh}：${names.zh} 将停线待料`,
          en: `${who.en}: ${stock ? stock.en + ' ' : ''}runs out at ${at} (in ${left.en}), ${delivery.en}: ${names.en} will starve`,
        };
  }
  if (a.level === 'critical') {
    return { zh: `${who.zh}停供${stock ? '，' + stock.zh : ''}`, en: `${who.en} is down${stock ? `, ${stock.en}` : ''}` };
  }
  const parts = { zh: [] as string[], en: [] as string[] };
  if (a.reasons.includes('partner_late')) {
    parts.zh.push('到货延误');
    parts.en.push('deliveries late');
  }
  if (a.reasons.includes('below_minimum') && stock && a.minHours !== null) {
    parts.zh.push(`${stock.zh}，低于下限 ${a.minHours} 小时`);
    parts.en.push(`${stock.en}, below the minimum of ${a.minHours} h`);
  }
  return { zh: `${who.zh}：${parts.zh.join('；')}`, en: `${who.en}: ${parts.en.join('; ')}` };
}

/** One partner report and whether the material-risk rules raised an alert on it. */
export interface AlertMark {
  ts: number;
  alerting: boolean;
}

/**
 * The material-risk alert history of each partner: every report in `reports`
 * (any order) judged by {@link materialRisk} as of its own time. A shortage's
 * `alertAt` is the start of the run of alerting reports before it.
 */
export function alertHistory(partners: readonly PartnerConfig[], reports: readonly PartnerStatusReport[], plant: PlantConfig): Map<string, AlertMark[]> {
  const out = new Map<string, AlertMark[]>();
  const byId = new Map(partners.map((p) => [p.id, p]));
  for (const r of [...reports].sort((a, b) => a.ts - b.ts)) {
    const partner = byId.get(r.partner);
    if (!partner) continue;
    const marks = out.get(r.partner) ?? [];
    marks.push({ ts: r.ts, alerting: materialRisk(partner, r, plant, r.ts) !== null });
    out.set(r.partner, marks);
  }
  return out;
}
