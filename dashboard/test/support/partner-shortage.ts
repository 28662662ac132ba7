/**
 * The simulator's partner-shortage scenario run in-process over a recent
 * morning (as collector/test/partners.test.ts does): the battery partner
 * P-BATT-01 stops delivering at hour 2 and S07 (battery pack) starves for its packs. The
 * run starts at the scenario's time of day on a recent day with the same
 * weekday, so ingest accepts its events and the calendar is the scenario's.
 */
import type { StateEvent, StationEvent } from '../../../core/events';
import { zoneOffsetMs } from '../../../core/time/zone';
import { Line } from '../../../simulator/model/line';
import { loadScenario } from '../../../simulator/model/scenario';

const HOUR = 3_600_000;
/** Hours simulated: the starvation comes a little after hour 3. */
export const SHORTAGE_RUN_HOURS = 5;

export interface PartnerShortage {
  /** Start of the run, epoch ms. */
  start: number;
  events: StationEvent[];
  /** The first station starved for want of P-BATT-01's parts. */
  starvation: StateEvent;
}

export function partnerShortage(options: { seed: number }): PartnerShortage {
  const scenario = loadScenario('partner-shortage');
  const original = Date.parse(scenario.start);
  const weeks = Math.floor((Date.now() - SHORTAGE_RUN_HOURS * HOUR - original) / (7 * 24 * HOUR));
  const moved = original + weeks * 7 * 24 * HOUR;
  const start = moved + zoneOffsetMs(original, scenario.timeZone) - zoneOffsetMs(moved, scenario.timeZone);
  const events: StationEvent[] = [];
  const line = new Line({ scenario, seed: options.seed, startMs: start, runId: `supply-${options.seed}`, emit: (e) => events.push(e) });
  line.runUntil(SHORTAGE_RUN_HOURS * 3600);
  const starvation = events.find((e): e is StateEvent => e.type === 'state' && e.state === 'starved' && (e.reason ?? '').includes('P-BATT-01'));
  if (!starvation) throw new Error('the partner-shortage scenario did not starve a station for P-BATT-01');
  return { start, events, starvation };
}
