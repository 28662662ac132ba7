/**
 * Validation of one incoming event against protocol v1 and the plant's
 * configuration. Pure: the clock is passed in.
 */
import { IDENTIFIER_PATTERN, StationEvent, UNIT_ID_PATTERN, type CycleEvent, type StateEvent, type UnitEvent } from './events';
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

/**
 * `asSent`: the event is the item as it came, value for value (the same fields, the same values, only perhaps in
 * another key order), so the item's own JSON text encodes it and need not be written out again (the spool keeps a
 * request's bytes then). False when validation changed anything (an RFC 3339 `ts` became epoch ms) or cannot say.
 */
export type EventVerdict = { ok: true; event: StationEvent; asSent: boolean } | { ok: false; rejection: EventRejection };

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
  // The common well-formed shapes skip zod (about 7 % of the acknowledge path's CPU in bench/ingest); anything the
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
  // The fast path returns a copy of exactly the item's fields (it counts them), unchanged; zod's output may differ.
  return { ok: true, event, asSent: fast !== null };
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

// The same rules as core/events.ts's schemas for the fields of the fast shapes; validate.fast.test.ts holds both to
// the same verdict and the same output over generated valid and invalid events. Written out per type, with plain
// property reads, because that is what makes it cheaper than zod's compiled parser.
const EVENT_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
const FREE_TEXT_PATTERN = /^[^\p{Cc}\p{Cs}]*$/u;
const STATES: ReadonlySet<unknown> = new Set(STATION_STATES);
const isEpochMs = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 946_684_800_000 && v <= 9_999_999_999_999;
const isIdentifier = (v: unknown): v is string => typeof v === 'string' && IDENTIFIER_PATTERN.test(v);
const isUnitId = (v: unknown): v is string => typeof v === 'string' && UNIT_ID_PATTERN.test(v);
const isResult = (v: unknown): v is 'ok' | 'nok' => v === 'ok' || v === 'nok';
/** An optional field: absent, or an own property that passes `check`. */
const optional = (input: object, key: string, value: unknown, check: (v: unknown) => boolean): boolean => value === undefined ? !(key in input) : check(value) && Object.hasOwn(input, key);

interface Fields {
  type?: unknown;
  ts?: unknown;
  id?: unknown;
  line?: unknown;
  station?: unknown;
  cycleTime?: unknown;
  unit?: unknown;
  result?: unknown;
  defect?: unknown;
  state?: unknown;
  reason?: unknown;
  model?: unknown;
}

/**
 * The event zod would return for a plain object of the types stations send by the thousand (cycle, state, unit,
 * with epoch-ms `ts`) whose every field is well formed, with its fields in the schema's order; `null` for anything
 * else (zod decides, and words any rejection).
 */
export function wellFormedFast(raw: unknown): StationEvent | null {
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return null;
  const input = raw as Fields;
  const { type, ts, id } = input;
  if (!isEpochMs(ts) || !Object.hasOwn(input, 'type') || !Object.hasOwn(input, 'ts') || !optional(input, 'id', id, (v) => typeof v === 'string' && EVENT_ID_PATTERN.test(v))) return null;
  let fields = 2 + (id === undefined ? 0 : 1);
  if (type === 'cycle') {
    const { line, station, cycleTime, unit, result, defect } = input;
    if (!isIdentifier(line) || !isIdentifier(station) || typeof cycleTime !== 'number' || !(cycleTime > 0 && cycleTime <= 86_400)) return null;
    if (!Object.hasOwn(input, 'line') || !Object.hasOwn(input, 'station') || !Object.hasOwn(input, 'cycleTime')) return null;
    if (!optional(input, 'unit', unit, isUnitId) || !optional(input, 'result', result, isResult) || !optional(input, 'defect', defect, isIdentifier)) return null;
    fields += 3 + (unit === undefined ? 0 : 1) + (result === undefined ? 0 : 1) + (defect === undefined ? 0 : 1);
    if (Object.keys(input).length !== fields) return null;
    const event: CycleEvent = id === undefined ? { type, ts, line, station, cycleTime } : { type, ts, id: id as string, line, station, cycleTime };
    if (unit !== undefined) event.unit = unit as string;
    if (result !== undefined) event.result = result as 'ok' | 'nok';
    if (defect !== undefined) event.defect = defect as string;
    return event;
  }
  if (type === 'state') {
    const { line, station, state, reason } = input;
    if (!isIdentifier(line) || !isIdentifier(station) || !STATES.has(state) || !Object.hasOwn(input, 'line') || !Object.hasOwn(input, 'station') || !Object.hasOwn(input, 'state')) return null;
    if (!optional(input, 'reason', reason, (v) => typeof v === 'string' && v.length <= 200 && FREE_TEXT_PATTERN.test(v))) return null;
    fields += 3 + (reason === undefined ? 0 : 1);
    if (Object.keys(input).length !== fields) return null;
    const event: StateEvent = id === undefined ? { type, ts, line, station, state: state as StateEvent['state'] } : { type, ts, id: id as string, line, station, state: state as StateEvent['state'] };
    if (reason !== undefined) event.reason = reason as string;
    return event;
  }
  if (type === 'unit') {
    const { line, unit, model, result, defect } = input;
    if (!isIdentifier(line) || !isUnitId(unit) || !Object.hasOwn(input, 'line') || !Object.hasOwn(input, 'unit')) return null;
    if (!optional(input, 'model', model, isIdentifier) || !optional(input, 'result', result, isResult) || !optional(input, 'defect', defect, isIdentifier)) return null;
    fields += 2 + (model === undefined ? 0 : 1) + (result === undefined ? 0 : 1) + (defect === undefined ? 0 : 1);
    if (Object.keys(input).length !== fields) return null;
    const event: UnitEvent = id === undefined ? { type, ts, line, unit } : { type, ts, id: id as string, line, unit };
    if (model !== undefined) event.model = model as string;
    if (result !== undefined) event.result = result as 'ok' | 'nok';
    if (defect !== undefined) event.defect = defect as string;
    return event;
  }
  return null;
}
