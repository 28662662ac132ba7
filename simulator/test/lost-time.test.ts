/**
 * The causal ground truth of lost time (summary.lostTime): every planned
 * second of the designed constraint and of the output station is either
 * producing or charged to one root cause, found by following the model's wait
 * chain; a breakdown the buffers absorb is charged where it stopped the
 * station watched, and nowhere else.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, SHIPPED_SCENARIOS } from '../model/scenario';
import type { OutputLossSummary } from '../model/output-losses';
import { runScenario, theoryScenario } from './helpers';

const fixed = (seconds: number) => ({ kind: 'fixed', seconds });
const total = (s: OutputLossSummary) => s.producingSeconds + s.causes.reduce((a, c) => a + c.seconds, 0);
const downOf = (s: OutputLossSummary, station: string) =>
  s.causes.filter((c) => c.cause.kind === 'downtime' && c.cause.station === station).reduce((a, c) => a + c.seconds, 0);

describe('summary.lostTime', () => {
  it.each(SHIPPED_SCENARIOS)('%s: every planned second of the constraint and of the output station is accounted for once', (name) => {
    const { summary } = runScenario(loadScenario(name), 1, 8);
    const { constraint, output } = summary.lostTime;
    expect(constraint.station).toBe(summary.oee.constraint);
    expect(output.station).toBe(summary.stations.at(-1)?.id);
    expect(total(constraint)).toBeCloseTo(summary.oee.plannedSeconds, 0);
    expect(total(output)).toBeCloseTo(summary.oee.plannedSeconds, 0);
    // The constraint's own downtime is charged to it, second for second.
    const st = summary.stations.find((s) => s.id === constraint.station);
    expect(downOf(constraint, constraint.station)).toBeCloseTo((st?.secondsInState.fault ?? 0) + (st?.secondsInState.maintenance ?? 0), 0);
    // Units are the seconds at the target rate.
    for (const c of constraint.causes) expect(c.units).toBeCloseTo((c.seconds * 30) / 3600, 2);
  });

  it('partner-shortage: the constraint S06, blocked behind S07, loses its time to the partner whose packs ran out', () => {
    const { summary } = runScenario(loadScenario('partner-shortage'), 2, 8);
    const [largest] = summary.lostTime.constraint.causes.filter((c) => c.cause.kind !== 'pace');
    expect(largest?.cause).toEqual({ kind: 'starved', station: 'S07', partner: 'P-BATT-01' });
    // S07's wait for packs less the few minutes S06's buffer after it took to fill.
    const waited = summary.stations.find((s) => s.id === 'S07')?.waits.find((w) => 'partner' in w.waitingFor)?.seconds ?? 0;
    expect(largest?.seconds ?? 0).toBeLessThanOrEqual(waited);
    expect(largest?.seconds ?? 0).toBeGreaterThan(waited - 3600);
  });

  it('a breakdown after a buffer that absorbs it is no loss at the constraint, and is at the output station', () => {
    // S02 (150 s) constrains the line; S03 (60 s) breaks down for 5 minutes now and then; 10 places between them.
    const stations = (buffer: number) => [
      { id: 'S01', cycle: fixed(60) },
      { id: 'S02', cycle: fixed(150), bufferAfter: buffer },
      { id: 'S03', cycle: fixed(60), failures: { mtbfSeconds: 3600, mttrSeconds: 300, repair: 'fixed' } },
    ];
    const absorbed = runScenario(theoryScenario(stations(10), { constraint: 'S02' }), 1, 24).summary;
    const down = absorbed.stations.find((s) => s.id === 'S03')?.secondsInState.fault ?? 0;
    expect(down).toBeGreaterThan(1500);
    expect(downOf(absorbed.lostTime.constraint, 'S03')).toBe(0);
    expect(downOf(absorbed.lostTime.output, 'S03')).toBeCloseTo(down, 0);
    // Without a buffer S02 blocks at once: then S03's breakdowns cost the constraint their whole length, less the cycle S02 was still working.
    const blocking = runScenario(theoryScenario(stations(0), { constraint: 'S02' }), 1, 24).summary;
    const downThen = blocking.stations.find((s) => s.id === 'S03')?.secondsInState.fault ?? 0;
    const charged = downOf(blocking.lostTime.constraint, 'S03');
    expect(charged).toBeGreaterThan(0.4 * downThen);
    expect(charged).toBeLessThanOrEqual(downThen + 1e-6);
  });
});
