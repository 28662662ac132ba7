/**
 * The rules the collector evaluates to raise calls by itself (docs/andon.md):
 * a station in `fault` too long, a material-risk alert, a running station gone
 * silent, units per hour under target for a while. One rule raises one call
 * per episode: an episode starts when its condition becomes true and ends when
 * it is false again, so a condition that stays true never raises a second call.
 * Pure: the inputs and `now` are parameters; the caller keeps the state.
 */
import { lineCalendar, plannedSeconds } from '../calendar/calendar';
import type { MaterialRiskAlert } from '../cluster/material-risk';
import type { StationState } from '../events';
import { taktTargetSeconds } from '../kpi/throughput';
import type { LineConfig } from '../plant';
import type { AndonCall } from './calls';
import { ruleKind, type AndonRule } from './config';

const HOUR_MS = 3_600_000;

export interface StationSnapshot {
  id: string;
  state: StationState;
  /** When the station entered `state`, epoch ms; null before its first state event. */
  since: number | null;
}

/** One line as the rules see it at `now`. */
export interface LineSnapshot {
  line: LineConfig;
  stations: readonly StationSnapshot[];
  /** Units in the trailing 60 minutes. */
  unitsPerHour: number;
  /** When each station last sent anything (cycle, state, andon), epoch ms; absent: not since `watchingSince`. */
  lastHeard: ReadonlyMap<string, number>;
  /** Since when the collector listens (its start): a station never heard counts as silent from here. */
  watchingSince: number;
}

export interface RuleInputs {
  now: number;
  lines: readonly LineSnapshot[];
  /** Current material-risk alerts; empty when none or when the registry is not read. */
  materialAlerts: readonly MaterialRiskAlert[];
}

/** A rule whose condition became true: raise one call for it. */
export interface RuleTrigger {
  rule: AndonRule;
  kind: string;
  line: string;
  station: string | null;
  /** `<rule>|<line>|<station>`: what one episode is about. */
  subject: string;
  /** `<subject>@<start>`: stable for the episode, so a restart does not raise it again. */
  episode: string;
  /** Why, for the call's note. */
  note: string;
}

/** What the rules remember between evaluations. */
export interface RuleState {
  /** Subject → episode of the conditions true now (a call was raised for each). */
  active: Map<string, string>;
  /** Subject → since when units per hour are under target. */
  belowSince: Map<string, number>;
}

export function createRuleState(): RuleState {
  return { active: new Map(), belowSince: new Map() };
}

/**
 * After a restart: the episodes of the calls rules raised count as ongoing
 * until their condition is seen false, so a condition still true raises nothing new.
 */
export function seedRuleState(state: RuleState, calls: Iterable<AndonCall>): void {
  const latest = new Map<string, AndonCall>();
  for (const c of calls) {
    if (c.rule === null || c.episode === null) continue;
    const subject = c.episode.split('@')[0] ?? c.episode;
    const prev = latest.get(subject);
    if (!prev || prev.raisedAt < c.raisedAt) latest.set(subject, c);
  }
  for (const [subject, c] of latest) if (c.episode) state.active.set(subject, c.episode);
}

