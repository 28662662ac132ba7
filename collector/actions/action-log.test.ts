import { describe, expect, it } from 'vitest';
import type { UnitDefectEvent } from '../../core/events';
import { referencePlant } from '../../core/plant';
import { ActionLog } from './action-log';
import { personActor } from './actor';

const T0 = Date.UTC(2027, 2, 1, 2);
const code = (id: string, defect = 'scratch'): UnitDefectEvent => ({ type: 'unit_defect', ts: T0, id, line: 'A1', unit: 'VIN-1', defect, ...personActor({ id: 'op1', name: 'Wang\u0007Li', role: 'operator' } as Parameters<typeof personActor>[0]) });

function log(appended: UnitDefectEvent[][]) {
  return new ActionLog<UnitDefectEvent>({
    type: 'unit_defect',
    plant: referencePlant(),
    lineNow: () => T0,
    readStored: () => Promise.resolve({ events: [], skipped: 0 }),
    append: (events) => {
      appended.push(events);
      return Promise.resolve();
    },
    unwritten: () => [],
    log: () => undefined,
    names: { part: 'defects', events: "people's defect codes" },
  });
}

describe('ActionLog: taking a new action', () => {
  it('runs actions one at a time, the next only after the one before settled, even when it failed', async () => {
    const actions = log([]);
    const trace: string[] = [];
    let release = (): void => undefined;
    const first = actions.serial(async () => {
      trace.push('first starts');
      await new Promise<void>((r) => (release = r));
      trace.push('first ends');
      throw new Error('refused');
    });
    const second = actions.serial(() => {
      trace.push('second starts');
      return Promise.resolve('done');
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(trace).toEqual(['first starts']);
    release();
    await expect(first).rejects.toThrow('refused');
    await expect(second).resolves.toBe('done');
    expect(trace).toEqual(['first starts', 'first ends', 'second starts']);
  });

  it('appends a valid event as it is, and refuses an invalid one without appending it', async () => {
    const appended: UnitDefectEvent[][] = [];
    const actions = log(appended);
    const ok = code('ud-1');
    expect(ok.actorName).toBe('Wang Li'); // personActor folds control characters
    await actions.record(ok);
    expect(appended).toEqual([[ok]]);
    await expect(actions.record(code('ud-2', ''))).rejects.toThrow(/^defects: refusing to record an invalid unit_defect event \(/);
    expect(appended).toHaveLength(1);
  });
});
