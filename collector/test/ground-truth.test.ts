/**
 * Ground truth: for every shipped simulator scenario and several seeds, the
 * collector's KPIs for the simulated shift, fed through the public ingest API
 * and read back from InfluxDB, equal the simulator's own summary (computed
 * from its internal state, never from its events): units exactly; OEE and its
 * factors within 0.5 percentage points.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineCalendar } from '../../core/calendar/calendar';
import type { StationEvent } from '../../core/events';
import type { LineConfig, PlantConfig } from '../../core/plant';
import { zoneOffsetMs } from '../../core/time/zone';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine, type Scenario } from '../../simulator/model/scenario';
import { summarize, type RunSummary } from '../../simulator/model/summary';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
const SCENARIOS = readdirSync(new URL('../../simulator/scenarios/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
const SEEDS = [1, 7];
const HOURS = 8;

/** The collector's view of a scenario's line: same stations, target, calendar and designed constraint. */
function lineOf(scenario: Scenario): LineConfig {
  return { ...scenarioLine(scenario), constraintStation: scenario.constraint };
}

/**
 * The scenario's own start time of day, moved to a recent day with the same
 * weekday, so the events are fresh enough for the collector to accept.
 */
function recentStart(scenario: Scenario): number {
  const original = Date.parse(scenario.start);
  const weeks = Math.floor((Date.now() - HOURS * HOUR - original) / (7 * 24 * HOUR));
  const moved = original + weeks * 7 * 24 * HOUR;
  // Keep the local wall time when the zone's offset differs between the two dates.
  return moved + zoneOffsetMs(original, scenario.timeZone) - zoneOffsetMs(moved, scenario.timeZone);
}

function simulate(scenario: Scenario, seed: number, startMs: number): { summary: RunSummary; events: StationEvent[] } {
  const events: StationEvent[] = [];
  const line = new Line({ scenario, seed, startMs, runId: `gt-${scenario.name}-${seed}`, emit: (e) => events.push(e) });
  line.runUntil(HOURS * 3600);
  return { summary: summarize(line, HOURS * 3600, seed), events };
}

interface Case {
  scenario: string;
  seed: number;
  from: number;
  to: number;
  summary: RunSummary;
}

let stacks: Stack[] = [];
const cases: Case[] = [];

beforeAll(async () => {
  // One collector per scenario: each has its own line configuration (night-shift its own calendar).
  for (const name of SCENARIOS) {
    const scenario = loadScenario(name);
    const plant: PlantConfig = { name: { zh: name, en: name }, lines: [lineOf(scenario)] };
    // Seeds run on successive weeks, so events up to a fortnight old must be accepted.
    const stack = await startStack({ config: { plant, maxAgeSeconds: 30 * 86_400 } });
    stacks.push(stack);
    for (const seed of SEEDS) {
      const from = recentStart(scenario) - SEEDS.indexOf(seed) * 7 * 24 * HOUR;
      const { summary, events } = simulate(scenario, seed, from);
      for (let i = 0; i < events.length; i += 5000) {
        const { status, body } = await stack.postEvents(events.slice(i, i + 5000));
        expect(status).toBe(200);
        expect(body).toMatchObject({ rejected: [] });
      }
      cases.push({ scenario: name, seed, from, to: from + HOURS * HOUR, summary });
    }
  }
}, 240_000);

afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  stacks = [];
});

describe('collector KPIs equal the simulator ground truth', () => {
  it('covers every shipped scenario', () => {
    expect(SCENARIOS).toEqual(['bottleneck', 'breakdowns', 'night-shift', 'partner-shortage', 'reference']);
    expect(cases).toHaveLength(SCENARIOS.length * SEEDS.length);
  });

  it.each(SCENARIOS.flatMap((s) => SEEDS.map((seed) => [s, seed] as const)))('%s, seed %i', async (name, seed) => {
    const c = cases.find((x) => x.scenario === name && x.seed === seed);
    if (!c) throw new Error('case missing');
    const stack = stacks[SCENARIOS.indexOf(name)];
    if (!stack) throw new Error('stack missing');
    const res = await fetch(`${stack.baseUrl}/api/v1/kpi?from=${c.from}&to=${c.to}&now=${c.to}`);
    expect(res.status).toBe(200);
    const kpis = (await res.json()) as {
      inputs: { plannedSeconds: number; counts: { units: number; goodUnits: number } };
      oee: { availability: number; performance: number; quality: number; oee: number; downtimeSeconds: number; constraintStation: string };
    };
    const truth = c.summary;
    expect(truth.units).toBeGreaterThan(0);
    expect(kpis.inputs.counts.units).toBe(truth.units);
    expect(kpis.inputs.counts.goodUnits).toBe(truth.goodUnits);
    expect(kpis.inputs.plannedSeconds).toBeCloseTo(truth.oee.plannedSeconds, 3);
    expect(kpis.oee.constraintStation).toBe(truth.oee.constraint);
    const pp = 0.005; // half a percentage point
    expect(Math.abs(kpis.oee.availability - truth.oee.availability)).toBeLessThanOrEqual(pp);
    expect(Math.abs(kpis.oee.performance - truth.oee.performance)).toBeLessThanOrEqual(pp);
    expect(Math.abs(kpis.oee.quality - truth.oee.quality)).toBeLessThanOrEqual(pp);
    expect(Math.abs(kpis.oee.oee - truth.oee.oee)).toBeLessThanOrEqual(pp);
  });
});

describe('bottleneck detection on the simulated line', () => {
  it('finds the slow station of the bottleneck scenario from the data alone', async () => {
    const scenario = loadScenario('bottleneck');
    const { constraintStation: _designed, ...line } = lineOf(scenario);
    const stack = await startStack({ config: { plant: { name: { zh: 'b', en: 'b' }, lines: [line] } } });
    try {
      const from = recentStart(scenario);
      const { events } = simulate(scenario, 3, from);
      for (let i = 0; i < events.length; i += 5000) expect((await stack.postEvents(events.slice(i, i + 5000))).status).toBe(200);
      const res = await fetch(`${stack.baseUrl}/api/v1/kpi?from=${from}&to=${from + HOURS * HOUR}&now=${from + HOURS * HOUR}`);
      const body = (await res.json()) as { bottleneck: { station: string; why: { en: string } }; oee: { constraintSource: string } };
      expect(body.bottleneck.station).toBe(scenario.constraint);
      expect(body.oee.constraintSource).toBe('detected');
      expect(body.bottleneck.why.en).toContain(scenario.constraint);
      expect(lineCalendar(line).timeZone).toBe(scenario.timeZone);
    } finally {
      await stack.stop();
    }
  }, 120_000);
});
