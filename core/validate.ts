/**
 * Validation of one incoming event against protocol v1 and the plant's
 * configuration. Pure: the clock is passed in.
 */
import { IDENTIFIER_PATTERN, StationEvent, UNIT_ID_PATTERN } from './events';
import { plantAndon, plantDefects, type PlantConfig } from './plant';
import { closestDefect } from './reasons/defects';
import { closestName } from './text/closest-name';
import { STATION_STATES } from './vocabulary';

/** Why an event was rejected: a stable code, the field, and a sentence for a person. */
export interface EventRejection {
  code: 'invalid' | 'too_far_in_future' | 'too_old' | 'unknown_line' | 'unknown_station' | 'unknown_partner' | 'unknown_entity' | 'unknown_defect';
  field: string;
  reason: string;
}

export type EventVerdict = { ok: true; event: StationEvent } | { ok: false; rejection: EventRejection };

export interface ValidationOptions {
  /** Wall-clock time of the collector, epoch ms. */
  now: number;
  /** Events stamped more than this far ahead of `now` are rejected. Milliseconds. */
  maxFutureMs: number;
  /** Events stamped more than this far before `now` are rejected. Milliseconds. */
  maxAgeMs: number;
  /** Lines and stations the plant knows; `null` accepts any well-formed identifier. */
  plant: PlantConfig | null;
}

/** Checks one decoded JSON value; never throws. */
export function validateEvent(raw: unknown, options: ValidationOptions): EventVerdict {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject('invalid', '', 'each event must be a JSON object with a "type" field');
  }
  // The common well-formed shapes skip zod (its per-event cost led the acknowledge path's profile); anything the
  // fast path is not sure of, every rejection among it, goes through zod and keeps zod's reason.
  const fast = wellFormedFast(raw);
  const parsed = fast ? ({ success: true, data: fast } as const) : StationEvent.safeParse(raw);
  if (!parsed.success) {
    // An unknown key first: a misspelt field (`cycletime`) also makes the real one missing, and the typo is the cause.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0];
    const field = issue ? issue.path.map(String).join('.') : '';
    let reason = issue?.message ?? 'invalid event';
    if (issue?.code === 'unrecognized_keys') reason = unknownFieldsReason(raw, issue.keys);
    return reject('invalid', field, reason);
  }
  const event = parsed.data;
  if (event.ts > options.now + options.maxFutureMs) {
    return reject(
      'too_far_in_future',
      'ts',
      `ts is ${Math.round((event.ts - options.now) / 1000)} s ahead of the collector's clock (limit ${options.maxFutureMs / 1000} s): check the station's clock`,
    );
  }
  if (event.ts < options.now - options.maxAgeMs) {
    return reject(
      'too_old',
      'ts',
      `ts is older than the accepted ${Math.round(options.maxAgeMs / 3_600_000)} h: resend recent events only`,
    );
  }
  if (options.plant && 'line' in event && event.line !== undefined) {
    const line = options.plant.lines.find((l) => l.id === event.line);
    if (!line) {
      return reject(
        'unknown_line',
        'line',
        `line '${event.line}' is not configured; known lines: ${options.plant.lines.map((l) => l.id).join(', ')}`,
      );
    }
    if ('station' in event && !line.stations.some((s) => s.id === event.station)) {
      return reject('unknown_station', 'station', `station '${event.station}' is not configured on line '${line.id}'`);
    }
    if ((event.type === 'unit' || event.type === 'cycle') && event.defect !== undefined) {
      const codes = plantDefects(options.plant).map((d) => d.code);
      if (!codes.includes(event.defect)) return reject('unknown_defect', 'defect', unknownDefectReason(event.defect, codes));
    }
    if (event.type === 'andon') {
      const kinds = plantAndon(options.plant).kinds.map((k) => k.id);
      if (!kinds.includes(event.kind)) return reject('invalid', 'kind', `andon kind '${event.kind}' is not configured; kinds: ${kinds.join(', ')}`);
    }
  }
  return { ok: true, event };
}

/** Field names protocol v1 defines, by event type (from the strict schemas themselves). */
const FIELDS_BY_TYPE: ReadonlyMap<string, readonly string[]> = new Map(
  StationEvent.options.map((schema) => [schema.shape.type.value, Object.keys(schema.shape)]),
);

/** "unknown field 'cycletime' (did you mean 'cycleTime'?)": each unknown key with the closest name its type defines. */
function unknownFieldsReason(raw: object, keys: readonly string[]): string {
  const type = (raw as { type?: unknown }).type;
  const known = typeof type === 'string' ? (FIELDS_BY_TYPE.get(type) ?? []) : [];
  const named = keys.map((key) => {
    const near = closestName(key, known);
    return near === null ? `'${key}'` : `'${key}' (did you mean '${near}'?)`;
  });
  return `unknown field(s) ${named.join(', ')}: protocol v1 does not define them for this type`;
}

