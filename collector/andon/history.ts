/**
 * Calls and steps of an interval older than what the service keeps in
 * memory, reduced from InfluxDB the same way (core/andon/calls.ts).
 */
import { applyCallEvent, callView, type AndonCall } from '../../core/andon/calls';
import type { AndonCallView, AuditEntry } from '../../core/andon/types';
import type { EventStore } from '../influx/store';
import { readCallEvents } from './queries';
import { auditEntry, order } from './service';

/** A call's later steps are looked for this long after the interval, ms. */
const FOLLOW_UP_MS = 7 * 86_400_000;

export interface AndonHistory {
  /** Calls raised in the interval, newest first, with their steps up to a week later. */
  calls: AndonCallView[];
  /** Steps in the interval, oldest first. */
  entries: AuditEntry[];
}

export async function readAndonHistory(store: EventStore, line: string, from: number, to: number, now: number): Promise<AndonHistory> {
  const { events } = await readCallEvents(store, from, Math.min(to + FOLLOW_UP_MS, Math.max(to, now + 1)), line);
  events.sort((a, b) => a.ts - b.ts || order(a) - order(b));
  const calls = new Map<string, AndonCall>();
  for (const e of events) applyCallEvent(calls, e);
  return {
    calls: [...calls.values()].filter((c) => c.raisedAt >= from && c.raisedAt < to).map(callView).sort((a, b) => b.raisedAt - a.raisedAt),
    entries: events.filter((e) => e.ts >= from && e.ts < to).map(auditEntry),
  };
}
