import { describe, expect, it } from 'vitest';
import type { MaterialRiskAlert } from '../cluster/material-risk';
import type { LineConfig } from '../plant';
import { AndonRule } from './config';
import { createRuleState, seedRuleState, stepRules, type LineSnapshot, type StationSnapshot } from './rules';
import type { AndonCall } from './calls';

const T0 = Date.UTC(2027, 2, 1, 8, 0, 0);
const line: LineConfig = {
  id: 'A1',
  name: { zh: 'A1', en: 'A1' },
  timeZone: 'UTC',
  targetPerHour: 30,
  stations: ['S01', 'S02'].map((id) => ({ id, name: { zh: id, en: id } })),
  calendar: { dayStart: '06:00', weekdays: [1, 2, 3, 4, 5, 6, 7], daysOff: [], workdays: [], shifts: [{ id: 'day', name: { zh: '白班', en: 'Day' }, start: '06:00', end: '18:00', breaks: [{ start: '12:00', end: '12:30' }] }] },
};
const rule = (r: unknown) => AndonRule.parse(r);
const snap = (stations: StationSnapshot[], extra: Partial<LineSnapshot> = {}): LineSnapshot => ({ line, stations, unitsPerHour: 30, lastHeard: new Map(), watchingSince: T0 - 3_600_000, ...extra });
const running = (id: string): StationSnapshot => ({ id, state: 'running', since: T0 - 3_600_000 });

describe('fault rule', () => {
  const fault = rule({ id: 'f', type: 'fault', afterSeconds: 120 });
  it('fires once per episode after afterSeconds, never again while the fault lasts', () => {
    const state = createRuleState();
    const s = [{ id: 'S01', state: 'fault' as const, since: T0 }, running('S02')];
    expect(stepRules(state, [fault], { now: T0 + 119_000, lines: [snap(s)], materialAlerts: [] })).toHaveLength(0);
    const fired = stepRules(state, [fault], { now: T0 + 120_000, lines: [snap(s)], materialAlerts: [] });
    expect(fired.map((t) => [t.station, t.kind, t.episode])).toEqual([['S01', 'maintenance', `f|A1|S01@${T0}`]]);
    for (let i = 1; i < 50; i += 1) expect(stepRules(state, [fault], { now: T0 + 120_000 + i * 1000, lines: [snap(s)], materialAlerts: [] })).toHaveLength(0);
  });
  it('a fault that clears and comes back is a new episode, even between two evaluations', () => {
    const state = createRuleState();
    stepRules(state, [fault], { now: T0 + 200_000, lines: [snap([{ id: 'S01', state: 'fault', since: T0 }])], materialAlerts: [] });
    const again = stepRules(state, [fault], { now: T0 + 400_000, lines: [snap([{ id: 'S01', state: 'fault', since: T0 + 250_000 }])], materialAlerts: [] });
    expect(again.map((t) => t.episode)).toEqual([`f|A1|S01@${T0 + 250_000}`]);
  });
  it('after a restart, the episode of a call a rule raised is not raised again', () => {
    const state = createRuleState();
    seedRuleState(state, [{ rule: 'f', episode: `f|A1|S01@${T0}`, raisedAt: T0 + 120_000 } as AndonCall]);
    expect(stepRules(state, [fault], { now: T0 + 500_000, lines: [snap([{ id: 'S01', state: 'fault', since: T0 }])], materialAlerts: [] })).toHaveLength(0);
  });
  it('watches only the listed stations', () => {
    const only2 = rule({ id: 'f2', type: 'fault', afterSeconds: 10, stations: ['S02'] });
    expect(stepRules(createRuleState(), [only2], { now: T0 + 60_000, lines: [snap([{ id: 'S01', state: 'fault', since: T0 }, running('S02')])], materialAlerts: [] })).toHaveLength(0);
  });
});

describe('silent rule', () => {
  const silent = rule({ id: 's', type: 'silent', factor: 3 });
  it('a station shown as running that sent nothing for factor × takt raises a call; one in fault does not', () => {
    const state = createRuleState();
    const heard = new Map([['S01', T0], ['S02', T0]]);
    const stations: StationSnapshot[] = [running('S01'), { id: 'S02', state: 'fault', since: T0 }];
    expect(stepRules(state, [silent], { now: T0 + 359_000, lines: [snap(stations, { lastHeard: heard })], materialAlerts: [] })).toHaveLength(0);
    const fired = stepRules(state, [silent], { now: T0 + 360_000, lines: [snap(stations, { lastHeard: heard })], materialAlerts: [] });
    expect(fired.map((t) => t.station)).toEqual(['S01']);
    expect(fired[0]?.note).toContain('silent for 360 s');
    // Heard again: the episode ends; silent again later: a new call.
    stepRules(state, [silent], { now: T0 + 370_000, lines: [snap(stations, { lastHeard: new Map([['S01', T0 + 365_000]]) })], materialAlerts: [] });
    expect(stepRules(state, [silent], { now: T0 + 800_000, lines: [snap(stations, { lastHeard: new Map([['S01', T0 + 365_000]]) })], materialAlerts: [] })).toHaveLength(1);
  });
});

describe('under-target rule', () => {
  const under = rule({ id: 'u', type: 'under_target', minutes: 10, ratio: 0.8 });
  it('fires after `minutes` of planned time below ratio × plan, not for a break, once per episode', () => {
    const state = createRuleState();
    const at = (min: number, uph: number) => stepRules(state, [under], { now: T0 + min * 60_000, lines: [snap([], { unitsPerHour: uph })], materialAlerts: [] });
    expect(at(0, 20)).toHaveLength(0);
    expect(at(9, 20)).toHaveLength(0);
    expect(at(10, 20)).toHaveLength(1);
    expect(at(15, 20)).toHaveLength(0);
    expect(at(16, 30)).toHaveLength(0); // back on target: the episode ends
    expect(at(17, 20)).toHaveLength(0);
    expect(at(27, 20)).toHaveLength(1);
  });
  it('counts the plan of the trailing hour by its planned time: 24 units after a half-hour break is on plan', () => {
    const state = createRuleState();
    const afterBreak = Date.UTC(2027, 2, 1, 12, 45);
    for (let m = 0; m <= 20; m += 1) {
      expect(stepRules(state, [under], { now: afterBreak + m * 60_000, lines: [snap([], { unitsPerHour: 16 })], materialAlerts: [] })).toHaveLength(0);
    }
  });
});

describe('material-risk rule', () => {
  const material = rule({ id: 'm', type: 'material_risk' });
  const alert = (level: 'critical' | 'warning'): MaterialRiskAlert =>
    ({ partner: 'P-BATT-01', level, reportedAt: T0, stations: [{ line: 'A1', station: 'S02', name: null, starvesAt: T0 + 3_600_000 }], message: { zh: '电池包将缺料', en: 'battery packs run out at 09:00' } }) as MaterialRiskAlert;
  it('a critical alert raises one material call for the station it starves; a warning does not (level critical)', () => {
    const state = createRuleState();
    expect(stepRules(state, [material], { now: T0, lines: [snap([])], materialAlerts: [alert('warning')] })).toHaveLength(0);
    const fired = stepRules(state, [material], { now: T0, lines: [snap([])], materialAlerts: [alert('critical')] });
    expect(fired.map((t) => [t.station, t.kind])).toEqual([['S02', 'material']]);
    expect(fired[0]?.note).toContain('battery packs run out');
    expect(stepRules(state, [material], { now: T0 + 60_000, lines: [snap([])], materialAlerts: [alert('critical')] })).toHaveLength(0);
  });
});
