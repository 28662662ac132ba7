/**
 * Validation of one incoming event against protocol v1 and the plant's
 * configuration. Pure: the clock is passed in.
 */
import { StationEvent } from './events';
import { plantAndon, plantDefects, type PlantConfig } from './plant';
import { closestDefect } from './reasons/defects';
import { closestName } from './text/closest-name';

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
  const parsed = StationEvent.safeParse(raw);
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
