/**
 * One bottleneck everywhere: `/api/v1/kpi` (computeLineKpis) names the station
 * the loss waterfall (`/api/v1/losses`) counts at and charts as the largest
 * shifting-bottleneck share, for every shipped scenario and several seeds,
 * over the shift and over a shortage. During a partner shortage that is the
 * starved station, not the stations blocked behind it.
 */
import { describe, expect, it } from 'vitest';
import { intervalBottleneck } from '../kpi/active-period';
import { computeLineKpis } from '../kpi/line-kpis';
import { computeLosses, intervalConstraint } from '../loss/waterfall';
import type { StationEvent } from '../events';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine, SHIPPED_SCENARIOS, type Scenario } from '../../simulator/model/scenario';

const HOURS = 8;
const SEEDS = [1, 2, 3];

function simulate(name: string, seed: number): { scenario: Scenario; events: StationEvent[]; from: number; to: number } {
  const scenario = loadScenario(name);
  const events: StationEvent[] = [];
  const from = Date.parse(scenario.start);
  new Line({ scenario, seed, startMs: from, runId: `bn-${name}-${seed}`, emit: (e) => events.push(e) }).runUntil(HOURS * 3600);
  return { scenario, events, from, to: from + HOURS * 3_600_000 };
}

describe('the bottleneck of /api/v1/kpi is the shifting bottleneck of /api/v1/losses', () => {
  it.each(SHIPPED_SCENARIOS.flatMap((s) => SEEDS.map((seed) => [s, seed] as const)))('%s, seed %i: the same station over the shift', (name, seed) => {
    const { scenario, events, from, to } = simulate(name, seed);
    const line = scenarioLine(scenario);
    const kpis = computeLineKpis({ line, events, from, to, now: to });
    const losses = computeLosses({ line, events, from, to, now: to });
    expect(kpis.bottleneck.station).not.toBeNull();
    expect(kpis.bottleneck.station).toBe(intervalBottleneck(losses.report.bottleneck));
    // The waterfall counts its losses at that station (no constraint configured).
    expect(intervalConstraint(line, losses.bottleneck)).toBe(kpis.bottleneck.station);
    // The ranking's evidence carries the shares the chart shows.
    const top = kpis.bottleneck.ranking[0];
    const share = losses.report.bottleneck.stations.find((s) => s.station === top?.station);
    expect(top?.soleShare).toBeCloseTo(share?.soleShare ?? -1, 9);
    if (name === 'bottleneck') expect(kpis.bottleneck.station).toBe(scenario.constraint);
  });

  it.each(SEEDS)('partner-shortage, seed %i: during the shortage the bottleneck is the starved station S07', (seed) => {
    const { scenario, events, from, to } = simulate('partner-shortage', seed);
    const line = scenarioLine(scenario);
    const [episode] = computeLosses({ line, events, from, to, now: to }).report.shortages;
    expect(episode).toMatchObject({ partner: 'P-BATT-01', station: 'S07' });
    const end = episode?.supplyBackAt ?? to;
    const kpis = computeLineKpis({ line, events, from: episode?.starvedFrom ?? from, to: end, now: to });
    expect(kpis.bottleneck.station).toBe('S07');
    expect(kpis.bottleneck.why.en).toContain('S07 was the bottleneck');
    // The stations blocked behind it are not ranked above it, however long they stood blocked.
    const s06 = kpis.stations.find((s) => s.station === 'S06');
    expect(s06?.blockedShare ?? 0).toBeGreaterThan(0.5);
    // And over the whole shift too: the shortage took most of it.
    expect(computeLineKpis({ line, events, from, to, now: to }).bottleneck.station).toBe('S07');
  });
});
