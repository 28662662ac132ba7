/**
 * The stop-reasons part of a long range from the closed hours' stop
 * summaries, through the real collector and influxd: a simulated line's two
 * days of events and people's classifications in InfluxDB, the collector's
 * start-up backfill rolls the hours, days and weeks, and /api/v1/kpi's
 * `reasons` and GET /api/v1/stops over a long range (partial hours at both
 * ends) equal core's computation over every raw state event of the range.
 * Then a changed threshold re-rolls at start and still equals the raw
 * path, and a fault written into a whole hour straight into InfluxDB (which
 * the roller does not hear of) leaves the answer as it was: it came from the
 * summaries, not from the range's states.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineCalendar, plannedIntervals, shiftsBetween } from '../../core/calendar/calendar';
import type { StateEvent, StationEvent, StopReasonEvent } from '../../core/events';
import { partnerFromReason } from '../../core/kpi/active-period';
import { overlapMs } from '../../core/kpi/spans';
import { stateTimeline, type StateSegment } from '../../core/kpi/states';
import type { LineConfig, PlantConfig } from '../../core/plant';
import { DEFAULT_REASONS } from '../../core/reasons/config';
import { uptimeSeconds } from '../../core/reasons/reliability';
import { reasonTotals, stopReasonsPart, stopRecords, unclassifiedShare, type StopRecord, type StopReasonsPart } from '../../core/reasons/stops';
import { startOfLocalHour } from '../../core/time/zone';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine } from '../../simulator/model/scenario';
import { connectInflux, type EventStore } from '../influx/store';
import { call } from './support/andon';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
const MIN = 60_000;
const HOURS = 52;

let stack: Stack;
let store: EventStore;
let line: LineConfig;
let plant: PlantConfig;
let start: number;
let from: number;
let to: number;
let classifications: StopReasonEvent[] = [];
let stateEvents: StateEvent[] = [];

/** core's stop-reasons part over the range's raw state events as InfluxDB holds them now (the short path's computation). */
async function rawPart(thresholdSeconds: number): Promise<{ part: StopReasonsPart; records: StopRecord[] }> {
  const { events, initialStates } = await store.reads.lineEvents(line, from, to, ['state']);
  const timelines = new Map<string, StateSegment[]>();
  for (const s of line.stations) {
    const own = events.filter((e): e is StateEvent => e.type === 'state' && e.station === s.id).sort((a, b) => a.ts - b.ts);
    timelines.set(s.id, stateTimeline(own, from, to, initialStates[s.id]));
  }
  const cal = lineCalendar(line);
  const planned = plannedIntervals(cal, from, to);
  const tree = { ...DEFAULT_REASONS, thresholdSeconds };
  const summary = stopRecords({ line: line.id, timelines, planned, tree, asOf: to, partnerOf: partnerFromReason, classifications });
  const view = { ...summary, unclassifiedShare: unclassifiedShare(summary.records), ...reasonTotals(summary.records, planned) };
  return { part: JSON.parse(JSON.stringify(stopReasonsPart(view, planned, shiftsBetween(cal, from, to), { from, to }, uptimeSeconds(timelines.values())))), records: JSON.parse(JSON.stringify(summary.records)) };
}

const range = () => `line=${line.id}&from=${from}&to=${to}`;

async function served(): Promise<{ part: StopReasonsPart; records: StopRecord[] }> {
  const [kpi, stops] = await Promise.all([call(stack.baseUrl, null, 'GET', `/api/v1/kpi?${range()}`), call(stack.baseUrl, null, 'GET', `/api/v1/stops?${range()}`)]);
  expect(kpi.status).toBe(200);
  expect(stops.status).toBe(200);
  const { labels: _labels, ...part } = kpi.body.reasons as StopReasonsPart;
  return { part, records: stops.body.records as StopRecord[] };
}

async function restart(): Promise<void> {
  await stack.stopCollector();
  await stack.startCollector();
  await stack.app().warmed();
}

