/**
 * Test doubles for the supply panels: collector answers built by core's own
 * functions from the demo registry (so a fixture is what the collector would
 * say), and a fake fetch that routes by path. Imported by *.test.ts only,
 * never by the app, so none of it ships.
 */
import { chainLinks } from '@core/cluster/chain';
import { clusterGoal, type OutputReport } from '@core/cluster/goal';
import { materialRisks, type PartnerStatusReport } from '@core/cluster/material-risk';
import { partnerViews } from '@core/cluster/partner-view';
import { referencePartnerRegistry } from '@core/cluster/reference';
import { referencePlant } from '@core/plant';
import type { FetchLike } from '../../services/lines-api';
import type { ClusterAnswer, OrdersAnswer, PartnersAnswer, SupplyData } from '../../services/supply-api';

/** 2027-04-16 08:14 +08:00: a Friday morning of the target year. */
export const SUPPLY_NOW = Date.parse('2027-04-16T08:14:00+08:00');
const HOUR = 3_600_000;

/**
 * Answers as of `now`. `shortage`: P-BATT-01 reported late with 1.0 h of
 * stock at 08:00, so S07 starves before its counted delivery (a critical
 * alert); otherwise every partner that reports is ok.
 */
export function supplyAnswers(options: { now?: number; shortage?: boolean } = {}): SupplyData {
  const now = options.now ?? SUPPLY_NOW;
  const registry = referencePartnerRegistry();
  const plant = referencePlant();
  const reportAt = now - 14 * 60_000;
  const reports = new Map<string, PartnerStatusReport>([
    [
      'P-BATT-01',
      options.shortage
        ? { partner: 'P-BATT-01', ts: reportAt, status: 'late', inventoryHours: 1.0, onTimeRate: 0.91, note: 'cell supplier outage' }
        : { partner: 'P-BATT-01', ts: reportAt, status: 'ok', inventoryHours: 3.5, onTimeRate: 0.97, note: null },
    ],
    ['P-SEAT-01', { partner: 'P-SEAT-01', ts: reportAt, status: 'ok', inventoryHours: 3.3, onTimeRate: 0.98, note: null }],
  ]);
  const alerts = materialRisks(registry.partners, reports, plant, now);
  const partners: PartnersAnswer = {
    now,
    source: 'default',
    updatedAt: null,
    alerts,
    partners: partnerViews(registry, reports, alerts, plant),
  };
  // docs/partners.md's example: Jan 8e9, Feb 8e9, Mar 10e9, April to date 5e9.
  const month = (period: string, plantYuan: number, battYuan: number): OutputReport[] => [
    { entity: 'PLANT-A1', period, value: plantYuan, ts: now - 10 * HOUR },
    { entity: 'P-BATT-01', period, value: battYuan, ts: now - 10 * HOUR },
  ];
  const reportsOut = [...month('2027-01', 6e9, 2e9), ...month('2027-02', 6e9, 2e9), ...month('2027-03', 7.5e9, 2.5e9), ...month('2027-04', 3.5e9, 1.5e9)];
  const c = registry.cluster;
  const goal = clusterGoal({ ...c, reports: reportsOut, now });
  const chain = chainLinks(registry.categories, registry.partners);
  const cluster: ClusterAnswer = {
    ...goal,
    name: c.name,
    timeZone: c.timeZone,
    chainMasterEntity: c.chainMasterEntity,
    contributions: goal.contributions.map((k) => {
      const p = registry.partners.find((q) => q.id === k.entity);
      return { ...k, chainMaster: k.entity === c.chainMasterEntity, partner: p ? { id: p.id, name: p.name, category: p.category, inDistrict: p.inDistrict } : null };
    }),
    chain,
    gaps: chain.filter((l) => l.gap).map((l) => l.category),
  };
  const orders: OrdersAnswer = {
    line: 'A1',
    now,
    ordersTotal: 120_064,
    ordersAt: now - 14 * 60_000,
    delivered: 59,
    backlog: 120_005,
    ratePerPlannedHour: 28.69,
    rateWindow: { from: now - 2 * HOUR, to: now, units: 59, plannedSeconds: 7402.2 },
    unitsPerCalendarDay: 616.9,
    daysToClear: 194.5,
    productionDaysToClear: 194.5,
    plannedSecondsNext7Days: 541_800,
    workingDaysNext7Days: 7,
    clearsAt: now + 194.5 * 24 * HOUR,
  };
  return { partners, orders, cluster };
}

/** A fetch that answers the supply endpoints from `data()`, recording each URL; other paths 404. */
export function fakeSupplyFetch(data: () => SupplyData) {
  const calls: string[] = [];
  const reply = (status: number, body: unknown) => Promise.resolve({ ok: status < 300, status, json: () => Promise.resolve(body) });
  const fetch: FetchLike = (url) => {
    calls.push(url);
    const path = url.split('?')[0];
    const d = data();
    if (path === '/api/v1/partners') return reply(200, d.partners);
    if (path === '/api/v1/orders') return reply(200, d.orders);
    if (path === '/api/v1/cluster') return reply(200, d.cluster);
    return reply(404, { error: { code: 'not_found', message: `no route ${path}` } });
  };
  return { fetch, calls };
}
