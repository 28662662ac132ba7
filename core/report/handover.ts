/**
 * The handover of a shift report (docs/reports.md), folded from its
 * `report_handover` events: each version's notes, signature and
 * acknowledgement, and the corrections that link a new version to the one it
 * replaces. A signed version is immutable; a correction makes the next
 * version, a draft that starts from the old one's notes. Who may do what,
 * and why not, is decided here, so the collector and its tests share one
 * rule. Pure: events and people in, state or a refusal out.
 */
import type { HandoverAction, ReportHandoverEvent } from '../events';
import { answersFor, type PersonConfig } from '../people';

/** Who did a step, as it is shown: id and name. */
export interface HandoverActor {
  id: string;
  name: string;
}

export interface HandoverStamp {
  by: HandoverActor;
  at: number;
}

export type HandoverState = 'draft' | 'signed' | 'acknowledged' | 'superseded';

/** One version of a shift's report. */
export interface HandoverVersion {
  version: number;
  state: HandoverState;
  /** The supervisors' notes (the latest text written), '' when none. */
  notes: string;
  /** Who last wrote the notes, and when; null when nobody has. */
  notesWritten: HandoverStamp | null;
  signed: HandoverStamp | null;
  acknowledged: (HandoverStamp & { note: string | null }) | null;
  /** The version this one corrects, and who made the correction, when and why. */
  supersedes: number | null;
  correction: (HandoverStamp & { reason: string }) | null;
  supersededBy: number | null;
}

export interface HandoverEntry {
  id: string;
  at: number;
  version: number;
  action: HandoverAction;
  by: HandoverActor;
  note: string | null;
}

/** `GET /api/v1/reports/handover`, and the `handover` of `GET /api/v1/report`. */
export interface HandoverView {
  line: string;
  shift: string;
  /** The version in force: the newest. */
  current: number;
  /** Oldest first; version 1 exists (as an empty draft) before anyone writes. */
  versions: HandoverVersion[];
  /** Every step, oldest first: the audit trail. */
  history: HandoverEntry[];
}

/** Who may write, sign and acknowledge a handover; who may correct a signed one. */
export const HANDOVER_ROLES: Readonly<Record<HandoverAction, readonly PersonConfig['role'][]>> = {
  note: ['supervisor'],
  sign: ['supervisor'],
  acknowledge: ['supervisor'],
  correct: ['supervisor', 'manager'],
};

export interface HandoverAsk {
  action: HandoverAction;
  /** The version acted on (for `correct`: the signed one to be corrected). */
  version: number;
  /** note: the whole text; acknowledge: an optional remark; correct: why (required). */
  note?: string;
}

export interface HandoverRefusal {
  status: 400 | 403 | 404 | 409;
  code: string;
  message: string;
}

function emptyVersion(version: number, notes = ''): HandoverVersion {
  return { version, state: 'draft', notes, notesWritten: null, signed: null, acknowledged: null, supersedes: null, correction: null, supersededBy: null };
}

function when(at: number): string {
  return new Date(at).toISOString();
}

/**
 * Why a person may not take a step on the handover as it stands, or null
 * when they may.
 */
