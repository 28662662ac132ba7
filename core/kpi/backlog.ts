/**
 * Orders backlog and the days to clear it at the current rate and calendar.
 *
 * `orders.total` is read as the order book at the snapshot's time: backlog =
 * total − units completed after the snapshot. A caller that knows the units
 * delivered against a cumulative total (all time) passes `deliveredTotal`
 * instead: backlog = total − deliveredTotal.
 */
export interface BacklogInputs {
  /** Latest `orders.total` at or before the evaluation time; null if none was seen. */
  ordersTotal: number | null;
  /** Its ts, epoch ms. */
  ordersAt: number | null;
  /** Units completed after `ordersAt`, up to the evaluation time. */
  unitsSinceOrders: number;
  /** Units delivered in all, when the caller knows it; overrides `unitsSinceOrders`. */
  deliveredTotal: number | null;
  /** Units per planned hour used to project. */
  ratePerPlannedHour: number | null;
  /** Planned production seconds in the coming 7 production days of the calendar. */
  plannedSecondsNext7Days: number;
  /** Working days among them. */
  workingDaysNext7Days: number;
}

export interface BacklogResult extends BacklogInputs {
  /** Orders not yet built (≥ 0); null without an orders snapshot. */
  backlog: number | null;
  /** Units the calendar lets the line build per calendar day at the rate: rate × planned hours per 7 days / 7. */
  unitsPerCalendarDay: number | null;
  /** backlog / unitsPerCalendarDay: calendar days (days off included) to clear it; null if it cannot clear. */
  daysToClear: number | null;
  /** The same in working days: backlog / (rate × planned hours per working day). */
  productionDaysToClear: number | null;
}

export function ordersBacklog(inputs: BacklogInputs): BacklogResult {
  const delivered = inputs.deliveredTotal ?? inputs.unitsSinceOrders;
  const backlog = inputs.ordersTotal === null ? null : Math.max(0, inputs.ordersTotal - delivered);
  const rate = inputs.ratePerPlannedHour;
  const perWeek = rate !== null ? (rate * inputs.plannedSecondsNext7Days) / 3600 : null;
  const unitsPerCalendarDay = perWeek !== null ? perWeek / 7 : null;
  const perWorkingDay = perWeek !== null && inputs.workingDaysNext7Days > 0 ? perWeek / inputs.workingDaysNext7Days : null;
  const clear = (perDay: number | null) => {
    if (backlog === null) return null;
    if (backlog === 0) return 0;
    return perDay !== null && perDay > 0 ? backlog / perDay : null;
  };
  return {
    ...inputs,
    backlog,
    unitsPerCalendarDay,
    daysToClear: clear(unitsPerCalendarDay),
    productionDaysToClear: clear(perWorkingDay),
  };
}

/** The delivery rate days-to-clear is projected with counts units over this trailing window, ms. */
export const DELIVERY_RATE_WINDOW_MS = 7 * 86_400_000;
/** Below this much planned time in the window the delivery rate is not trusted, seconds. */
export const MIN_DELIVERY_RATE_PLANNED_SECONDS = 15 * 60;

/** A line's delivery rate: units per planned hour from its first unit in the trailing window up to `to`. */
export interface DeliveryRate {
  ratePerPlannedHour: number | null;
  /** Start of the window (just before its first unit), epoch ms; null without a unit in it. */
  from: number | null;
  to: number;
  units: number;
  plannedSeconds: number;
}

/**
 * The one delivery rate behind every days-to-clear (`/api/v1/kpi` and
 * `/api/v1/orders`): units ÷ planned hours of the window, null below
 * {@link MIN_DELIVERY_RATE_PLANNED_SECONDS} of planned time or without units.
 */
export function deliveryRate(args: { units: number; plannedSeconds: number; from: number | null; to: number }): DeliveryRate {
  const trusted = args.from !== null && args.plannedSeconds >= MIN_DELIVERY_RATE_PLANNED_SECONDS;
  return { ...args, ratePerPlannedHour: trusted ? args.units / (args.plannedSeconds / 3600) : null };
}
