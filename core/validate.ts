/**
 * Validation of one incoming event against protocol v1 and the plant's
 * configuration. Pure: the clock is passed in.
 */
import { StationEvent } from './events';
import { plantAndon, type PlantConfig } from './plant';

/** Why an event was rejected: a stable code, the field, and a sentence for a person. */
export interface EventRejection {
  code: 'invalid' | 'too_far_in_future' | 'too_old' | 'unknown_line' | 'unknown_station' | 'unknown_partner' | 'unknown_entity';
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
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.map(String).join('.') : '';
    let reason = issue?.message ?? 'invalid event';
    if (issue?.code === 'unrecognized_keys') {
      reason = `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}: protocol v1 does not define them for this type`;
    }
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
    if (event.type === 'andon') {
      const kinds = plantAndon(options.plant).kinds.map((k) => k.id);
      if (!kinds.includes(event.kind)) return reject('invalid', 'kind', `andon kind '${event.kind}' is not configured; kinds: ${kinds.join(', ')}`);
    }
  }
  return { ok: true, event };
}

function reject(code: EventRejection['code'], field: string, reason: string): EventVerdict {
  return { ok: false, rejection: { code, field, reason } };
}
