/**
 * The collector's andon calls: raised by people, stations and rules,
 * acknowledged, escalated, resolved, cancelled. Every step is an
 * `andon_call` event made durable through the ingest spool before anyone
 * hears of it; the calls here are only the reduction of those events, rebuilt
 * at start from InfluxDB (and from the spool's unwritten tail).
 *
 * Steps are serialised (one at a time), so two people acknowledging at once
 * get one success and one 409, and a tick never escalates a call someone is
 * acknowledging.
 */
import { accessRefusal } from '../../core/andon/access';
import { applyCallEvent, callView, isActive, transitionRefusal, type ActionRefusal, type AndonCall, type CallAction } from '../../core/andon/calls';
import { ruleKind, tiersFor, type AndonConfig, type AndonRule } from '../../core/andon/config';
import { dueEscalation } from '../../core/andon/escalation';
import { createRuleState, seedRuleState, stepRules, type LineSnapshot, type RuleState } from '../../core/andon/rules';
import type { Actor, AndonCallView, AndonLive, AndonPriority, AuditEntry } from '../../core/andon/types';
import type { MaterialRiskAlert } from '../../core/cluster/material-risk';
import { may } from '../../core/andon/roles';
import { checkCollectorEvent, type AndonCallEvent, type AndonEvent, type AndonRulesEvent, type StationEvent } from '../../core/events';
import type { PersonConfig } from '../../core/people';
import { checkAndonRules, plantAndon, type PlantConfig } from '../../core/plant';
import { rolesThatMay } from '../../core/andon/roles';
import { displayName } from '../actions/actor';

/** A refused step: the HTTP status, a stable code and a sentence. */
export class AndonError extends Error {
  constructor(readonly refusal: ActionRefusal) {
    super(refusal.message);
    this.name = 'AndonError';
  }
}

export interface AndonServiceDeps {
  plant: PlantConfig;
  /** Makes events durable through the spool; resolves once they are on disk and passed to {@link AndonService.observe}. */
  append: (events: (AndonCallEvent | AndonRulesEvent)[]) => Promise<void>;
  /** The instant a line's numbers are for (wall clock, or the data's clock in the demo). */
  lineNow: (line: string) => number;
  /** Lines whose calls changed (the live hub sends them). */
  onChange: (lines: Set<string>) => void;
  /** A call was raised or escalated (durably): tell the tier. `restored`: replayed at start. */
  onStep: (call: AndonCallView, event: AndonCallEvent, restored: boolean) => void;
  /** A fresh id for a call raised by a person. */
  newCallId: () => string;
  log?: (message: string) => void;
}

export interface RaiseRequest {
  line: string;
  station: string | null;
  kind: string;
  priority?: AndonPriority | undefined;
  note?: string | undefined;
}

export interface ActionRequest {
  call: string;
  action: CallAction;
  reason?: string | undefined;
  note?: string | undefined;
}

/** FNV-1a with a seed: ids derived from what caused a call, so a replay finds the same call. */
function fnv(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, '0');
}
export function derivedCallId(prefix: 's' | 'r', cause: string): string {
  return `${prefix}-${fnv(cause, 0x811c9dc5)}${fnv(cause, 0x9747b28c)}`;
}

export class AndonService {
  private readonly calls = new Map<string, AndonCall>();
  /** Every step in memory, by event id: the audit trail of the restore window and since. */
  private readonly steps = new Map<string, AndonCallEvent>();
  private readonly config: AndonConfig;
  private readonly ruleState: RuleState = createRuleState();
  private readonly lastHeard = new Map<string, Map<string, number>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: (message: string) => void;
  /** The rules in force: the plant file's, or the newest edit. */
  private rules: AndonRule[];
  private rulesEdit: AndonRulesEvent | null = null;
  private readonly ruleEdits: AndonRulesEvent[] = [];
  /** Pull cords that arrive before the restore (MQTT connects first) wait for it, so they see the calls already open. */
  private markRestored: () => void = () => undefined;
  private readonly restored = new Promise<void>((resolve) => (this.markRestored = resolve));

  constructor(private readonly deps: AndonServiceDeps) {
    this.config = plantAndon(deps.plant);
    this.rules = this.config.rules;
    this.log = deps.log ?? ((m) => console.error(m));
  }

