import { describe, expect, it } from 'vitest';
import type { StationEvent } from '../events';
import { localDayOf, mergeDay } from './day-rollup';
import { summariseHours, type HourRollup } from './hour-summary';

const HOUR = 3_600_000;
const TZ = 'Asia/Shanghai';
const day = localDayOf(Date.parse('2027-03-02T12:00:00+08:00'), TZ);

/** A day of one station: cycles every 10 min, a fault from 09:50 to 11:20 (across two hour edges), units every 20 min. */
function events(): StationEvent[] {
  const out: StationEvent[] = [];
  for (let t = day.start; t < day.end; t += 600_000) {
    out.push({ type: 'cycle', ts: t + 5_000, line: 'A1', station: 'S01', cycleTime: 100 + ((t / 600_000) % 7) });
    if ((t / 600_000) % 2 === 0) out.push({ type: 'unit', ts: t + 9_000, line: 'A1', unit: `U${t}`, ...(t % 7 === 0 ? { result: 'nok' as const } : {}) });
  }
  out.push({ type: 'state', ts: day.start + 9 * HOUR + 50 * 60_000, line: 'A1', station: 'S01', state: 'fault', reason: 'servo' });
  out.push({ type: 'state', ts: day.start + 11 * HOUR + 20 * 60_000, line: 'A1', station: 'S01', state: 'running' });
  return out;
}

function summarise(hours: { start: number; end: number }[]): HourRollup[] {
  const rollups = summariseHours({ line: 'A1', stations: ['S01'], hours, events: events(), initialStates: { S01: { state: 'running', since: day.start - HOUR } }, taktSeconds: 105 });
  // Loss charges are not what this test is about: an empty piece each, so the day can be built.
  for (const r of rollups) r.losses = { plannedMs: 0, hasData: true, units: r.units, goodUnits: r.goodUnits, qualityByDefect: [], cycles: [] };
  return rollups;
}

describe('mergeDay', () => {
  const hours = Array.from({ length: 24 }, (_, i) => ({ start: day.start + i * HOUR, end: day.start + (i + 1) * HOUR }));

  it('equals the summary of the whole day at once: counts, seconds, cycles, and one fault segment again', () => {
    const merged = mergeDay('A1', day, summarise(hours));
    const [whole] = summariseHours({ line: 'A1', stations: ['S01'], hours: [day], events: events(), initialStates: { S01: { state: 'running', since: day.start - HOUR } }, taktSeconds: 105 });
    expect(merged).not.toBeNull();
    if (!merged || !whole) return;
    expect({ units: merged.units, good: merged.goodUnits, states: merged.stateEvents }).toEqual({ units: whole.units, good: whole.goodUnits, states: whole.stateEvents });
    const [m] = merged.stations;
    const [w] = whole.stations;
    expect(m?.cycles).toEqual(w?.cycles);
    expect(m?.withinTakt).toBe(w?.withinTakt);
    expect(m?.stateSeconds).toEqual(w?.stateSeconds);
    // The fault ran across 10:00 and 11:00: three hour pieces, one segment in the day, with its start as since.
    expect(m?.down).toEqual(w?.down);
    expect(m?.down).toHaveLength(1);
    expect(merged.losses?.units).toBe(whole.units);
  });

  it('is not built from a day with an hour missing, or with hours of another takt', () => {
    const rolled = summarise(hours);
    expect(mergeDay('A1', day, rolled.filter((_, i) => i !== 13))).toBeNull();
    expect(mergeDay('A1', day, rolled.map((r, i) => (i === 5 ? { ...r, taktSeconds: 90 } : r)))).toBeNull();
    expect(mergeDay('A1', day, rolled.map((r, i) => (i === 5 ? { ...r, losses: null } : r)))).toBeNull();
  });
});
