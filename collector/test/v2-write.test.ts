/**
 * The v2 write path, unmodified, against a real server that implements
 * `/api/v2/write` (VictoriaMetrics), read back through that server's own API.
 * Together with ingest.test.ts (1.6, legacy path) both write paths are proven.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { connectInflux, type EventStore } from '../influx/store';
import { startTestVictoria, type TestVictoria } from './support/victoria';

let victoria: TestVictoria;
let store: EventStore;
beforeAll(async () => {
  victoria = await startTestVictoria();
  store = await connectInflux({ url: victoria.url, token: 'unused-token', org: 'taktline', bucket: 'taktline' });
});
afterAll(async () => {
  await store.close();
  await victoria.dispose();
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('v2 write path', () => {
  it('is chosen for a server that is not InfluxDB before 1.8', () => {
    expect(store.info()).toMatchObject({ reachable: true, writePath: 'v2' });
  });

  it('writes cycle points that read back with their tags, values and timestamps', async () => {
    const start = Date.now() - 60_000;
    const events: StationEvent[] = Array.from({ length: 50 }, (_, i) => ({
      type: 'cycle',
      ts: start + i * 1000,
      line: 'A1',
      station: i % 2 === 0 ? 'S01' : 'S02',
      cycleTime: 100 + i,
      result: 'ok',
    }));
    await store.write(events);
    const series = await eventually(
      () => victoria.export('cycle_cycleTime'),
      (s) => s.reduce((n, x) => n + x.values.length, 0) >= 50,
    );
    const byStation = Object.fromEntries(series.map((s) => [s.metric.station, s]));
    expect(Object.keys(byStation).sort()).toEqual(['S01', 'S02']);
    expect(byStation.S01?.metric.line).toBe('A1');
    expect(byStation.S01?.values).toEqual(events.filter((e) => e.type === 'cycle' && e.station === 'S01').map((e) => (e as { cycleTime: number }).cycleTime));
    // VictoriaMetrics keeps milliseconds: the sub-millisecond identity offset falls away, the event's ms stays.
    expect(byStation.S02?.timestamps).toEqual(events.filter((_, i) => i % 2 === 1).map((e) => e.ts));
  });
});
