/**
 * The collector's supply-chain endpoints as typed functions (no Vue): the
 * partners with their status and material-risk alerts, the order book of a
 * line, and the cluster's goal (docs/api.md, "Supply chain"). Every failure
 * becomes a {@link SupplyApiError} carrying the API's own `code` and message,
 * so the person sees what the collector said.
 */
import type { ChainLink } from '@core/cluster/chain';
import type { ClusterGoalResult } from '@core/cluster/goal';
import type { MaterialRiskAlert } from '@core/cluster/material-risk';
import type { PartnerView } from '@core/cluster/partner-view';
import { ApiError, getJson, type FetchLike } from './api-json';

/** One partner as `GET /api/v1/partners` lists it: the collector builds it with core's `partnerViews`. */
export type { ChainLink, FetchLike, MaterialRiskAlert, PartnerView };

/** A `{ zh, en }` name. */
export interface LocalizedName {
  zh: string;
  en: string;
}

/** `GET /api/v1/partners`. */
export interface PartnersAnswer {
  /** The instant the statuses are for, epoch ms. */
  now: number;
  source: 'default' | 'file' | 'admin';
  updatedAt: number | null;
  partners: PartnerView[];
  /** Critical first, then the soonest starvation. */
  alerts: MaterialRiskAlert[];
}

/** `GET /api/v1/orders?line=`. */
export interface OrdersAnswer {
  line: string;
  now: number;
  /** Cumulative order book of the newest snapshot; null without one in 30 days. */
  ordersTotal: number | null;
  ordersAt: number | null;
  /** Units of all the plant's lines stored up to `now`. */
  delivered: number;
  backlog: number | null;
  /** Units per planned hour over the trailing 7 days; null below 15 planned minutes. */
  ratePerPlannedHour: number | null;
  rateWindow: { from: number | null; to: number; units: number; plannedSeconds: number };
  unitsPerCalendarDay: number | null;
  /** Calendar days; null without a rate or a snapshot. */
  daysToClear: number | null;
  productionDaysToClear: number | null;
  plannedSecondsNext7Days: number;
  workingDaysNext7Days: number;
  clearsAt: number | null;
}

/** One entity's share of the cluster's year to date. */
export interface ContributionView {
  entity: string;
  valueYuan: number;
  share: number | null;
  chainMaster: boolean;
  partner: { id: string; name: LocalizedName; category: string; inDistrict: boolean } | null;
}

/** `GET /api/v1/cluster`. Money in yuan, shares as fractions. */
export interface ClusterAnswer extends Omit<ClusterGoalResult, 'contributions'> {
  name: LocalizedName;
  timeZone: string;
  chainMasterEntity: string;
  contributions: ContributionView[];
  chain: ChainLink[];
  /** Categories with no partner in the district (补链). */
  gaps: string[];
}

/** Everything the supply panels show, fetched together. */
export interface SupplyData {
  partners: PartnersAnswer;
  orders: OrdersAnswer;
  cluster: ClusterAnswer;
}

/** What to ask for: a line's order book, and optionally an instant other than the lines' clock. */
export interface SupplyQuery {
  line: string;
  /** Evaluate as of this instant, epoch ms; default: the collector's clock for the lines. */
  now?: number | null;
}

/** Errors of this API: the collector's own code and message. */
export { ApiError as SupplyApiError };

function withNow(path: string, params: URLSearchParams, now: number | null | undefined, base: string): string {
  if (now !== null && now !== undefined) params.set('now', String(Math.round(now)));
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

/** URL of `GET /api/v1/partners`. */
export function partnersUrl(now?: number | null, base = ''): string {
  return withNow('/api/v1/partners', new URLSearchParams(), now, base);
}

/** URL of `GET /api/v1/orders` for `line`. */
export function ordersUrl(line: string, now?: number | null, base = ''): string {
  return withNow('/api/v1/orders', new URLSearchParams({ line }), now, base);
}

/** URL of `GET /api/v1/cluster`. */
export function clusterUrl(now?: number | null, base = ''): string {
  return withNow('/api/v1/cluster', new URLSearchParams(), now, base);
}


/** Throws unless each key holds what it should: a cheap guard against a collector of another version. */
function expectShape(body: Record<string, unknown>, path: string, arrays: string[], numbers: string[] = []): void {
  for (const k of arrays) {
    if (!Array.isArray(body[k])) throw new ApiError('invalid_response', `GET ${path} answered without '${k}'`, 200, false);
  }
  for (const k of numbers) {
    if (typeof body[k] !== 'number') throw new ApiError('invalid_response', `GET ${path} answered without '${k}'`, 200, false);
  }
}

/** `GET /api/v1/partners`. */
export async function fetchPartners(fetchFn: FetchLike = globalThis.fetch, base = '', now?: number | null, signal?: AbortSignal): Promise<PartnersAnswer> {
  const body = await getJson(fetchFn, partnersUrl(now, base), signal);
  expectShape(body, '/api/v1/partners', ['partners', 'alerts'], ['now']);
  return body as unknown as PartnersAnswer;
}

/** `GET /api/v1/orders?line=`. */
export async function fetchOrders(line: string, fetchFn: FetchLike = globalThis.fetch, base = '', now?: number | null, signal?: AbortSignal): Promise<OrdersAnswer> {
  const body = await getJson(fetchFn, ordersUrl(line, now, base), signal);
  expectShape(body, '/api/v1/orders', [], ['now', 'delivered']);
  return body as unknown as OrdersAnswer;
}

/** `GET /api/v1/cluster`. */
export async function fetchCluster(fetchFn: FetchLike = globalThis.fetch, base = '', now?: number | null, signal?: AbortSignal): Promise<ClusterAnswer> {
  const body = await getJson(fetchFn, clusterUrl(now, base), signal);
  expectShape(body, '/api/v1/cluster', ['months', 'contributions', 'chain', 'gaps'], ['now', 'yearToDateYuan']);
  return body as unknown as ClusterAnswer;
}

/** Partners, the line's orders and the cluster, requested in parallel; the first failure wins. */
export async function fetchSupply(q: SupplyQuery, fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<SupplyData> {
  const [partners, orders, cluster] = await Promise.all([
    fetchPartners(fetchFn, base, q.now, signal),
    fetchOrders(q.line, fetchFn, base, q.now, signal),
    fetchCluster(fetchFn, base, q.now, signal),
  ]);
  return { partners, orders, cluster };
}
