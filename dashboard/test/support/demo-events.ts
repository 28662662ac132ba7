/**
 * Plausible station events for line A1 over the hour before `now`: units about
 * every two minutes, a cycle per station per unit, and a few stations in
 * trouble so the strip shows every colour. Seeded, so screenshots and tests
 * see the same line every run.
 */
import type { StationEventInput } from '../../../core/events';
import { seededRandom } from '../../../collector/test/support/seeded-random';

export interface DemoOptions {
  line?: string;
  /** Station ids in flow order. @default S01…S20 */
  stations?: string[];
  /** End of the generated history, epoch ms. */
  now: number;
  /** How far back units start, ms. @default 3 600 000 */
  spanMs?: number;
  seed?: number;
}

const defaultStations = Array.from({ length: 20 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);

/** Stations not running at `now`, with how long ago they changed state (s) and why. */
const TROUBLE: Record<string, { state: 'fault' | 'starved' | 'blocked' | 'maintenance' | 'idle'; agoS: number; reason?: string }> = {
  S05: { state: 'blocked', agoS: 95 },
  S06: { state: 'fault', agoS: 262, reason: 'E-stop: torque gun' },
  S07: { state: 'starved', agoS: 140, reason: 'battery packs late' },
  S12: { state: 'maintenance', agoS: 1510, reason: 'planned' },
  S19: { state: 'idle', agoS: 40 },
};

export function demoEvents(options: DemoOptions): StationEventInput[] {
  const line = options.line ?? 'A1';
  const stations = options.stations ?? defaultStations;
  const span = options.spanMs ?? 3_600_000;
  const random = seededRandom(options.seed ?? 2027);
  const start = options.now - span;
  const events: StationEventInput[] = [];

  for (const station of stations) {
    events.push({ type: 'state', ts: start, line, station, state: 'running' });
  }
  let t = start + 60_000;
  let n = 0;
  while (t < options.now - 20_000) {
    n += 1;
    const unit = `LDP${String(100000 + n)}`;
    for (const station of stations) {
      events.push({ type: 'cycle', ts: t - 5_000, line, station, cycleTime: 100 + Math.round(random() * 200) / 10, unit });
    }
    events.push({ type: 'unit', ts: t, line, unit, model: 'EV-7', result: 'ok' });
    // About 28 per hour: a little under the 30/h plan, with scatter.
    t += 115_000 + Math.round(random() * 25_000);
  }
  for (const [station, trouble] of Object.entries(TROUBLE)) {
    if (!stations.includes(station)) continue;
    events.push({
      type: 'state',
      ts: options.now - trouble.agoS * 1000,
      line,
      station,
      state: trouble.state,
      ...(trouble.reason ? { reason: trouble.reason } : {}),
    });
  }
  return events.sort((a, b) => Number(a.ts) - Number(b.ts));
}
