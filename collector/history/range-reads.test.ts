import { describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import type { LineConfig } from '../../core/plant';
import { memoryStore } from '../influx/memory-reads';
import type { EventReads } from '../influx/reads';
import { HourRoller } from '../rollup/roller';
import { rangeReads } from './range-reads';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 06:00 in Shanghai: a production day and week start. */
const T0 = Date.parse('2026-06-01T06:00:00+08:00');
const line: LineConfig = {
  id: 'A1',
  name: { zh: 'A1', en: 'A1' },
  timeZone: 'Asia/Shanghai',
  targetPerHour: 30,
  stations: ['S01', 'S02'].map((id) => ({ id, name: { zh: id, en: id } })),
};

/** Nine days: cycles and units every few minutes, a fault or a stop with a reason now and then, on both stations. */
function events(): StationEvent[] {
  const out: StationEvent[] = [{ type: 'state', ts: T0 - HOUR, line: 'A1', station: 'S01', state: 'running' }];
  for (let m = 0; m < 9 * 24 * 60; m += 3) {
    const ts = T0 + m * 60_000;
    out.push({ type: 'cycle', ts: ts + 100, line: 'A1', station: m % 2 ? 'S02' : 'S01', cycleTime: 100 + (m % 41) / 3 });
    if (m % 6 === 0) out.push({ type: 'unit', ts: ts + 300, line: 'A1', unit: `U${m}` });
    if (m % 397 === 0) {
      out.push({ type: 'state', ts: ts + 500, line: 'A1', station: m % 2 ? 'S01' : 'S02', state: 'fault', reason: `r${m % 5}` });
      out.push({ type: 'state', ts: ts + 500 + 7 * 60_000, line: 'A1', station: m % 2 ? 'S01' : 'S02', state: 'running' });
    }
  }
  return out;
}

/** The underlying reads, with how often each method was asked. */
function counting(reads: EventReads): { reads: EventReads; asked: Map<string, number> } {
  const asked = new Map<string, number>();
  const counted = { ...reads };
  for (const name of ['rollups', 'lineEvents'] as const) {
    const f = reads[name] as (...args: unknown[]) => Promise<unknown>;
    (counted as Record<string, unknown>)[name] = (...args: unknown[]) => (asked.set(name, (asked.get(name) ?? 0) + 1), f(...args));
  }
  return { reads: counted, asked };
}

describe('rangeReads', () => {
  it("answers any part of the range as the store does, from one read of the range's rollups and states", async () => {
    const store = memoryStore();
    await store.write(events());
    await new HourRoller({ store, plant: { name: { zh: 'p', en: 'p' }, lines: [line] }, lineNow: () => T0 + 9 * DAY + HOUR, log: () => undefined }).backfill();
    const from = T0 + 17 * 60_000;
    const to = T0 + 8 * DAY + 3 * HOUR;
    const { reads, asked } = counting(store.reads);
    const ranged = await rangeReads(reads, line, from, to, T0 + 20 * DAY);
    const prefetched = new Map(asked);
    const parts: [number, number][] = [
      [from, to],
      [T0 + DAY, T0 + 2 * DAY],
      [T0 + 7 * DAY, to],
      [T0 + 2 * DAY + 13 * 60_000, T0 + 5 * DAY + 7 * HOUR],
      [to - 1, to],
    ];
    for (const [a, b] of parts) expect(await ranged.lineEvents(line, a, b, ['state'])).toEqual(await store.reads.lineEvents(line, a, b, ['state']));
    // The range holds no whole week: its plan read the seven whole days, and the whole hours either side of them.
    for (const [a, b] of [[T0 + DAY, T0 + 8 * DAY], [T0 + DAY, T0 + 2 * DAY], [T0 + 2 * DAY + 13 * 60_000, T0 + 5 * DAY + 7 * HOUR]] as const) {
      const day = await ranged.rollups('A1', a, b, 'stations', 'day');
      expect(day).toEqual(await store.reads.rollups('A1', a, b, 'stations', 'day'));
      expect(day.length).toBeGreaterThan(0);
    }
    expect(await ranged.rollups('A1', T0 + 3 * HOUR, T0 + 9 * HOUR, 'stations')).toEqual(await store.reads.rollups('A1', T0 + 3 * HOUR, T0 + 9 * HOUR, 'stations'));
    // The hourly table's hours: every whole hour of the range.
    expect(await ranged.rollups('A1', T0 + HOUR, T0 + 5 * DAY, 'line')).toEqual(await store.reads.rollups('A1', T0 + HOUR, T0 + 5 * DAY, 'line'));
    const states = (await ranged.lineEvents(line, T0 + 2 * DAY, T0 + 3 * DAY, ['state'])).events;
    expect(states.length).toBeGreaterThan(0);
    // Every answer above came from memory, none from the store.
    expect(asked).toEqual(prefetched);
    // Outside the range, or other kinds of event: the store answers.
    await ranged.lineEvents(line, from - HOUR, from, ['state']);
    await ranged.lineEvents(line, from, to, ['state', 'unit']);
    await ranged.rollups('A1', from - DAY, from, 'stations', 'day');
    expect(asked.get('lineEvents')).toBe((prefetched.get('lineEvents') ?? 0) + 2);
    expect(asked.get('rollups')).toBe((prefetched.get('rollups') ?? 0) + 1);
  });
});
