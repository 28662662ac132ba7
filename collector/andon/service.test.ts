import { describe, expect, it } from 'vitest';
import type { AndonCallEvent, AndonRulesEvent } from '../../core/events';
import type { PersonConfig } from '../../core/people';
import { referencePlant } from '../../core/plant';
import { AndonError, AndonService } from './service';

const T0 = 1_800_000_000_000;
const person = (id: string, role: PersonConfig['role']): PersonConfig => ({ id, name: id, role, lines: [], stations: [], notify: {} });

/** A service whose "spool" is an array written after a short delay, like an fsync. */
function service() {
  let now = T0;
  let n = 0;
  const log: (AndonCallEvent | AndonRulesEvent)[] = [];
  const svc: AndonService = new AndonService({
    plant: referencePlant(5),
    append: async (events) => {
      await new Promise((r) => setTimeout(r, 5));
      log.push(...events);
      svc.observe(events);
    },
    lineNow: () => now,
    onChange: () => undefined,
    onStep: () => undefined,
    newCallId: () => `c-${(n += 1)}`,
  });
  return { svc, log, advance: (ms: number) => (now += ms) };
}

describe('AndonService', () => {
  it('takes steps one at a time: of two acknowledgements at once, one wins and one is told who was first', async () => {
    const { svc } = service();
    const c = await svc.raise(person('op', 'operator'), { line: 'A1', station: 'S01', kind: 'help' });
    const results = await Promise.allSettled([svc.act(person('tl', 'team_leader'), { call: c.id, action: 'acknowledge' }), svc.act(person('mt', 'maintenance'), { call: c.id, action: 'acknowledge' })]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    const refused = (results[1] as PromiseRejectedResult).reason as AndonError;
    expect(refused.refusal).toMatchObject({ status: 409, code: 'invalid_transition' });
    expect(refused.message).toBe(`call ${c.id} is already acknowledged by tl`);
  });

  it('forgets closed calls older than the window, keeps active ones however old', async () => {
    const { svc, advance } = service();
    const closed = await svc.raise(person('op', 'operator'), { line: 'A1', station: 'S01', kind: 'help' });
    const open = await svc.raise(person('op', 'operator'), { line: 'A1', station: 'S02', kind: 'help' });
    await svc.act(person('tl', 'team_leader'), { call: closed.id, action: 'resolve', reason: 'other' });
    advance(40 * 86_400_000);
    expect(svc.prune(T0 + 86_400_000)).toBe(1);
    expect(svc.get(closed.id)).toBeNull();
    expect(svc.get(open.id)?.history).toHaveLength(1);
  });

  it('a station cord replayed at start raises its call once, and a replayed cancel ends only earlier calls', async () => {
    const { svc, log } = service();
    const cord = { type: 'andon' as const, ts: T0, line: 'A1', station: 'S03', kind: 'maintenance', id: 'plc-1' };
    await svc.restore([], [cord, { ...cord, ts: T0 + 1000, id: 'plc-2', action: 'cancel' as const }, { ...cord, ts: T0 + 2000, id: 'plc-3' }]);
    await svc.restore([], [cord]);
    expect(log.map((e) => ('action' in e ? e.action : e.type))).toEqual(['raise', 'cancel', 'raise']);
    expect(svc.list({ line: 'A1' })).toHaveLength(1);
  });
});
