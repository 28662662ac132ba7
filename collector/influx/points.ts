/**
 * How events become InfluxDB points. `line`, `station`, `partner` and
 * `entity` are tags (bounded sets); unit ids, reasons and notes are fields,
 * and so are an andon call's id, actor, kind, note and reason.
 *
 * Timestamps are nanoseconds: the event's millisecond plus a sub-millisecond
 * offset derived from the event's identity. A replay of the same event lands on
 * the same series and nanosecond (an overwrite, not a second point), while two
 * different events in the same millisecond on the same series both survive.
 */
import { Point } from '@influxdata/influxdb-client';
import type { StationEvent } from '../../core/events';
import { encodeBuckets, encodeDown, ROLLUP_VERSION, type HourRollup } from '../../core/kpi/hour-summary';
import { encodeConstraintCycles } from '../../core/kpi/loss-rollup';
import { encodeStopPiece } from '../../core/reasons/stop-rollup';
import { TIMELINE_STATES } from '../../core/kpi/states';
import type { LossPiece, StarvedPart } from '../../core/loss/loss-pieces';

/** Measurement names, one per event type. */
export const MEASUREMENTS = {
  cycle: 'cycle',
  state: 'state',
  unit: 'unit',
  orders: 'orders',
  partner: 'partner',
  output: 'output',
  andon: 'andon',
  andon_call: 'andon_call',
  andon_rules: 'andon_rules',
  stop_reason: 'stop_reason',
  report_handover: 'report_handover',
  unit_defect: 'unit_defect',
} as const satisfies Record<StationEvent['type'], string>;

/** Printable ASCII without `"` and `\`: JSON.stringify only adds the quotes. */
const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * The event's identity: its content without `id`. A repeat sent once with an
 * `id` and once without lands on the same point, so InfluxQL counts it once, as
 * /api/v1/kpi does; two events that differ in anything but `id` stay apart.
 */
