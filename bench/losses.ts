/**
 * Benchmark: the loss waterfall (core/loss, Roser's shifting bottleneck plus
 * the per-millisecond charge sweep) over a shift, a day and a week of the
 * 20-station reference line (`npx tsx bench/losses.ts [--days D]`). Baseline
 * from the same run and the same events: computeLineKpis, what /api/v1/kpi
 * computes. The ratio says what loss accounting costs on top of the KPIs.
 */
import type { StationEvent } from '../core/events';
import { computeLineKpis } from '../core/kpi/line-kpis';
import { computeLosses } from '../core/loss/waterfall';
import { Line } from '../simulator/model/line';
import { loadScenario, scenarioLine } from '../simulator/model/scenario';
import { numberOption } from './support/args';

const days = numberOption('days', 7);
const scenario = loadScenario('partner-shortage');
const line = scenarioLine(scenario);
const start = Date.parse(scenario.start);
const events: StationEvent[] = [];
new Line({ scenario, seed: 1, startMs: start, runId: 'bench', emit: (e) => events.push(e) }).runUntil(days * 86_400);

/** Median of `runs` timings of `fn`, ms. */
function time(fn: () => void, runs = 5): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

console.log(`loss waterfall vs computeLineKpis, ${events.length} events over ${days} days (median of 5)`);
for (const [label, hours] of [['shift', 8], ['day', 24], ['week', 24 * 7]] as const) {
  if (hours > days * 24) continue;
  const to = start + hours * 3_600_000;
  const inRange = events.filter((e) => e.ts < to);
  const kpiMs = time(() => computeLineKpis({ line, events: inRange, from: start, to, now: to }));
  const lossMs = time(() => computeLosses({ line, events: inRange, from: start, to, now: to }));
  console.log(`  ${label.padEnd(5)} ${String(inRange.length).padStart(7)} events  kpis ${kpiMs.toFixed(0).padStart(5)} ms  losses ${lossMs.toFixed(0).padStart(5)} ms  ×${(lossMs / kpiMs).toFixed(2)}`);
}
