/** Query parameters shared by the KPI and history endpoints: the line and the interval. */
import { lineCalendar, resolveRange } from '../../core/calendar/calendar';
import type { LineConfig, PlantConfig } from '../../core/plant';
import { HttpProblem } from '../http/problem';
import { printable } from '../http/safe-url';

const DAY_MS = 86_400_000;

/**
 * Instants a query may name: 2000-01-01T00:00:00Z up to (not including)
 * 2200-01-01T00:00:00Z. Plausible for a plant's data, well inside InfluxDB's
 * representable range (1677-09-21 to 2262-04-11) even after the look-backs
 * the reads add, and inside four-digit civil years in every time zone.
 */
export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
export const LATEST_INSTANT = Date.UTC(2200, 0, 1);

export interface IntervalQuery {
  line: LineConfig;
  from: number;
  to: number;
  /** The instant the numbers are for. */
  now: number;
  /** A label for the range, e.g. the shift key or the production day. */
  label: string;
}

/** Parses an epoch-ms integer or an RFC 3339 timestamp with offset, between the years 2000 and 2199. */
export function parseInstant(value: string, name: string): number {
  let ms = Number.NaN;
  if (/^\d{10,14}$/.test(value)) ms = Number(value);
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new HttpProblem(400, 'invalid_parameter', `${name} must be epoch milliseconds or RFC 3339 with offset (e.g. 2027-03-01T06:00:00+08:00); got '${printable(value, 40)}'`);
  }
  if (ms < EARLIEST_INSTANT || ms >= LATEST_INSTANT) {
    throw new HttpProblem(
      400,
      'invalid_parameter',
      `${name} must be from 2000-01-01T00:00:00Z up to 2200-01-01T00:00:00Z (epoch ms ${EARLIEST_INSTANT} to ${LATEST_INSTANT}); got '${printable(value, 40)}'`,
    );
  }
  return ms;
}

/**
 * Reads `line` and either `range` (shift:current, day:today, …) or `from` and
 * `to`. `maxDays` bounds the interval so one request cannot ask for years of raw events.
 */
export function intervalQuery(url: URL, plant: PlantConfig, lineNow: (line: string) => number, maxDays: number): IntervalQuery {
  const lineId = url.searchParams.get('line') ?? (plant.lines.length === 1 ? plant.lines[0]?.id : undefined);
  if (!lineId) throw new HttpProblem(400, 'line_required', `add line=<id>; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
  const line = plant.lines.find((l) => l.id === lineId);
  if (!line) {
    throw new HttpProblem(404, 'unknown_line', `line '${printable(lineId)}' is not configured; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
  }
  const now = url.searchParams.has('now') ? parseInstant(url.searchParams.get('now') ?? '', 'now') : lineNow(line.id);
  const range = url.searchParams.get('range');
  let from: number;
  let to: number;
  let label: string;
  if (range !== null) {
    if (url.searchParams.has('from') || url.searchParams.has('to')) {
      throw new HttpProblem(400, 'invalid_parameter', 'give either range or from and to, not both');
    }
    const resolved = resolveRange(lineCalendar(line), range, now);
    if (!resolved.ok) throw new HttpProblem(resolved.code === 'unknown_range' ? 400 : 404, resolved.code, resolved.reason);
    ({ from, to, label } = resolved);
  } else {
    const rawFrom = url.searchParams.get('from');
    const rawTo = url.searchParams.get('to');
    if (rawFrom === null || rawTo === null) {
      throw new HttpProblem(400, 'invalid_parameter', 'give range=shift:current|shift:previous|day:today|day:previous|week:current|week:previous, or from and to');
    }
    from = parseInstant(rawFrom, 'from');
    to = parseInstant(rawTo, 'to');
    if (!(to > from)) throw new HttpProblem(400, 'invalid_parameter', 'to must be after from');
    label = 'custom';
  }
  if (to - from > maxDays * DAY_MS) {
    throw new HttpProblem(400, 'range_too_long', `the interval is longer than ${maxDays} days: ask for a shorter one`);
  }
  return { line, from, to, now, label };
}