export function eventIdentity(event: StationEvent): string {
  // The identity decides the point's nanosecond, so its text must never change (a replay must land on the same
  // point): exactly `JSON.stringify(content, sortedKeys)`, built by hand for flat events (every event v1 defines)
  // because the replacer-array path of JSON.stringify was the collector's top function in bench/ingest's profile.
  const keys = Object.keys(event).sort();
  const values = event as unknown as Record<string, unknown>;
  let out = 'content:{';
  let first = true;
  for (const key of keys) {
    if (key === 'id') continue;
    const value = values[key];
    let text: string;
    if (typeof value === 'string') text = PLAIN_JSON_STRING.test(value) ? `"${value}"` : JSON.stringify(value);
    else if (typeof value === 'number') text = JSON.stringify(value);
    else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    else if (value === undefined) continue;
    else return eventIdentityBySort(event); // nested, null or anything else: the general path
    out += `${first ? '' : ','}${PLAIN_JSON_STRING.test(key) ? `"${key}"` : JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/** The identity as first defined, for any value: what {@link eventIdentity} must equal. */
export function eventIdentityBySort(event: StationEvent): string {
  const { id: _id, ...content } = event;
  return `content:${JSON.stringify(content, Object.keys(content).sort())}`;
}

/** FNV-1a, 32 bit: cheap and stable across processes and versions. `hash` continues a hash of text before this one. */
function fnv1a(text: string, hash = 0x811c9dc5): number {
  let h = hash;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const FNV_CONTENT = fnv1a('content:{');
const FNV_QUOTE = 0x22;

/** One UTF-16 unit into an FNV-1a hash. */
const fnvUnit = (hash: number, unit: number) => Math.imul(hash ^ unit, 0x01000193) >>> 0;

/**
 * `fnv1a(eventIdentity(event))` without building the identity's text: the
 * same characters fed to the hash piece by piece (points.test.ts compares
 * both over generated events). The identity string was the acknowledge
 * path's largest allocation per event after the event itself.
 *
 * The events of a batch mostly share their keys in the same order (one
 * sender's JSON): the keys sorted, with their quoted text, are kept for the
 * last key list seen and reused while the next event's keys are the same,
 * in the same order. A string value is hashed as it is checked (one pass,
 * not a test and then a hash), a safe integer digit by digit (no text).
 */
export function identityHash(event: StationEvent): number {
  const keys = sortedIdentityKeys(event);
  if (keys === null) return fnv1a(eventIdentityBySort(event));
  const values = event as unknown as Record<string, unknown>;
  let hash = FNV_CONTENT;
  let first = true;
  for (const { key, text } of keys) {
    const value = values[key];
    if (value === undefined) continue;
    if (!first) hash = fnvUnit(hash, 0x2c); // ,
    first = false;
    hash = fnv1a(text, hash); // "key":
    if (typeof value === 'string') hash = hashJsonString(value, hash);
    else if (typeof value === 'number') hash = Number.isSafeInteger(value) ? hashSafeInteger(value, hash) : fnv1a(JSON.stringify(value), hash);
    else if (typeof value === 'boolean') hash = fnv1a(value ? 'true' : 'false', hash);
    else return fnv1a(eventIdentityBySort(event)); // nested, null or anything else: the general path
  }
  return fnvUnit(hash, 0x7d); // }
}

/** A key of the identity in sorted order, with the text it adds before its value: `"key":` as JSON writes it. */
interface IdentityKey {
  key: string;
  text: string;
}

/** The last event's own key list and its identity keys (sorted, without `id`). */
let lastKeys: string[] = [];
let lastIdentityKeys: readonly IdentityKey[] = [];

/** The event's keys sorted, without `id`, each with its text; the last list again when its keys are the same, in the same order. */
function sortedIdentityKeys(event: StationEvent): readonly IdentityKey[] | null {
  const keys = Object.keys(event);
  if (keys.length === lastKeys.length) {
    let same = true;
    for (let i = 0; i < keys.length; i += 1) {
      if (keys[i] !== lastKeys[i]) {
        same = false;
        break;
      }
    }
    if (same) return lastIdentityKeys;
  }
  const identity: IdentityKey[] = [];
  for (const key of [...keys].sort()) {
    if (key === 'id') continue;
    identity.push({ key, text: `${PLAIN_JSON_STRING.test(key) ? `"${key}"` : JSON.stringify(key)}:` });
  }
  lastKeys = keys;
  lastIdentityKeys = identity;
  return identity;
}

/** `fnv1a(JSON.stringify(value), hash)`: a plain string (PLAIN_JSON_STRING) is hashed as it is read, quotes around it. */
function hashJsonString(value: string, hash: number): number {
  let h = fnvUnit(hash, FNV_QUOTE);
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    // Outside printable ASCII, or `"` or `\`: JSON escapes it, so hash what JSON.stringify writes instead.
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return fnv1a(JSON.stringify(value), hash);
    h = Math.imul(h ^ c, 0x01000193) >>> 0;
  }
  return fnvUnit(h, FNV_QUOTE);
}

const DIGITS = new Uint8Array(16);

/** `fnv1a(JSON.stringify(value), hash)` for a safe integer (-0 is written `0`, as JSON writes it). */
function hashSafeInteger(value: number, hash: number): number {
  let h = hash;
  let rest = value;
  if (rest < 0) {
    h = fnvUnit(h, 0x2d); // -
    rest = -rest;
  }
  let n = 0;
  do {
    DIGITS[n] = rest % 10;
    n += 1;
    rest = Math.floor(rest / 10);
  } while (rest > 0);
  while (n > 0) {
    n -= 1;
    h = fnvUnit(h, 0x30 + (DIGITS[n] as number));
  }
  return h;
}