beforeAll(async () => {
  const scenario = loadScenario('breakdowns');
  line = scenarioLine(scenario);
  plant = { name: { zh: 'stops', en: 'stops' }, lines: [line], reasons: { ...DEFAULT_REASONS } };
  stack = await startStack({ config: { plant, maxAgeSeconds: 30 * 86_400 } });
  await stack.stopCollector();
  store = await connectInflux({ url: stack.influxd.url, token: '', org: 'taktline', bucket: 'taktline' });
  // Two days and a bit, ending an hour before now: every hour of it closed.
  start = startOfLocalHour(Date.now(), line.timeZone) - (HOURS + 1) * HOUR;
  const events: StationEvent[] = [];
  new Line({ scenario, seed: 7, startMs: start, runId: 'stop-rollup', emit: (e) => events.push(e) }).runUntil(HOURS * 3600);
  for (let i = 0; i < events.length; i += 10_000) await store.write(events.slice(i, i + 10_000));
  stateEvents = events.filter((e): e is StateEvent => e.type === 'state').sort((a, b) => a.ts - b.ts);
  from = start + 37 * MIN + 211;
  to = start + (HOURS - 1) * HOUR + 23 * MIN;
  // People's classifications of every third record (one reclassified), stored as the collector stores them.
  const { records } = await rawPart(DEFAULT_REASONS.thresholdSeconds);
  classifications = records
    .filter((_, i) => i % 3 === 0)
    .map((r, i) => ({ type: 'stop_reason', ts: (r.to ?? to) + 1_000 + i, id: `sr-test-${i}`, stop: r.id, line: line.id, station: r.station, reason: 'breakdown', category: 'machine', actorKind: 'person', actorId: 'sv1', actorName: 'sv', role: 'supervisor' }));
  const first = classifications[0];
  if (first) classifications.push({ ...first, ts: first.ts + 10, id: 'sr-test-again', reason: 'power', supersedes: first.id });
  await store.write(classifications);
  await stack.startCollector();
  await stack.app().warmed();
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the stop-reasons part of a long range from the stop summaries', () => {
  it('/api/v1/kpi reasons and GET /api/v1/stops equal core over every raw state event, classifications attached', async () => {
    const want = await rawPart(DEFAULT_REASONS.thresholdSeconds);
    expect(want.records.length).toBeGreaterThan(5);
    expect(want.part.micro.count).toBeGreaterThan(0);
    expect(want.records.filter((r) => r.current?.source === 'person').map((r) => r.current?.parts[0]?.reason)).toContain('power');
    // A record that runs across an hour's edge: only stitched summaries give it whole.
    expect(want.records.some((r) => startOfLocalHour((r.to ?? to) - 1, line.timeZone) > r.from)).toBe(true);
    const got = await served();
    expect(got.part).toEqual(want.part);
    expect(got.records).toEqual(want.records);
  });

  it('a changed threshold: the start-up backfill rolls every hour again for it, and the answer is the raw one for it', async () => {
    plant.reasons = { ...DEFAULT_REASONS, thresholdSeconds: 45 };
    await restart();
    const rows = await stack.influxd.query(`SELECT "stopThreshold" FROM "rollup_hour" WHERE "level" = 'line' AND "line" = '${line.id}'`);
    expect(rows.length).toBeGreaterThan(40);
    expect(new Set(rows.map((r) => r.stopThreshold))).toEqual(new Set([45]));
    const want = await rawPart(45);
    expect(want.part.records).toBeGreaterThan((await rawPart(DEFAULT_REASONS.thresholdSeconds)).part.records);
    const got = await served();
    expect(got.part).toEqual(want.part);
    expect(got.records).toEqual(want.records);
  });

  it('with a fault written into a whole hour behind the collector\'s back, the answer stays: it is read from the summaries', async () => {
    const want = await rawPart(45);
    // A running stretch inside the whole hours with planned time: a 10-minute fault put into it straight into InfluxDB (the roller does not hear of it).
    const planned = plannedIntervals(lineCalendar(line), start, start + HOURS * HOUR);
    let fault: { station: string; at: number } | null = null;
    for (const s of line.stations) {
      const own = stateEvents.filter((e) => e.station === s.id);
      for (let i = 0; i + 1 < own.length && !fault; i += 1) {
        const [e, next] = [own[i] as StateEvent, own[i + 1] as StateEvent];
        const at = e.ts + MIN;
        if (e.state === 'running' && at > start + 2 * HOUR && next.ts > at + 12 * MIN && next.ts < start + (HOURS - 2) * HOUR && overlapMs(planned, at, at + 10 * MIN) === 10 * MIN) fault = { station: s.id, at };
      }
      if (fault) break;
    }
    expect(fault).not.toBeNull();
    if (!fault) return;
    await store.write([
      { type: 'state', ts: fault.at, line: line.id, station: fault.station, state: 'fault', reason: 'behind the back' },
      { type: 'state', ts: fault.at + 10 * MIN, line: line.id, station: fault.station, state: 'running' },
    ]);
    // The raw path sees the fault now.
    expect((await rawPart(45)).records.map((r) => r.id)).toContain(`${fault.station}.${fault.at.toString(36)}`);
    const got = await served();
    expect(got.part).toEqual(want.part);
    expect(got.records).toEqual(want.records);
  });
});
