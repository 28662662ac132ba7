import { describe, expect, it } from 'vitest';
import type { StopReasonEvent } from '../../core/events';
import { referencePlant } from '../../core/plant';
import { influxReads } from '../influx/reads';
import type { EventStore, InfluxSeries } from '../influx/store';
import { StopReasons } from './service';

const T0 = Date.UTC(2027, 2, 1, 2);
const stored: StopReasonEvent = { type: 'stop_reason', ts: T0, id: 'sr-1', stop: 'S01.abc', line: 'A1', station: 'S01', reason: 'breakdown', category: 'machine', actorKind: 'person', actorId: 'op1', actorName: 'op', role: 'operator' };

/** An in-memory stand-in for InfluxDB that is away until `up` is set. */
function fakeStore(state: { up: boolean }): EventStore {
  const away = () => Promise.reject(new Error('InfluxDB at http://u:secret@db is unreachable'));
  const query = (q: string): Promise<InfluxSeries[]> => {
    if (!state.up) return away();
    if (!q.includes('"stop_reason"')) return Promise.resolve([]);
    const { type: _t, ts, ...fields } = stored;
    const columns = ['time', ...Object.keys(fields)];
    return Promise.resolve([{ name: 'stop_reason', columns, values: [[ts, ...Object.values(fields)]] }]);
  };
  return {
    write: () => Promise.resolve(),
    query,
    reads: {
      // The read module over the stand-in's answers, as the real store has it.
      ...influxReads({ query }),
      // The stops' own events: none here (the classifications are what the test is about).
      lineEvents: () => (state.up ? Promise.resolve({ events: [], initialStates: Object.create(null) as Record<string, never> }) : away()),
    },
  } as unknown as EventStore;
}

describe('StopReasons', () => {
  it('goes on with the spool when InfluxDB is away at start, and merges what it holds once it answers, after the retry delay', async () => {
    const state = { up: false };
    let now = T0 + 60_000;
    const logs: string[] = [];
    const reasons = new StopReasons({ plant: referencePlant(), store: fakeStore(state), append: () => Promise.resolve(), lineNow: () => now, unwritten: () => [], log: (m) => logs.push(m), clock: () => now });
    await reasons.start();
    expect(reasons.classifications('A1')).toEqual([]);
    expect(logs.join('\n')).toMatch(/cannot read classifications/);
    expect(logs.join('\n')).not.toMatch(/secret/);
    state.up = true;
    const line = referencePlant().lines[0];
    if (!line) throw new Error('no line');
    await reasons.stops(line, T0, T0 + 120_000, now);
    expect(reasons.classifications('A1')).toEqual([]); // not yet: 30 s have not passed
    now += 30_000;
    await reasons.stops(line, T0, T0 + 120_000, now);
    expect(reasons.classifications('A1')).toEqual([stored]);
  });
});
