/**
 * Recording the ground truth of waits (summary.stations[].waits) must not
 * change what the simulator emits: every shipped scenario still runs the same
 * event stream, byte for byte, as before the recording was added (digests
 * taken from the commit before it, 24 simulated hours, seeds 1 and 7).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Line } from '../model/line';
import { loadScenario, SHIPPED_SCENARIOS } from '../model/scenario';

const DIGESTS: Record<string, string> = {
  'reference/1': 'b07b995baf4c18ed',
  'reference/7': '08c5d937bec1e4e3',
  'bottleneck/1': '5c6f517278c54fcd',
  'bottleneck/7': '4603b280dcbc936d',
  'breakdowns/1': '2db3f217a53b593c',
  'breakdowns/7': '1d402eede8e76e4b',
  'partner-shortage/1': 'd964d7357b45dd2c',
  'partner-shortage/7': '8402907af3dd2afb',
  'night-shift/1': '9bab4e1f1c90ee4b',
  'night-shift/7': '4b5c17aea113406e',
};

describe('event streams stay byte for byte the same', () => {
  it.each(SHIPPED_SCENARIOS.flatMap((name) => [1, 7].map((seed) => [name, seed] as const)))('%s, seed %i', (name, seed) => {
    const scenario = loadScenario(name);
    const hash = createHash('sha256');
    const line = new Line({ scenario, seed, startMs: Date.parse(scenario.start), runId: 'h', emit: (e) => hash.update(`${JSON.stringify(e)}\n`) });
    line.runUntil(24 * 3600);
    expect(hash.digest('hex').slice(0, 16)).toBe(DIGESTS[`${name}/${seed}`]);
  });
});
