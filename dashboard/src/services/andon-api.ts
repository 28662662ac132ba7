/**
 * The collector's andon endpoints as typed functions (no Vue): the kinds of
 * call and resolution reasons, a line's calls, one call with its history,
 * raising and acting on calls, and the notification outbox (docs/api.md,
 * "Andon"). Writes go through {@link sendJson} with the session cookie; a
 * refusal arrives as an {@link ApiRefusal} in the collector's own words
 * (`forbidden` says which role may, `invalid_transition` what the call's
 * status already is).
 */
import type { Actor, AndonCallView, AndonChannelView, AndonDeliveryView, AndonKindView, AndonPriority, AndonStatus, AuditEntry, Role } from '@core/andon/types';
import { ApiError, getJson, type FetchLike } from './api-json';
import { sendJson, type ApiFetchLike } from './session-api';

export type { Actor, AndonCallView, AndonKindView, AndonPriority, AndonStatus, ApiFetchLike, AuditEntry, FetchLike };

/** A reason a call can be resolved with, from the config. */
export interface ResolutionReason {
  id: string;
  label: { zh: string; en: string };
}

/** A kind's escalation: the role each tier goes to, and after how long without acknowledgement. */
export interface KindEscalation {
  kind: string;
  tiers: { role: Role; afterSeconds: number }[];
}

/** `GET /api/v1/andon/config`. */
export interface AndonConfig {
  kinds: AndonKindView[];
  priorities: AndonPriority[];
  resolutionReasons: ResolutionReason[];
  /** Empty when the collector does not say. */
  escalation: KindEscalation[];
}

/** What a person can do to a call. */
export type AndonAction = 'acknowledge' | 'resolve' | 'cancel' | 'reopen';

/** Which calls `GET /api/v1/andon/calls` lists: `active` = open or acknowledged. */
export type CallStatusFilter = 'open' | 'active' | 'all';

