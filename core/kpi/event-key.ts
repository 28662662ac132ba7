/**
 * One way to count an event: its identity once written to InfluxDB (type,
 * station or unit, state, timestamp). A resend with or without an `id`, or a
 * replay, has the same key and counts once in every KPI.
 */
import type { StationEvent } from '../events';

/** The identity of a line event, or null for kinds that are not counted per line (orders, partner, output). */
export function lineEventKey(e: StationEvent): string | null {
  switch (e.type) {
    case 'unit':
      return `u|${e.unit}|${e.ts}`;
    case 'cycle':
      return `c|${e.station}|${e.ts}`;
    case 'state':
      return `s|${e.station}|${e.state}|${e.ts}`;
    default:
      return null;
  }
}
