/**
 * Supply chain endpoints: the partner registry with each partner's latest
 * status and material-risk alert, the admin write of the registry, the order
 * book against units delivered, and the cluster's goal. Everything is read
 * from InfluxDB on request and computed by core/cluster, so a restart
 * changes nothing.
 */
import { lineCalendar, plannedAhead } from '../../core/calendar/calendar';
import { chainLinks } from '../../core/cluster/chain';
import { addMonths, clusterGoal, monthStart } from '../../core/cluster/goal';
import { materialRisks, type MaterialRiskAlert } from '../../core/cluster/material-risk';
import { partnerViews, type PartnerView } from '../../core/cluster/partner-view';
import { recentShortages } from '../loss/shortages';
import type { ShortageEpisode } from '../../core/loss/types';
import type { PartnerRegistry } from '../../core/cluster/registry';
import { ordersBacklog } from '../../core/kpi/backlog';
import type { LineConfig, PlantConfig } from '../../core/plant';
import { localTime } from '../../core/time/civil';
import { requireToken, TokenSet } from '../http/auth';
import { readBody } from '../http/body';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import type { EventStore } from '../influx/store';
import { parseInstant } from '../history/params';
import { countUnits, readDeliveryRate, readLatestOrders, readOutputReports, readPartnerReports } from './queries';
import { checkRegistry, loadRegistry, saveRegistry, type RegistrySource } from './registry-file';
import { printable } from '../http/safe-url';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Orders snapshots older than this are not looked for, ms. */
const ORDERS_LOOKBACK_MS = 30 * DAY_MS;
/** A registry document is small; this bounds a PUT body, bytes. */
const MAX_REGISTRY_BYTES = 1024 * 1024;

export interface PartnerRouteDeps {
  store: EventStore;
  plant: PlantConfig;
  /** `TAKTLINE_PARTNERS_FILE`; empty: the built-in demo registry. */
  partnersFile: string;
  /** Where the admin API keeps its copy (`TAKTLINE_DATA_DIR`). */
  dataDir: string;
  /** `TAKTLINE_ADMIN_TOKEN`; empty disables writes. */
  adminToken: string;
  /** The instant a line's numbers are for (wall clock, or the data's clock in the demo). */
  lineNow: (line: string) => number;
  /** Wall clock, epoch ms. */
  clock: () => number;
}

/** What registerPartnerRoutes hands back, for the composition root and tests. */
export interface PartnerRoutes {
  registry(): PartnerRegistry;
  source(): RegistrySource;
}

/** One partner as GET /api/v1/partners shows it. */
export type { PartnerView } from '../../core/cluster/partner-view';