/** A query for a line's calls. */
export interface CallsQuery {
  line: string;
  station?: string | undefined;
  status?: CallStatusFilter | undefined;
  kind?: string | undefined;
  /** A calendar range (`shift:current`, …) or explicit bounds, epoch ms. */
  range?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

/** One notification of the outbox, and a channel's health (core/andon/types.ts). */
export type DeliveryView = AndonDeliveryView;
export type ChannelView = AndonChannelView;

/** `GET /api/v1/andon/deliveries?line=`. */
export interface DeliveriesAnswer {
  deliveries: DeliveryView[];
  channels: ChannelView[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const STATUSES: ReadonlySet<unknown> = new Set(['open', 'acknowledged', 'resolved', 'cancelled']);

/** The fields every screen reads; a call without them is from a collector of another version. */
export function isCallView(v: unknown): v is AndonCallView {
  return (
    isObj(v) &&
    STATUSES.has(v.status) &&
    typeof v.priority === 'string' &&
    typeof v.tierRole === 'string' &&
    typeof v.id === 'string' &&
    typeof v.line === 'string' &&
    (v.station === null || typeof v.station === 'string') &&
    typeof v.kind === 'string' &&
    typeof v.status === 'string' &&
    typeof v.raisedAt === 'number' &&
    isObj(v.raisedBy) &&
    typeof v.tier === 'number' &&
    Array.isArray(v.escalations)
  );
}

function expectCall(body: Record<string, unknown>, what: string): AndonCallView {
  if (!isCallView(body.call)) throw new ApiError('invalid_response', `${what} did not return { call }`, 200, false);
  return body.call;
}

/** URL of `GET /api/v1/andon/calls` for `q`. */
export function callsUrl(q: CallsQuery, base = ''): string {
  const p = new URLSearchParams({ line: q.line });
  if (q.station) p.set('station', q.station);
  if (q.status) p.set('status', q.status);
  if (q.kind) p.set('kind', q.kind);
  if (q.from !== undefined && q.to !== undefined) {
    p.set('from', String(Math.round(q.from)));
    p.set('to', String(Math.round(q.to)));
  } else if (q.range) p.set('range', q.range);
  return `${base}/api/v1/andon/calls?${p.toString()}`;
}

/** `GET /api/v1/andon/config`. */
export async function fetchAndonConfig(fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<AndonConfig> {
  const body = await getJson(fetchFn, `${base}/api/v1/andon/config`, signal);
  if (!Array.isArray(body.kinds) || !Array.isArray(body.resolutionReasons)) {
    throw new ApiError('invalid_response', 'GET /api/v1/andon/config answered without kinds or resolutionReasons', 200, false);
  }
  const escalation = Array.isArray(body.escalation)
    ? body.escalation.filter((e): e is KindEscalation => isObj(e) && typeof e.kind === 'string' && Array.isArray(e.tiers) && e.tiers.every((t) => isObj(t) && typeof t.afterSeconds === 'number' && typeof t.role === 'string'))
    : [];
  return {
    kinds: body.kinds as AndonKindView[],
    priorities: (Array.isArray(body.priorities) ? body.priorities : []) as AndonPriority[],
    resolutionReasons: body.resolutionReasons as ResolutionReason[],
    escalation,
  };
}

/** `GET /api/v1/andon/calls`. */
export async function fetchCalls(q: CallsQuery, fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<AndonCallView[]> {
  const body = await getJson(fetchFn, callsUrl(q, base), signal);
  if (!Array.isArray(body.calls) || !body.calls.every(isCallView)) {
    throw new ApiError('invalid_response', 'GET /api/v1/andon/calls did not return { calls: [...] }', 200, false);
  }
  return body.calls;
}

/** `GET /api/v1/andon/call?id=`: one call and every action on it, oldest first. */
export async function fetchCall(
  id: string,
  fetchFn: FetchLike = globalThis.fetch,
  base = '',
  signal?: AbortSignal,
): Promise<{ call: AndonCallView; history: AuditEntry[]; deliveries: DeliveryView[] | null }> {
  const body = await getJson(fetchFn, `${base}/api/v1/andon/call?${new URLSearchParams({ id }).toString()}`, signal);
  const call = expectCall(body, 'GET /api/v1/andon/call');
  const history = Array.isArray(body.history) ? (body.history as AuditEntry[]) : [];
  // The call's own notifications, when the collector sends them (the line's outbox may have moved on).
  const deliveries = Array.isArray(body.deliveries) ? (body.deliveries as DeliveryView[]) : null;
  return { call, history: [...history].sort((a, b) => a.at - b.at), deliveries };
}

/** `POST /api/v1/andon/calls`: raises a call as the signed-in person. */
export async function raiseCall(
  input: { line: string; station?: string | null; kind: string; priority?: AndonPriority; note?: string },
  fetchFn: ApiFetchLike = globalThis.fetch,
  base = '',
): Promise<AndonCallView> {
  const body: Record<string, unknown> = { line: input.line, kind: input.kind };
  if (input.station) body.station = input.station;
  if (input.priority) body.priority = input.priority;
  if (input.note) body.note = input.note;
  return expectCall(await sendJson(fetchFn, 'POST', `${base}/api/v1/andon/calls`, body), 'POST /api/v1/andon/calls');
}

/** `POST /api/v1/andon/actions`: acknowledges, resolves, cancels or reopens a call; answers the call as it now is (reopen: the new call). */
export async function actOnCall(
  input: { call: string; action: AndonAction; reason?: string; note?: string },
  fetchFn: ApiFetchLike = globalThis.fetch,
  base = '',
): Promise<AndonCallView> {
  const body: Record<string, unknown> = { call: input.call, action: input.action };
  if (input.reason) body.reason = input.reason;
  if (input.note) body.note = input.note;
  return expectCall(await sendJson(fetchFn, 'POST', `${base}/api/v1/andon/actions`, body), 'POST /api/v1/andon/actions');
}

/** `GET /api/v1/andon/deliveries?line=`. */
export async function fetchDeliveries(line: string, fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<DeliveriesAnswer> {
  const body = await getJson(fetchFn, `${base}/api/v1/andon/deliveries?${new URLSearchParams({ line }).toString()}`, signal);
  if (!Array.isArray(body.deliveries) || !Array.isArray(body.channels)) {
    throw new ApiError('invalid_response', 'GET /api/v1/andon/deliveries answered without deliveries or channels', 200, false);
  }
  return { deliveries: body.deliveries as DeliveryView[], channels: body.channels as ChannelView[] };
}