  /** The rules in force and where they come from. */
  rulesView(): { rules: AndonRule[]; source: 'plant-file' | 'edited'; editedBy: Actor | null; editedAt: number | null } {
    const e = this.rulesEdit;
    return { rules: this.rules, source: this.rules === this.config.rules ? 'plant-file' : 'edited', editedBy: e ? { kind: 'person', id: e.actorId, name: e.actorName } : null, editedAt: e?.ts ?? null };
  }

  /** Replaces the rules (`null`: back to the plant file's), as a durable event; needs the `editRules` permission. */
  editRules(person: PersonConfig, rules: unknown): Promise<ReturnType<AndonService['rulesView']>> {
    return this.serial(async () => {
      if (!may(person.role, 'editRules')) {
        throw new AndonError({ status: 403, code: 'forbidden', message: `a ${person.role} may not edit rules; roles that may: ${rolesThatMay('editRules').join(', ')}` });
      }
      let text: string | undefined;
      if (rules !== null) {
        const checked = checkAndonRules(this.deps.plant, rules);
        if (!checked.ok) throw new AndonError({ status: 400, code: 'invalid', message: `${checked.field}: ${checked.message}` });
        text = JSON.stringify(checked.rules);
        if (text.length > 60_000) throw new AndonError({ status: 400, code: 'invalid', message: 'rules: too many rules (the JSON passes 60000 characters)' });
      }
      const ts = this.deps.lineNow(this.deps.plant.lines[0]?.id ?? '');
      const event: AndonRulesEvent = { type: 'andon_rules', ts, id: `rules-${ts.toString(36)}-${person.id}`.slice(0, 128), actorKind: 'person', actorId: person.id, actorName: displayName(person.name) };
      if (text !== undefined) event.rules = text;
      await this.deps.append([this.checked(event)]);
      return this.rulesView();
    });
  }

  andonConfig(): AndonConfig {
    return this.config;
  }

  /**
   * Events made durable (every transport, and the collector's own): applies
   * call steps, turns pull cords into calls, notes when stations were heard.
   * Returns the events that are the line's data (everything but call steps).
   */
  observe(events: readonly StationEvent[]): StationEvent[] {
    const data: StationEvent[] = [];
    const changed = new Set<string>();
    for (const event of events) {
      if (event.type === 'andon_rules') {
        this.applyRules(event);
        continue;
      }
      if (event.type === 'andon_call') {
        const call = this.apply(event);
        if (call) {
          changed.add(call.line);
          if (event.action === 'raise' || event.action === 'escalate') this.deps.onStep(callView(call), event, false);
        }
        continue;
      }
      data.push(event);
      // A person's defect code is no sign of life from the station.
      if ('station' in event && event.type !== 'unit_defect' && 'line' in event && event.line !== undefined) {
        let heard = this.lastHeard.get(event.line);
        if (!heard) this.lastHeard.set(event.line, (heard = new Map()));
        heard.set(event.station, Math.max(heard.get(event.station) ?? 0, event.ts));
      }
      if (event.type === 'andon') void this.fromStation(event).catch((e: unknown) => this.log(`andon: station ${event.station} call not recorded: ${(e as Error).message}`));
    }
    if (changed.size > 0) this.deps.onChange(changed);
    return data;
  }

  /**
   * At start: replays stored steps (InfluxDB and the spool's unwritten tail),
   * oldest first; then the recent pull cords, so a cord whose call step had not
   * become durable before a crash still gets its call (ids derived from the
   * cord event make this a no-op for the others).
   */
  async restore(events: readonly AndonCallEvent[], cords: readonly AndonEvent[] = [], ruleEdits: readonly AndonRulesEvent[] = []): Promise<void> {
    for (const e of [...ruleEdits].sort((a, b) => a.ts - b.ts)) this.applyRules(e);
    const sorted = [...events].sort((a, b) => a.ts - b.ts || order(a) - order(b));
    for (const e of sorted) this.apply(e);
    seedRuleState(this.ruleState, this.calls.values());
    // Steps of calls still active are handed on again: the outbox sends what it has not sent yet, and nothing twice.
    for (const e of sorted) {
      if (e.action !== 'raise' && e.action !== 'escalate') continue;
      const call = this.calls.get(e.call);
      if (call && isActive(call)) this.deps.onStep(callView(call), e, true);
    }
    const lines = new Set([...this.calls.values()].filter(isActive).map((c) => c.line));
    if (lines.size > 0) this.deps.onChange(lines);
    this.markRestored();
    for (const cord of [...cords].sort((a, b) => a.ts - b.ts)) await this.fromStation(cord);
  }

