/**
 * The shifting bottleneck of a long range from stored hour pieces plus raw
 * edges (core/kpi/shifting-pieces.ts) against the raw computation over the
 * whole range's state events (core's `shiftingOfStates`, what a long read does
 * today), in memory (no InfluxDB: the storage is not wired yet), on the
 * simulator's own line, which changes state every cycle (~15,700 state events
 * a day for `reference`). Prints the dependency windows' reach, the roller's
 * cost per hour, and both reads' times over the same range (arbitrary edges),
 * checking they agree exactly.
 *
 * Usage: npm run bench -- shifting-pieces [--days 28] [--scenario reference] [--samples 5]
 */
import { lineCalendar, plannedIntervals, type Span } from '../core/calendar/calendar';
import type { StateEvent } from '../core/events';
import { shiftingOfStates } from '../core/kpi/line-kpis';
import { combineShifting, rollShiftingPieces, shiftingReads, type ShiftingPiece } from '../core/kpi/shifting-pieces';
import { stateTimeline, type StateSegment } from '../core/kpi/states';
import { Line } from '../simulator/model/line';
import { loadScenario, scenarioLine } from '../simulator/model/scenario';
import { MemorySink } from '../simulator/sinks/memory';
import { intOption } from './support/args';
import { firstAtOrAfter } from '../core/kpi/spans';

const DAYS = intOption('days', 28);
const SAMPLES = intOption('samples', 5);
const si = process.argv.indexOf('--scenario');
const SCENARIO = si >= 0 ? (process.argv[si + 1] ?? 'reference') : 'reference';
const HOUR = 3_600_000;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] ?? NaN;
const median = (xs: number[]) => pct(xs, 50);
function timed<T>(f: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = f();
  return { ms: performance.now() - t, value };
}

function main(): void {
  const scenario = loadScenario(SCENARIO);
  const sink = new MemorySink();
  const start = Date.parse(scenario.start);
  const end = start + DAYS * 86_400_000;
  new Line({ scenario, seed: 1, startMs: start, runId: 'bench-shifting', emit: (e) => sink.write(e) }).runUntil((end - start) / 1000);
  const line = scenarioLine(scenario);
  const cal = lineCalendar(line);
  const stateEvents = sink.events.filter((e): e is StateEvent => e.type === 'state');
  const states = new Map<string, StateEvent[]>(line.stations.map((s) => [s.id, []]));
  for (const e of stateEvents) states.get(e.station)?.push(e);
  for (const list of states.values()) list.sort((a, b) => a.ts - b.ts);
  // A span's timelines from its events and each station's last one before it (what a storage read of the span returns).
  const firstAt = (evs: readonly StateEvent[], t: number) => firstAtOrAfter(evs, t, (e) => e.ts);
  const over = (spans: readonly Span[]) =>
    new Map<string, StateSegment[]>(
      [...states].map(([s, evs]) => [s, spans.flatMap((k) => stateTimeline(evs.slice(Math.max(0, firstAt(evs, k.start) - 1), firstAt(evs, k.end)), k.start, k.end))] as const),
    );
  console.log(`${SCENARIO}, ${DAYS} days: ${stateEvents.length} state events (${Math.round(stateEvents.length / DAYS)} a day), ${line.stations.length} stations`);

  // The roller, one day's read at a time (as a collector would: each hour with the day around it).
  const known = { start: start - HOUR, end };
  const hours: Span[] = [];
  for (let h = Math.ceil(known.start / HOUR) * HOUR; h + HOUR <= end; h += HOUR) hours.push({ start: h, end: h + HOUR });
  const planned = plannedIntervals(cal, known.start, known.end);
  const stored: ShiftingPiece[] = [];
  const statuses = new Map<string, number>();
  const before: number[] = [];
  const after: number[] = [];
  let rollMs = 0;
  for (let i = 0; i < hours.length; i += 24) {
    const day = hours.slice(i, i + 24);
    const first = day[0] as Span;
    const last = day.at(-1) as Span;
    const read = { start: Math.max(known.start, first.start - 12 * HOUR), end: Math.min(end, last.end + 12 * HOUR) };
    const { ms, value } = timed(() => rollShiftingPieces(over([read]), day, { known: read, now: end, planned }));
    rollMs += ms;
    for (const r of value) {
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status !== 'final') continue;
      stored.push(r.piece);
      before.push((r.piece.start - r.piece.window.start) / 60_000);
      after.push((r.piece.window.end - r.piece.end) / 60_000);
    }
  }
  const fmtMin = (xs: number[]) => `p50 ${median(xs).toFixed(1)}, p95 ${pct(xs, 95).toFixed(1)}, max ${Math.max(...xs).toFixed(1)} min`;
  console.log(`rolled ${hours.length} hours in ${rollMs.toFixed(0)} ms (${(rollMs / hours.length).toFixed(2)} ms an hour, with a read of the day ± 12 h each day): ${JSON.stringify(Object.fromEntries(statuses))}`);
  console.log(`window before the hour: ${fmtMin(before)}; after it: ${fmtMin(after)}`);

  // One range with arbitrary edges, read both ways, alternating.
  const range = { start: start + 5 * HOUR + 1_234_567, end: end - 7 * HOUR - 654_321 };
  const rangePlanned = plannedIntervals(cal, range.start, range.end);
  const raw: number[] = [];
  const pieces: number[] = [];
  let edgeMs = 0;
  let rounds = 0;
  let agree = true;
  for (let s = 0; s < SAMPLES; s += 1) {
    const a = timed(() => shiftingOfStates({ line, events: stateEvents, from: range.start, to: range.end, now: end }));
    raw.push(a.ms);
    const b = timed(() => {
      let read = shiftingReads(range, stored).read;
      for (let round = 1; ; round += 1) {
        const r = combineShifting({ stations: [...states.keys()], range, planned: rangePlanned, pieces: stored, raw: { timelines: over(read), known: read } });
        if (r.status === 'ok') return { r, round, read };
        read = r.read;
      }
    });
    pieces.push(b.ms);
    rounds = b.value.round;
    edgeMs = b.value.read.reduce((x, k) => x + (k.end - k.start), 0);
    agree &&= JSON.stringify(b.value.r.stations) === JSON.stringify(a.value.stations) && b.value.r.plannedMs === a.value.plannedMs;
  }
  console.log(`range of ${((range.end - range.start) / 86_400_000).toFixed(2)} days; raw edges read: ${(edgeMs / HOUR).toFixed(2)} h in ${rounds} round(s)`);
  console.log(`raw (shiftingOfStates over the range's events): median ${median(raw).toFixed(1)} ms`);
  console.log(`pieces (stored hours + raw edges, edge timelines built from events in memory): median ${median(pieces).toFixed(1)} ms`);
  console.log(`ratio pieces / raw: ${(median(pieces) / median(raw)).toFixed(3)}; same shares and pick: ${agree ? 'yes' : 'NO'}`);
  if (!agree) process.exitCode = 1;
}

main();
