import { describe, expect, it } from 'vitest';
import type { StateEvent, StationEvent } from '../../core/events';
import { Line } from './line';
import { parseScenario } from './scenario';
import { summarize } from './summary';

const START = '2027-03-01T00:00:00+08:00';
const fixed60 = { kind: 'fixed', seconds: 60 };

/**
 * Four stations of 60 s, one place between each pair, no calendar, empty at the start. One
 * partner: 10 parts at the line, a lot of 100 due at 2 h (never late), fitted where `station` says.
 */
function partnerLine(station: string | undefined) {
  const scenario = parseScenario({
    name: 'partner-station',
    start: START,
    targetPerHour: 60,
    startFull: false,
    defaults: { cycle: fixed60, bufferCapacity: 1 },
    stations: [{ id: 'S01' }, { id: 'S02' }, { id: 'S03' }, { id: 'S04' }],
    partners: [{ id: 'P-X', initialStock: 10, deliveryEveryHours: 2, lotSize: 100, ...(station === undefined ? {} : { station }) }],
  });
  const events: StationEvent[] = [];
  const unitTimes: number[] = [];
  const line = new Line({
    scenario,
    seed: 5,
    startMs: Date.parse(START),
    runId: 'station-test',
    emit: (e) => events.push(e),
    onUnit: (_unit, at) => unitTimes.push(at),
  });
  line.runUntil(3 * 3600);
  const states = (id: string) => events.filter((e): e is StateEvent => e.type === 'state' && e.station === id);
  /** Simulated second of an event. */
  const at = (e: StationEvent) => (e.ts - Date.parse(START)) / 1000;
  return { line, events, states, at, unitTimes, summary: summarize(line, 3 * 3600, 5) };
}

describe('a station supplied by a partner', () => {
  it('starves mid-line when the stock runs out, the stations before it block, and it resumes on delivery', () => {
    const { states, at, unitTimes, summary } = partnerLine('S03');
    const waiting = 'waiting for parts from P-X';

    // Unit 11 reaches S03 at 660 s (launched at 600 s, 60 s at S01 and S02 each), after the 10 parts are used.
    const starved = states('S03').filter((e) => e.state === 'starved' && e.reason === waiting);
    expect(starved.map(at)).toEqual([720]);
    // The lot due at 2 h is taken at once: S03 works again from that instant.
    const after = states('S03').find((e) => at(e) > 720);
    expect(after && [at(after), after.state]).toEqual([7200, 'running']);

    // No other station waits for the partner; the ones before S03 fill up and block, the one after starves.
    for (const id of ['S01', 'S02', 'S04']) expect(states(id).some((e) => e.reason === waiting), id).toBe(false);
    for (const id of ['S01', 'S02']) {
      const blocked = states(id).find((e) => e.state === 'blocked' && at(e) > 720);
      expect(at(blocked as StateEvent), id).toBeLessThan(7200);
      expect(states(id).find((e) => at(e) >= 7200)?.state, id).toBe('running');
    }
    expect(states('S04').some((e) => e.state === 'starved' && at(e) > 720 && at(e) < 7200)).toBe(true);

    // Ten units, then nothing until the delivery; afterwards the line runs at 60 s again.
    expect(unitTimes.filter((t) => t < 7200)).toHaveLength(10);
    expect(unitTimes.filter((t) => t >= 7200).length).toBeGreaterThan(55);
    const s03 = summary.stations.find((s) => s.id === 'S03');
    expect(s03?.secondsInState.starved).toBeGreaterThan(7200 - 720 - 1);
    expect(summary.stations[0]?.secondsInState.blocked).toBeGreaterThan(6000);
    // Every unit S03 finished took one part, and so did the one it is working on at the end: 10 + 100 − cycles − 1.
    expect(summary.partners).toEqual([{ id: 'P-X', station: 'S03', deliveries: 1, onTimeDeliveries: 1, stockAtEnd: 110 - (s03?.cycles ?? 0) - 1 }]);
  });

  it('is the first station when the partner names none, as at body load', () => {
    const { states, at, summary } = partnerLine(undefined);
    const starved = states('S01').filter((e) => e.state === 'starved' && e.reason === 'waiting for parts from P-X');
    // The 11th body is not launched at 600 s: its parts are missing.
    expect(starved.map(at)).toEqual([600]);
    for (const id of ['S02', 'S03', 'S04']) expect(states(id).some((e) => e.reason?.includes('P-X')), id).toBe(false);
    expect(summary.partners[0]?.station).toBe('S01');
  });

  it('repeats its run for the same seed', () => {
    const a = partnerLine('S03');
    const b = partnerLine('S03');
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });
});
