/**
 * Andon's shapes, shared by the collector (`/api/v1/andon/*`, the live channel)
 * and the dashboard. Behaviour and configuration: docs/andon.md.
 */

/** Roles, from the plant file's people; permissions per role are in docs/andon.md. */
export type Role = 'operator' | 'team_leader' | 'maintenance' | 'supervisor' | 'manager' | 'admin';

export type AndonStatus = 'open' | 'acknowledged' | 'resolved' | 'cancelled';
export type AndonPriority = 'low' | 'normal' | 'high' | 'critical';

/** Who or what did something: a signed-in person, a station (pull cord, PLC button) or a collector rule. */
export interface Actor {
  kind: 'person' | 'station' | 'rule';
  /** Person id, station id or rule id. */
  id: string;
  /** A person's name or a rule's label, for display. */
  name: string;
}

/** One escalation step a call went through. */
export interface AndonEscalation {
  tier: number;
  role: Role;
  /** epoch ms */
  at: number;
}

/** A call as the API and the live channel show it. */
export interface AndonCallView {
  id: string;
  line: string;
  station: string | null;
  /** Configurable; defaults: maintenance, material, quality, help, safety. */
  kind: string;
  priority: AndonPriority;
  status: AndonStatus;
  raisedAt: number;
  raisedBy: Actor;
  note: string | null;
  /** Current escalation tier (0 = first responders) and the role it is at. */
  tier: number;
  tierRole: Role;
  escalations: AndonEscalation[];
  acknowledgedAt: number | null;
  acknowledgedBy: Actor | null;
  resolvedAt: number | null;
  resolvedBy: Actor | null;
  resolution: { reason: string; note: string | null } | null;
  cancelledAt: number | null;
  cancelledBy: Actor | null;
  /** The call this one reopens, if any. */
  reopens: string | null;
}

/** A kind of call with its labels, from `GET /api/v1/andon/config`. */
export interface AndonKindView {
  id: string;
  label: { zh: string; en: string };
}

/** `GET /api/v1/session` and the answer to signing in. */
export interface SessionView {
  person: { id: string; name: string; role: Role; lines: string[]; stations: string[] };
  /** epoch ms */
  expiresAt: number;
  /** What this person may do, so a screen shows only the buttons that work. */
  may: { raise: boolean; acknowledge: boolean; resolve: boolean; cancel: boolean; editRules: boolean };
}

/** A line's open (and acknowledged) calls on the live channel; the wall shows them loudest. */
export interface AndonLive {
  open: AndonCallView[];
}

/** One entry of the append-only history, `GET /api/v1/audit` and `GET /api/v1/andon/call`. */
export interface AuditEntry {
  /** epoch ms */
  at: number;
  actor: Actor;
  /** e.g. `andon.raise`, `andon.acknowledge`, `andon.escalate`, `andon.resolve`, `andon.cancel`. */
  action: string;
  line: string;
  /** What was acted on: a call id. */
  subject: string;
  details: Record<string, unknown>;
}

/** One notification of the outbox, `GET /api/v1/andon/deliveries`. */
export interface AndonDeliveryView {
  id: string;
  call: string;
  line: string;
  channel: string;
  /** Where it goes: an e-mail address, or the robot's / webhook's host. Never a secret. */
  target: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
  /** When the step it tells of happened, epoch ms. */
  createdAt: number;
  sentAt: number | null;
}

/** A notification channel's health; `failing` is the visible warning of a channel that keeps failing. */
export interface AndonChannelView {
  id: string;
  kind: 'webhook' | 'wecom' | 'dingtalk' | 'email';
  failing: boolean;
  lastError: string | null;
  consecutiveFailures: number;
}
