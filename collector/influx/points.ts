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
import { TIMELINE_STATES } from '../../core/kpi/states';

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

/** FNV-1a, 32 bit: cheap and stable across processes and versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Nanosecond timestamp as a decimal string (beyond 2^53, so never a number). */
export function pointTimestampNs(event: StationEvent): string {
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
    .stringField('losses', r.losses ? JSON.stringify(r.losses) : '');
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
    return point;
  });
  return [line, ...stations];
}