  /** A person raises a call. */
  raise(person: PersonConfig, request: RaiseRequest): Promise<AndonCallView> {
    return this.serial(async () => {
      this.checkRaise(person, request.line, request.station, request.kind);
      const id = this.deps.newCallId();
      await this.append([this.raiseEvent(id, { kind: 'person', id: person.id, name: person.name }, request)]);
      return this.view(id);
    });
  }

  /** A person acts on a call: acknowledge, resolve, cancel, reopen (which raises a new call). */
  act(person: PersonConfig, request: ActionRequest): Promise<AndonCallView> {
    return this.serial(async () => {
      const call = this.calls.get(request.call);
      if (!call) throw new AndonError({ status: 404, code: 'unknown_call', message: `no call '${request.call.slice(0, 64)}'` });
      const permission = request.action === 'reopen' ? 'raise' : request.action;
      const refusal = accessRefusal(person, permission, call.line, call) ?? transitionRefusal(call, request.action);
      if (refusal) throw new AndonError(refusal);
      const actor: Actor = { kind: 'person', id: person.id, name: person.name };
      if (request.action === 'reopen') {
        const id = this.deps.newCallId();
        const event = this.raiseEvent(id, actor, { line: call.line, station: call.station, kind: call.kind, priority: call.priority, note: request.note });
        event.reopens = call.id;
        await this.append([event]);
        return this.view(id);
      }
      if (request.action === 'resolve') {
        const reasons = this.config.resolutionReasons.map((r) => r.id);
        if (request.reason === undefined || !reasons.includes(request.reason)) {
          throw new AndonError({ status: 400, code: 'invalid', message: `reason: resolving needs one of ${reasons.join(', ')}` });
        }
      }
      await this.append([this.stepEvent(call, request.action, actor, { reason: request.reason, note: request.note })]);
      return this.view(call.id);
    });
  }

  /** Escalates what is due and evaluates the rules; called by the collector's timer. */
  tick(lines: readonly LineSnapshot[], materialAlerts: readonly MaterialRiskAlert[]): Promise<void> {
    return this.serial(async () => {
      for (const call of [...this.calls.values()]) {
        if (call.status !== 'open') continue;
        const tiers = tiersFor(this.config, call.kind);
        const now = this.deps.lineNow(call.line);
        // One step at a time, each recorded: after a long outage a call climbs every tier it missed.
        for (let due = dueEscalation(call, tiers, now); due; due = dueEscalation(call, tiers, now)) {
          const event = this.stepEvent(call, 'escalate', { kind: 'rule', id: 'escalation', name: 'escalation' }, {});
          event.tier = due.tier;
          event.role = due.role;
          await this.append([event]);
          // The step must have moved the call on; if it did not (it was on record already), stop rather than loop.
          if (call.tier < due.tier) break;
        }
      }
      if (this.rules.length === 0) return;
      for (const snap of lines) {
        const triggers = stepRules(this.ruleState, this.rules, { now: this.deps.lineNow(snap.line.id), lines: [snap], materialAlerts });
        for (const t of triggers) {
          const id = derivedCallId('r', t.episode);
          if (this.calls.has(id)) continue;
          const kind = ruleKind(t.rule);
          const event = this.raiseEvent(id, { kind: 'rule', id: t.rule.id, name: `rule ${t.rule.id}` }, {
            line: t.line,
            station: t.station,
            kind,
            priority: t.rule.priority,
            note: t.note.slice(0, 500),
          });
          event.rule = t.rule.id;
          event.episode = t.episode.slice(0, 200);
          await this.append([event]);
        }
      }
    });
  }

  /** When each station of a line was last heard, for the silence rule. */
  heard(line: string): ReadonlyMap<string, number> {
    return this.lastHeard.get(line) ?? new Map();
  }

  live(line: string): AndonLive {
    return { open: this.list({ line, status: 'active' }) };
  }

  get(id: string): { call: AndonCallView; history: AuditEntry[] } | null {
    const call = this.calls.get(id);
    if (!call) return null;
    const history = [...this.steps.values()].filter((e) => e.call === id).sort((a, b) => a.ts - b.ts || order(a) - order(b)).map(auditEntry);
    return { call: callView(call), history };
  }

