/**
 * The collector's loss accounting as a typed function (no Vue):
 * `GET /api/v1/losses` (docs/api.md), the waterfall from plan to good units
 * with every lost unit charged to a cause, the shifting bottleneck over the
 * interval and the material-shortage episodes. Same interval parameters as
 * `GET /api/v1/kpi`; every failure becomes an {@link ApiError} carrying the
 * API's own `code` and message.
 */
import type { BottleneckShare, BottleneckSpan, LossCause, LossEpisode, LossKind, LossReport, LossTerm, ShortageEpisode } from '@core/loss/types';
import { ApiError, getJson, type FetchLike } from './api-json';
import { queryParams, type HistoryQuery } from './history-api';

export type { BottleneckShare, BottleneckSpan, FetchLike, HistoryQuery, LossCause, LossEpisode, LossKind, LossReport, LossTerm, ShortageEpisode };

/** Every cause kind, in the order a legend lists them. */
export const LOSS_KINDS: readonly LossKind[] = ['downtime', 'starved', 'blocked', 'speed', 'quality', 'microstop', 'no_data', 'unexplained'];

/** URL of `GET /api/v1/losses` for `q`. */
export function lossesUrl(q: HistoryQuery, base = ''): string {
  return `${base}/api/v1/losses?${queryParams(q).toString()}`;
}

const invalid = (what: string) => new ApiError('invalid_response', `GET /api/v1/losses answered ${what}`, 200, false);

/** Throws unless `body` has the report's shape where the screen depends on it: a cheap guard against a collector of another version. */
function expectReport(body: Record<string, unknown>): asserts body is Record<string, unknown> & LossReport {
  if (body.status !== 'ok' && body.status !== 'no_data') throw invalid("without a status of 'ok' or 'no_data'");
  for (const k of ['planUnits', 'goodUnits'] as const) {
    if (typeof body[k] !== 'number' || !Number.isFinite(body[k])) throw invalid(`without a number '${k}'`);
  }
  if (!Array.isArray(body.losses)) throw invalid("without 'losses'");
  if (!Array.isArray(body.shortages)) throw invalid("without 'shortages'");
  const b = body.bottleneck as { stations?: unknown; timeline?: unknown } | undefined;
  if (typeof b !== 'object' || b === null || !Array.isArray(b.stations) || !Array.isArray(b.timeline)) throw invalid("without 'bottleneck.stations' and 'bottleneck.timeline'");
  const known = new Set<string>(LOSS_KINDS);
  for (const t of body.losses as unknown[]) {
    const term = t as Partial<LossTerm> | null;
    if (typeof term?.units !== 'number' || !known.has(String(term.cause?.kind))) throw invalid('with a loss term of unknown kind or without units');
  }
}

/** `GET /api/v1/losses`. A term without `episodes` (an older collector) gets an empty list. */
export async function fetchLosses(q: HistoryQuery, fetchFn: FetchLike = globalThis.fetch, base = '', signal?: AbortSignal): Promise<LossReport> {
  const body = await getJson(fetchFn, lossesUrl(q, base), signal);
  expectReport(body);
  return { ...body, losses: body.losses.map((t) => ({ ...t, episodes: Array.isArray(t.episodes) ? t.episodes : [] })) };
}
