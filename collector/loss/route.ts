/**
 * GET /api/v1/losses: the loss waterfall of a line over an interval (plan →
 * units lost per cause → good units), computed by core/loss from the events
 * stored in InfluxDB, with the shifting bottleneck and the material-shortage
 * episodes of the interval.
 */
import { lossReport } from '../../core/loss/waterfall';
import type { PartnerConfig } from '../../core/cluster/registry';
import type { LineConfig, PlantConfig } from '../../core/plant';
import type { StopReasonsPart } from '../../core/reasons/stops';
import { readLineEvents } from '../history/line-events';
import { intervalQuery } from '../history/params';
import type { Router } from '../http/router';
import { sendJson } from '../http/respond';
import type { EventStore } from '../influx/store';
import { readPartnerEvents } from '../partners/queries';
import { ALERT_LOOKBACK_MS, alertsFrom } from './shortages';

/** Loss intervals read raw events, like /api/v1/kpi: a month at most per request. */
const LOSS_MAX_DAYS = 31;

export interface LossRouteDeps {
  store: EventStore;
  plant: PlantConfig;
  /** The instant a line's numbers are for (wall clock, or the data's clock in the demo). */
  lineNow: (line: string) => number;
  /** The partner registry's partners, for the material-risk alert behind a shortage. */
  partners: () => readonly PartnerConfig[];
  /** Stop time by classified reason and category and the unclassified share (collector/reasons); absent: no `reasons` field. */
  stopReasons?: (line: LineConfig, from: number, to: number, now: number) => Promise<StopReasonsPart>;
}

export function registerLossRoutes(router: Router, deps: LossRouteDeps): void {
  router.on('GET', '/api/v1/losses', async ({ res, url }) => {
    const q = intervalQuery(url, deps.plant, deps.lineNow, LOSS_MAX_DAYS);
    const end = Math.min(q.to, q.now + 1);
    const [{ events, initialStates }, partners] = await Promise.all([
      readLineEvents(deps.store, q.line, q.from, end, ['state', 'unit', 'cycle']),
      readPartnerEvents(deps.store, q.from - ALERT_LOOKBACK_MS, end),
    ]);
    const alerts = alertsFrom(deps.partners(), partners, deps.plant);
    const report = lossReport({ line: q.line, events: [...events, ...partners], from: q.from, to: q.to, now: q.now, initialStates, alerts });
    const reasons = deps.stopReasons ? { reasons: await deps.stopReasons(q.line, q.from, q.to, q.now) } : {};
    sendJson(res, 200, { ...report, range: { ...report.range, label: q.label }, ...reasons });
  });
}
