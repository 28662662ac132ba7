/**
 * Station event protocol v1 (see docs/protocol.md): one schema per event type,
 * each with an inferred type of the same name. Pure: the clock is a parameter.
 */
import { z } from 'zod';
import { ROLES } from './andon/roles';
import { PARTNER_STATUSES, STATION_STATES, UNIT_RESULTS, type PartnerStatus, type StationState, type UnitResult } from './vocabulary';

/** Identifiers end up as InfluxDB tags and in InfluxQL: letters, digits, `_ . -` only. */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Unit ids (VINs, serials) are fields, but still printable and bounded. */
export const UNIT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/;
/** Free text (reasons, notes): printable, no control characters, bounded. */
const FREE_TEXT_PATTERN = /^[^\p{Cc}\p{Cs}]*$/u;
const RFC3339_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds before 2000-01-01 are almost always seconds sent by mistake. */
const EARLIEST_TS = 946_684_800_000;
/** Epoch milliseconds after the year 2286 are microseconds or nanoseconds. */
const LATEST_TS = 9_999_999_999_999;

export { PARTNER_STATUSES, STATION_STATES, UNIT_RESULTS };
export type { PartnerStatus, StationState, UnitResult };

const identifier = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .regex(IDENTIFIER_PATTERN, {
      error: `${what} must be 1–64 characters of letters, digits, '_', '.' or '-', starting with a letter or digit`,
    });

const unitId = z
  .string({ error: 'unit must be a string' })
  .regex(UNIT_ID_PATTERN, {
    error: "unit must be 1–64 characters of letters, digits, '_', '.', ':', '/' or '-' (a VIN or serial)",
  });

const freeText = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, { error: `${what} must be at most ${max} characters` })
    .regex(FREE_TEXT_PATTERN, { error: `${what} must not contain control characters` });

const finiteNumber = (what: string) =>
  z
    .number({
      error: (issue) =>
        typeof issue.input === 'number'
          ? `${what} must be a finite number (not NaN or Infinity)`
          : `${what} must be a number`,
    })
    .refine(Number.isFinite, { error: `${what} must be a finite number (not NaN or Infinity)` });

/** `ts`: epoch milliseconds or an RFC 3339 timestamp with offset; normalised to epoch ms. */
export const Timestamp = z.union(
  [
    finiteNumber('ts')
      .refine((n) => Number.isInteger(n), { error: 'ts in epoch milliseconds must be an integer' })
      .refine((n) => n >= EARLIEST_TS, {
        error: 'ts is before the year 2000: send epoch milliseconds, not seconds',
      })
      .refine((n) => n <= LATEST_TS, {
        error: 'ts is too large: send epoch milliseconds, not micro- or nanoseconds',
      }),
    z
      .string()
      .max(40, { error: 'ts string is too long for an RFC 3339 timestamp' })
      .regex(RFC3339_PATTERN, {
        error: 'ts must be epoch milliseconds or RFC 3339 with an offset, e.g. 2027-03-01T08:00:00+08:00',
      })
      .transform((s, ctx) => {
        const ms = Date.parse(s);
        if (!Number.isFinite(ms)) {
          ctx.addIssue({ code: 'custom', message: `ts '${s}' is not a real date` });
          return z.NEVER;
        }
        return ms;
      }),
  ],
  { error: 'ts must be epoch milliseconds (number) or an RFC 3339 string with offset' },
);

const base = {
  ts: Timestamp,
  id: z
    .string({ error: 'id must be a string' })
    .regex(/^[\x21-\x7e]{1,128}$/, { error: 'id must be 1–128 printable ASCII characters without spaces' })
    .optional(),
};

/** A station finished its work on one unit. */
export const CycleEvent = z.strictObject({
  type: z.literal('cycle'),
  ...base,
  line: identifier('line'),
  station: identifier('station'),
  cycleTime: finiteNumber('cycleTime')
    .refine((n) => n > 0, { error: 'cycleTime must be greater than 0 (seconds)' })
    .refine((n) => n <= 86_400, { error: 'cycleTime must be at most 86400 seconds (one day)' }),
  unit: unitId.optional(),
  result: z.enum(UNIT_RESULTS, { error: "result must be 'ok' or 'nok'" }).optional(),
  /** A nok's defect code, one of the plant's `defects` (docs/reasons.md); optional, v1 stays backward compatible. */
  defect: identifier('defect').optional(),
});
export type CycleEvent = z.infer<typeof CycleEvent>;