export function registerPartnerRoutes(router: Router, deps: PartnerRouteDeps): PartnerRoutes {
  const loaded = loadRegistry({ file: deps.partnersFile, dataDir: deps.dataDir, plant: deps.plant });
  let registry = loaded.registry;
  let source: RegistrySource = loaded.source;
  let updatedAt: number | null = null;
  const adminTokens = new TokenSet(deps.adminToken ? [deps.adminToken] : []);

  /** `now` from the query, else the newest of the lines' clocks. */
  const plantNow = (url: URL): number => {
    const raw = url.searchParams.get('now');
    if (raw !== null) return parseInstant(raw, 'now');
    return Math.max(...deps.plant.lines.map((l) => deps.lineNow(l.id)));
  };

  async function partnerState(now: number, shortages?: readonly ShortageEpisode[]): Promise<{ partners: PartnerView[]; alerts: MaterialRiskAlert[] }> {
    const reports = await readPartnerReports(deps.store, now);
    const alerts = materialRisks(registry.partners, reports, deps.plant, now);
    const partners = partnerViews(registry, reports, alerts, deps.plant, shortages);
    return { partners, alerts };
  }

  router
    .on('GET', '/api/v1/partners', async ({ res, url }) => {
      const now = plantNow(url);
      // Shortage episodes of the last day stay in a partner's history after its status is ok again.
      const { partners, alerts } = await partnerState(now, await recentShortages(deps.store, deps.plant, registry.partners, now));
      sendJson(res, 200, { now, source, updatedAt, partners, alerts });
    })
    .on('GET', '/api/v1/partners/alerts', async ({ res, url }) => {
      const now = plantNow(url);
      const { alerts } = await partnerState(now);
      sendJson(res, 200, { now, alerts });
    })
    .on('GET', '/api/v1/partners/registry', ({ res }) => {
      sendJson(res, 200, registry, { 'x-taktline-registry-source': source });
    })
    .on('PUT', '/api/v1/partners', async ({ req, res }) => {
      if (!deps.adminToken) {
        req.resume();
        throw new HttpProblem(403, 'admin_disabled', 'registry writes are disabled: set TAKTLINE_ADMIN_TOKEN (at least 12 characters) and restart the collector');
      }
      requireToken(req, adminTokens, 'admin');
      const body = await readBody(req, MAX_REGISTRY_BYTES);
      let raw: unknown;
      try {
        raw = JSON.parse(body.toString('utf8'));
      } catch (error) {
        throw new HttpProblem(400, 'invalid_json', `the body is not JSON: ${(error as Error).message}`);
      }
      const checked = checkRegistry(raw, deps.plant);
      if (!checked.ok) {
        const first = checked.issues[0];
        sendJson(res, 400, {
          error: { code: 'invalid_registry', message: `${first?.path ?? '(root)'}: ${first?.message ?? 'invalid'}`, issues: checked.issues },
        });
        return;
      }
      try {
        saveRegistry(deps.dataDir, checked.registry);
      } catch (error) {
        console.error(`collector: cannot save the partner registry in ${deps.dataDir}: ${(error as Error).message}`);
        throw new HttpProblem(500, 'registry_not_saved', "the registry could not be saved in the collector's data directory (see its log); nothing changed");
      }
      registry = checked.registry;
          source = 'admin';
      updatedAt = deps.clock();
      sendJson(res, 200, { source, updatedAt, partners: registry.partners.length, categories: registry.categories.length });
    })
    .on('GET', '/api/v1/orders', async ({ res, url }) => {
      const line = lineParam(url, deps.plant);
      const now = url.searchParams.has('now') ? parseInstant(url.searchParams.get('now') ?? '', 'now') : deps.lineNow(line.id);
      sendJson(res, 200, await ordersState(deps.store, deps.plant, line, now));
    })
    .on('GET', '/api/v1/cluster', async ({ res, url }) => {
      const now = plantNow(url);
      const c = registry.cluster;
      const period = localTime(now, c.timeZone).date.slice(0, 7);
      // This year's months, and the months before it the run rate may average.
      const first = addMonths(`${period.slice(0, 4)}-01`, -c.runRateMonths);
      const periods: { period: string; from: number }[] = [];
      for (let p = first; p <= period; p = addMonths(p, 1)) periods.push({ period: p, from: monthStart(p, c.timeZone) });
      const reports = await readOutputReports(deps.store, periods, now);
      const goal = clusterGoal({
        targetYuan: c.targetYuan,
        targetYear: c.targetYear,
        baseline: c.baseline,
        timeZone: c.timeZone,
        runRateMonths: c.runRateMonths,
        reports,
        now,
      });
      const partnersById = new Map(registry.partners.map((p) => [p.id, p]));
      const chain = chainLinks(registry.categories, registry.partners);
      sendJson(res, 200, {
        ...goal,
        name: c.name,
        timeZone: c.timeZone,
        chainMasterEntity: c.chainMasterEntity,
        contributions: goal.contributions.map((k) => {
          const p = partnersById.get(k.entity);
          return {
            ...k,
            chainMaster: k.entity === c.chainMasterEntity,
            partner: p ? { id: p.id, name: p.name, category: p.category, inDistrict: p.inDistrict } : null,
          };
        }),
        chain,
        gaps: chain.filter((l) => l.gap).map((l) => l.category),
      });
    });

  return { registry: () => registry, source: () => source };
}


function lineParam(url: URL, plant: PlantConfig): LineConfig {
  const lineId = url.searchParams.get('line') ?? (plant.lines.length === 1 ? plant.lines[0]?.id : undefined);
  if (!lineId) throw new HttpProblem(400, 'line_required', `add line=<id>; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
  const line = plant.lines.find((l) => l.id === lineId);
  if (!line) throw new HttpProblem(404, 'unknown_line', `line '${printable(lineId)}' is not configured; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
  return line;
}

/**
 * The order book against units delivered. `orders.total` is cumulative
 * (every order ever booked), so backlog = latest total − every unit the
 * plant's lines delivered that InfluxDB holds up to `now`. Days to clear at
 * the line's delivery rate (units per planned hour over the trailing 7 days,
 * from its first unit in them) and the calendar of the coming 7 production days.
 */
async function ordersState(store: EventStore, plant: PlantConfig, line: LineConfig, now: number) {
  const cal = lineCalendar(line);
  const lines = plant.lines.map((l) => l.id);
  const [orders, delivered, rate] = await Promise.all([
    readLatestOrders(store, now, ORDERS_LOOKBACK_MS),
    countUnits(store, lines, null, now),
    readDeliveryRate(store, line, now),
  ]);
  const { plannedSeconds: plannedNext7, workingDays: workingNext7 } = plannedAhead(cal, now, 7);
  const backlog = ordersBacklog({
    ordersTotal: orders?.total ?? null,
    ordersAt: orders?.ts ?? null,
    unitsSinceOrders: 0,
    deliveredTotal: delivered,
    ratePerPlannedHour: rate.ratePerPlannedHour,
    plannedSecondsNext7Days: plannedNext7,
    workingDaysNext7Days: workingNext7,
  });
  return {
    line: line.id,
    now,
    ordersTotal: backlog.ordersTotal,
    ordersAt: backlog.ordersAt,
    delivered,
    backlog: backlog.backlog,
    ratePerPlannedHour: backlog.ratePerPlannedHour,
    rateWindow: { from: rate.from, to: now, units: rate.units, plannedSeconds: rate.plannedSeconds },
    unitsPerCalendarDay: backlog.unitsPerCalendarDay,
    daysToClear: backlog.daysToClear,
    productionDaysToClear: backlog.productionDaysToClear,
    plannedSecondsNext7Days: plannedNext7,
    workingDaysNext7Days: workingNext7,
    clearsAt: backlog.daysToClear === null ? null : Math.round(now + backlog.daysToClear * DAY_MS),
  };
}