  list(filter: { line: string; station?: string | null; status?: 'open' | 'active' | 'all'; kind?: string | null; from?: number; to?: number }): AndonCallView[] {
    const out: AndonCallView[] = [];
    for (const c of this.calls.values()) {
      if (c.line !== filter.line) continue;
      if (filter.station && c.station !== filter.station) continue;
      if (filter.kind && c.kind !== filter.kind) continue;
      const status = filter.status ?? 'active';
      if (status === 'open' && c.status !== 'open') continue;
      if (status === 'active' && !isActive(c)) continue;
      if (filter.from !== undefined && c.raisedAt < filter.from) continue;
      if (filter.to !== undefined && c.raisedAt >= filter.to) continue;
      out.push(callView(c));
    }
    return out.sort((a, b) => b.raisedAt - a.raisedAt);
  }

  /** Calls (any status) raised in [from, to) on a line, for MTTA and MTTR. */
  callsRaised(line: string, from: number, to: number): AndonCallView[] {
    return this.list({ line, status: 'all', from, to });
  }

  audit(filter: { line: string; from: number; to: number }): AuditEntry[] {
    const calls = [...this.steps.values()]
      .filter((e) => e.line === filter.line && e.ts >= filter.from && e.ts < filter.to)
      .sort((a, b) => a.ts - b.ts || order(a) - order(b))
      .map(auditEntry);
    // Rule edits are plant-wide: every line's trail shows them.
    const edits = this.ruleEdits.filter((e) => e.ts >= filter.from && e.ts < filter.to).map((e) => rulesAuditEntry(e, filter.line));
    return [...calls, ...edits].sort((a, b) => a.at - b.at);
  }

  private applyRules(e: AndonRulesEvent): void {
    if (this.ruleEdits.some((x) => x.id === e.id)) return;
    this.ruleEdits.push(e);
    if (this.rulesEdit && this.rulesEdit.ts > e.ts) return; // an older edit replayed: on record, not in force
    this.rulesEdit = e;
    this.rules = this.config.rules;
    if (e.rules === undefined || e.rules === '') return;
    const checked = checkAndonRules(this.deps.plant, parseJson(e.rules));
    // The plant file may have changed since the edit (a station or kind gone): then its own rules apply until someone edits again.
    if (checked.ok) this.rules = checked.rules;
    else this.log(`andon: the rules edited by ${e.actorName} no longer fit the plant (${checked.field}: ${checked.message}); using the plant file's`);
  }

  /**
   * Forgets closed calls raised before `before`, and their steps (a collector
   * running for months keeps the history window in memory, not everything).
   * Active calls stay whatever their age. Returns how many calls were dropped.
   */
  prune(before: number): number {
    let dropped = 0;
    for (const [id, c] of this.calls) {
      if (isActive(c) || c.raisedAt >= before) continue;
      this.calls.delete(id);
      dropped += 1;
    }
    for (const [id, e] of this.steps) if (!this.calls.has(e.call) && e.ts < before) this.steps.delete(id);
    return dropped;
  }

