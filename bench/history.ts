/**
 * bench/history: a year and a month of the reference line in a real influxd;
 * p50 and p95 latency of kpi, losses, hourly and cycles over a full past
 * week, month, quarter and year (the last complete ones on the line's clock,
 * so the size never depends on today's weekday), idle and while the collector
 * ingests, against the goal (p95 ≤ 200 ms idle, ≤ 1.5× that while ingesting)
 * and the round trip of GET /api/v1/health (which pings InfluxDB) measured in
 * the same run. Long ranges read the closed hours' summaries (rollups); the
 * bench times the start-up backfill. `--compare` adds the raw reads the
 * rollups replace over 31 and 90 days. GET /api/v1/trends per day and per
 * week over the same ranges sits beside kpi, its same-range baseline.
 * Options: --days N (400), --samples N (9), --ingest-rate N (events/s while
 * ingesting, 2000), --compare, --only kpi,cycles,… (endpoints whose name
 * starts with one of these), --ranges week,month,… (of week, month, quarter,
 * year), --idle-only (no round while ingesting),
 * --data-dir DIR (keep influxd's data in DIR; a DIR loaded by an earlier run
 * is read again instead of loading the days anew: copy it first, the run
 * writes into it), --state-traffic faults|per-cycle (faults: a state change
 * only at a fault, ~16,000 state events a year; per-cycle: each station also
 * waits, starved or blocked, after about half of its cycles, as the
 * simulator's reference line does, ~15,700 state events a day). `--only`
 * naming `stops` adds GET /api/v1/stops for the week and month (the stop
 * records, from the closed hours' stop summaries; at most 31 days), naming
 * `downtime` GET /api/v1/history/downtime per range (its `reasons` part is
 * kpi's); --compare-stops times kpi's `reasons` part in process (the
 * collector's StopReasons.part, from the summaries) against the raw path it
 * replaces over the same ranges but the year (every state event read, every
 * station's timeline, core's stopRecords, uptime and stopReasonsPart), and
 * checks that both give the same part.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../collector/app';
import { DEFAULT_COLLECTOR_CONFIG } from '../collector/config';
import { hourlyUnits } from '../collector/history/long-range';
import { connectInflux } from '../collector/influx/store';
import { HourRoller } from '../collector/rollup/roller';
import { taktTargetSeconds } from '../core/kpi/throughput';
import { startTestInfluxd } from '../collector/test/support/influxd';
import { startLocalInfluxd } from '../collector/influx/local-influxd';
import type { StateEvent, StationEvent, StationState } from '../core/events';
import { lineCalendar, plannedIntervals, shiftsBetween } from '../core/calendar/calendar';
import { partnerFromReason } from '../core/kpi/active-period';
import { stateTimeline } from '../core/kpi/states';
import { plantReasons, referencePlant } from '../core/plant';
import { uptimeSeconds } from '../core/reasons/reliability';
import { stopReasonsPart, stopRecords } from '../core/reasons/stops';
import { intOption } from './support/args';

const DAYS = intOption('days', 400);
const COMPARE = process.argv.includes('--compare');
const COMPARE_STOPS = process.argv.includes('--compare-stops');
const PROFILE = process.argv.includes('--profile') ? (process.argv[process.argv.indexOf('--profile') + 1] ?? '') : '';
/** p95 goals, ms. */
const GOAL_IDLE_MS = 200;
const GOAL_INGESTING_MS = 1.5 * GOAL_IDLE_MS;
const SAMPLES = intOption('samples', 9);
const ONLY = stringOption('only')?.split(',').filter(Boolean) ?? null;
const RANGES = stringOption('ranges')?.split(',').filter(Boolean) ?? null;
const IDLE_ONLY = process.argv.includes('--idle-only');
const DATA_DIR = stringOption('data-dir');
const STATE_TRAFFIC = stringOption('state-traffic') ?? 'faults';
if (STATE_TRAFFIC !== 'faults' && STATE_TRAFFIC !== 'per-cycle') throw new Error('--state-traffic takes faults or per-cycle');