/** "defect 'scrach' is not in the plant's defect catalogue; the closest known code is 'scratch' (codes: …)". */
function unknownDefectReason(sent: string, codes: readonly string[]): string {
  const closest = closestDefect(sent, codes);
  const list = codes.length > 20 ? `${codes.slice(0, 20).join(', ')}, …` : codes.join(', ');
  if (closest === null) return `defect '${sent}' is not in the plant's defect catalogue, which is empty: add \`defects\` to the plant file or send no defect`;
  return `defect '${sent}' is not in the plant's defect catalogue; the closest known code is '${closest}' (codes: ${list}; the plant file's \`defects\`)`;
}

function reject(code: EventRejection['code'], field: string, reason: string): EventVerdict {
  return { ok: false, rejection: { code, field, reason } };
}

type FieldCheck = (value: unknown) => boolean;

// The same rules as core/events.ts's schemas, for the fields of the fast shapes; validate.fast.test.ts holds both
// to the same verdict and the same output over generated valid and invalid events.
const EVENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
const FREE_TEXT_PATTERN = /^[^\p{Cc}\p{Cs}]*$/u;
const STATES: ReadonlySet<unknown> = new Set(STATION_STATES);
const isEpochMs: FieldCheck = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 946_684_800_000 && v <= 9_999_999_999_999;
const isEventId: FieldCheck = (v) => typeof v === 'string' && EVENT_ID_PATTERN.test(v);
const isIdentifier: FieldCheck = (v) => typeof v === 'string' && IDENTIFIER_PATTERN.test(v);
const isUnitId: FieldCheck = (v) => typeof v === 'string' && UNIT_ID_PATTERN.test(v);
const isResult: FieldCheck = (v) => v === 'ok' || v === 'nok';
const isCycleTime: FieldCheck = (v) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 86_400;
const isState: FieldCheck = (v) => STATES.has(v);
const isReason: FieldCheck = (v) => typeof v === 'string' && v.length <= 200 && FREE_TEXT_PATTERN.test(v);

interface FastShape {
  /** Field → check, in the schema's order (zod's output order). */
  fields: ReadonlyMap<string, FieldCheck>;
  required: readonly string[];
}

function fastShape(type: string, fields: [string, FieldCheck, 'required' | 'optional'][]): [string, FastShape] {
  const all: [string, FieldCheck, 'required' | 'optional'][] = [['type', (v) => v === type, 'required'], ['ts', isEpochMs, 'required'], ['id', isEventId, 'optional'], ...fields];
  return [type, { fields: new Map(all.map(([name, check]) => [name, check])), required: all.filter(([, , r]) => r === 'required').map(([name]) => name) }];
}

/** The event types stations send by the thousand, with epoch-millisecond `ts`. */
const FAST_SHAPES: ReadonlyMap<unknown, FastShape> = new Map([
  fastShape('cycle', [
    ['line', isIdentifier, 'required'],
    ['station', isIdentifier, 'required'],
    ['cycleTime', isCycleTime, 'required'],
    ['unit', isUnitId, 'optional'],
    ['result', isResult, 'optional'],
    ['defect', isIdentifier, 'optional'],
  ]),
  fastShape('state', [
    ['line', isIdentifier, 'required'],
    ['station', isIdentifier, 'required'],
    ['state', isState, 'required'],
    ['reason', isReason, 'optional'],
  ]),
  fastShape('unit', [
    ['line', isIdentifier, 'required'],
    ['unit', isUnitId, 'required'],
    ['model', isIdentifier, 'optional'],
    ['result', isResult, 'optional'],
    ['defect', isIdentifier, 'optional'],
  ]),
]);

/**
 * The event zod would return for a plain object of a fast shape whose every field is
 * well formed, built in the schema's field order; `null` for anything else (zod decides).
 */
export function wellFormedFast(raw: unknown): StationEvent | null {
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return null;
  const input = raw as Record<string, unknown>;
  const shape = FAST_SHAPES.get(input.type);
  if (!shape) return null;
  const keys = Object.keys(input);
  for (const key of keys) {
    const check = shape.fields.get(key);
    if (check === undefined || !check(input[key])) return null;
  }
  for (const key of shape.required) if (!Object.hasOwn(input, key)) return null;
  // Only the shape's own field names, each checked above: a plain object like zod's, in the schema's order.
  const entries: [string, unknown][] = [];
  for (const key of shape.fields.keys()) if (Object.hasOwn(input, key)) entries.push([key, input[key]]);
  return Object.fromEntries(entries) as StationEvent;
}
