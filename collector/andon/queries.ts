/** Reads andon call steps back from InfluxDB (measurement `andon_call`), as the events they were written from. */
import { AndonCallEvent, AndonEvent, AndonRulesEvent } from '../../core/events';
import { msLiteral, stringLiteral } from '../history/influxql';
import type { EventStore } from '../influx/store';

/** One row as an event-shaped object (`time` → `ts`, empty values left out); prototype-free, its keys come from the server. */
function rowEvent(type: string, columns: string[], row: unknown[]): Record<string, unknown> {
  const raw = Object.create(null) as Record<string, unknown>;
  raw.type = type;
  columns.forEach((c, i) => {
    const v = row[i];
    if (v !== null && v !== undefined && v !== '') raw[c === 'time' ? 'ts' : c] = v;
  });
  return raw;
}

const FIELDS = ['id', 'call', 'action', 'actorKind', 'actorId', 'actorName', 'kind', 'priority', 'note', 'reason', 'tier', 'role', 'reopens', 'rule', 'episode'];

/** Steps stamped in [from, to), all lines or one; rows that no longer validate are skipped and counted. */
export async function readCallEvents(store: EventStore, from: number, to: number, line?: string): Promise<{ events: AndonCallEvent[]; skipped: number }> {
  const where = [`time >= ${msLiteral(from)}`, `time < ${msLiteral(to)}`, ...(line ? [`"line" = ${stringLiteral(line)}`] : [])].join(' AND ');
  const series = await store.query(`SELECT ${FIELDS.map((f) => `"${f}"`).join(', ')}, "line", "station" FROM "andon_call" WHERE ${where}`);
  const events: AndonCallEvent[] = [];
  let skipped = 0;
  for (const s of series) {
    for (const row of s.values) {
      const parsed = AndonCallEvent.safeParse(rowEvent('andon_call', s.columns, row));
      if (parsed.success) events.push(parsed.data);
      else skipped += 1;
    }
  }
  return { events, skipped };
}

/** Pull-cord events (measurement `andon`) stamped in [from, to). */
export async function readStationAndonEvents(store: EventStore, from: number, to: number): Promise<AndonEvent[]> {
  const series = await store.query(`SELECT "kind", "action", "id", "line", "station" FROM "andon" WHERE time >= ${msLiteral(from)} AND time < ${msLiteral(to)}`);
  const events: AndonEvent[] = [];
  for (const s of series) {
    for (const row of s.values) {
      const parsed = AndonEvent.safeParse(rowEvent('andon', s.columns, row));
      if (parsed.success) events.push(parsed.data);
    }
  }
  return events;
}

/** The newest rule edits (whatever their age: the newest decides the rules), newest first. */
export async function readRuleEdits(store: EventStore, limit = 20): Promise<AndonRulesEvent[]> {
  const series = await store.query(`SELECT "id", "actorKind", "actorId", "actorName", "rules" FROM "andon_rules" ORDER BY time DESC LIMIT ${Math.max(1, Math.trunc(limit))}`);
  const events: AndonRulesEvent[] = [];
  for (const s of series) {
    for (const row of s.values) {
      const parsed = AndonRulesEvent.safeParse(rowEvent('andon_rules', s.columns, row));
      if (parsed.success) events.push(parsed.data);
    }
  }
  return events;
}
