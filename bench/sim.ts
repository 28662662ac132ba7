/**
 * Benchmark: simulated events per second, headless, for the 20-station
 * reference line over one simulated year (`npx tsx bench/sim.ts [--hours H]`).
 * Baseline from the same run: the bare event heap pushing and popping as many
 * no-op entries as the simulation executed engine steps, with a similar number
 * of entries pending. The ratio says what the model costs on top of the heap.
 */
import { EventHeap, type HeapEntry } from '../simulator/engine/heap';
import { RandomStream } from '../simulator/engine/random';
import { Line } from '../simulator/model/line';
import { loadScenario } from '../simulator/model/scenario';
import { summarize } from '../simulator/model/summary';
import { numberOption } from './support/args';

const hoursArg = () => numberOption('hours', 8760);

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return n.toFixed(0);
}

const hours = hoursArg();
const scenario = loadScenario('reference');

// The simulation, as `npm run simulate` runs it headless without --out: events built, counted, dropped.
let events = 0;
const line = new Line({ scenario, seed: 1, startMs: Date.parse(scenario.start), runId: 'bench', emit: () => (events += 1) });
const t0 = performance.now();
const sliceSeconds = 24 * 3600;
for (let t = sliceSeconds; t < hours * 3600 + sliceSeconds; t += sliceSeconds) line.runUntil(Math.min(t, hours * 3600));
const simMs = performance.now() - t0;
const steps = line.env.steps;
const summary = summarize(line, hours * 3600, 1);

// Baseline: the same number of heap pushes and pops, no model, ~40 entries pending like the line.
const rng = new RandomStream(1, 'bench');
const heap = new EventHeap();
const noop = () => {};
let seq = 0;
for (let i = 0; i < 40; i += 1) heap.push({ time: rng.uniform() * 100, priority: 1, seq: seq++, action: noop, cancelled: false });
const t1 = performance.now();
for (let i = 0; i < steps; i += 1) {
  const e = heap.pop() as HeapEntry;
  e.action();
  heap.push({ time: e.time + rng.uniform() * 100, priority: 1, seq: seq++, action: noop, cancelled: false });
}
const heapMs = performance.now() - t1;

const eventsPerSecond = events / (simMs / 1000);
const stepsPerSecond = steps / (simMs / 1000);
const heapPerSecond = steps / (heapMs / 1000);
console.log(`line: ${scenario.name}, ${scenario.stations.length} stations, ${hours} simulated hours, seed 1`);
console.log(`run: ${summary.units} units, ${fmt(events)} events, ${fmt(steps)} engine steps, ${(simMs / 1000).toFixed(1)} s wall`);
console.log(`simulation: ${fmt(eventsPerSecond)} events/s, ${fmt(stepsPerSecond)} engine steps/s, ${fmt((hours * 3600) / (simMs / 1000))}× real time`);
console.log(`baseline (bare heap, same ${fmt(steps)} push+pop): ${fmt(heapPerSecond)} steps/s in ${(heapMs / 1000).toFixed(2)} s`);
console.log(
  `sim: ${fmt(eventsPerSecond)} events/s headless (${fmt(events)} events, 1 line × ${scenario.stations.length} stations × ${hours} h); engine steps at ${((stepsPerSecond / heapPerSecond) * 100).toFixed(1)} % of the bare-heap rate`,
);
