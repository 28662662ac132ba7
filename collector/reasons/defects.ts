/**
 * People's defect codes in the collector (docs/reasons.md): an operator gives
 * a nok unit that arrived without a code its defect from the tablet, as a
 * `unit_defect` event through the same durable spool as classifications;
 * the events are held in memory (rebuilt from InfluxDB and the spool's
 * unwritten ones at start), put on the nok units before the loss report
 * counts quality by defect, and are the audit trail.
 */
import { randomBytes } from 'node:crypto';
import type { AuditEntry } from '../../core/andon/types';
import type { StationEvent, UnitDefectEvent } from '../../core/events';
import type { PersonConfig } from '../../core/people';
import { plantDefects, plantReasons, type LineConfig } from '../../core/plant';
import { defectRefusal, nokItems, type DefectRefusal, type NokItem } from '../../core/reasons/defects';
import { readLineEvents } from '../history/line-events';
import { ActionLog, type PeopleActionsDeps } from '../actions/action-log';
import { personActor } from '../actions/actor';

const HOUR_MS = 3_600_000;

export class UnitDefectError extends Error {
  constructor(readonly refusal: DefectRefusal) {
    super(refusal.message);
  }
}

export type UnitDefectDeps = PeopleActionsDeps<UnitDefectEvent>;

export class UnitDefects {
  private readonly actions: ActionLog<UnitDefectEvent>;
  readonly catalogue;

  constructor(private readonly deps: UnitDefectDeps) {
    this.catalogue = plantDefects(deps.plant);
    this.actions = new ActionLog({ ...deps, type: 'unit_defect', readStored: (since) => deps.store.reads.unitDefectEvents(since), names: { part: 'defects', events: "people's defect codes" } });
  }

  /** Durable events in; every other kind out. */
  observe(events: readonly StationEvent[]): StationEvent[] {
    return this.actions.observe(events);
  }

  start(): Promise<void> {
    return this.actions.start();
  }

  /** People's defect codes of a line (any order). */
  forLine(line: string): UnitDefectEvent[] {
    return [...this.actions.values()].filter((e) => e.line === line);
  }

  /** The nok units of a station (null: the line's end) over [from, to), newest first. */
  async nok(line: LineConfig, station: string | null, from: number, to: number, now: number): Promise<NokItem[]> {
    await this.actions.fresh();
    const end = Math.max(from, Math.min(to, now + 1));
    const { events } = await readLineEvents(this.deps.store, line, from, end, [station === null ? 'unit' : 'cycle']);
    return nokItems(events.filter((e) => e.ts >= from && e.ts < end), station, this.forLine(line.id));
  }

  /** Records a person's defect code once it is durable; the refusal names its reason. */
  add(person: PersonConfig, line: LineConfig, ask: { unit: string; station: string | null; defect: string }): Promise<NokItem> {
    return this.actions.serial(async () => {
      if (ask.station !== null && !line.stations.some((s) => s.id === ask.station)) {
        throw new UnitDefectError({ status: 404, code: 'unknown_unit', message: `station '${ask.station}' is not a station of line ${line.id}` });
      }
      const now = this.deps.lineNow(line.id);
      // A code is given while the unit is fresh: within the reason tree's edit window.
      const since = now - plantReasons(this.deps.plant).editWindowHours * HOUR_MS;
      const { events } = await readLineEvents(this.deps.store, line, since, now + 1, [ask.station === null ? 'unit' : 'cycle']);
      const recent = events.filter((e) => e.ts >= since);
      const item = nokItems(recent, ask.station, this.forLine(line.id)).find((i) => i.unit === ask.unit) ?? null;
      const seen = recent.find((e) => (ask.station === null ? e.type === 'unit' && e.unit === ask.unit : e.type === 'cycle' && e.station === ask.station && e.unit === ask.unit));
      const known = seen && (seen.type === 'unit' || seen.type === 'cycle') ? { unit: ask.unit, station: ask.station, result: seen.result ?? null } : null;
      const refusal = defectRefusal(person, line.id, ask, item, known, this.catalogue);
      if (refusal || !item) throw new UnitDefectError(refusal ?? { status: 404, code: 'unknown_unit', message: `no nok unit ${ask.unit}` });
      const event: UnitDefectEvent = {
        type: 'unit_defect',
        ts: now,
        id: `ud-${now.toString(36)}-${randomBytes(3).toString('hex')}`,
        line: line.id,
        unit: ask.unit,
        ...(ask.station !== null ? { station: ask.station } : {}),
        defect: ask.defect,
        ...(item.added ? { supersedes: item.added.id } : {}),
        ...personActor(person),
      };
      await this.actions.record(event);
      return { ...item, added: event, defect: event.defect };
    });
  }

  /** Every person's defect code of a line in [from, to), for GET /api/v1/audit. */
  audit(line: string, from: number, to: number): AuditEntry[] {
    return this.forLine(line)
      .filter((e) => e.ts >= from && e.ts < to)
      .sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id))
      .map((e) => {
        const details = Object.create(null) as Record<string, unknown>;
        for (const key of ['station', 'defect', 'supersedes', 'role'] as const) if (e[key] !== undefined) details[key] = e[key];
        return { at: e.ts, actor: { kind: 'person' as const, id: e.actorId, name: e.actorName }, action: e.supersedes ? 'unit.redefect' : 'unit.defect', line: e.line, subject: e.unit, details };
      });
  }
}
