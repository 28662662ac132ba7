/**
 * What the andon screens show, as pure functions of calls, the clock and the
 * locale: the wall's call cards, the marks on the station strip, which
 * buttons a signed-in person gets, error sentences, the manager's filters
 * and a call's escalation timeline. Tested in Node; the components only lay
 * these out.
 */
import type { AndonCallView, AndonKindView, AndonPriority, Role, SessionView } from '@core/andon/types';
import type { AndonMessages } from '../../i18n/andon-messages';
import type { Locale } from '../../i18n/messages';
import { nameIn } from '../../i18n/name';
import { isCallView, type AndonAction, type AuditEntry, type KindEscalation } from '../../services/andon-api';

/**
 * A duration nobody misreads: "45秒", "3分20秒", "1小时5分" / "45 s",
 * "3 min 20 s", "1 h 5 min". Never a bare "3:20", which a reader can take
 * for a time of day.
 */
export function formatAndonDuration(seconds: number | null, m: AndonMessages): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const total = Math.max(0, Math.floor(seconds));
  const { h, min, s, join } = m.duration;
  const part = (n: number | string, unit: string) => `${n}${join}${unit}`;
  // The second part in two digits, as the station tiles beside it write theirs (58分02秒, not 58分2秒).
  const two = (n: number) => String(n).padStart(2, '0');
  if (total < 60) return part(total, s);
  if (total < 3600) {
    const rest = total % 60;
    return rest === 0 ? part(Math.floor(total / 60), min) : `${part(Math.floor(total / 60), min)}${join}${part(two(rest), s)}`;
  }
  const mins = Math.floor((total % 3600) / 60);
  const hours = part(Math.floor(total / 3600), h);
  return mins === 0 ? hours : `${hours}${join}${part(two(mins), min)}`;
}

/** A kind's label: the config's, else the catalogue's default, else its id. */
export function kindLabel(kind: string, kinds: readonly AndonKindView[], locale: Locale, m: AndonMessages): string {
  const k = kinds.find((x) => x.id === kind);
  if (k) return nameIn(k.label, locale);
  return Object.hasOwn(m.kind, kind) ? (m.kind[kind] ?? kind) : kind;
}

/** Priorities, most urgent first; a Map, since the value comes from the collector. */
const PRIORITY_RANK = new Map<string, number>([
  ['critical', 0],
  ['high', 1],
  ['normal', 2],
  ['low', 3],
]);

/** Waiting calls first, then the most urgent, then the oldest. */
export function byUrgency(a: AndonCallView, b: AndonCallView): number {
  const open = (c: AndonCallView) => (c.status === 'open' ? 0 : 1);
  return open(a) - open(b) || (PRIORITY_RANK.get(a.priority) ?? 2) - (PRIORITY_RANK.get(b.priority) ?? 2) || a.raisedAt - b.raisedAt || a.id.localeCompare(b.id);
}

/** One call as a card on the wall or the tablet. */
export interface CallCard {
  id: string;
  station: string | null;
  kind: string;
  kindLabel: string;
  status: AndonCallView['status'];
  priority: AndonPriority;
  priorityLabel: string;
  /** Seconds since it was raised, by the server's clock. */
  seconds: number;
  duration: string;
  tier: string;
  /** Who acknowledged, or that nobody has. */
  who: string;
  /** "40秒后升级至维修" while an open call still has a tier to climb; null otherwise. */
  next: string | null;
  raisedBy: string;
}

/** The calls as cards, most urgent first; `now` is the server's clock, epoch ms. */
export function callCards(
  calls: readonly AndonCallView[],
  opts: { now: number; kinds: readonly AndonKindView[]; locale: Locale; m: AndonMessages; escalation?: readonly KindEscalation[] },
): CallCard[] {
  const { m } = opts;
  return [...calls].sort(byUrgency).map((c) => {
    const seconds = Math.max(0, (opts.now - c.raisedAt) / 1000);
    const next = pendingEscalation(c, opts.escalation ?? []);
    return {
      id: c.id,
      station: c.station,
      kind: c.kind,
      kindLabel: kindLabel(c.kind, opts.kinds, opts.locale, m),
      status: c.status,
      priority: c.priority,
      priorityLabel: Object.hasOwn(m.priority, c.priority) ? m.priority[c.priority] : c.priority,
      seconds,
      duration: formatAndonDuration(seconds, m),
      tier: m.tier(c.tier, roleLabel(c.tierRole, m)),
      who: c.acknowledgedBy ? m.acknowledgedBy(c.acknowledgedBy.name) : m.notAcknowledged,
      next: next ? m.nextTier(roleLabel(next.role, m), formatAndonDuration(Math.max(0, Math.ceil((next.at - opts.now) / 1000)), m)) : null,
      raisedBy: m.raisedBy(c.raisedBy.kind === 'station' ? (c.station ?? c.raisedBy.id) : c.raisedBy.name),
    };
  });
}

