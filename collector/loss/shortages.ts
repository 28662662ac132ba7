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

/** Every line's shortage episodes in the trailing window up to `now`. */
export async function recentShortages(store: EventStore, plant: PlantConfig, partners: readonly PartnerConfig[], now: number): Promise<ShortageEpisode[]> {
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
