/**
 * Material-shortage episodes as the collector reads them: the line's events
 * and the partners' reports from InfluxDB, the alert history by core's
 * material-risk rules, the episodes by core's loss accounting.
 */
import { alertHistory, type AlertMark } from '../../core/cluster/material-risk';
import type { PartnerConfig } from '../../core/cluster/registry';
import type { PartnerEvent, StationEvent } from '../../core/events';
import type { ShortageEpisode } from '../../core/loss/types';
import { lossReport } from '../../core/loss/waterfall';
import type { PlantConfig } from '../../core/plant';
import { readLineEvents } from '../history/line-events';
import type { EventStore } from '../influx/store';
import { readPartnerEvents } from '../partners/queries';

/** Partner reports this long before an interval are read, so a shortage knows when its alert was raised, ms. */
export const ALERT_LOOKBACK_MS = 86_400_000;
/** The partner view lists the shortages of this trailing window, ms. */
export const SHORTAGE_WINDOW_MS = 86_400_000;

/** Alert history of the registry's partners from their stored reports. */
export function alertsFrom(partners: readonly PartnerConfig[], events: readonly PartnerEvent[], plant: PlantConfig): Map<string, AlertMark[]> {
  return alertHistory(
    partners,
    events.map((e) => ({ partner: e.partner, ts: e.ts, status: e.status, inventoryHours: e.inventoryHours ?? null, onTimeRate: e.onTimeRate ?? null, note: e.note ?? null })),
    plant,
  );
}

/** Answers reused within the same minute of the line clock: every wall screen asks for the partners once a minute. */
const CACHE_MS = 60_000;
const cache = new WeakMap<EventStore, { key: string; episodes: Promise<ShortageEpisode[]> }>();

/**
 * Every line's shortage episodes in the trailing window up to `now`; the
 * answer for the same store, registry and minute is computed once.
 */
export function recentShortages(store: EventStore, plant: PlantConfig, partners: readonly PartnerConfig[], now: number): Promise<ShortageEpisode[]> {
  const key = `${Math.floor(now / CACHE_MS)}|${plant.lines.map((l) => l.id).join(',')}|${partners.map((p) => p.id).join(',')}`;
  const hit = cache.get(store);
  if (hit && hit.key === key) return hit.episodes;
  const episodes = readShortages(store, plant, partners, now);
  cache.set(store, { key, episodes });
  // A failed read is not kept: the next request tries again.
  episodes.catch(() => {
    if (cache.get(store)?.episodes === episodes) cache.delete(store);
  });
  return episodes;
}

async function readShortages(store: EventStore, plant: PlantConfig, partners: readonly PartnerConfig[], now: number): Promise<ShortageEpisode[]> {
  const from = now - SHORTAGE_WINDOW_MS;
  const reports = await readPartnerEvents(store, from - ALERT_LOOKBACK_MS, now + 1);
  const alerts = alertsFrom(partners, reports, plant);
  const out: ShortageEpisode[] = [];
  for (const line of plant.lines) {
    // States only: an episode is where a station starved for parts; units and cycles do not change it.
    const { events, initialStates } = await readLineEvents(store, line, from, now + 1, ['state']);
    const all: StationEvent[] = [...events, ...reports];
    out.push(...lossReport({ line, events: all, from, to: now + 1, now, initialStates, alerts }).shortages);
  }
  return out;
}
