import { describe, expect, it } from 'vitest';
import { referenceStationTags } from '../../core/connectors';
import { referencePlant } from '../../core/plant';
import { validateEvent } from '../../core/validate';
import { seededRandom } from '../test/support/seeded-random';
import { TagMap, type TagChange } from './tag-map';

const T0 = Date.parse('2027-03-01T08:00:00+08:00');
const tags = referenceStationTags('A1', 'S20', { completesUnit: true });
const at = (name: string) => `ns=1;s=A1.S20.${name}`;
const change = (name: string, value: unknown, ts: number): TagChange => ({ address: at(name), value, ts });

describe('TagMap', () => {
  it('turns counter increments into cycles, with the latched serial, result and cycle time, and a unit at the last station', () => {
    const map = new TagMap([tags], 'plc1');
    expect(map.apply([change('CycleCounter', 41, T0)]).events).toEqual([]); // baseline
    const out = map.apply([
      // Same instant: the serial and result written with the counter belong to this cycle, whatever the order.
      change('CycleCounter', 42, T0 + 118_000),
      change('UnitSerial', 'LSVAT0001', T0 + 118_000),
      change('Result', 2, T0 + 118_000),
      change('UnitResult', 2, T0 + 118_000),
      change('CycleTime', 117.5, T0 + 118_000),
      change('Model', 'EV7', T0 + 118_000),
    ]);
    expect(out.rejections).toEqual([]);
    expect(out.events).toEqual([
      { type: 'cycle', ts: T0 + 118_000, line: 'A1', station: 'S20', cycleTime: 117.5, unit: 'LSVAT0001', result: 'nok', id: `plc1:A1.S20:c42@${T0 + 118_000}` },
      { type: 'unit', ts: T0 + 118_000, line: 'A1', unit: 'LSVAT0001', model: 'EV7', result: 'nok', id: `plc1:A1.S20:u42@${T0 + 118_000}` },
    ]);
  });

  it('never reorders the values of one tag, even when the PLC clock steps back', () => {
    const map = new TagMap([tags], 'plc1');
    // Initial value stamped now, then a cycle stamped earlier (a PLC whose clock was set back).
    const out = map.apply([change('CycleCounter', 0, T0 + 60_000), change('CycleCounter', 1, T0)]);
    expect(out.events).toHaveLength(1);
  });

  it('pairs each serial with its own cycle when one publish carries several, tag by tag', () => {
    const map = new TagMap([tags], 'plc1');
    map.apply([change('CycleCounter', 0, T0)]);
    // What a server's queues deliver after a burst: all serials of the interval, then all counters.
    const out = map.apply([
      change('UnitSerial', 'LBURST0001', T0 + 1000),
      change('UnitSerial', 'LBURST0002', T0 + 2000),
      change('CycleCounter', 1, T0 + 1000),
      change('CycleCounter', 2, T0 + 2000),
    ]);
    expect(out.events.filter((e) => e.type === 'cycle').map((e) => (e.type === 'cycle' ? e.unit : null))).toEqual(['LBURST0001', 'LBURST0002']);
  });

  it('spreads several increments over the time since the last one and treats a decrease as a reset', () => {
    const map = new TagMap([{ line: 'A1', station: 'S01', cycleCounter: 'c' }], 'p');
    map.apply([{ address: 'c', value: 10, ts: T0 }]);
    const out = map.apply([{ address: 'c', value: 13, ts: T0 + 360_000 }]);
    expect(out.events.map((e) => [e.ts, e.type === 'cycle' ? e.cycleTime : null])).toEqual([
      [T0 + 120_000, 120],
      [T0 + 240_000, 120],
      [T0 + 360_000, 120],
    ]);
    expect(map.apply([{ address: 'c', value: 0, ts: T0 + 400_000 }]).events).toEqual([]);
    expect(map.apply([{ address: 'c', value: 1, ts: T0 + 500_000 }]).events).toHaveLength(1);
    expect(map.apply([{ address: 'c', value: 5000, ts: T0 + 600_000 }]).rejections[0]).toMatchObject({ code: 'counter_jump' });
  });

  it('maps PLC state codes, with the fault code as reason, and rejects a code outside the map with a reason', () => {
    const map = new TagMap([tags], 'plc1');
    const fault = map.apply([change('FaultCode', 'E-217 gripper', T0), change('State', 5, T0)]);
    expect(fault.events).toEqual([{ type: 'state', ts: T0, line: 'A1', station: 'S20', state: 'fault', reason: 'E-217 gripper', id: `plc1:A1.S20:s5@${T0}` }]);
    expect(map.apply([change('FaultCode', 4711, T0 + 1), change('State', 6, T0 + 1)]).events[0]).toMatchObject({ state: 'maintenance', reason: 'PLC fault 4711' });
    expect(map.apply([change('State', 1, T0 + 2)]).events[0]).toMatchObject({ state: 'running' });
    expect(map.apply([change('State', 1, T0 + 2)]).events[0]).not.toHaveProperty('reason');
    const odd = map.apply([change('State', 99, T0 + 3)]);
    expect(odd.events).toEqual([]);
    expect(odd.rejections).toEqual([
      { code: 'unmapped_value', line: 'A1', station: 'S20', field: 'state', address: at('State'), reason: expect.stringMatching(/state code 99 is not in state\.map \(mapped: 0, 1, 2/) },
    ]);
  });

  it('rejects values it cannot read instead of throwing', () => {
    const map = new TagMap([tags], 'plc1');
    const out = map.apply([
      change('CycleCounter', 'lots', T0),
      change('UnitSerial', 'bad serial with spaces', T0),
      change('Result', 7, T0),
      change('CycleTime', -1, T0),
      { address: 'not-mapped', value: 1, ts: T0 },
    ]);
    expect(out.events).toEqual([]);
    expect(out.rejections.map((r) => [r.field, r.code])).toEqual([
      ['unit', 'invalid_value'],
      ['result', 'unmapped_value'],
      ['cycleTime', 'invalid_value'],
      ['cycleCounter', 'invalid_value'],
    ]);
  });

  it('raises one andon call per press of the button, not one per value while it is held', () => {
    const out = new TagMap([tags], 'plc1').apply([change('Andon', true, T0), change('Andon', true, T0 + 1), change('Andon', false, T0 + 2), change('Andon', 1, T0 + 3)]);
    expect(out.rejections).toEqual([]);
    expect(out.events.map((e) => [e.type, e.ts, 'action' in e ? e.action : null])).toEqual([
      ['andon', T0, 'raise'],
      ['andon', T0 + 3, 'raise'],
    ]);
  });

  it('never throws on hostile PLC values, and everything it emits is a valid protocol-v1 event', () => {
    const random = seededRandom(17);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const hostile: unknown[] = [
      null, undefined, NaN, Infinity, -Infinity, -1, 0, 1, 2, 5, 42, 2 ** 53, -(2 ** 31), 1.5, 1e308, true, false,
      '', ' ', '5', 'FAULT', 'a\u0000b', 'x'.repeat(10_000), '"; DROP MEASUREMENT cycle; --', 'A1,station=S99 x=1', '\ud800',
      [1, 2], [0, 4_294_967_295], {}, { value: 1 }, Symbol('s'), 10n, () => 1, new Date(),
    ];
    const stations = ['S01', 'S02', 'S03'];
    const map = new TagMap(stations.map((s, i) => referenceStationTags('A1', s, { completesUnit: i === 2 })), 'fuzz');
    const names = ['CycleCounter', 'CycleTime', 'State', 'FaultCode', 'UnitSerial', 'Result', 'Model', 'UnitResult', 'Andon'];
    const plant = referencePlant(3);
    let counter = 0;
    let emitted = 0;
    for (let round = 0; round < 2000; round += 1) {
      const changes: TagChange[] = Array.from({ length: 1 + Math.floor(random() * 6) }, () => {
        const name = pick(names);
        // Counters mostly count, so cycles are emitted too; the rest of the time they get garbage.
        const value = name === 'CycleCounter' && random() < 0.6 ? (counter += 1 + Math.floor(random() * 3)) : pick(hostile);
        return { address: `ns=1;s=A1.${pick(stations)}.${name}`, value, ts: T0 + round * 1000 + Math.floor(random() * 1000) };
      });
      const out = map.apply(changes);
      for (const event of out.events) {
        const verdict = validateEvent(event, { now: T0 + 3_000_000, maxFutureMs: 3_600_000, maxAgeMs: 86_400_000, plant });
        expect(verdict.ok ? null : verdict.rejection).toBeNull();
        emitted += 1;
      }
      for (const r of out.rejections) expect(r.reason.length).toBeGreaterThan(10);
    }
    expect(emitted).toBeGreaterThan(1000);
  });

  describe('counter marks (a restart resumes where the stored events left the counter)', () => {
    it('counts the increments since a restored mark as cycles, spread over the time since, the ids going on from the count', () => {
      const before = new TagMap([tags], 'plc1');
      before.apply([change('CycleCounter', 41, T0)]);
      before.apply([change('CycleCounter', 42, T0 + 120_000)]);
      const marks = before.counterMarks();
      expect(marks).toEqual([{ line: 'A1', station: 'S20', address: at('CycleCounter'), value: 42, ts: T0 + 120_000 }]);

      const after = new TagMap([tags], 'plc1');
      expect(after.restoreCounters(marks)).toBe(1);
      // The collector was away 6 minutes; the PLC counted three cycles meanwhile.
      const out = after.apply([change('UnitSerial', 'LBACK0045', T0 + 480_000), change('CycleCounter', 45, T0 + 480_000)]);
      const cycles = out.events.filter((e) => e.type === 'cycle');
      expect(cycles.map((e) => [e.ts, e.id])).toEqual([
        [T0 + 240_000, `plc1:A1.S20:c43@${T0 + 240_000}`],
        [T0 + 360_000, `plc1:A1.S20:c44@${T0 + 360_000}`],
        [T0 + 480_000, `plc1:A1.S20:c45@${T0 + 480_000}`],
      ]);
      // Only the last cycle has the serial the PLC holds now; the unit is counted once, for it.
      expect(cycles.map((e) => (e.type === 'cycle' ? e.unit : null))).toEqual([undefined, undefined, 'LBACK0045']);
      expect(out.events.filter((e) => e.type === 'unit')).toHaveLength(1);
      // Without the mark the first value is a baseline and the three cycles are never sent.
      expect(new TagMap([tags], 'plc1').apply([change('CycleCounter', 45, T0 + 480_000)]).events).toEqual([]);
    });

    it('ignores a mark of another tag or station, keeps the reset and jump rules, and never overrides a value already read', () => {
      const mark = { line: 'A1', station: 'S20', address: at('CycleCounter'), value: 42, ts: T0 };
      const map = new TagMap([tags], 'plc1');
      expect(map.restoreCounters([{ ...mark, address: 'ns=1;s=Other' }, { ...mark, station: 'S19' }])).toBe(0);
      expect(map.apply([change('CycleCounter', 50, T0 + 60_000)]).events).toEqual([]); // baseline: no mark taken

      const reset = new TagMap([tags], 'plc1');
      reset.restoreCounters([mark]);
      expect(reset.apply([change('CycleCounter', 3, T0 + 60_000)]).events).toEqual([]); // a PLC reset while away: new baseline

      const jump = new TagMap([tags], 'plc1');
      jump.restoreCounters([mark]);
      const out = jump.apply([change('CycleCounter', 42 + 5000, T0 + 60_000)]);
      expect(out.events).toEqual([]);
      expect(out.rejections[0]?.code).toBe('counter_jump');

      const late = new TagMap([tags], 'plc1');
      late.apply([change('CycleCounter', 7, T0)]);
      expect(late.restoreCounters([mark])).toBe(0);
      expect(late.counterMarks()[0]?.value).toBe(7);
    });
  });
});
