/**
 * The review page's decisions, pure and Vue-free: reading a split instant
 * typed on the line's clock, checking it lies strictly inside the stop,
 * durations of a classification's parts, a stop's history as "who, when,
 * old → new", and a collector's refusal in the page's language.
 */
import type { StopReasonEvent } from '../../../../core/events';
import type { StopRecord } from '../../../../core/reasons/stops';
import type { ReviewMessages } from '../../i18n/review-messages';

const DAY_MS = 86_400_000;

/** The wall clock of `ts` in `timeZone` as if it were UTC (epoch ms): the zone's offset is this minus `ts`. */
function wallAsUtc(ts: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(ts);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) + (ts % 1000 + 1000) % 1000;
}

/** `HH:MM` or `HH:MM:SS` on the line's clock, as seconds after midnight; null when it is not a time. */
export function parseClock(text: string): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

/**
 * The instant at or after the stop's start whose wall clock in `timeZone`
 * reads `seconds` after midnight (a stop over midnight takes the next day's);
 * the zone's offset at the stop's start (a DST change inside a stop is rare
 * enough to leave to the slider).
 */
export function instantOnLineClock(seconds: number, from: number, timeZone: string): number {
  const offset = wallAsUtc(from, timeZone) - from;
  const wallFrom = from + offset;
  const midnight = wallFrom - (((wallFrom % DAY_MS) + DAY_MS) % DAY_MS);
  let t = midnight + seconds * 1000 - offset;
  if (t < from - 999) t += DAY_MS;
  return t;
}

/** The stop's end as the collector judges a split: its end, or now while it goes on. */
export const stopEnd = (stop: Pick<StopRecord, 'to'>, now: number): number => stop.to ?? now;

export type SplitCheck = { ok: true; at: number } | { ok: false; why: string };

/** Whether `at` (null: not a time) may split `stop`: strictly inside it, the reason why not in the page's language. */
export function checkSplit(at: number | null, stop: Pick<StopRecord, 'from' | 'to'>, now: number, m: ReviewMessages, time: (ts: number) => string): SplitCheck {
  if (at === null || !Number.isFinite(at)) return { ok: false, why: m.split.notATime };
  const end = stopEnd(stop, now);
  if (!(at > stop.from && at < end)) return { ok: false, why: m.split.outside(time(stop.from), time(end)) };
  return { ok: true, at };
}

export interface PartView {
  reason: string;
  label: string;
  seconds: number;
}

/** The parts of the classification in force with their lengths. */
export function partViews(stop: StopRecord, now: number, label: (code: string) => string): PartView[] {
  return (stop.current?.parts ?? []).map((p) => ({ reason: p.reason, label: label(p.reason), seconds: (Math.min(p.to, stopEnd(stop, now)) - p.from) / 1000 }));
}

export interface HistoryRow {
  id: string;
  who: string;
  role: string;
  at: number;
  before: string;
  after: string;
  split: boolean;
  note: string | null;
}

/** What one classification event says: a reason, or a split's two with the instant. */
function says(e: StopReasonEvent, m: ReviewMessages, label: (code: string) => string, time: (ts: number) => string): string {
  if (e.splitAt !== undefined && e.reason2 !== undefined) return m.history.splitSays(label(e.reason), time(e.splitAt), label(e.reason2));
  return label(e.reason);
}

/**
 * Every person's classification of the stop, newest first, each with what it
 * replaced: the one it `supersedes` (else the one before it), the station's
 * code for the first, else "unclassified".
 */
export function historyRows(stop: StopRecord, m: ReviewMessages, label: (code: string) => string, time: (ts: number) => string): HistoryRow[] {
  const byId = new Map(stop.history.map((e) => [e.id, e]));
  const first = stop.stationReason !== null ? m.history.station(stop.stationReason) : m.unclassified;
  return stop.history
    .map((e, i) => {
      const prior = (e.supersedes !== undefined ? byId.get(e.supersedes) : undefined) ?? (i > 0 ? stop.history[i - 1] : undefined);
      return { id: e.id, who: e.actorName, role: e.role, at: e.ts, before: prior ? says(prior, m, label, time) : first, after: says(e, m, label, time), split: e.splitAt !== undefined, note: e.note ?? null };
    })
    .reverse();
}

/** A refusal (an error with the collector's `code` and message) in the page's language. */
export function refusalText(err: unknown, m: ReviewMessages): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'not_signed_in':
    case 'session_expired':
      return m.errors.notSignedIn;
    case 'edit_window_closed':
      return m.errors.editWindowClosed(detail);
    case 'forbidden':
      return m.errors.forbidden(detail);
    case 'network':
      return m.errors.network;
    default:
      return m.errors.generic(detail);
  }
}
