/**
 * Andon calls reduced from their events, and the checks an action must pass.
 * Pure: the caller keeps the map and passes the clock.
 *
 * Lifecycle: open → acknowledged → resolved (reason, note); open or
 * acknowledged → cancelled (by the raiser). Resolving an open call also
 * acknowledges it at that instant. Reopening raises a new call that names the
 * old one in `reopens`.
 */
import type { AndonCallEvent } from '../events';
import type { Actor, AndonCallView, AndonPriority, Role } from './types';

/** A call as the collector keeps it: the view plus what rules need to know. */
export interface AndonCall extends AndonCallView {
  /** The rule and episode that raised it; null for people and stations. */
  rule: string | null;
  episode: string | null;
}

export type CallAction = 'acknowledge' | 'resolve' | 'cancel' | 'reopen';

/** Why an action cannot be done: a stable code and a sentence for a person. */
export interface ActionRefusal {
  status: 403 | 404 | 409 | 400;
  code: 'forbidden' | 'unknown_call' | 'invalid_transition' | 'invalid';
  message: string;
}

export function actorOf(e: Pick<AndonCallEvent, 'actorKind' | 'actorId' | 'actorName'>): Actor {
  return { kind: e.actorKind, id: e.actorId, name: e.actorName };
}

/**
 * Applies one call event; returns the call it changed, or null when it changed
 * nothing (an event for an unknown call, a repeat, a step out of order).
 */
export function applyCallEvent(calls: Map<string, AndonCall>, e: AndonCallEvent, defaultRole: Role = 'team_leader'): AndonCall | null {
  const call = calls.get(e.call);
  if (e.action === 'raise') {
    if (call) return null;
    const created: AndonCall = {
      id: e.call,
      line: e.line,
      station: e.station ?? null,
      kind: e.kind ?? 'help',
      priority: (e.priority ?? 'normal') as AndonPriority,
      status: 'open',
      raisedAt: e.ts,
      raisedBy: actorOf(e),
      note: e.note ?? null,
      tier: e.tier ?? 0,
      tierRole: e.role ?? defaultRole,
      escalations: [{ tier: e.tier ?? 0, role: e.role ?? defaultRole, at: e.ts }],
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
      cancelledAt: null,
      cancelledBy: null,
      reopens: e.reopens ?? null,
      rule: e.rule ?? null,
      episode: e.episode ?? null,
    };
    calls.set(created.id, created);
    return created;
  }
  if (!call) return null;
  switch (e.action) {
    case 'escalate': {
      const tier = e.tier ?? call.tier + 1;
      if (call.escalations.some((x) => x.tier === tier)) return null;
      call.escalations.push({ tier, role: e.role ?? call.tierRole, at: e.ts });
      call.escalations.sort((a, b) => a.tier - b.tier);
      if (tier > call.tier) {
        call.tier = tier;
        call.tierRole = e.role ?? call.tierRole;
      }
      return call;
    }
    case 'acknowledge':
      if (call.acknowledgedAt !== null) return null;
      call.acknowledgedAt = e.ts;
      call.acknowledgedBy = actorOf(e);
      if (call.status === 'open') call.status = 'acknowledged';
      return call;
    case 'resolve':
      if (call.resolvedAt !== null) return null;
      if (call.acknowledgedAt === null) {
        call.acknowledgedAt = e.ts;
        call.acknowledgedBy = actorOf(e);
      }
      call.resolvedAt = e.ts;
      call.resolvedBy = actorOf(e);
      call.resolution = { reason: e.reason ?? 'other', note: e.note ?? null };
      call.status = 'resolved';
      return call;
    case 'cancel':
      if (call.cancelledAt !== null) return null;
      call.cancelledAt = e.ts;
      call.cancelledBy = actorOf(e);
      call.status = 'cancelled';
      return call;
  }
}

/** Whether the call still needs someone: open or acknowledged. */
export function isActive(call: Pick<AndonCallView, 'status'>): boolean {
  return call.status === 'open' || call.status === 'acknowledged';
}

/** Checks that `action` may follow the call's status; null when it may. */
export function transitionRefusal(call: AndonCallView, action: CallAction): ActionRefusal | null {
  const refuse = (message: string): ActionRefusal => ({ status: 409, code: 'invalid_transition', message });
  const closed = call.status === 'resolved' || call.status === 'cancelled';
  switch (action) {
    case 'acknowledge':
      if (call.status === 'acknowledged') return refuse(`call ${call.id} is already acknowledged by ${call.acknowledgedBy?.name ?? 'someone'}`);
      if (closed) return refuse(`call ${call.id} is already ${call.status}`);
      return null;
    case 'resolve':
    case 'cancel':
      if (closed) return refuse(`call ${call.id} is already ${call.status}`);
      return null;
    case 'reopen':
      if (!closed) return refuse(`call ${call.id} is still ${call.status}: only a resolved or cancelled call can be reopened`);
      return null;
  }
}

/** The public view: the collector's extra fields stay inside. */
export function callView(call: AndonCall): AndonCallView {
  const { rule: _rule, episode: _episode, ...view } = call;
  return { ...view, escalations: view.escalations.map((x) => ({ ...x })) };
}
