/**
 * GET /api/v1/losses: the loss waterfall of a line over an interval (plan →
 * units lost per cause → good units), computed by core/loss from the events
 * stored in InfluxDB, with the shifting bottleneck and the material-shortage
 * episodes of the interval.
 */
import { lossReport } from '../../core/loss/waterfall';
import type { LossReport } from '../../core/loss/types';
import type { PartnerConfig } from '../../core/cluster/registry';
import type { LineConfig, PlantConfig } from '../../core/plant';
import type { UnitDefectEvent } from '../../core/events';
import { withPeoplesDefects } from '../../core/reasons/defects';
import type { StopReasonsPart } from '../../core/reasons/stops';
import { readLineEvents } from '../history/line-events';
import { longLosses, ROLLUP_MIN_RANGE_MS } from '../history/long-range';
import { intervalQuery, type IntervalQuery } from '../history/params';
import type { Router } from '../http/router';
import { sendJson } from '../http/respond';
import type { LineEvents } from '../influx/reads';
import type { EventStore } from '../influx/store';
import type { MonthRollups } from '../rollup/month-cache';
import { ALERT_LOOKBACK_MS, alertsFrom } from './shortages';

/** Long intervals read summaries with raw events at the edges (collector/history/long-range.ts): up to 400 days. */
const LOSS_MAX_DAYS = 400;
/**
 * Intervals of 2 days and more read the summaries and the stored shifting and
 * loss pieces, raw states only at the edges (`longLosses`: the same
 * attribution, time terms, episodes and shortages exactly, speed / micro-stop
 * split within a stated bound, the bottleneck timeline by hour or day); a
 * shift or a day stays on raw events, as `kpi` does.
 */
export const LOSS_ROLLUP_MIN_RANGE_MS = ROLLUP_MIN_RANGE_MS;

export interface LossRouteDeps {
  store: EventStore;
  plant: PlantConfig;
  /** The instant a line's numbers are for (wall clock, or the data's clock in the demo). */
  lineNow: (line: string) => number;
  /** The partner registry's partners, for the material-risk alert behind a shortage. */
  partners: () => readonly PartnerConfig[];
  /** Stop time by classified reason and category and the unclassified share (collector/reasons); absent: no `reasons` field. */
  stopReasons?: (line: LineConfig, from: number, to: number, now: number, states?: LineEvents) => Promise<StopReasonsPart>;
  /** People's defect codes of a line (collector/reasons), put on the nok units that came without one; absent: the stations' codes only. */
  unitDefects?: (line: string) => readonly UnitDefectEvent[];
  /** Closed months kept in memory (collector/rollup/month-cache.ts): a long range reads their state events from it. */
  months?: MonthRollups;
}

/**
 * The answer of `GET /api/v1/losses` for an interval already parsed (the shift report reuses it, so its
 * numbers are the same).
 */
export async function lossAnswer(deps: LossRouteDeps, q: IntervalQuery): Promise<LossReport> {
  const end = Math.min(q.to, q.now + 1);
  if (q.to - q.from >= LOSS_ROLLUP_MIN_RANGE_MS) {
    const partnerEvents = await deps.store.reads.partnerEvents(q.from - ALERT_LOOKBACK_MS, end);
    const alerts = alertsFrom(deps.partners(), partnerEvents, deps.plant);
    const unitDefects = deps.unitDefects?.(q.line.id) ?? [];
    return longLosses(deps.store.reads, q.line, q.from, q.to, q.now, q.label, {
      partnerEvents,
      alerts,
      unitDefects,
      ...(deps.months ? { months: deps.months } : {}),
    });
  }
  const [{ events, initialStates }, partners] = await Promise.all([
    readLineEvents(deps.store, q.line, q.from, end, ['state', 'unit', 'cycle']),
    deps.store.reads.partnerEvents(q.from - ALERT_LOOKBACK_MS, end),
  ]);
  const alerts = alertsFrom(deps.partners(), partners, deps.plant);
  const coded = deps.unitDefects ? withPeoplesDefects(events, deps.unitDefects(q.line.id)) : events;
  const report = lossReport({ line: q.line, events: [...coded, ...partners], from: q.from, to: q.to, now: q.now, initialStates, alerts });
  return { ...report, range: { ...report.range, label: q.label } };
}

export function registerLossRoutes(router: Router, deps: LossRouteDeps): void {
  router.on('GET', '/api/v1/losses', async ({ res, url }) => {
    const q = intervalQuery(url, deps.plant, deps.lineNow, LOSS_MAX_DAYS);
    // A long range reads no state events but at its edges (stored loss and shifting pieces, collector/history/long-range.ts); its stop reasons come from the closed hours' stop summaries (collector/reasons).
    const [report, reasons] = await Promise.all([
      lossAnswer(deps, q),
      deps.stopReasons ? deps.stopReasons(q.line, q.from, q.to, q.now).then((r) => ({ reasons: r })) : Promise.resolve({}),
    ]);
    sendJson(res, 200, { ...report, ...reasons });
  });
}