/** `--name value` as text, or undefined. */
function stringOption(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} takes a value`);
  return value;
}
const INGEST_RATE = intOption('ingest-rate', 2000);
const HOUR = 3_600_000;
const STATIONS = 20;

/** xorshift32: the bench's data is the same every run. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

/**
 * A plausible line: a unit about every 120 s, a cycle per station per unit, faults now and then. With
 * `--state-traffic per-cycle` each station, after about 55 % of its cycles, also waits (`starved` upstream of
 * the middle of the line, `blocked` downstream) from one cycle's end until the next one starts: the state traffic of the
 * simulator's reference line (`simulator/scenarios/reference.json`: 15,702 state events in 24 h, seed 1).
 */
function* history(from: number, to: number): Generator<StationEvent[]> {
  const rnd = prng(2027);
  const perCycle = STATE_TRAFFIC === 'per-cycle';
  const stationId = (s: number) => `S${String(s).padStart(2, '0')}`;
  let batch: StationEvent[] = [];
  for (let s = 1; s <= STATIONS; s += 1) batch.push({ type: 'state', ts: from, line: 'A1', station: stationId(s), state: 'running' });
  /** Per station: until when a fault or maintenance holds it (no waiting states then), and when its last cycle ended. */
  const downUntil = new Array<number>(STATIONS + 1).fill(0);
  const lastEnd = new Array<number>(STATIONS + 1).fill(0);
  let n = 0;
  for (let t = from; t < to; t += 100_000 + Math.floor(rnd() * 40_000)) {
    n += 1;
    const vin = `LBENCH${String(n).padStart(9, '0')}`;
    for (let s = 1; s <= STATIONS; s += 1) {
      const end = t - s * 1000;
      const cycleTime = 95 + rnd() * 30;
      batch.push({ type: 'cycle', ts: end, line: 'A1', station: stationId(s), cycleTime, unit: vin, result: 'ok' });
      if (!perCycle) continue;
      // Between its last cycle and this one the station waited, starved or blocked, unless it was down then.
      const start = end - Math.round(cycleTime * 1000);
      const previous = lastEnd[s] as number;
      lastEnd[s] = end;
      if (previous === 0 || start <= previous + 1 || previous <= (downUntil[s] as number) || rnd() >= 0.9) continue;
      batch.push({ type: 'state', ts: previous + 1, line: 'A1', station: stationId(s), state: s <= STATIONS / 2 ? 'blocked' : 'starved' });
      batch.push({ type: 'state', ts: start, line: 'A1', station: stationId(s), state: 'running' });
    }
    batch.push({ type: 'unit', ts: t, line: 'A1', unit: vin, result: rnd() < 0.02 ? 'nok' : 'ok' });
    if (rnd() < 0.03) {
      const s = 1 + Math.floor(rnd() * STATIONS);
      const state: StationState = rnd() < 0.8 ? 'fault' : 'maintenance';
      const back = t + 60_000 + Math.floor(rnd() * 600_000);
      batch.push({ type: 'state', ts: t + 1, line: 'A1', station: stationId(s), state, reason: state === 'fault' ? 'servo overload' : 'tip dress' });
      batch.push({ type: 'state', ts: back, line: 'A1', station: stationId(s), state: 'running' });
      downUntil[s] = back;
    }
    if (batch.length >= 5000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const SHANGHAI_MS = 8 * HOUR;

/** Epoch ms of local midnight (Asia/Shanghai, no DST) on the first day of `month` (0-based, may overflow) of `year`. */
const monthStart = (year: number, month: number) => Date.UTC(year, month, 1) - SHANGHAI_MS;

/** The last complete week, month, quarter and year (the twelve months before this one) on the reference line's clock. */
function pastRanges(now: number): [string, string][] {
  const local = new Date(now + SHANGHAI_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const q = Math.floor(m / 3) * 3;
  const span = (from: number, to: number) => `from=${from}&to=${to}`;
  return [
    ['week', 'range=week:previous'],
    ['month', span(monthStart(y, m - 1), monthStart(y, m))],
    ['quarter', span(monthStart(y, q - 3), monthStart(y, q))],
    ['year', span(monthStart(y, m - 12), monthStart(y, m))],
  ];
}

async function timeGet(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/** p50 and p95 of SAMPLES requests, and the first of them on its own: the collector keeps closed months in memory, so the first request of a range is the cold one. */
async function measure(url: string): Promise<{ p50: number; p95: number; first: number }> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) times.push(await timeGet(url));
  const first = times[0] ?? NaN;
  times.sort((a, b) => a - b);
  return { p50: pct(times, 0.5), p95: pct(times, 0.95), first };
}

async function main(): Promise<void> {
  // A kept directory is stopped, not removed, at the end.
  const influxd = DATA_DIR ? await startLocalInfluxd({ dataDir: DATA_DIR }).then((s) => ({ ...s, dispose: () => s.stop() })) : await startTestInfluxd();
  const plant = referencePlant(STATIONS);
  const config = { ...DEFAULT_COLLECTOR_CONFIG, host: '127.0.0.1', port: 0, influxUrl: influxd.url, ingestTokens: ['bench-ingest-token'], dashboardDir: '', plant, maxAgeSeconds: 400 * 86_400, reportsAtShiftEnd: false };
  // No shift-end PDFs: a Chromium rendering a report in the middle of a round is not the reads' cost.
  const store = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'taktline' });
  try {
    const now = Date.now();
    const marker = DATA_DIR ? join(DATA_DIR, 'bench-history.json') : '';
    const kept = marker && existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as { days: number; points: number; to: number; stateTraffic?: string }) : null;
    let points = 0;
    if (kept) {
      if (kept.days !== DAYS) throw new Error(`${DATA_DIR} holds ${kept.days} days; run with --days ${kept.days} or another --data-dir`);
      const keptTraffic = kept.stateTraffic ?? 'faults';
      if (keptTraffic !== STATE_TRAFFIC) throw new Error(`${DATA_DIR} holds --state-traffic ${keptTraffic}; run with it or another --data-dir`);
      points = kept.points;
      console.log(`bench/history: ${DAYS} days of line A1 (${STATIONS} stations) kept in ${DATA_DIR}: ${points.toLocaleString('en')} points up to ${new Date(kept.to).toISOString()}`);
    } else {
      const from = now - DAYS * 24 * HOUR;
      const loadStart = performance.now();
      for (const batch of history(from, now)) {
        await store.write(batch);
        points += batch.length;
      }
      const loadSeconds = (performance.now() - loadStart) / 1000;
      console.log(`bench/history: ${DAYS} days of line A1 (${STATIONS} stations, state traffic ${STATE_TRAFFIC}): ${points.toLocaleString('en')} points loaded in ${loadSeconds.toFixed(1)} s`);
      if (marker) writeFileSync(marker, JSON.stringify({ days: DAYS, points, to: now, stateTraffic: STATE_TRAFFIC }));
    }

    // The backfill the collector runs at start, timed here so the endpoints below find every closed hour rolled.
    const rollStart = performance.now();
    const rolled = await new HourRoller({ store, plant, lineNow: () => Date.now(), log: () => undefined }).backfill();
    console.log(`bench/history: backfill rolled ${rolled} hours in ${((performance.now() - rollStart) / 1000).toFixed(1)} s`);

    const app = buildApp({ config, store });
    await app.start();
    // The collector's own start-up check of every hour and day (nothing left to roll), and its merge of the last
    // 13 closed months into memory, run before the first measurement (what a collector up for a minute has done).
    await app.roller.idle();
    await app.warmed();
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const d = (days: number) => `from=${now - days * 24 * HOUR}&to=${now}`;
    const ranges = pastRanges(now).filter(([label]) => RANGES === null || RANGES.includes(label));
    if (RANGES?.some((r) => !pastRanges(now).some(([label]) => label === r))) throw new Error('--ranges takes week, month, quarter and year, comma-separated');
    const endpoints: [string, string][] = [];
    for (const [label, q] of ranges) {
      for (const what of ['kpi', 'losses', 'history/hourly', 'history/cycles']) endpoints.push([`${what.replace('history/', '')} ${label}`, `/api/v1/${what}?line=A1&${q}`]);
      // The manager's trend: per day up to 60 days, per week beyond (TrendChart.vue), against kpi over the same range.
      const bucket = label === 'quarter' || label === 'year' ? 'week' : 'day';
      endpoints.push([`trends/${bucket} ${label}`, `/api/v1/trends?line=A1&${q}&bucket=${bucket}`]);
      if (bucket === 'week') endpoints.push([`trends/day ${label}`, `/api/v1/trends?line=A1&${q}&bucket=day`]);
      // The stop part on its own: the records (at most 31 days), and the downtime Pareto with the `reasons` part (kpi's, from the same service).
      if (ONLY?.includes('stops') && (label === 'week' || label === 'month')) endpoints.push([`stops ${label}`, `/api/v1/stops?line=A1&${q}`]);
      if (ONLY?.includes('downtime')) endpoints.push([`downtime ${label}`, `/api/v1/history/downtime?line=A1&${q}`]);
    }
    if (ONLY) endpoints.splice(0, endpoints.length, ...endpoints.filter(([name]) => ONLY.some((o) => name.startsWith(o))));
    console.log(`bench/history: ranges ${ranges.map(([l, q]) => `${l} ${q}`).join('; ')}`);

    async function round(label: string, goal: number): Promise<void> {
      const baseline = await measure(`${base}/api/v1/health`);
      console.log(`\n${label}: baseline GET /api/v1/health p50 ${baseline.p50.toFixed(1)} ms, p95 ${baseline.p95.toFixed(1)} ms; goal p95 ≤ ${goal} ms`);
      for (const [name, path] of endpoints) {
        const m = await measure(`${base}${path}`);
        console.log(
          `  ${name.padEnd(16)} p50 ${m.p50.toFixed(1).padStart(8)} ms  p95 ${m.p95.toFixed(1).padStart(8)} ms  first ${m.first.toFixed(1).padStart(8)} ms  ${m.p95 <= goal ? 'meets' : 'MISSES'} the goal  (${(m.p50 / baseline.p50).toFixed(0)}× baseline p50)`,
        );
      }
    }

    if (PROFILE) {
      // --profile FILE: a CPU profile of the idle round only (the load and backfill left out), for chrome://inspect or speedscope.
      const session = new Session();
      session.connect();
      const post = (method: string) => new Promise<unknown>((res, rej) => session.post(method, (err, r) => (err ? rej(err) : res(r))));
      await post('Profiler.enable');
      await post('Profiler.start');
      await round('idle', GOAL_IDLE_MS);
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(PROFILE, JSON.stringify(profile));
      console.log(`bench/history: CPU profile of the idle round in ${PROFILE}`);
    } else await round('idle', GOAL_IDLE_MS);

    // Same run, same ranges: the stop-reasons part (kpi's `reasons`) from the summaries, against the raw path it replaces.
    const line = plant.lines[0];
    if (line && COMPARE_STOPS) {
      console.log('\nthe stop-reasons part (/api/v1/kpi `reasons`, in process): from the summaries against the raw path (every state event of the range), p50:');
      const tree = plantReasons(plant);
      const cal = lineCalendar(line);
      for (const [label, q] of ranges) {
        // The interval as the collector resolves it (the week is `range=week:previous`).
        const { range } = (await (await fetch(`${base}/api/v1/kpi?line=A1&${q}`)).json()) as { range: { from: number; to: number } };
        const [f, t] = [range.from, range.to];
        const now = Date.now();
        const end = Math.min(t, now);
        const summarised: number[] = [];
        let part: Awaited<ReturnType<typeof app.reasons.part>> | null = null;
        for (let i = 0; i < SAMPLES; i += 1) {
          const t0 = performance.now();
          part = await app.reasons.part(line, f, t, now);
          summarised.push(performance.now() - t0);
        }
        const summaries = pct(summarised.sort((a, b) => a - b), 0.5);
        // A year of per-cycle states is 7 million events: minutes per sample and gigabytes, left out.
        if (label === 'year') {
          console.log(`  ${label.padEnd(8)} summaries ${summaries.toFixed(1).padStart(8)} ms  (raw left out: 7 million state events)  ${part?.records} records, ${part?.micro.count} micro-stops`);
          continue;
        }
        const times: number[] = [];
        let same = true;
        for (let i = 0; i < SAMPLES; i += 1) {
          const t0 = performance.now();
          const { events, initialStates } = await store.reads.lineEvents(line, f, end, ['state']);
          const byStation = new Map<string, StateEvent[]>();
          for (const e of events) if (e.type === 'state') (byStation.get(e.station) ?? byStation.set(e.station, []).get(e.station))?.push(e);
          const timelines = new Map(line.stations.map((st) => [st.id, stateTimeline((byStation.get(st.id) ?? []).sort((a, b) => a.ts - b.ts), f, end, initialStates[st.id])]));
          const planned = plannedIntervals(cal, f, end);
          const summary = stopRecords({ line: line.id, timelines, planned, tree, asOf: end, partnerOf: partnerFromReason, classifications: app.reasons.classifications(line.id) });
          const raw = stopReasonsPart(summary, planned, shiftsBetween(cal, f, end), { from: f, to: t }, uptimeSeconds(timelines.values()));
          times.push(performance.now() - t0);
          const { labels: _labels, ...got } = part ?? { labels: undefined };
          same = same && JSON.stringify(got) === JSON.stringify(raw);
        }
        const raw = pct(times.sort((a, b) => a - b), 0.5);
        console.log(
          `  ${label.padEnd(8)} summaries ${summaries.toFixed(1).padStart(8)} ms  raw ${raw.toFixed(1).padStart(8)} ms  (${(raw / summaries).toFixed(0)}× faster; ${part?.records} records, ${part?.micro.count} micro-stops; ${same ? 'the same part' : 'PARTS DIFFER'})`,
        );
      }
    }
    // Same run, same ranges: the raw reads the rollups replace (every cycle, every unit), and the combined ones.
    if (line && COMPARE) {
      const takt = taktTargetSeconds(line.targetPerHour);
      const timed = async (f: () => Promise<unknown>) => {
        const times: number[] = [];
        for (let i = 0; i < SAMPLES; i += 1) {
          const t0 = performance.now();
          await f();
          times.push(performance.now() - t0);
        }
        return pct(times.sort((a, b) => a - b), 0.5);
      };
      console.log('\nraw reads against rollups over the same range (p50):');
      for (const days of [31, Math.min(DAYS, 90)]) {
        const f = now - days * 24 * HOUR;
        const rawCycles = await timed(() => store.reads.cycleStats(line, f, now, takt));
        const rawHourly = await timed(() => store.reads.unitBuckets(line, f, now, 60));
        const rolledHourly = await timed(() => hourlyUnits(store.reads, line, f, now));
        const rolledCycles = await timed(() => fetch(`${base}/api/v1/history/cycles?line=A1&${d(days)}`).then((r) => r.arrayBuffer()));
        console.log(
          `  ${days} days: cycles raw ${rawCycles.toFixed(1)} ms, via rollups (whole request) ${rolledCycles.toFixed(1)} ms (${(rawCycles / rolledCycles).toFixed(1)}× faster); ` +
            `hourly units raw ${rawHourly.toFixed(1)} ms, via rollups ${rolledHourly.toFixed(1)} ms`,
        );
      }
    }
    // While ingesting: gateways posting 500-event batches at INGEST_RATE events/s, far above a plant's real rate
    // (a 20-station line at 30 units/h sends well under one event per second).
    let ingesting = !IDLE_ONLY;
    let ingested = 0;
    const ingest = (async () => {
      let k = 0;
      const started = performance.now();
      while (ingesting) {
        const ts = Date.now() - 60_000;
        const batch = Array.from({ length: 500 }, (_, i) => ({ type: 'cycle', ts: ts + i, line: 'A1', station: `S${String(1 + (i % STATIONS)).padStart(2, '0')}`, cycleTime: 110, id: `load-${k}-${i}` }));
        k += 1;
        const res = await fetch(`${base}/api/v1/events`, { method: 'POST', headers: { authorization: 'Bearer bench-ingest-token', 'content-type': 'application/json' }, body: JSON.stringify(batch) });
        await res.arrayBuffer();
        ingested += batch.length;
        const due = started + (ingested / INGEST_RATE) * 1000;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      }
    })();
    const ingestStart = performance.now();
    try {
      if (!IDLE_ONLY) await round('while ingesting', GOAL_INGESTING_MS);
    } finally {
      ingesting = false;
    }
    if (influxd.process().exitCode !== null) throw new Error(`influxd exited (${influxd.process().exitCode}); see its log in ${influxd.dataDir}`);
    await ingest;
    const rate = ingested / ((performance.now() - ingestStart) / 1000);
    const rounds = IDLE_ONLY ? 'idle only (--idle-only)' : `idle and while ingesting ${Math.round(rate)} events/s`;
    console.log(`\nsummary: ${points.toLocaleString('en')} points over ${DAYS} days; every endpoint measured ${rounds}; ratios are against GET /api/v1/health in the same run`);
    await app.close();
  } finally {
    await influxd.dispose();
  }
}

void main();