/** Evaluates every rule; returns the episodes that started now (each raises one call). */
export function stepRules(state: RuleState, rules: readonly AndonRule[], inputs: RuleInputs): RuleTrigger[] {
  const { now } = inputs;
  const holding = new Map<string, Omit<RuleTrigger, 'episode'> & { start: number }>();
  for (const rule of rules) {
    for (const snap of inputs.lines) {
      const line = snap.line;
      if (rule.line !== undefined && rule.line !== line.id) continue;
      const hold = (station: string | null, start: number, note: string) => {
        const subject = `${rule.id}|${line.id}|${station ?? ''}`;
        holding.set(subject, { rule, kind: ruleKind(rule), line: line.id, station, subject, start, note });
      };
      const watched = (id: string) => !('stations' in rule) || rule.stations.length === 0 || rule.stations.includes(id);
      switch (rule.type) {
        case 'fault':
          for (const s of snap.stations) {
            if (!watched(s.id) || s.state !== 'fault' || s.since === null) continue;
            const seconds = (now - s.since) / 1000;
            if (seconds >= rule.afterSeconds) hold(s.id, s.since, `fault for ${Math.round(seconds)} s (rule ${rule.id}: longer than ${rule.afterSeconds} s)`);
          }
          break;
        case 'silent': {
          const interval = rule.expectedIntervalSeconds ?? taktTargetSeconds(line.targetPerHour);
          for (const s of snap.stations) {
            // Only a station shown as running can be silently broken: one in fault or starved sends nothing by nature.
            if (!watched(s.id) || s.state !== 'running') continue;
            const heard = Math.max(snap.lastHeard.get(s.id) ?? snap.watchingSince, snap.watchingSince);
            const seconds = (now - heard) / 1000;
            if (seconds >= rule.factor * interval) {
              hold(s.id, heard, `shown as running but silent for ${Math.round(seconds)} s (rule ${rule.id}: ${rule.factor} × ${interval} s)`);
            }
          }
          break;
        }
        case 'under_target': {
          const subject = `${rule.id}|${line.id}|`;
          const cal = lineCalendar(line);
          // The plan for the trailing hour counts only its planned time: a break is not a shortfall.
          const planned = plannedSeconds(cal, now - HOUR_MS, now);
          const expected = (line.targetPerHour * planned) / 3600;
          const inPlannedTime = plannedSeconds(cal, now - 1000, now) > 0;
          if (!inPlannedTime || planned <= 0 || snap.unitsPerHour >= rule.ratio * expected) {
            if (!inPlannedTime) break; // outside planned time: neither a shortfall nor its end
            state.belowSince.delete(subject);
            break;
          }
          const since = state.belowSince.get(subject) ?? now;
          state.belowSince.set(subject, since);
          if (plannedSeconds(cal, since, now) >= rule.minutes * 60) {
            hold(null, since, `${snap.unitsPerHour} units in the last hour against ${Math.round(rule.ratio * expected * 10) / 10} planned for ${rule.minutes} min (rule ${rule.id})`);
          }
          break;
        }
        case 'material_risk':
          for (const alert of inputs.materialAlerts) {
            if (rule.level === 'critical' && alert.level !== 'critical') continue;
            for (const st of alert.stations) {
              if (st.line !== line.id) continue;
              hold(st.station, alert.reportedAt, `${alert.partner}: ${alert.message.en} (rule ${rule.id})`);
            }
          }
          break;
      }
    }
  }
  // Under-target subjects outside planned time keep their episode: they are neither true nor false now.
  const triggers: RuleTrigger[] = [];
  for (const subject of [...state.active.keys()]) {
    if (!holding.has(subject) && !isPausedUnderTarget(subject, rules, inputs)) state.active.delete(subject);
  }
  for (const [subject, h] of holding) {
    const episode = `${subject}@${h.start}`;
    const current = state.active.get(subject);
    // A fault that cleared and came back between two evaluations is a new episode: its start differs.
    if (current !== undefined && (h.rule.type !== 'fault' || current === episode)) continue;
    state.active.set(subject, episode);
    const { start: _start, ...trigger } = h;
    triggers.push({ ...trigger, episode });
  }
  return triggers;
}

function isPausedUnderTarget(subject: string, rules: readonly AndonRule[], inputs: RuleInputs): boolean {
  const [ruleId, lineId] = subject.split('|');
  const rule = rules.find((r) => r.id === ruleId);
  if (!rule || rule.type !== 'under_target') return false;
  const snap = inputs.lines.find((l) => l.line.id === lineId);
  if (!snap) return false;
  return plannedSeconds(lineCalendar(snap.line), inputs.now - 1000, inputs.now) <= 0;
}
