/**
 * Test doubles for the manager workspace: collector answers for a line and
 * interval, built by core's own `computeLineKpis` from a handful of events
 * (so the fixture is what the collector would say), and a fake fetch that
 * routes by path. Imported by *.test.ts only.
 */
import type { StationEvent } from '@core/events';
import { computeLineKpis } from '@core/kpi/line-kpis';
import { referencePlant } from '@core/plant';
import type { FetchLike } from '../services/lines-api';
import type { CyclesHistory, DowntimeHistory, HourlyHistory, KpiAnswer, StatesHistory, UphHistory } from '../services/history-api';

/** 2027-03-01 06:00 +08:00, the start of an early shift. */
export const SHIFT_START = Date.parse('2027-03-01T06:00:00+08:00');
const HOUR = 3_600_000;

/** A three-station line A1 at 30/h. */
export const FIXTURE_LINE = (() => {
  const line = referencePlant(3).lines[0];
  if (!line) throw new Error('no reference line');
  return line;
})();

/**
 * Collector answers for `[from, from + 2 h)` as of its end: `units` units
 * evenly spread, one 'nok', S02 in fault for 6 minutes; S01 starved and S03
 * blocked for 10 minutes each, so S02 is the bottleneck.
 */
export function managerAnswers(options: { from?: number; units?: number; label?: string } = {}) {
  const from = options.from ?? SHIFT_START;
  const to = from + 2 * HOUR;
  const n = options.units ?? 40;
  const events: StationEvent[] = [];
  for (const s of ['S01', 'S02', 'S03']) events.push({ type: 'state', ts: from, line: 'A1', station: s, state: 'running' });
  events.push({ type: 'state', ts: from + 30 * 60_000, line: 'A1', station: 'S02', state: 'fault', reason: 'torque gun' });
  events.push({ type: 'state', ts: from + 36 * 60_000, line: 'A1', station: 'S02', state: 'running' });
  events.push({ type: 'state', ts: from + 40 * 60_000, line: 'A1', station: 'S01', state: 'starved' });
  events.push({ type: 'state', ts: from + 50 * 60_000, line: 'A1', station: 'S01', state: 'running' });
  events.push({ type: 'state', ts: from + 40 * 60_000, line: 'A1', station: 'S03', state: 'blocked' });
  events.push({ type: 'state', ts: from + 50 * 60_000, line: 'A1', station: 'S03', state: 'running' });
  for (let i = 0; i < n; i += 1) {
    const ts = from + Math.round(((i + 0.5) * 2 * HOUR) / n);
    events.push({ type: 'unit', ts, line: 'A1', unit: `U${i}`, ...(i === 3 ? { result: 'nok' as const } : {}) });
    for (const s of ['S01', 'S02', 'S03']) events.push({ type: 'cycle', ts: ts - 1000, line: 'A1', station: s, cycleTime: 100 + (i % 5) * 6 });
  }
  const lk = computeLineKpis({ line: FIXTURE_LINE, events, from, to, now: to });
  const kpi: KpiAnswer = { ...lk, range: { label: options.label ?? '2027-03-01/early', from, to } };
  const hourly: HourlyHistory = {
    line: 'A1',
    timeZone: 'Asia/Shanghai',
    from,
    to,
    bucket: 'hour',
    buckets: lk.hourly.map((h) => ({ start: h.start, end: h.end, plannedSeconds: h.plannedSeconds, plan: h.plan, units: h.units, goodUnits: h.goodUnits })),
  };
  const uph: UphHistory = { line: 'A1', target: 30, bucketMinutes: 5, points: [{ ts: from + HOUR, unitsPerHour: n / 2 }, { ts: to, unitsPerHour: n / 2 }] };
  const cycles: CyclesHistory = {
    line: 'A1',
    taktSeconds: 120,
    stations: lk.stations.map((s) => ({
      station: s.station,
      name: s.name,
      count: s.cycles.count,
      mean: s.cycles.meanSeconds,
      min: s.cycles.minSeconds,
      p10: s.cycles.minSeconds,
      p50: s.cycles.p50Seconds,
      p90: s.cycles.p90Seconds,
      max: s.cycles.maxSeconds,
      withinTakt: s.cycles.count,
      taktCompliance: s.cycles.taktCompliance,
    })),
  };
  const states: StatesHistory = {
    line: 'A1',
    from,
    to,
    stations: lk.stations.map((s) => ({
      station: s.station,
      name: s.name,
      segments:
        s.station === 'S02'
          ? [
              { state: 'running', start: from, end: from + 30 * 60_000 },
              { state: 'fault', reason: 'torque gun', start: from + 30 * 60_000, end: from + 36 * 60_000 },
              { state: 'running', start: from + 36 * 60_000, end: to },
            ]
          : [{ state: 'running', start: from, end: to }],
    })),
  };
  const downtime: DowntimeHistory = { line: 'A1', from, to, ...lk.downtime };
  return { kpi, hourly, uph, cycles, states, downtime };
}

export type ManagerAnswers = ReturnType<typeof managerAnswers>;

/** A recorded request and the fetch that serves it. */
export interface FakeApi {
  fetch: FetchLike;
  /** URLs requested, in order. */
  calls: string[];
}

/**
 * A fetch that answers the KPI and history endpoints from `answer(url)`:
 * either the answers for that URL, or `{ status, error }` to fail with the
 * API's error body.
 */
export function fakeApi(answer: (url: URL) => ManagerAnswers | { status: number; code: string; message: string }): FakeApi {
  const calls: string[] = [];
  const fetch: FetchLike = async (input) => {
    calls.push(input);
    const url = new URL(input, 'http://collector.test');
    const a = answer(url);
    const reply = (status: number, body: unknown) => ({ ok: status < 300, status, json: async () => body });
    if ('status' in a) return reply(a.status, { error: { code: a.code, message: a.message } });
    const kind = url.pathname.split('/').at(-1);
    const body = kind === 'kpi' ? a.kpi : a[kind as keyof ManagerAnswers];
    return body ? reply(200, body) : reply(404, { error: { code: 'not_found', message: `no route ${url.pathname}` } });
  };
  return { fetch, calls };
}
