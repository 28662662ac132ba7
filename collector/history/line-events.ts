/**
 * Reads a line's events back from InfluxDB, in the shape core/ computes KPIs
 * from. The statements live in collector/influx/reads.ts; this name stays
 * for the callers that read a line's events through a store.
 */
import type { LineConfig } from '../../core/plant';
import type { EventStore } from '../influx/store';
import { ALL_EVENT_KINDS, type EventKind, type LineEvents } from '../influx/reads';

export type { EventKind, LineEvents } from '../influx/reads';

export function readLineEvents(
  store: Pick<EventStore, 'reads'>,
  line: LineConfig,
  from: number,
  to: number,
  kinds: readonly EventKind[] = ALL_EVENT_KINDS,
): Promise<LineEvents> {
  return store.reads.lineEvents(line, from, to, kinds);
}