  /** Waits for the steps under way (close). */
  async idle(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private apply(e: AndonCallEvent): AndonCall | null {
    if (this.steps.has(e.id)) return null;
    const changed = applyCallEvent(this.calls, e, tiersFor(this.config, e.kind ?? 'help')[0]?.role);
    // A step whose call is not known yet (its raise still in an InfluxDB that was away at start) is not on
    // record here, so it applies when the raise is read later.
    if (changed || this.calls.has(e.call)) this.steps.set(e.id, e);
    return changed;
  }

  private view(id: string): AndonCallView {
    const call = this.calls.get(id);
    if (!call) throw new Error(`call ${id} is durable but was not applied`);
    return callView(call);
  }

  private async fromStation(event: AndonEvent): Promise<void> {
    await this.restored;
    await this.serial(async () => {
      const line = this.deps.plant.lines.find((l) => l.id === event.line);
      const station = line?.stations.find((s) => s.id === event.station);
      const actor: Actor = { kind: 'station', id: event.station, name: station ? `${station.id} ${station.name.zh}` : event.station };
      const mine = [...this.calls.values()].filter(
        (c) => isActive(c) && c.line === event.line && c.raisedBy.kind === 'station' && c.raisedBy.id === event.station && c.kind === event.kind,
      );
      // A cancel ends the calls raised before it, never a later pull (matters when cords are replayed at start).
      const before = mine.filter((c) => c.raisedAt <= event.ts);
      if (event.action === 'cancel') {
        for (const c of before) await this.append([this.stepEvent(c, 'cancel', actor, {})]);
        return;
      }
      // A cord pulled again while its call is open is the same call: no storm.
      if (mine.length > 0) return;
      const id = derivedCallId('s', `${event.line}|${event.station}|${event.kind}|${event.id ?? ''}|${event.ts}`);
      if (this.calls.has(id)) return;
      await this.append([this.raiseEvent(id, actor, { line: event.line, station: event.station, kind: event.kind }, event.ts)]);
    });
  }

  private checkRaise(person: PersonConfig, lineId: string, station: string | null, kind: string): void {
    const line = this.deps.plant.lines.find((l) => l.id === lineId);
    if (!line) throw new AndonError({ status: 400, code: 'invalid', message: `line: '${lineId}' is not configured` });
    if (station !== null && !line.stations.some((s) => s.id === station)) {
      throw new AndonError({ status: 400, code: 'invalid', message: `station: '${station}' is not on line ${lineId}` });
    }
    if (!this.config.kinds.some((k) => k.id === kind)) {
      throw new AndonError({ status: 400, code: 'invalid', message: `kind: '${kind}' is not configured; kinds: ${this.config.kinds.map((k) => k.id).join(', ')}` });
    }
    const refusal = accessRefusal(person, 'raise', lineId);
    if (refusal) throw new AndonError(refusal);
  }

  private raiseEvent(id: string, actor: Actor, r: RaiseRequest, ts = this.deps.lineNow(r.line)): AndonCallEvent {
    const tiers = tiersFor(this.config, r.kind);
    const kind = this.config.kinds.find((k) => k.id === r.kind);
    const event: AndonCallEvent = {
      type: 'andon_call',
      ts,
      id: `${id}.raise`,
      call: id,
      action: 'raise',
      line: r.line,
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: displayName(actor.name),
      kind: r.kind,
      priority: r.priority ?? kind?.priority ?? 'normal',
      tier: 0,
      role: tiers[0]?.role ?? 'team_leader',
    };
    if (r.station !== null) event.station = r.station;
    if (r.note) event.note = r.note;
    return event;
  }

  private stepEvent(call: AndonCall, action: 'acknowledge' | 'resolve' | 'cancel' | 'escalate', actor: Actor, extra: { reason?: string | undefined; note?: string | undefined }): AndonCallEvent {
    const suffix = action === 'escalate' ? `esc${call.tier + 1}` : action;
    const event: AndonCallEvent = {
      type: 'andon_call',
      ts: Math.max(this.deps.lineNow(call.line), call.raisedAt),
      id: `${call.id}.${suffix}`,
      call: call.id,
      action,
      line: call.line,
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: displayName(actor.name),
    };
    if (call.station !== null) event.station = call.station;
    if (extra.reason !== undefined) event.reason = extra.reason;
    if (extra.note) event.note = extra.note;
    return event;
  }

  private async append(events: AndonCallEvent[]): Promise<void> {
    await this.deps.append(events.map((e) => this.checked(e)));
  }

  /** Every step is checked by core/ before it is appended: a step that fails is a bug here, never stored. */
  private checked<E extends AndonCallEvent | AndonRulesEvent>(event: E): E {
    const verdict = checkCollectorEvent(event);
    if (!verdict.ok) throw new Error(`andon: refusing to record an invalid ${event.type} event (${verdict.reason})`);
    return event;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Steps of one instant in lifecycle order. */
export function order(e: AndonCallEvent): number {
  return ['raise', 'escalate', 'acknowledge', 'resolve', 'cancel'].indexOf(e.action);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function rulesAuditEntry(e: AndonRulesEvent, line: string): AuditEntry {
  const rules = e.rules ? parseJson(e.rules) : null;
  return { at: e.ts, actor: { kind: 'person', id: e.actorId, name: e.actorName }, action: 'andon.rules', line, subject: 'rules', details: { rules, source: rules === null ? 'plant-file' : 'edited' } };
}

export function auditEntry(e: AndonCallEvent): AuditEntry {
  const details = Object.create(null) as Record<string, unknown>;
  for (const key of ['station', 'kind', 'priority', 'note', 'reason', 'tier', 'role', 'reopens', 'rule', 'episode'] as const) {
    if (e[key] !== undefined) details[key] = e[key];
  }
  return { at: e.ts, actor: { kind: e.actorKind, id: e.actorId, name: e.actorName }, action: `andon.${e.action}`, line: e.line, subject: e.call, details };
}