/** The station strip's marks: each station with a call, `open` when any of its calls still waits. */
export function stationMarks(calls: readonly AndonCallView[]): Map<string, 'open' | 'acknowledged'> {
  const marks = new Map<string, 'open' | 'acknowledged'>();
  for (const c of calls) {
    if (!c.station || (c.status !== 'open' && c.status !== 'acknowledged')) continue;
    if (c.status === 'open' || !marks.has(c.station)) marks.set(c.station, c.status);
  }
  return marks;
}

/**
 * The buttons a person gets on a call: what their role may do (the session's
 * `may`) and what the call's status still allows. Cancelling is for whoever
 * raised it (or a station's own call); the collector decides in the end.
 */
export function callActions(call: AndonCallView, session: SessionView | null): AndonAction[] {
  if (!session) return [];
  const out: AndonAction[] = [];
  const live = call.status === 'open' || call.status === 'acknowledged';
  if (call.status === 'open' && session.may.acknowledge) out.push('acknowledge');
  if (live && session.may.resolve) out.push('resolve');
  const mine = call.raisedBy.kind !== 'person' || call.raisedBy.id === session.person.id;
  if (call.status === 'open' && session.may.cancel && mine) out.push('cancel');
  return out;
}

/** A refused request as the store keeps it. */
export interface AndonErrorView {
  code: string;
  message: string;
  attemptsLeft?: number | null;
  retryAfterSeconds?: number | null;
  /** Local clock when it happened, epoch ms: a lock counts down from here. */
  at?: number;
}

/** Seconds a lock still lasts at `now` (local clock), or null when it is not a lock or the collector did not say. */
export function lockSecondsLeft(error: AndonErrorView | null, now: number): number | null {
  if (!error || error.code !== 'locked' || error.retryAfterSeconds === null || error.retryAfterSeconds === undefined) return null;
  return Math.max(0, Math.ceil(error.retryAfterSeconds - (now - (error.at ?? now)) / 1000));
}

/** The sentence a person reads for a refused request, `now` on the local clock. */
export function errorText(error: AndonErrorView, m: AndonMessages, now: number): string {
  switch (error.code) {
    case 'bad_credentials':
      return error.attemptsLeft === undefined ? m.errors.badCredentials : m.errors.badPin(error.attemptsLeft);
    case 'locked': {
      const left = lockSecondsLeft(error, now);
      return m.errors.locked(left === null ? null : formatAndonDuration(left, m));
    }
    case 'not_signed_in':
      return m.errors.notSignedIn;
    case 'forbidden':
      return m.errors.forbidden(error.message);
    case 'invalid_transition':
      return m.errors.invalidTransition(error.message);
    case 'network':
      return m.errors.network;
    default:
      return m.errors.generic(error.message);
  }
}

/** Ids in `calls` not in `seen`, in order; what makes the wall beep. */
export function newCallIds(seen: ReadonlySet<string>, calls: readonly AndonCallView[]): string[] {
  return calls.filter((c) => c.status === 'open' && !seen.has(c.id)).map((c) => c.id);
}

/** The manager's call-list filters; null = any. */
export interface CallFilter {
  kind: string | null;
  station: string | null;
  status: AndonCallView['status'] | 'active' | null;
}

/** Calls matching `f`, newest first. */
export function filterCalls(calls: readonly AndonCallView[], f: CallFilter): AndonCallView[] {
  return calls
    .filter(
      (c) =>
        (f.kind === null || c.kind === f.kind) &&
        (f.station === null || c.station === f.station) &&
        (f.status === null || (f.status === 'active' ? c.status === 'open' || c.status === 'acknowledged' : c.status === f.status)),
    )
    .sort((a, b) => b.raisedAt - a.raisedAt || a.id.localeCompare(b.id));
}

/** Distinct stations and kinds among `calls`, sorted, for the filter pickers. */
export function filterOptions(calls: readonly AndonCallView[]): { stations: string[]; kinds: string[] } {
  const stations = new Set<string>();
  const kinds = new Set<string>();
  for (const c of calls) {
    if (c.station) stations.add(c.station);
    kinds.add(c.kind);
  }
  return { stations: [...stations].sort(), kinds: [...kinds].sort() };
}

/** One step of a call's escalation timeline. */
export interface TimelineStep {
  at: number;
  /** Seconds after the raise. */
  offsetSeconds: number;
  kind: 'raised' | 'escalated' | 'acknowledged' | 'resolved' | 'cancelled' | 'reopened';
  label: string;
  /** Who did it (a person, a station, a rule); null for an escalation, which the clock does. */
  actor: string | null;
  /** A resolution's reason and note, or a note given with the step. */
  detail: string | null;
}

/**
 * A call's life in order: raised, each escalation, acknowledged, resolved or
 * cancelled. Built from the call itself, so it is right even when the
 * history is cut short; notes from the history are added to their step.
 */
