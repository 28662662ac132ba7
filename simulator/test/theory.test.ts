/**
 * The simulator against queueing and reliability theory, not against its own
 * earlier output. Each expected value is a closed-form result; tolerances are
 * the issue's, run lengths are chosen so sampling error stays well inside them.
 */
import { describe, expect, it } from 'vitest';
import { rate, runScenario, theoryScenario } from './helpers';

const fixed = (seconds: number) => ({ kind: 'fixed', seconds });
const failures = (mtbfSeconds: number, mttrSeconds: number) => ({ mtbfSeconds, mttrSeconds, repair: 'exponential' });

describe('fixed cycle times', () => {
  for (const buffer of [0, 2, 'unlimited'] as const) {
    it(`the slowest station at 120 s gives exactly 30 units per hour after warm-up (buffers: ${buffer})`, () => {
      const cycles = [100, 90, 120, 110, 95, 60, 119];
      const scenario = theoryScenario(
        cycles.map((c, i) => ({ id: `S${String(i + 1).padStart(2, '0')}`, cycle: fixed(c) })),
        { defaults: { bufferCapacity: buffer } },
      );
      const { unitTimes } = runScenario(scenario, 1, 30);
      // Warm-up: the first unit needs the sum of the cycle times (< 15 min) to cross the line.
      expect(rate(unitTimes, 2, 30)).toBe(30);
      for (let h = 2; h < 30; h += 1) expect(rate(unitTimes, h, h + 1)).toBe(30);
    });
  }
});

describe('one station with exponential failures', () => {
  it('long-run throughput = nominal rate × MTBF / (MTBF + MTTR), within 2 %', () => {
    const mtbf = 3600;
    const mttr = 600;
    const expected = 60 * (mtbf / (mtbf + mttr)); // 60 s cycle: 60 units/h nominal
    for (const seed of [1, 2, 3]) {
      const scenario = theoryScenario([{ id: 'S01', cycle: fixed(60), failures: failures(mtbf, mttr) }]);
      const { unitTimes, summary } = runScenario(scenario, seed, 4000);
      const measured = rate(unitTimes, 0, 4000);
      expect(Math.abs(measured / expected - 1)).toBeLessThan(0.02);
      // Ground truth agrees: availability at the only station.
      expect(Math.abs(summary.oee.availability / (mtbf / (mtbf + mttr)) - 1)).toBeLessThan(0.02);
    }
  });
});

describe('two stations, operation-dependent failures', () => {
  it('no buffer: efficiency = 1 / (1 + MTTR1/MTBF1 + MTTR2/MTBF2), within 3 %', () => {
    const [mtbf1, mttr1, mtbf2, mttr2] = [3000, 300, 5000, 500];
    const expected = 1 / (1 + mttr1 / mtbf1 + mttr2 / mtbf2); // 0.833
    const scenario = theoryScenario([
      { id: 'S01', cycle: fixed(60), failures: failures(mtbf1, mttr1), bufferAfter: 0 },
      { id: 'S02', cycle: fixed(60), failures: failures(mtbf2, mttr2) },
    ]);
    const { unitTimes } = runScenario(scenario, 11, 5000);
    const efficiency = rate(unitTimes, 10, 5000) / 60;
    expect(Math.abs(efficiency / expected - 1)).toBeLessThan(0.03);
    // And clearly not the large-buffer answer (0.909): without a buffer the stations hold each other up.
    expect(efficiency).toBeLessThan(Math.min(mtbf1 / (mtbf1 + mttr1), mtbf2 / (mtbf2 + mttr2)) - 0.05);
  });

  for (const [label, first, second] of [
    ['first station better (the second starves less than it blocks)', failures(2700, 300), failures(2000, 500)],
    ['second station better (the second starves)', failures(2000, 500), failures(2700, 300)],
  ] as const) {
    it(`very large buffer: efficiency = min(MTBF/(MTBF+MTTR)), within 3 % — ${label}`, () => {
      const e = (f: { mtbfSeconds: number; mttrSeconds: number }) => f.mtbfSeconds / (f.mtbfSeconds + f.mttrSeconds);
      const expected = Math.min(e(first), e(second)); // 0.8
      const scenario = theoryScenario([
        { id: 'S01', cycle: fixed(60), failures: first, bufferAfter: 1_000_000 },
        { id: 'S02', cycle: fixed(60), failures: second },
      ]);
      const { unitTimes } = runScenario(scenario, 5, 5000);
      const efficiency = rate(unitTimes, 100, 5000) / 60;
      expect(Math.abs(efficiency / expected - 1)).toBeLessThan(0.03);
    });
  }
});
