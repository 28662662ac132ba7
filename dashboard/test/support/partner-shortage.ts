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

/**
 * The scenario's start moved on by whole weeks, as late as lets a run begin
 * at least `hoursBeforeNow` before now: the same weekday and time of day on
 * the scenario's clock (the zone's offset of that day, so a DST change keeps it).
 */
function recentStart(scenario: { start: string; timeZone: string }, hoursBeforeNow: number): number {
  const original = Date.parse(scenario.start);
  const weeks = Math.floor((Date.now() - hoursBeforeNow * HOUR - original) / (7 * 24 * HOUR));
  const moved = original + weeks * 7 * 24 * HOUR;
  return moved + zoneOffsetMs(original, scenario.timeZone) - zoneOffsetMs(moved, scenario.timeZone);
}

export function partnerShortage(options: { seed: number }): PartnerShortage {
  const scenario = loadScenario('partner-shortage');
  const start = recentStart(scenario, SHORTAGE_RUN_HOURS);
  const events: StationEvent[] = [];
  const line = new Line({ scenario, seed: options.seed, startMs: start, runId: `supply-${options.seed}`, emit: (e) => events.push(e) });
  line.runUntil(SHORTAGE_RUN_HOURS * 3600);
  const starvation = events.find((e): e is StateEvent => e.type === 'state' && e.state === 'starved' && (e.reason ?? '').includes('P-BATT-01'));
  if (!starvation) throw new Error('the partner-shortage scenario did not starve a station for P-BATT-01');
  return { start, events, starvation };
}

/**
 * The partner-shortage scenario's shift for the report and handover tests:
 * `hours` simulated (seed 4) from a recent day's scenario start, ending at
 * least an hour before now, with every station failing about every 2
 * working hours. `runId` names the run (`<runId>-<start>`).
 */
export function partnerShortageShift(options: { hours: number; runId: string }): { start: number; events: StationEvent[] } {
  const scenario = loadScenario('partner-shortage');
  const failures = scenario.defaults.failures;
  if (!failures) throw new Error('the partner-shortage scenario has no failure model to tighten');
  Object.assign(failures, { mtbfSeconds: 7200, mttrSeconds: 900 });
  const start = recentStart(scenario, options.hours + 1);
  const events: StationEvent[] = [];
  const line = new Line({ scenario, seed: 4, startMs: start, runId: `${options.runId}-${start}`, emit: (e) => events.push(e) });
  line.runUntil(options.hours * 3600);
  return { start, events };
}
