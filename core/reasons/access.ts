/**
 * Who may classify which stop, and when (docs/reasons.md). Operators (and the
 * roles that answer stations) classify their stations' unclassified stops;
 * supervisors, managers and admins reclassify and split any stop of their
 * lines; nobody edits a stop whose edit window has closed. Pure.
 */
import type { Role } from '../andon/types';
import type { PersonConfig } from '../people';
import type { ReasonsConfig } from './config';
import type { StopRecord } from './stops';

export type StopPermission = 'classify' | 'reclassify' | 'split';

export const STOP_PERMISSIONS: Readonly<Record<Role, Readonly<Record<StopPermission, boolean>>>> = {
  operator: { classify: true, reclassify: false, split: false },
  team_leader: { classify: true, reclassify: false, split: false },
  maintenance: { classify: true, reclassify: false, split: false },
  supervisor: { classify: true, reclassify: true, split: true },
  manager: { classify: true, reclassify: true, split: true },
  admin: { classify: true, reclassify: true, split: true },
};

export interface StopRefusal {
  status: 400 | 403 | 409;
  code: string;
  message: string;
}

export interface ClassifyRequest {
  reason: string;
  splitAt?: number;
  reason2?: string;
}

const HOUR_MS = 3_600_000;

/** Null when `person` may classify `stop` as asked at `now`, else the refusal with its reason. */
export function classifyRefusal(
  person: Pick<PersonConfig, 'id' | 'role' | 'lines' | 'stations'>,
  stop: StopRecord,
  ask: ClassifyRequest,
  tree: ReasonsConfig,
  now: number,
): StopRefusal | null {
  const codes = new Set(tree.reasons.map((r) => r.code));
  for (const code of [ask.reason, ...(ask.reason2 !== undefined ? [ask.reason2] : [])]) {
    if (!codes.has(code)) return { status: 400, code: 'unknown_reason', message: `reason '${code}' is not in the plant's reason tree; codes: ${[...codes].slice(0, 40).join(', ')}` };
  }
  const allowed = STOP_PERMISSIONS[person.role];
  if (person.lines.length > 0 && !person.lines.includes(stop.line)) {
    return { status: 403, code: 'forbidden', message: `you answer for line(s) ${person.lines.join(', ')}, not ${stop.line}` };
  }
  const reclassify = stop.history.length > 0;
  if (reclassify && !allowed.reclassify) {
    return { status: 403, code: 'forbidden', message: `stop ${stop.id} is already classified; a ${person.role} may not change it, a supervisor may` };
  }
  if (ask.splitAt !== undefined) {
    if (!allowed.split) return { status: 403, code: 'forbidden', message: `a ${person.role} may not split a stop; supervisors, managers and admins may` };
    if (ask.reason2 === undefined) return { status: 400, code: 'invalid', message: 'reason2: a split needs the reason from splitAt on' };
    const end = stop.to ?? now;
    if (!(ask.splitAt > stop.from && ask.splitAt < end)) return { status: 400, code: 'invalid', message: `splitAt must lie inside the stop (${new Date(stop.from).toISOString()} – ${new Date(end).toISOString()})` };
  } else if (ask.reason2 !== undefined) {
    return { status: 400, code: 'invalid', message: 'reason2 is only for a split: give splitAt too' };
  }
  if (!allowed.reclassify && person.stations.length > 0 && !person.stations.includes(stop.station)) {
    return { status: 403, code: 'forbidden', message: `you answer for station(s) ${person.stations.join(', ')}, not ${stop.station}` };
  }
  if (stop.to !== null) {
    const closes = stop.to + tree.editWindowHours * HOUR_MS;
    if (now > closes) {
      return { status: 409, code: 'edit_window_closed', message: `stop ${stop.id} ended ${new Date(stop.to).toISOString()}; its ${tree.editWindowHours} h edit window closed ${new Date(closes).toISOString()}` };
    }
  }
  return null;
}