/** A station changed state. */
export const StateEvent = z.strictObject({
  type: z.literal('state'),
  ...base,
  line: identifier('line'),
  station: identifier('station'),
  state: z.enum(STATION_STATES, { error: `state must be one of ${STATION_STATES.join(', ')}` }),
  reason: freeText('reason', 200).optional(),
});
export type StateEvent = z.infer<typeof StateEvent>;

/** A unit left the end of the line (下线). */
export const UnitEvent = z.strictObject({
  type: z.literal('unit'),
  ...base,
  line: identifier('line'),
  unit: unitId,
  model: identifier('model').optional(),
  result: z.enum(UNIT_RESULTS, { error: "result must be 'ok' or 'nok'" }).optional(),
  /** A nok's defect code, one of the plant's `defects` (docs/reasons.md); optional. */
  defect: identifier('defect').optional(),
});
export type UnitEvent = z.infer<typeof UnitEvent>;

/** Order book snapshot from the ERP. */
export const OrdersEvent = z.strictObject({
  type: z.literal('orders'),
  ...base,
  total: finiteNumber('total').refine((n) => Number.isInteger(n) && n >= 0 && n <= 1e12, {
    error: 'total must be a whole number of orders between 0 and 10^12',
  }),
});
export type OrdersEvent = z.infer<typeof OrdersEvent>;

/** Supply-chain partner status. */
export const PartnerEvent = z.strictObject({
  type: z.literal('partner'),
  ...base,
  partner: identifier('partner'),
  status: z.enum(PARTNER_STATUSES, { error: `status must be one of ${PARTNER_STATUSES.join(', ')}` }),
  inventoryHours: finiteNumber('inventoryHours')
    .refine((n) => n >= 0 && n <= 100_000, { error: 'inventoryHours must be between 0 and 100000' })
    .optional(),
  onTimeRate: finiteNumber('onTimeRate')
    .refine((n) => n >= 0 && n <= 1, { error: 'onTimeRate must be a fraction between 0 and 1' })
    .optional(),
  note: freeText('note', 500).optional(),
});
export type PartnerEvent = z.infer<typeof PartnerEvent>;

/** Industrial output reported for the cluster goal. */
export const OutputEvent = z.strictObject({
  type: z.literal('output'),
  ...base,
  entity: identifier('entity'),
  period: z
    .string({ error: 'period must be a string' })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'period must be a month as YYYY-MM, e.g. 2027-03' }),
  value: finiteNumber('value').refine((n) => n >= 0 && n <= 1e15, {
    error: 'value must be between 0 and 10^15 yuan',
  }),
});
export type OutputEvent = z.infer<typeof OutputEvent>;

/** A pull cord or PLC button: a station raises (default) or cancels an andon call (docs/andon.md). */
export const AndonEvent = z.strictObject({
  type: z.literal('andon'),
  ...base,
  line: identifier('line'),
  station: identifier('station'),
  /** One of the plant's andon kinds (default maintenance, material, quality, help, safety). */
  kind: identifier('kind'),
  action: z.enum(['raise', 'cancel'], { error: "action must be 'raise' or 'cancel'" }).optional(),
});
export type AndonEvent = z.infer<typeof AndonEvent>;