export function callTimeline(
  call: AndonCallView,
  history: readonly AuditEntry[],
  opts: { m: AndonMessages; reasonLabel: (id: string) => string },
): TimelineStep[] {
  const { m } = opts;
  const step = (at: number, kind: TimelineStep['kind'], label: string, actor: string | null, detail: string | null = null): TimelineStep => ({
    at,
    offsetSeconds: Math.max(0, (at - call.raisedAt) / 1000),
    kind,
    label,
    actor,
    detail,
  });
  const noteOf = (action: string) => {
    const e = history.find((h) => h.action === action || h.action === `andon.${action}`);
    const note = e?.details.note;
    return typeof note === 'string' && note ? note : null;
  };
  const steps: TimelineStep[] = [step(call.raisedAt, call.reopens ? 'reopened' : 'raised', call.reopens ? m.manager.step.reopened : m.manager.step.raised, call.raisedBy.name, call.note)];
  for (const e of call.escalations) {
    if (e.tier === 0 && e.at === call.raisedAt) continue; // the first responders are told at the raise
    steps.push(step(e.at, 'escalated', m.manager.step.escalated(roleLabel(e.role, m)), null));
  }
  if (call.acknowledgedAt !== null) steps.push(step(call.acknowledgedAt, 'acknowledged', m.manager.step.acknowledged, call.acknowledgedBy?.name ?? null, noteOf('acknowledge')));
  if (call.resolvedAt !== null) {
    const r = call.resolution;
    const detail = r ? [opts.reasonLabel(r.reason), r.note].filter(Boolean).join(' · ') : null;
    steps.push(step(call.resolvedAt, 'resolved', m.manager.step.resolved, call.resolvedBy?.name ?? null, detail));
  }
  if (call.cancelledAt !== null) steps.push(step(call.cancelledAt, 'cancelled', m.manager.step.cancelled, call.cancelledBy?.name ?? null, noteOf('cancel')));
  return steps.sort((a, b) => a.at - b.at);
}

/** A role's label; a role this dashboard does not know by its id. */
export function roleLabel(role: string, m: AndonMessages): string {
  return Object.hasOwn(m.role, role) ? (m.role[role as Role] ?? role) : role;
}

/**
 * When an open call climbs next and to whom, or null when it will not: the
 * rule of core/andon/escalation.ts (`nextEscalationAt`), raise + the next
 * tier's delay, over the tiers the config lists.
 */
export function pendingEscalation(call: AndonCallView, escalation: readonly KindEscalation[]): { at: number; role: string } | null {
  if (call.status !== 'open') return null;
  const tier = escalation.find((e) => e.kind === call.kind)?.tiers[call.tier + 1];
  return tier ? { at: call.raisedAt + tier.afterSeconds * 1000, role: tier.role } : null;
}

/** `Stat` of the KPI endpoint's `andon` part. */
export interface AndonStat {
  seconds: number | null;
  calls: number;
}

/** The `andon` part of `GET /api/v1/kpi`, as far as the screen reads it. */
export interface AndonKpis {
  mtta: AndonStat;
  mttr: AndonStat;
  byKind: { kind: string; mtta: AndonStat; mttr: AndonStat; calls: number }[];
}

const isStat = (v: unknown): v is AndonStat =>
  typeof v === 'object' && v !== null && ((v as AndonStat).seconds === null || typeof (v as AndonStat).seconds === 'number') && typeof (v as AndonStat).calls === 'number';

/** The KPI answer's `andon` part, or null when this collector does not send it (or sends something else). */
export function andonKpisOf(kpiAnswer: unknown): AndonKpis | null {
  if (typeof kpiAnswer !== 'object' || kpiAnswer === null) return null;
  const a = (kpiAnswer as { andon?: unknown }).andon;
  if (typeof a !== 'object' || a === null) return null;
  const o = a as Record<string, unknown>;
  if (!isStat(o.mtta) || !isStat(o.mttr)) return null;
  const byKind = Array.isArray(o.byKind) ? o.byKind.filter((k): k is AndonKpis['byKind'][number] => typeof k === 'object' && k !== null && typeof (k as { kind?: unknown }).kind === 'string' && isStat((k as { mtta?: unknown }).mtta) && isStat((k as { mttr?: unknown }).mttr)) : [];
  return { mtta: o.mtta, mttr: o.mttr, byKind };
}

/** The live snapshot's open calls, each checked; [] when this collector does not track calls yet. */
export function liveOpenCalls(line: { andon?: unknown } | null): AndonCallView[] {
  const a = line?.andon;
  if (typeof a !== 'object' || a === null) return [];
  const open = (a as { open?: unknown }).open;
  return Array.isArray(open) ? open.filter(isCallView) : [];
}

/**
 * The collector's wall clock now, epoch ms, from the local clock and the last
 * live message (`serverTime` at arrival): what a session's `expiresAt` is on,
 * right even on a kiosk whose own clock is off. The local clock until a
 * message arrives.
 */
export function serverClock(localNow: number, serverTime: number | null, arrivedAt: number | null): number {
  return serverTime === null || arrivedAt === null ? localNow : localNow + (serverTime - arrivedAt);
}

/**
 * The line's clock now, epoch ms: the collector stamps calls with it (the wall
 * clock in production, the data's clock in a demo), so call timers count on
 * it too. Extrapolated from the last live message by the local time since it
 * arrived, as the wall's own figures are; the local clock until one arrives.
 */
export function lineClock(localNow: number, lineNow: number | null, arrivedAt: number | null): number {
  return lineNow === null || arrivedAt === null ? localNow : lineNow + (localNow - arrivedAt);
}
