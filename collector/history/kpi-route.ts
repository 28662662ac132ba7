/**
 * GET /api/v1/kpi: every KPI of a line over an interval, computed by core/
 * from the events stored in InfluxDB (so a restart changes nothing).
 */
import type { AndonKpis } from '../../core/andon/kpi';
import { computeLineKpis, type LineKpis } from '../../core/kpi/line-kpis';
import type { LineConfig, PlantConfig } from '../../core/plant';
import type { StopReasonsPart } from '../../core/reasons/stops';
import type { EventStore } from '../influx/store';
import type { Router } from '../http/router';
import { sendJson } from '../http/respond';
import { readDeliveryRate } from '../partners/delivery-rate';
import { readLineEvents, type LineEvents } from './line-events';
import type { MonthRollups } from '../rollup/month-cache';
import { deliveredUnits, longLineKpis, ROLLUP_MIN_RANGE_MS } from './long-range';
import { intervalQuery, type IntervalQuery } from './params';

/** Long intervals read the closed hours' rollups with raw events at the edges (long-range.ts): up to 400 days per request. */
const KPI_MAX_DAYS = 400;

export interface KpiRouteDeps {
  store: EventStore;
  plant: PlantConfig;
  /** The instant a line's numbers are for (wall clock, or the data's clock in the demo). */
  lineNow: (line: string) => number;
  /** MTTA and MTTR of the line's andon calls raised in [from, to) (collector/andon); absent: no `andon` field. */
  andonKpis?: (line: string, from: number, to: number) => Promise<AndonKpis>;
  /** Stop time by classified reason and category and the unclassified share (collector/reasons); absent: no `reasons` field. */
  stopReasons?: (line: LineConfig, from: number, to: number, now: number, states?: LineEvents) => Promise<StopReasonsPart>;
  /** Closed months merged from their summaries, kept in memory (collector/rollup/month-cache.ts); absent: read every time. */
  months?: MonthRollups;
}

/** `GET /api/v1/kpi`'s body. */
export type LineKpiAnswer = LineKpis & { range: { label: string; from: number; to: number }; andon?: AndonKpis; reasons?: StopReasonsPart };

/** Andon's part of the answer: MTTA and MTTR per kind, station and tier. */
async function andonPart(deps: KpiRouteDeps, line: string, from: number, to: number): Promise<{ andon?: AndonKpis }> {
  return deps.andonKpis ? { andon: await deps.andonKpis(line, from, to) } : {};
}

/** The answer of `GET /api/v1/kpi` for an interval already parsed (the shift report reuses it, so its numbers are the same). */
export async function lineKpiAnswer(deps: KpiRouteDeps, q: IntervalQuery): Promise<LineKpiAnswer> {
  const asOf = Math.min(Math.max(q.now, q.from), q.to);
  const long = q.to - q.from >= ROLLUP_MIN_RANGE_MS;
  const end = Math.min(q.to, q.now + 1);
  const [lineEvents, delivered, rate] = await Promise.all([
    long ? null : readLineEvents(deps.store, q.line, q.from, end),
    // orders.total is cumulative (DESIGN.md): the backlog is orders − every unit the plant delivered.
    deliveredUnits(deps.store.reads, deps.plant.lines.map((l) => l.id), asOf, deps.months),
    // One days-to-clear: the same delivery rate /api/v1/orders projects with.
    readDeliveryRate(deps.store.reads, q.line, asOf),
  ]);
  const options = { deliveredTotal: delivered, deliveryRatePerPlannedHour: rate.ratePerPlannedHour };
  const [kpis, andon, reasons] = await Promise.all([
    lineEvents
      ? computeLineKpis({ line: q.line, events: lineEvents.events, from: q.from, to: q.to, now: q.now, initialStates: lineEvents.initialStates, options })
      : longLineKpis(deps.store.reads, q.line, q.from, q.to, q.now, options, deps.months ? { months: deps.months } : {}),
    andonPart(deps, q.line.id, q.from, q.to),
    // A long range's stop reasons come from the closed hours' stop summaries (collector/reasons), not the range's states.
    deps.stopReasons ? deps.stopReasons(q.line, q.from, q.to, q.now, lineEvents ?? undefined) : null,
  ]);
  return {
    range: { label: q.label, from: q.from, to: q.to },
    ...kpis,
    ...andon,
    ...(reasons ? { reasons } : {}),
  };
}

export function registerKpiRoutes(router: Router, deps: KpiRouteDeps): void {
  router.on('GET', '/api/v1/kpi', async ({ res, url }) => {
    const q = intervalQuery(url, deps.plant, deps.lineNow, KPI_MAX_DAYS);
    sendJson(res, 200, await lineKpiAnswer(deps, q));
  });
}