/** The hash as fed piece by piece before {@link identityHash} kept its keys and read each value once: what it must equal. */
export function identityHashByPieces(event: StationEvent): number {
  const keys = Object.keys(event).sort();
  const values = event as unknown as Record<string, unknown>;
  let hash = FNV_CONTENT;
  let first = true;
  for (const key of keys) {
    if (key === 'id') continue;
    const value = values[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return fnv1a(eventIdentityBySort(event));
    if (!first) hash = fnvUnit(hash, 0x2c); // ,
    first = false;
    if (PLAIN_JSON_STRING.test(key)) hash = fnvUnit(fnv1a(key, fnvUnit(hash, FNV_QUOTE)), FNV_QUOTE);
    else hash = fnv1a(JSON.stringify(key), hash);
    hash = fnvUnit(hash, 0x3a); // :
    if (typeof value === 'string') {
      if (PLAIN_JSON_STRING.test(value)) hash = fnvUnit(fnv1a(value, fnvUnit(hash, FNV_QUOTE)), FNV_QUOTE);
      else hash = fnv1a(JSON.stringify(value), hash);
    } else if (typeof value === 'number') hash = fnv1a(JSON.stringify(value), hash);
    else hash = fnv1a(value ? 'true' : 'false', hash);
  }
  return fnvUnit(hash, 0x7d); // }
}

/** Nanosecond timestamp as a decimal string (beyond 2^53, so never a number). */
export function pointTimestampNs(event: StationEvent): string {
  const subMs = identityHash(event) % 1_000_000;
  return `${event.ts}${String(subMs).padStart(6, '0')}`;
}

/** The nanosecond as first computed, from the identity's text: what {@link pointTimestampNs} must equal. */
export function pointTimestampNsByText(event: StationEvent): string {
  const subMs = fnv1a(eventIdentity(event)) % 1_000_000;
  return `${event.ts}${String(subMs).padStart(6, '0')}`;
}

/** Converts one validated event to its point. */
export function eventToPoint(event: StationEvent): Point {
  const point = new Point(MEASUREMENTS[event.type]).timestamp(pointTimestampNs(event));
  if (event.id !== undefined) point.stringField('id', event.id);
  switch (event.type) {
    case 'cycle':
      point.tag('line', event.line).tag('station', event.station).floatField('cycleTime', event.cycleTime);
      if (event.unit !== undefined) point.stringField('unit', event.unit);
      point.stringField('result', event.result ?? 'ok');
      if (event.defect !== undefined) point.stringField('defect', event.defect);
      break;
    case 'state':
      point.tag('line', event.line).tag('station', event.station).stringField('state', event.state);
      if (event.reason !== undefined) point.stringField('reason', event.reason);
      break;
    case 'unit':
      point.tag('line', event.line).stringField('unit', event.unit).stringField('result', event.result ?? 'ok');
      // 1 for a good unit, 0 for a reject: lets InfluxQL sum good units.
      point.intField('good', event.result === 'nok' ? 0 : 1);
      if (event.model !== undefined) point.stringField('model', event.model);
      if (event.defect !== undefined) point.stringField('defect', event.defect);
      break;
    case 'orders':
      point.intField('total', event.total);
      break;
    case 'partner':
      point.tag('partner', event.partner).stringField('status', event.status);
      if (event.inventoryHours !== undefined) point.floatField('inventoryHours', event.inventoryHours);
      if (event.onTimeRate !== undefined) point.floatField('onTimeRate', event.onTimeRate);
      if (event.note !== undefined) point.stringField('note', event.note);
      break;
    case 'output':
      point.tag('entity', event.entity).stringField('period', event.period).floatField('value', event.value);
      break;
    case 'andon':
      point.tag('line', event.line).tag('station', event.station).stringField('kind', event.kind).stringField('action', event.action ?? 'raise');
      break;
    case 'andon_call':
      point.tag('line', event.line);
      if (event.station !== undefined) point.tag('station', event.station);
      point
        .stringField('call', event.call)
        .stringField('action', event.action)
        .stringField('actorKind', event.actorKind)
        .stringField('actorId', event.actorId)
        .stringField('actorName', event.actorName);
      if (event.kind !== undefined) point.stringField('kind', event.kind);
      if (event.priority !== undefined) point.stringField('priority', event.priority);
      if (event.note !== undefined) point.stringField('note', event.note);
      if (event.reason !== undefined) point.stringField('reason', event.reason);
      if (event.tier !== undefined) point.intField('tier', event.tier);
      if (event.role !== undefined) point.stringField('role', event.role);
      if (event.reopens !== undefined) point.stringField('reopens', event.reopens);
      if (event.rule !== undefined) point.stringField('rule', event.rule);
      if (event.episode !== undefined) point.stringField('episode', event.episode);
      break;
    case 'andon_rules':
      point.stringField('actorKind', event.actorKind).stringField('actorId', event.actorId).stringField('actorName', event.actorName);
      // Absent: back to the plant file's rules; an empty string says so in a field InfluxDB keeps.
      point.stringField('rules', event.rules ?? '');
      break;
    case 'stop_reason':
      point.tag('line', event.line).tag('station', event.station);
      point
        .stringField('stop', event.stop)
        .stringField('reason', event.reason)
        .stringField('category', event.category)
        .stringField('actorKind', event.actorKind)
        .stringField('actorId', event.actorId)
        .stringField('actorName', event.actorName)
        .stringField('role', event.role);
      if (event.splitAt !== undefined) point.intField('splitAt', event.splitAt);
      if (event.reason2 !== undefined) point.stringField('reason2', event.reason2);
      if (event.category2 !== undefined) point.stringField('category2', event.category2);
      if (event.supersedes !== undefined) point.stringField('supersedes', event.supersedes);
      if (event.note !== undefined) point.stringField('note', event.note);
      break;
    case 'report_handover':
      point.tag('line', event.line);
      point
        .stringField('shift', event.shift)
        .intField('version', event.version)
        .stringField('action', event.action)
        .stringField('actorKind', event.actorKind)
        .stringField('actorId', event.actorId)
        .stringField('actorName', event.actorName)
        .stringField('role', event.role);
      if (event.note !== undefined) point.stringField('note', event.note);
      if (event.supersedes !== undefined) point.intField('supersedes', event.supersedes);
      break;
    case 'unit_defect':
      // The unit is a field, not a tag: one series per line and station however many units.
      point.tag('line', event.line);
      if (event.station !== undefined) point.tag('station', event.station);
      point
        .stringField('unit', event.unit)
        .stringField('defect', event.defect)
        .stringField('actorKind', event.actorKind)
        .stringField('actorId', event.actorId)
        .stringField('actorName', event.actorName)
        .stringField('role', event.role);
      if (event.supersedes !== undefined) point.stringField('supersedes', event.supersedes);
      break;
  }
  return point;
}

/** What the client's Point escapes in a tag value (and how): InfluxDB 1.x's comma, space and equals sign, plus line breaks and tabs. */
const TAG_ESCAPES: ReadonlyMap<string, string> = new Map([
  [',', '\\,'],
  [' ', '\\ '],
  ['=', '\\='],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);
const TAG_SPECIAL = /[, =\n\r\t]/g;
const STRING_SPECIAL = /["\\]/g;

/** `,key=value` with the value escaped; nothing for an empty value (the client drops empty tags). */
function tag(key: string, value: string): string {
  if (!value) return '';
  TAG_SPECIAL.lastIndex = 0;
  return TAG_SPECIAL.test(value) ? `,${key}=${value.replace(TAG_SPECIAL, (c) => TAG_ESCAPES.get(c) ?? c)}` : `,${key}=${value}`;
}

/** `,key="value"` with `"` and `\` escaped; nothing for null or undefined, as the client's stringField. */
function str(key: string, value: string | null | undefined): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : String(value);
  STRING_SPECIAL.lastIndex = 0;
  return STRING_SPECIAL.test(text) ? `,${key}="${text.replace(STRING_SPECIAL, '\\$&')}"` : `,${key}="${text}"`;
}

/** `,key=1.5`; throws for a value that is not finite, as the client's floatField. */
function float(key: string, value: number): string {
  const n = typeof value === 'number' ? value : parseFloat(value);
  if (!Number.isFinite(n)) throw new Error(`invalid float value for field '${key}': ${value}`);
  return `,${key}=${String(n)}`;
}

/** `,key=3i`; throws outside the 64-bit range, as the client's intField. */
function int(key: string, value: number): string {
  const n = typeof value === 'number' ? value : parseInt(String(value));
  if (Number.isNaN(n) || n <= -9223372036854776e3 || n >= 9223372036854776e3) throw new Error(`invalid integer value for field '${key}': '${value}'!`);
  return `,${key}=${Math.floor(n)}i`;
}

/**
 * One validated event as a line of line protocol, without building a Point:
 * exactly what `eventToPoint(event).toLineProtocol()` gives (points.test.ts
 * compares both over generated events), which is tags and fields each in
 * sorted key order. So the fields below are written in sorted order, by hand.
 */
export function eventToLine(event: StationEvent): string | undefined {
  let tags: string;
  let fields: string;
  const id = event.id !== undefined ? str('id', event.id) : '';
  switch (event.type) {
    case 'cycle':
      tags = tag('line', event.line) + tag('station', event.station);
      fields =
        float('cycleTime', event.cycleTime) +
        (event.defect !== undefined ? str('defect', event.defect) : '') +
        id +
        str('result', event.result ?? 'ok') +
        (event.unit !== undefined ? str('unit', event.unit) : '');
      break;
    case 'state':
      tags = tag('line', event.line) + tag('station', event.station);
      fields = id + (event.reason !== undefined ? str('reason', event.reason) : '') + str('state', event.state);
      break;
    case 'unit':
      tags = tag('line', event.line);
      fields =
        (event.defect !== undefined ? str('defect', event.defect) : '') +
        int('good', event.result === 'nok' ? 0 : 1) +
        id +
        (event.model !== undefined ? str('model', event.model) : '') +
        str('result', event.result ?? 'ok') +
        str('unit', event.unit);
      break;
    case 'orders':
      tags = '';
      fields = id + int('total', event.total);
      break;
    case 'partner':
      tags = tag('partner', event.partner);
      fields =
        id +
        (event.inventoryHours !== undefined ? float('inventoryHours', event.inventoryHours) : '') +
        (event.note !== undefined ? str('note', event.note) : '') +
        (event.onTimeRate !== undefined ? float('onTimeRate', event.onTimeRate) : '') +
        str('status', event.status);
      break;
    case 'output':
      tags = tag('entity', event.entity);
      fields = id + str('period', event.period) + float('value', event.value);
      break;
    case 'andon':
      tags = tag('line', event.line) + tag('station', event.station);
      fields = str('action', event.action ?? 'raise') + id + str('kind', event.kind);
      break;
    case 'andon_call':
      tags = tag('line', event.line) + (event.station !== undefined ? tag('station', event.station) : '');
      fields =
        str('action', event.action) +
        str('actorId', event.actorId) +
        str('actorKind', event.actorKind) +
        str('actorName', event.actorName) +
        str('call', event.call) +
        (event.episode !== undefined ? str('episode', event.episode) : '') +
        id +
        (event.kind !== undefined ? str('kind', event.kind) : '') +
        (event.note !== undefined ? str('note', event.note) : '') +
        (event.priority !== undefined ? str('priority', event.priority) : '') +
        (event.reason !== undefined ? str('reason', event.reason) : '') +
        (event.reopens !== undefined ? str('reopens', event.reopens) : '') +
        (event.role !== undefined ? str('role', event.role) : '') +
        (event.rule !== undefined ? str('rule', event.rule) : '') +
        (event.tier !== undefined ? int('tier', event.tier) : '');
      break;
    case 'andon_rules':
      tags = '';
      fields = str('actorId', event.actorId) + str('actorKind', event.actorKind) + str('actorName', event.actorName) + id + str('rules', event.rules ?? '');
      break;
    case 'stop_reason':
      tags = tag('line', event.line) + tag('station', event.station);
      fields =
        str('actorId', event.actorId) +
        str('actorKind', event.actorKind) +
        str('actorName', event.actorName) +
        str('category', event.category) +
        (event.category2 !== undefined ? str('category2', event.category2) : '') +
        id +
        (event.note !== undefined ? str('note', event.note) : '') +
        str('reason', event.reason) +
        (event.reason2 !== undefined ? str('reason2', event.reason2) : '') +
        str('role', event.role) +
        (event.splitAt !== undefined ? int('splitAt', event.splitAt) : '') +
        str('stop', event.stop) +
        (event.supersedes !== undefined ? str('supersedes', event.supersedes) : '');
      break;
    case 'report_handover':
      tags = tag('line', event.line);
      fields =
        str('action', event.action) +
        str('actorId', event.actorId) +
        str('actorKind', event.actorKind) +
        str('actorName', event.actorName) +
        id +
        (event.note !== undefined ? str('note', event.note) : '') +
        str('role', event.role) +
        str('shift', event.shift) +
        (event.supersedes !== undefined ? int('supersedes', event.supersedes) : '') +
        int('version', event.version);
      break;
    case 'unit_defect':
      tags = tag('line', event.line) + (event.station !== undefined ? tag('station', event.station) : '');
      fields =
        str('actorId', event.actorId) +
        str('actorKind', event.actorKind) +
        str('actorName', event.actorName) +
        str('defect', event.defect) +
        id +
        str('role', event.role) +
        (event.supersedes !== undefined ? str('supersedes', event.supersedes) : '') +
        str('unit', event.unit);
      break;
  }
  // No field at all: the client writes no line for such a point either.
  if (fields === '') return undefined;
  return `${MEASUREMENTS[event.type]}${tags} ${fields.slice(1)} ${pointTimestampNs(event)}`;
}

/** Measurement of the closed hours' summaries (collector/rollup). */
export const ROLLUP_MEASUREMENT = 'rollup_hour';
/**
 * Measurement of the closed production days' summaries (`dayStart` to `dayStart`), built from the hours'.
 * (`rollup_day`, local midnight to midnight, is no longer read: it may be dropped.)
 */
export const DAY_ROLLUP_MEASUREMENT = 'rollup_production_day';

/** Measurement of the closed production weeks' summaries (Monday's dayStart to the next Monday's), built from the days'. */
export const WEEK_ROLLUP_MEASUREMENT = 'rollup_production_week';

/** Which summaries: of hours, production days or production weeks. */
export type RollupSpan = 'hour' | 'day' | 'week';
export const rollupMeasurement = (span: RollupSpan) => (span === 'week' ? WEEK_ROLLUP_MEASUREMENT : span === 'day' ? DAY_ROLLUP_MEASUREMENT : ROLLUP_MEASUREMENT);

/**
 * An hour's summary as points at the hour's start: one for the line
 * (`level=line`) and one per station (`level=station`). Every field is
 * written every time, so re-rolling an hour overwrites all of it.
 */
export function rollupToPoints(r: HourRollup, span: RollupSpan = 'hour'): Point[] {
  const ns = `${r.start}000000`;
  const measurement = rollupMeasurement(span);
  const line = new Point(measurement)
    .timestamp(ns)
    .tag('line', r.line)
    .tag('level', 'line')
    .intField('units', r.units)
    .intField('good', r.goodUnits)
    .intField('stateEvents', r.stateEvents)
    .floatField('taktSeconds', r.taktSeconds)
    .intField('end', r.end)
    .intField('version', ROLLUP_VERSION)
    .stringField('losses', r.losses ? JSON.stringify(r.losses) : '')
    // The threshold the stations' stops were summarised for; 0: none.
    .intField('stopThreshold', r.stopThresholdSeconds ?? 0);
  const stations = r.stations.map((s) => {
    const point = new Point(measurement)
      .timestamp(ns)
      .tag('line', r.line)
      .tag('level', 'station')
      .tag('station', s.station)
      .intField('cycles', s.cycles.count)
      .floatField('cycleSum', s.cycles.sum)
      .floatField('cycleMin', s.cycles.min ?? 0)
      .floatField('cycleMax', s.cycles.max ?? 0)
      .stringField('cycleBuckets', encodeBuckets(s.cycles.buckets))
      .intField('withinTakt', s.withinTakt);
    for (const state of TIMELINE_STATES) point.floatField(`s_${state}`, s.stateSeconds?.[state] ?? 0);
    for (const state of TIMELINE_STATES) point.floatField(`p_${state}`, s.plannedStateSeconds?.[state] ?? 0);
    point.intField('stateEvents', s.stateEvents).stringField('down', encodeDown(s.down ?? []));
    // Every field every time, so re-rolling overwrites: empty when the summary has none.
    point.stringField('asConstraint', s.asConstraint ? encodeConstraintCycles(s.asConstraint) : '');
    point.stringField('stops', s.stops && r.stopThresholdSeconds ? encodeStopPiece(s.stops) : '');
    return point;
  });
  return [line, ...stations];
}

// ── Shifting-bottleneck hour pieces (core/kpi/shifting-pieces.ts, collector/rollup/shifting-roller.ts) ──

/** Measurement of the closed hours' shifting-bottleneck pieces, one row per line and hour. */
export const SHIFTING_MEASUREMENT = 'shifting_hour';

/**
 * Version of the `shifting_hour` rows (their own, not ROLLUP_VERSION): a row
 * of another version is rolled again at start and not read.
 */
export const SHIFTING_VERSION = 1;

/**
 * One stored hour of the shifting bottleneck: `final` (its contribution, the
 * stations' sole and shifting milliseconds inside its planned time), `pending`
 * (a deciding period was still open: rolled again later, not read) or
 * `unrollable` (a deciding period reaches past the reach: a marker, the read
 * computes the hour raw). `window` is the dependency window (as far as it was
 * read for the markers).
 */
export interface ShiftingHour {
  line: string;
  start: number;
  end: number;
  status: 'final' | 'pending' | 'unrollable';
  window: { start: number; end: number };
  plannedMs: number;
  /** Flow order; empty but for `final`. */
  stations: { station: string; soleMs: number; shiftingMs: number }[];
  version: number;
}

/**
 * A stored hour as its point at the hour's start. Every field but `stations`
 * is written every time; `stations` only on a final row, and `status` tells
 * the read whether the row's `stations` are current (a final row rolled again
 * as a marker keeps its old field in InfluxDB, which merges fields).
 */
export function shiftingHourToPoint(r: ShiftingHour): Point {
  const point = new Point(SHIFTING_MEASUREMENT)
    .timestamp(`${r.start}000000`)
    .tag('line', r.line)
    .intField('end', r.end)
    .stringField('status', r.status)
    .intField('window_start', r.window.start)
    .intField('window_end', r.window.end)
    .intField('planned_ms', r.plannedMs)
    .intField('version', r.version);
  if (r.status === 'final') point.stringField('stations', JSON.stringify(r.stations.map((s) => [s.station, s.soleMs, s.shiftingMs])));
  return point;
}

// ── Loss hour pieces (core/loss/loss-pieces.ts, rolled by collector/rollup/shifting-roller.ts) ──

/** Measurement of the closed hours' loss pieces, one row per line, hour and station as the constraint (tag `constraint`). */
export const LOSS_MEASUREMENT = 'loss_hour';
/** Measurement of the closed hours' line-level loss parts (partner-starved segments, whether any state is known), one row per line and hour. */
export const LOSS_LINE_MEASUREMENT = 'loss_line_hour';

/** Version of the `loss_hour` and `loss_line_hour` rows (their own): a row of another version is rolled again at start and not read. */
export const LOSS_VERSION = 1;

/**
 * One stored hour of a constraint's time charges: `final` (both the hour's
 * shifting piece and its charge window settled: charges, productive ms and the
 * kept episode parts), else `pending` or `unrollable` (a marker, read raw).
 */
export interface LossHour {
  line: string;
  constraint: string;
  start: number;
  end: number;
  status: 'final' | 'pending' | 'unrollable';
  /** The charge window. */
  window: { start: number; end: number };
  /** Empty but for `final`. */
  charges: LossPiece['charges'];
  productiveMs: number;
  version: number;
}

/** One stored hour of a line's loss part, with the same status as its constraints' rows. */
export interface LossLineHour {
  line: string;
  start: number;
  end: number;
  status: 'final' | 'pending' | 'unrollable';
  /** The hour's charge window (what a late state event is matched against). */
  window: { start: number; end: number };
  known: boolean;
  /** Empty but for `final`. */
  starved: StarvedPart[];
  version: number;
}

/**
 * A constraint's hour as its point. `charges` is JSON
 * `{ n: [momentary names], c: [[causeKey, ms, [from − start, length, name index or −1, …]], …] }`,
 * every field written every time ('' but for a final row).
 */
export function lossHourToPoint(r: LossHour): Point {
  const names: string[] = [];
  const index = new Map<string, number>();
  const nameOf = (s: string | null) => {
    if (s === null) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = names.length;
      names.push(s);
      index.set(s, i);
    }
    return i;
  };
  const c = r.charges.map((ch) => [ch.key, ch.ms, ch.episodes.flatMap((e) => [e.from - r.start, e.to - e.from, nameOf(e.constraint)])]);
  return new Point(LOSS_MEASUREMENT)
    .timestamp(`${r.start}000000`)
    .tag('line', r.line)
    .tag('constraint', r.constraint)
    .intField('end', r.end)
    .stringField('status', r.status)
    .intField('window_start', r.window.start)
    .intField('window_end', r.window.end)
    .intField('productive_ms', r.productiveMs)
    .intField('version', r.version)
    .stringField('charges', r.status === 'final' ? JSON.stringify({ n: names, c }) : '');
}

/** A line's hour as its point: `starved` is JSON `[[station, reason, since, start − hour, length], …]`. */
export function lossLineHourToPoint(r: LossLineHour): Point {
  return new Point(LOSS_LINE_MEASUREMENT)
    .timestamp(`${r.start}000000`)
    .tag('line', r.line)
    .intField('end', r.end)
    .stringField('status', r.status)
    .intField('window_start', r.window.start)
    .intField('window_end', r.window.end)
    .booleanField('known', r.known)
    .intField('version', r.version)
    .stringField('starved', r.status === 'final' ? JSON.stringify(r.starved.map((s) => [s.station, s.reason, s.since, s.start - r.start, s.end - s.start])) : '');
}
