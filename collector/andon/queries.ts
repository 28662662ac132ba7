/** Reads andon call steps back from InfluxDB, as the events they were written from; the statements live in collector/influx/reads.ts. */
import type { AndonCallEvent, AndonEvent, AndonRulesEvent } from '../../core/events';
import type { EventStore } from '../influx/store';

/** Steps stamped in [from, to), all lines or one; rows that no longer validate are skipped and counted. */
export function readCallEvents(store: Pick<EventStore, 'reads'>, from: number, to: number, line?: string): Promise<{ events: AndonCallEvent[]; skipped: number }> {
  return store.reads.andonCallEvents(from, to, line);
}

/** Pull-cord events (measurement `andon`) stamped in [from, to). */
export function readStationAndonEvents(store: Pick<EventStore, 'reads'>, from: number, to: number): Promise<AndonEvent[]> {
  return store.reads.stationAndonEvents(from, to);
}

/** The newest rule edits (whatever their age: the newest decides the rules), newest first. */
export function readRuleEdits(store: Pick<EventStore, 'reads'>, limit = 20): Promise<AndonRulesEvent[]> {
  return store.reads.andonRuleEdits(limit);
}
