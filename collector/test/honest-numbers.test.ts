/**
 * Honest numbers through the real parts (collector + influxd): one way to count
 * a unit, the first partial hour of a range, a stop's reason carried into an
 * interval, one days-to-clear, and "no data" for an interval without events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { referencePlant } from '../../core/plant';
import { startStack, type Stack } from './support/stack';

const MIN = 60_000;
/** 09:00 Asia/Shanghai (01:00 UTC) three days ago: the early shift, no break 08:10–10:30. */
const day = new Date(Date.now() - 3 * 86_400_000);
const T9 = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 1, 0, 0);
const at = (minutesAfterNine: number) => T9 + minutesAfterNine * MIN;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ config: { plant: referencePlant(3), maxAgeSeconds: 30 * 86_400 } });
  const events: StationEvent[] = [
    { type: 'state', ts: at(-10), line: 'A1', station: 'S02', state: 'fault', reason: 'spindle jammed' },
    { type: 'state', ts: at(20), line: 'A1', station: 'S02', state: 'running' },
    { type: 'orders', ts: at(-30), total: 1000 },
    // Down since three days ago and never back: it carries into every later interval and over a restart.
    { type: 'state', ts: at(100), line: 'A1', station: 'S03', state: 'fault', reason: 'hydraulics' },
  ];
  // 20 units, 09:30 … 10:08; the first one sent twice, once with an id and once without.
  for (let k = 0; k < 20; k += 1) events.push({ type: 'unit', ts: at(30 + 2 * k), line: 'A1', unit: `LTKHN${String(k).padStart(6, '0')}` });
  events.push({ type: 'unit', id: 'plc-7-1', ts: at(30), line: 'A1', unit: 'LTKHN000000' });
  events.push({ type: 'cycle', ts: at(29), line: 'A1', station: 'S01', cycleTime: 100 });
  events.push({ type: 'cycle', id: 'plc-7-2', ts: at(29), line: 'A1', station: 'S01', cycleTime: 100 });
  const { status } = await stack.postEvents(events);
  expect(status).toBe(200);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const get = async <T>(path: string): Promise<T> => {
  const res = await fetch(`${stack.baseUrl}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};

describe('honest numbers', () => {
  it('counts a repeat sent with and without an id once, in kpi, hourly history, cycles and orders alike', async () => {
    const kpi = await get<{ inputs: { counts: { units: number; cycles: number } } }>(`/api/v1/kpi?line=A1&from=${at(0)}&to=${at(120)}&now=${at(120)}`);
    expect(kpi.inputs.counts.units).toBe(20);
    expect(kpi.inputs.counts.cycles).toBe(1);
    const hourly = await get<{ buckets: { units: number }[] }>(`/api/v1/history/hourly?line=A1&from=${at(0)}&to=${at(120)}&now=${at(120)}`);
    expect(hourly.buckets.reduce((a, b) => a + b.units, 0)).toBe(20);
    const cycles = await get<{ stations: { station: string; count: number }[] }>(`/api/v1/history/cycles?line=A1&from=${at(0)}&to=${at(120)}&now=${at(120)}`);
    expect(cycles.stations.find((s) => s.station === 'S01')?.count).toBe(1);
    const orders = await get<{ delivered: number }>(`/api/v1/orders?line=A1&now=${at(120)}`);
    expect(orders.delivered).toBe(20);
  });

  it('keeps the first partial hour of a range that starts off the hour', async () => {
    const hourly = await get<{ buckets: { start: number; units: number }[] }>(`/api/v1/history/hourly?line=A1&from=${at(20)}&to=${at(120)}&now=${at(120)}`);
    expect(hourly.buckets[0]).toMatchObject({ start: at(20), units: 15 });
    expect(hourly.buckets[1]?.units).toBe(5);
  });

  it('keeps the reason of a stop that began before the interval, in the Pareto and the downtime history', async () => {
    const downtime = await get<{ items: { station: string; reason: string; seconds: number }[] }>(`/api/v1/history/downtime?line=A1&from=${at(0)}&to=${at(60)}&now=${at(120)}`);
    expect(downtime.items[0]).toMatchObject({ station: 'S02', reason: 'spindle jammed', seconds: 20 * 60 });
    const kpi = await get<{ downtime: { items: { reason: string }[] } }>(`/api/v1/kpi?line=A1&from=${at(0)}&to=${at(60)}&now=${at(120)}`);
    expect(kpi.downtime.items[0]?.reason).toBe('spindle jammed');
  });

  it('gives one days-to-clear in /api/v1/kpi and /api/v1/orders', async () => {
    const kpi = await get<{ backlog: { daysToClear: number | null; ratePerPlannedHour: number | null } }>(`/api/v1/kpi?line=A1&from=${at(0)}&to=${at(120)}&now=${at(120)}`);
    const orders = await get<{ daysToClear: number | null; ratePerPlannedHour: number | null }>(`/api/v1/orders?line=A1&now=${at(120)}`);
    expect(orders.daysToClear).not.toBeNull();
    expect(kpi.backlog.ratePerPlannedHour).toBe(orders.ratePerPlannedHour);
    expect(kpi.backlog.daysToClear).toBe(orders.daysToClear);
  });

  it('keeps the reason of a stop carried over a collector restart on the wall', async () => {
    await stack.stopCollector();
    await stack.startCollector();
    expect(stack.app().board.view('A1')?.stations.find((s) => s.id === 'S03')).toMatchObject({ state: 'fault', reason: 'hydraulics' });
  });

  it('says no data for an interval without events, never availability 100 %', async () => {
    const kpi = await get<{ status: string; oee: { availability: number | null; performance: number | null } }>(`/api/v1/kpi?line=A1&from=${at(-600)}&to=${at(-540)}&now=${at(120)}`);
    expect(kpi.status).toBe('no_data');
    expect(kpi.oee).toMatchObject({ availability: null, performance: null });
  });
});
