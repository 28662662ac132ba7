/**
 * Defect codes (docs/reasons.md): quality losses by defect code and station
 * (rejected units at the end of the line by their `defect`, and rejects
 * stations reported on their cycles), and the defect codes people add to a
 * nok unit that arrived without one (`unit_defect` events: the newest of a
 * unit, at a station or at the line's end, decides). Pure.
 */
import type { Role } from '../andon/types';
import type { CycleEvent, StationEvent, UnitDefectEvent, UnitEvent } from '../events';
import type { QualityByDefect } from '../loss/types';
import type { PersonConfig } from '../people';
import { closestName, editDistance } from '../text/closest-name';
import type { DefectsConfig } from './config';

export function qualityByDefect(units: readonly UnitEvent[], cycles: Iterable<readonly CycleEvent[]>): QualityByDefect[] {
  const out = new Map<string, QualityByDefect>();
  const add = (defect: string | null, station: string | null) => {
    const key = `${defect ?? ''}\u0000${station ?? ''}`;
    const row = out.get(key) ?? { defect, station, units: 0 };
    row.units += 1;
    out.set(key, row);
  };
  for (const u of units) if (u.result === 'nok') add(u.defect ?? null, null);
  for (const list of cycles) for (const c of list) if (c.result === 'nok') add(c.defect ?? null, c.station);
  return [...out.values()].sort((a, b) => b.units - a.units || String(a.defect).localeCompare(String(b.defect)) || String(a.station).localeCompare(String(b.station)));
}

/** `<unit>@<station>`, or `<unit>@` for the line's end: what a defect event is about. */
export function defectSubject(unit: string, station: string | null | undefined): string {
  return `${unit}@${station ?? ''}`;
}

/** The newest defect event of each subject (unit and station); older ones are its history. */
export function newestDefects(events: Iterable<UnitDefectEvent>): Map<string, UnitDefectEvent> {
  const out = new Map<string, UnitDefectEvent>();
  for (const e of events) {
    const key = defectSubject(e.unit, e.station);
    const had = out.get(key);
    if (!had || e.ts > had.ts || (e.ts === had.ts && e.id > had.id)) out.set(key, e);
  }
  return out;
}

/**
 * The line's events with people's defect codes on the nok units and cycles
 * that carry none; a code the station sent is never replaced.
 */
export function withPeoplesDefects<E extends StationEvent>(events: readonly E[], defects: Iterable<UnitDefectEvent>): E[] {
  const newest = newestDefects(defects);
  if (newest.size === 0) return [...events];
  return events.map((e) => {
    if (e.type === 'unit' && e.result === 'nok' && e.defect === undefined) {
      const d = newest.get(defectSubject(e.unit, null));
      return d ? { ...e, defect: d.defect } : e;
    }
    if (e.type === 'cycle' && e.result === 'nok' && e.defect === undefined && e.unit !== undefined) {
      const d = newest.get(defectSubject(e.unit, e.station));
      return d ? { ...e, defect: d.defect } : e;
    }
    return e;
  });
}

/** One nok unit as the tablet lists it. */
export interface NokItem {
  unit: string;
  /** null: rejected at the end of the line. */
  station: string | null;
  ts: number;
  /** What the station sent, if anything. */
  sent: string | null;
  /** The newest person's code, if any. */
  added: UnitDefectEvent | null;
  /** The code in force: the station's, else the person's, else null. */
  defect: string | null;
}

/** The nok units at `station` (its nok cycles with a unit id) or, for null, at the line's end; newest first. */
export function nokItems(events: readonly StationEvent[], station: string | null, defects: Iterable<UnitDefectEvent>): NokItem[] {
  const newest = newestDefects(defects);
  const out: NokItem[] = [];
  for (const e of events) {
    let unit: string | undefined;
    let sent: string | undefined;
    if (station === null && e.type === 'unit' && e.result === 'nok') [unit, sent] = [e.unit, e.defect];
    else if (station !== null && e.type === 'cycle' && e.station === station && e.result === 'nok' && e.unit !== undefined) [unit, sent] = [e.unit, e.defect];
    if (unit === undefined) continue;
    const added = newest.get(defectSubject(unit, station)) ?? null;
    out.push({ unit, station, ts: e.ts, sent: sent ?? null, added, defect: sent ?? added?.defect ?? null });
  }
  return out.sort((a, b) => b.ts - a.ts || a.unit.localeCompare(b.unit));
}

/** Roles that may replace a code a person gave. */
const MAY_CORRECT: ReadonlySet<Role> = new Set(['supervisor', 'manager', 'admin']);

export interface DefectRefusal {
  status: 400 | 403 | 404 | 409;
  code: 'unknown_defect' | 'forbidden' | 'unknown_unit' | 'not_nok' | 'already_coded';
  message: string;
}

/** "the closest known code is 'scratch'": the nearest code by edit distance (any distance), null for an empty catalogue. */
export function closestDefect(sent: string, codes: readonly string[]): string | null {
  const near = closestName(sent, codes);
  if (near !== null) return near;
  let best = Number.POSITIVE_INFINITY;
  let closest: string | null = null;
  for (const c of codes) {
    const d = editDistance(sent.toLowerCase(), c.toLowerCase());
    if (d < best) [best, closest] = [d, c];
  }
  return closest;
}

/**
 * Null when `person` may give the unit `item` (what the line holds of it;
 * null: the line has no nok unit by that id there) the code `defect`, else
 * the refusal with its reason: only nok units, only codes of the catalogue,
 * only their lines and stations, and a code already given is a supervisor's
 * to change.
 */
export function defectRefusal(
  person: Pick<PersonConfig, 'role' | 'lines' | 'stations'>,
  line: string,
  ask: { unit: string; station: string | null; defect: string },
  item: NokItem | null,
  known: { unit: string; station: string | null; result: 'ok' | 'nok' | null } | null,
  catalogue: DefectsConfig,
): DefectRefusal | null {
  const codes = catalogue.map((d) => d.code);
  if (!codes.includes(ask.defect)) {
    const closest = closestDefect(ask.defect, codes);
    return { status: 400, code: 'unknown_defect', message: `defect '${ask.defect}' is not in the plant's defect catalogue${closest ? `; the closest known code is '${closest}'` : ''} (codes: ${codes.slice(0, 40).join(', ')})` };
  }
  if (person.lines.length > 0 && !person.lines.includes(line)) return { status: 403, code: 'forbidden', message: `you answer for line(s) ${person.lines.join(', ')}, not ${line}` };
  const corrector = MAY_CORRECT.has(person.role);
  if (!corrector && ask.station !== null && person.stations.length > 0 && !person.stations.includes(ask.station)) {
    return { status: 403, code: 'forbidden', message: `you answer for station(s) ${person.stations.join(', ')}, not ${ask.station}` };
  }
  const where = ask.station === null ? `at the end of line ${line}` : `at station ${ask.station}`;
  if (!item) {
    if (known) return { status: 409, code: 'not_nok', message: `unit ${ask.unit} ${where} is ${known.result ?? 'without a result'}, not nok: only a nok unit takes a defect code` };
    return { status: 404, code: 'unknown_unit', message: `no unit ${ask.unit.slice(0, 64)} ${where} in the last 7 days` };
  }
  if (item.sent !== null) return { status: 409, code: 'already_coded', message: `the station sent defect '${item.sent}' for unit ${ask.unit}; a station's code is not changed here` };
  if (item.added && !corrector) {
    return { status: 409, code: 'already_coded', message: `${item.added.actorName} gave unit ${ask.unit} defect '${item.added.defect}'; a ${person.role} may not change it, a supervisor may` };
  }
  return null;
}