export const EVENT_TYPES = ['cycle', 'state', 'unit', 'orders', 'partner', 'output', 'andon'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ANDON_CALL_ACTIONS = ['raise', 'acknowledge', 'escalate', 'resolve', 'cancel'] as const;
export type AndonCallAction = (typeof ANDON_CALL_ACTIONS)[number];
export const ANDON_PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;

/**
 * What a person, a station or a rule did to an andon call, as the collector
 * records it. Never accepted from a station (it is not in {@link StationEvent}'s
 * schema): the collector writes it after checking who may do what, through the
 * same spool, so the append-only log is the audit trail.
 */
export const AndonCallEvent = z.strictObject({
  type: z.literal('andon_call'),
  ts: Timestamp,
  /** `<call>.<step>`: each step of a call happens once, so a replay overwrites the same point. */
  id: z.string().regex(/^[\x21-\x7e]{1,128}$/, { error: 'id must be 1–128 printable ASCII characters' }),
  call: identifier('call'),
  action: z.enum(ANDON_CALL_ACTIONS, { error: `action must be one of ${ANDON_CALL_ACTIONS.join(', ')}` }),
  line: identifier('line'),
  station: identifier('station').optional(),
  actorKind: z.enum(['person', 'station', 'rule']),
  actorId: identifier('actorId'),
  actorName: freeText('actorName', 120),
  /** raise: the call's kind and priority. */
  kind: identifier('kind').optional(),
  priority: z.enum(ANDON_PRIORITIES).optional(),
  note: freeText('note', 500).optional(),
  /** resolve: one of the plant's resolution reasons. */
  reason: identifier('reason').optional(),
  /** raise (0) and escalate: the tier reached and its role. */
  tier: z.number().int().min(0).max(50).optional(),
  role: z.enum(ROLES).optional(),
  /** raise: the call this one reopens. */
  reopens: identifier('reopens').optional(),
  /** raise by a rule: the rule and the episode it is for (one call per episode). */
  rule: identifier('rule').optional(),
  episode: freeText('episode', 200).optional(),
});
export type AndonCallEvent = z.infer<typeof AndonCallEvent>;

/**
 * A person with the `editRules` permission replaced the andon rules (or, with
 * `rules` absent, went back to the plant file's). The collector's own event,
 * like {@link AndonCallEvent}: the newest one decides the rules at start.
 */
export const AndonRulesEvent = z.strictObject({
  type: z.literal('andon_rules'),
  ts: Timestamp,
  id: z.string().regex(/^[\x21-\x7e]{1,128}$/, { error: 'id must be 1–128 printable ASCII characters' }),
  actorKind: z.literal('person'),
  actorId: identifier('actorId'),
  actorName: freeText('actorName', 120),
  /** The rules as JSON (checked against the plant when written and when read). */
  rules: z.string().max(60_000).optional(),
});
export type AndonRulesEvent = z.infer<typeof AndonRulesEvent>;

/**
 * A person classified a stop record (docs/reasons.md): one reason for the
 * whole stop, or, with `splitAt`, `reason` before and `reason2` from that
 * instant. The collector's own event, like {@link AndonCallEvent}: checked
 * against the plant's tree and the person's role before it is appended; a
 * correction is a new event that names the one it supersedes.
 */
export const StopReasonEvent = z.strictObject({
  type: z.literal('stop_reason'),
  ts: Timestamp,
  id: z.string().regex(/^[\x21-\x7e]{1,128}$/, { error: 'id must be 1–128 printable ASCII characters' }),
  /** The stop record's id: `<station>.<start in base 36>`. */
  stop: z.string({ error: 'stop must be a string' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\.[0-9a-z]{1,12}$/, { error: 'stop must be a stop id: <station>.<start in base 36>' }),
  line: identifier('line'),
  station: identifier('station'),
  reason: identifier('reason'),
  category: identifier('category'),
  splitAt: finiteNumber('splitAt').refine((n) => Number.isInteger(n) && n >= EARLIEST_TS && n <= LATEST_TS, { error: 'splitAt must be epoch milliseconds' }).optional(),
  reason2: identifier('reason2').optional(),
  category2: identifier('category2').optional(),
  /** The classification event this one replaces. */
  supersedes: z.string().regex(/^[\x21-\x7e]{1,128}$/).optional(),
  actorKind: z.literal('person'),
  actorId: identifier('actorId'),
  actorName: freeText('actorName', 120),
  role: z.enum(ROLES),
  note: freeText('note', 500).optional(),
});
export type StopReasonEvent = z.infer<typeof StopReasonEvent>;

export const HANDOVER_ACTIONS = ['note', 'sign', 'acknowledge', 'correct'] as const;
export type HandoverAction = (typeof HANDOVER_ACTIONS)[number];

/** A shift key as core/calendar writes it: `<production day>/<shift id>`. */
export const SHIFT_KEY_PATTERN = /^\d{4}-\d{2}-\d{2}\/[A-Za-z0-9_-]{1,40}$/;
/** Notes are several lines: printable text and line breaks, nothing else. */
const NOTES_PATTERN = /^(?:[^\p{Cc}\p{Cs}]|\n)*$/u;

/**
 * A step of a shift report's handover (docs/reports.md): the outgoing
 * supervisor's notes (`note`, the whole text each time) and signature
 * (`sign`), the incoming one's acknowledgement (`acknowledge`), and a
 * correction of a signed version (`correct`: version `version` supersedes
 * `supersedes`, `note` says why). The collector's own event, like
 * {@link AndonCallEvent}: checked against the report's state and the
 * person's role before it is appended.
 */
export const ReportHandoverEvent = z.strictObject({
  type: z.literal('report_handover'),
  ts: Timestamp,
  id: z.string().regex(/^[\x21-\x7e]{1,128}$/, { error: 'id must be 1–128 printable ASCII characters' }),
  line: identifier('line'),
  shift: z.string({ error: 'shift must be a string' }).regex(SHIFT_KEY_PATTERN, { error: 'shift must be a shift key <production day>/<shift id>' }),
  version: z.number({ error: 'version must be a number' }).int().min(1).max(999),
  action: z.enum(HANDOVER_ACTIONS, { error: `action must be one of ${HANDOVER_ACTIONS.join(', ')}` }),
  actorKind: z.literal('person'),
  actorId: identifier('actorId'),
  actorName: freeText('actorName', 120),
  role: z.enum(ROLES),
  note: z.string().max(4000, { error: 'note must be at most 4000 characters' }).regex(NOTES_PATTERN, { error: 'note must not contain control characters other than line breaks' }).optional(),
  /** correct: the version this one replaces. */
  supersedes: z.number().int().min(1).max(998).optional(),
});
export type ReportHandoverEvent = z.infer<typeof ReportHandoverEvent>;

/**
 * A person gave a nok unit its defect code (docs/reasons.md): the line-end
 * unit (no `station`) or the unit's nok cycle at `station`. The collector's
 * own event, checked against the plant's defect catalogue and the unit's
 * result before it is appended; a correction names the one it supersedes.
 */
export const UnitDefectEvent = z.strictObject({
  type: z.literal('unit_defect'),
  ts: Timestamp,
  id: z.string().regex(/^[\x21-\x7e]{1,128}$/, { error: 'id must be 1–128 printable ASCII characters' }),
  line: identifier('line'),
  unit: unitId,
  station: identifier('station').optional(),
  defect: identifier('defect'),
  /** The defect event this one replaces. */
  supersedes: z.string().regex(/^[\x21-\x7e]{1,128}$/).optional(),
  actorKind: z.literal('person'),
  actorId: identifier('actorId'),
  actorName: freeText('actorName', 120),
  role: z.enum(ROLES),
});
export type UnitDefectEvent = z.infer<typeof UnitDefectEvent>;

/** Any station event of protocol v1, after validation (`ts` in epoch ms). */
export const StationEvent = z.discriminatedUnion(
  'type',
  [CycleEvent, StateEvent, UnitEvent, OrdersEvent, PartnerEvent, OutputEvent, AndonEvent],
  { error: `type must be one of ${EVENT_TYPES.join(', ')}` },
);
/**
 * An event as the collector stores it: what a station may send (the schema
 * above) or one of the collector's own {@link AndonCallEvent}s. The spool,
 * the InfluxDB writer and the live board carry both.
 */
export type StationEvent = z.infer<typeof StationEvent> | AndonCallEvent | AndonRulesEvent | StopReasonEvent | ReportHandoverEvent | UnitDefectEvent;
/** What a station sends: `ts` may still be an RFC 3339 string. */
export type StationEventInput = z.input<typeof StationEvent>;

/** Checks one of the collector's own events against its schema before it is appended; the reason names the field. */
export function checkCollectorEvent(event: AndonCallEvent | AndonRulesEvent | StopReasonEvent | ReportHandoverEvent | UnitDefectEvent): { ok: true } | { ok: false; reason: string } {
  const parsed =
    event.type === 'andon_call'
      ? AndonCallEvent.safeParse(event)
      : event.type === 'andon_rules'
        ? AndonRulesEvent.safeParse(event)
        : event.type === 'report_handover'
          ? ReportHandoverEvent.safeParse(event)
        : event.type === 'unit_defect'
          ? UnitDefectEvent.safeParse(event)
          : StopReasonEvent.safeParse(event);
  if (parsed.success) return { ok: true };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` };
}

/** The collector's own events, which no station may send. */
export function isCollectorEvent(event: StationEvent): event is AndonCallEvent | AndonRulesEvent | StopReasonEvent | ReportHandoverEvent | UnitDefectEvent {
  return event.type === 'andon_call' || event.type === 'andon_rules' || event.type === 'stop_reason' || event.type === 'report_handover' || event.type === 'unit_defect';
}
