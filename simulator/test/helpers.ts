/** Builders shared by the simulator's cross-part tests. */
import type { StationEvent } from '../../core/events';
import { Line } from '../model/line';
import { parseScenario, type Scenario } from '../model/scenario';
import { summarize, type RunSummary } from '../model/summary';

/** A bare line for theory tests: no calendar, no partners, empty at the start, 30/h target. */
export function theoryScenario(stations: unknown[], extra: Record<string, unknown> = {}): Scenario {
  return parseScenario({
    name: 'theory',
    start: '2027-03-01T00:00:00+08:00',
    targetPerHour: 30,
    startFull: false,
    stations,
    ...extra,
  });
}

export interface RunResult {
  summary: RunSummary;
  events: StationEvent[];
  /** Completion times of units, simulated seconds. */
  unitTimes: number[];
}

/** Runs a scenario headless for `hours`, keeping events only when asked (they cost memory). */
export function runScenario(scenario: Scenario, seed: number, hours: number, keepEvents = false): RunResult {
  const events: StationEvent[] = [];
  const unitTimes: number[] = [];
  const line = new Line({
    scenario,
    seed,
    startMs: Date.parse(scenario.start),
    runId: `test-${seed}`,
    emit: keepEvents ? (e) => events.push(e) : () => {},
    onUnit: (_unit, at) => unitTimes.push(at),
  });
  line.runUntil(hours * 3600);
  return { summary: summarize(line, hours * 3600, seed), events, unitTimes };
}

/** Units completed in [fromHours, toHours) per hour. */
export function rate(unitTimes: number[], fromHours: number, toHours: number): number {
  const n = unitTimes.filter((t) => t >= fromHours * 3600 && t < toHours * 3600).length;
  return n / (toHours - fromHours);
}
