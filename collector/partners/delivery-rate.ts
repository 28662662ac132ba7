/** The line's delivery rate, combined from two typed reads and the line's calendar. */
import { lineCalendar, plannedSeconds } from '../../core/calendar/calendar';
import { DELIVERY_RATE_WINDOW_MS, deliveryRate, type DeliveryRate } from '../../core/kpi/backlog';
import type { LineConfig } from '../../core/plant';
import type { EventReads } from '../influx/reads';

/**
 * The line's delivery rate (core's deliveryRate) from InfluxDB: units from
 * just before its first unit of the trailing window up to `now`, over the
 * calendar's planned time in between.
 */
export async function readDeliveryRate(reads: EventReads, line: LineConfig, now: number): Promise<DeliveryRate> {
  const first = await reads.firstUnitAt(line.id, now - DELIVERY_RATE_WINDOW_MS, now);
  if (first === null) return deliveryRate({ units: 0, plannedSeconds: 0, from: null, to: now });
  // From just before the first unit, so it counts, to now.
  const from = first - 1;
  const units = await reads.countUnits([line.id], from, now);
  return deliveryRate({ units, plannedSeconds: plannedSeconds(lineCalendar(line), from, now), from, to: now });
}