export function handoverRefusal(view: HandoverView, person: Pick<PersonConfig, 'id' | 'role' | 'lines' | 'stations'>, ask: HandoverAsk): HandoverRefusal | null {
  const roles = HANDOVER_ROLES[ask.action];
  if (!roles.includes(person.role)) {
    return { status: 403, code: 'forbidden', message: `a ${person.role} may not ${ask.action} a shift report; roles that may: ${roles.join(', ')}` };
  }
  if (!answersFor(person, view.line, null)) {
    return { status: 403, code: 'not_your_line', message: `you do not answer for line ${view.line} (the plant file's lines of your person)` };
  }
  const v = view.versions.find((x) => x.version === ask.version);
  if (!v) {
    return { status: 404, code: 'unknown_version', message: `the report of ${view.shift} has no version ${ask.version}; its versions: ${view.versions.map((x) => x.version).join(', ')}` };
  }
  if (v.supersededBy !== null) {
    return { status: 409, code: 'report_superseded', message: `version ${v.version} is superseded by version ${v.supersededBy}: act on version ${view.current}` };
  }
  const signedBy = v.signed ? `signed by ${v.signed.by.name} at ${when(v.signed.at)}` : '';
  switch (ask.action) {
    case 'note':
    case 'sign':
      if (v.signed) {
        return {
          status: 409,
          code: 'report_signed',
          message: `version ${v.version} was ${signedBy}: a signed report cannot be changed; make a correction (POST /api/v1/reports/corrections), which becomes version ${v.version + 1}`,
        };
      }
      return null;
    case 'acknowledge':
      if (!v.signed) return { status: 409, code: 'not_signed', message: `version ${v.version} is not signed yet: the outgoing supervisor signs it first` };
      if (v.acknowledged) {
        return { status: 409, code: 'already_acknowledged', message: `version ${v.version} was acknowledged by ${v.acknowledged.by.name} at ${when(v.acknowledged.at)}` };
      }
      if (v.signed.by.id === person.id) {
        return { status: 409, code: 'signer_cannot_acknowledge', message: `you signed version ${v.version}: the incoming supervisor acknowledges it, not the one who handed over` };
      }
      return null;
    case 'correct':
      if (!v.signed) {
        return { status: 409, code: 'not_signed', message: `version ${v.version} is a draft: change its notes instead (POST /api/v1/reports/notes); only a signed report is corrected` };
      }
      if (!ask.note || ask.note.trim() === '') return { status: 400, code: 'reason_required', message: 'say why the signed report is corrected (note)' };
      if (v.version >= 999) return { status: 409, code: 'too_many_versions', message: 'a shift report has at most 999 versions' };
      return null;
  }
}

/** The handover of one line's shift from its events (any order; others are ignored). Steps that break the rules are skipped. */
export function handoverView(line: string, shift: string, events: Iterable<ReportHandoverEvent>): HandoverView {
  const own = [...events].filter((e) => e.line === line && e.shift === shift).sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id));
  const view: HandoverView = { line, shift, current: 1, versions: [emptyVersion(1)], history: [] };
  for (const e of own) {
    const by = { id: e.actorId, name: e.actorName };
    const person = { id: e.actorId, role: e.role, lines: [] as string[], stations: [] as string[] };
    const ask: HandoverAsk = { action: e.action, version: e.action === 'correct' ? (e.supersedes ?? 0) : e.version, ...(e.note !== undefined ? { note: e.note } : {}) };
    if (handoverRefusal(view, person, ask)) continue;
    if (e.action === 'correct' && e.version !== view.current + 1) continue;
    const v = view.versions.find((x) => x.version === ask.version);
    if (!v) continue;
    const stamp = { by, at: e.ts };
    switch (e.action) {
      case 'note':
        v.notes = e.note ?? '';
        v.notesWritten = stamp;
        break;
      case 'sign':
        v.signed = stamp;
        v.state = 'signed';
        break;
      case 'acknowledge':
        v.acknowledged = { ...stamp, note: e.note ?? null };
        v.state = 'acknowledged';
        break;
      case 'correct': {
        v.supersededBy = e.version;
        v.state = 'superseded';
        const next = emptyVersion(e.version, v.notes);
        next.supersedes = v.version;
        next.correction = { ...stamp, reason: e.note ?? '' };
        view.versions.push(next);
        view.current = e.version;
        break;
      }
    }
    view.history.push({ id: e.id, at: e.ts, version: e.version, action: e.action, by, note: e.note ?? null });
  }
  return view;
}

/** The version in force of a view. */
export function currentVersion(view: HandoverView): HandoverVersion {
  return view.versions.find((v) => v.version === view.current) ?? emptyVersion(view.current);
}
