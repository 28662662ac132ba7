import { describe, expect, it } from 'vitest';
import type { ReportHandoverEvent } from '../events';
import { handoverRefusal, handoverView, type HandoverAsk } from './handover';

const SHIFT = '2027-03-01/early';
const T0 = Date.parse('2027-03-01T14:05:00+08:00');
const chen = { id: 'chen.jing', name: '陈静', role: 'supervisor' as const, lines: ['A1'], stations: [] };
const sun = { id: 'sun.li', name: '孙丽', role: 'supervisor' as const, lines: ['A1'], stations: [] };
const liu = { id: 'liu.yang', name: '刘洋', role: 'manager' as const, lines: ['A1'], stations: [] };
const wang = { id: 'wang.fang', name: '王芳', role: 'operator' as const, lines: ['A1'], stations: [] };

let n = 0;
function step(who: typeof chen | typeof liu, ask: HandoverAsk, version = ask.version): ReportHandoverEvent {
  n += 1;
  return {
    type: 'report_handover',
    ts: T0 + n * 60_000,
    id: `rh-${n}`,
    line: 'A1',
    shift: SHIFT,
    version,
    action: ask.action,
    actorKind: 'person',
    actorId: who.id,
    actorName: who.name,
    role: who.role,
    ...(ask.note !== undefined ? { note: ask.note } : {}),
    ...(ask.action === 'correct' ? { supersedes: ask.version } : {}),
  };
}

/** Applies steps as the collector does: refused ones are not appended. */
function run(steps: [typeof chen | typeof liu, HandoverAsk][]) {
  const events: ReportHandoverEvent[] = [];
  const refusals: (string | null)[] = [];
  for (const [who, ask] of steps) {
    const view = handoverView('A1', SHIFT, events);
    const refusal = handoverRefusal(view, who, ask);
    refusals.push(refusal?.code ?? null);
    if (!refusal) events.push(step(who, ask, ask.action === 'correct' ? view.current + 1 : ask.version));
  }
  return { view: handoverView('A1', SHIFT, events), refusals, events };
}

describe('handover of a shift report', () => {
  it('starts as an empty draft of version 1', () => {
    const view = handoverView('A1', SHIFT, []);
    expect(view.current).toBe(1);
    expect(view.versions).toMatchObject([{ version: 1, state: 'draft', notes: '', signed: null }]);
  });

  it('keeps the latest notes, signs, is acknowledged by another supervisor, with who and when', () => {
    const { view, refusals } = run([
      [chen, { action: 'note', version: 1, note: 'S05 gripper replaced' }],
      [chen, { action: 'note', version: 1, note: 'S05 gripper replaced\nwatch P-BATT-01 stock' }],
      [chen, { action: 'sign', version: 1 }],
      [chen, { action: 'acknowledge', version: 1 }],
      [sun, { action: 'acknowledge', version: 1, note: 'taken over' }],
    ]);
    expect(refusals).toEqual([null, null, null, 'signer_cannot_acknowledge', null]);
    const v1 = view.versions[0];
    expect(v1).toMatchObject({ state: 'acknowledged', notes: 'S05 gripper replaced\nwatch P-BATT-01 stock', signed: { by: { id: 'chen.jing', name: '陈静' } }, acknowledged: { by: { id: 'sun.li' }, note: 'taken over' } });
    expect(v1?.acknowledged?.at).toBeGreaterThan(v1?.signed?.at ?? Infinity);
    expect(view.history.map((h) => h.action)).toEqual(['note', 'note', 'sign', 'acknowledge']);
  });

  it('refuses any change to a signed version with a reason, and a correction makes version 2 that links version 1', () => {
    const { view, refusals } = run([
      [chen, { action: 'note', version: 1, note: 'first' }],
      [chen, { action: 'acknowledge', version: 1 }],
      [chen, { action: 'correct', version: 1, note: 'too early' }],
      [chen, { action: 'sign', version: 1 }],
      [chen, { action: 'note', version: 1, note: 'edited after signing' }],
      [chen, { action: 'sign', version: 1 }],
      [chen, { action: 'correct', version: 1, note: '' }],
      [liu, { action: 'correct', version: 1, note: 'S07 stop was material, not machine' }],
      [chen, { action: 'note', version: 1, note: 'old version' }],
      [chen, { action: 'note', version: 2, note: 'first, corrected' }],
      [chen, { action: 'note', version: 3, note: 'no such version' }],
      [chen, { action: 'sign', version: 2 }],
    ]);
    expect(refusals).toEqual([null, 'not_signed', 'not_signed', null, 'report_signed', 'report_signed', 'reason_required', null, 'report_superseded', null, 'unknown_version', null]);
    expect(view.current).toBe(2);
    expect(view.versions.map((v) => [v.version, v.state, v.supersedes, v.supersededBy])).toEqual([
      [1, 'superseded', null, 2],
      [2, 'signed', 1, null],
    ]);
    // Version 1 keeps what was signed; version 2 started from its notes and says who corrected it and why.
    expect(view.versions[0]?.notes).toBe('first');
    expect(view.versions[1]).toMatchObject({ notes: 'first, corrected', correction: { by: { id: 'liu.yang' }, reason: 'S07 stop was material, not machine' } });
  });

  it('lets only supervisors write, sign and acknowledge, and only for their lines', () => {
    const view = handoverView('A1', SHIFT, []);
    expect(handoverRefusal(view, wang, { action: 'note', version: 1, note: 'x' })?.code).toBe('forbidden');
    expect(handoverRefusal(view, liu, { action: 'sign', version: 1 })?.code).toBe('forbidden');
    expect(handoverRefusal(view, { ...chen, lines: ['B2'] }, { action: 'note', version: 1, note: 'x' })?.code).toBe('not_your_line');
    expect(handoverRefusal(view, chen, { action: 'note', version: 1, note: 'x' })).toBeNull();
  });

  it('skips stored steps that break the rules, whatever order they are read in', () => {
    const { events } = run([
      [chen, { action: 'note', version: 1, note: 'kept' }],
      [chen, { action: 'sign', version: 1 }],
    ]);
    const late = step(chen, { action: 'note', version: 1, note: 'after signing' });
    const view = handoverView('A1', SHIFT, [late, ...events].reverse());
    expect(view.versions[0]?.notes).toBe('kept');
    expect(view.history).toHaveLength(2);
    expect(handoverView('A1', '2027-03-01/late', events).versions[0]?.state).toBe('draft');
  });
});
