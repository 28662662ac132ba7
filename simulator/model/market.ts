/**
 * What surrounds the line: partners whose deliveries feed the stations they supply,
 * the ERP's order book, and the output reported for the industry cluster.
 * These run on the calendar of the world, not of the shift: deliveries and
 * orders arrive at night too.
 */
import { zoneOffsetMs } from '../../core/time/zone';
import type { PartnerStatus } from '../../core/events';
import type { ProcessBody } from '../engine/environment';
import { RandomStream } from '../engine/random';
import { Container } from '../engine/resources';
import type { Line } from './line';
import type { PartnerSpec, ScenarioPartner } from './scenario';

/** A delivery later than this counts as late for the on-time rate and the `late` status, seconds. */
const LATE_AFTER_SECONDS = 15 * 60;
/** The scenario's onTimeRate counts as this many earlier deliveries. */
const PRIOR_DELIVERIES = 100;

/** One partner's parts at the line and its delivery schedule. */
export class PartnerSupply {
  readonly stock: Container;
  deliveries = 0;
  onTime = 0;
  /** Simulated second the next delivery is due, and whether it is overdue now. */
  nextDue: number;
  private readonly rng: RandomStream;

  constructor(
    readonly line: Line,
    readonly spec: ScenarioPartner,
    seed: number,
  ) {
    this.stock = new Container(line.env, spec.initialStock);
    this.rng = new RandomStream(seed, `partner/${spec.id}`);
    this.nextDue = spec.deliveryEveryHours * 3600;
  }

  get id(): string {
    return this.spec.id;
  }

  /** Id of the station that takes one of these parts for every unit. */
  get station(): string {
    return this.spec.station;
  }

  /** The disruption in force at simulated second `t`, if any. */
  disruptionAt(t: number): PartnerSpec['disruptions'][number] | undefined {
    return this.spec.disruptions.find((d) => t >= d.fromHours * 3600 && t < d.toHours * 3600);
  }

  *deliveriesProcess(): ProcessBody {
    const env = this.line.env;
    for (let k = 1; ; k += 1) {
      const due = k * this.spec.deliveryEveryHours * 3600;
      this.nextDue = due;
      const disruption = this.disruptionAt(due);
      const late = this.spec.meanDelaySeconds > 0 ? this.rng.exponential(this.spec.meanDelaySeconds) : 0;
      // Deliveries due during a disruption come when it ends; one late truck delays the ones behind it.
      const arrival = Math.max(env.now, disruption ? disruption.toHours * 3600 + late : due + late);
      yield arrival - env.now;
      this.deliveries += 1;
      if (arrival - due <= LATE_AFTER_SECONDS) this.onTime += 1;
      const room = this.spec.maxStock === undefined ? Infinity : Math.max(0, this.spec.maxStock - this.stock.level);
      this.stock.put(Math.min(this.spec.lotSize, room));
    }
  }

  /** Status as the partner portal would show it. */
  status(): { status: PartnerStatus; inventoryHours: number; onTimeRate: number; note?: string } {
    const now = this.line.env.now;
    const inventoryHours = round(this.stock.level / this.line.scenario.targetPerHour, 2);
    const onTimeRate = round((this.spec.onTimeRate * PRIOR_DELIVERIES + this.onTime) / (PRIOR_DELIVERIES + this.deliveries), 4);
    const disruption = this.disruptionAt(now);
    const overdue = now > this.nextDue + LATE_AFTER_SECONDS;
    let status: PartnerStatus = 'ok';
    if (disruption && this.stock.level === 0) status = 'down';
    else if (disruption || overdue) status = 'late';
    else if (inventoryHours < this.spec.riskHours) status = 'at_risk';
    const note = disruption?.note;
    return note === undefined ? { status, inventoryHours, onTimeRate } : { status, inventoryHours, onTimeRate, note };
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Months of output history reported at the start of a run. */
const BACKFILL_MONTHS = 12;

/** The month `back` months before `period` (`YYYY-MM`). */
export function monthBefore(period: string, back: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Days in the month `YYYY-MM`. */
function daysInMonth(period: string): number {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Local month `YYYY-MM` of an instant in a time zone. */
export function localMonth(ms: number, timeZone: string): string {
  const d = new Date(ms + zoneOffsetMs(ms, timeZone));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Hours from the start of the local month to `ms`. */
function hoursIntoMonth(ms: number, timeZone: string): number {
  const offset = zoneOffsetMs(ms, timeZone);
  const local = new Date(ms + offset);
  const monthStartLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1);
  return (ms + offset - monthStartLocal) / 3_600_000;
}

/** Starts the partner deliveries and the orders, partner and output reports. */
export function startMarket(line: Line, seed: number): void {
  const env = line.env;
  const scenario = line.scenario;

  for (const partner of line.partners) env.process(`deliveries ${partner.id}`, partner.deliveriesProcess());

  if (line.partners.length > 0) {
    env.process('partner reports', (function* (): ProcessBody {
      const every = Math.min(...line.partners.map((p) => p.spec.statusEveryMinutes)) * 60;
      for (;;) {
        for (const partner of line.partners) line.emit({ type: 'partner', ...line.stamp(), partner: partner.id, ...partner.status() });
        yield every;
      }
    })());
  }

  const ordersRng = new RandomStream(seed, 'market/orders');
  env.process('orders', (function* (): ProcessBody {
    let total = scenario.orders.initial;
    const every = scenario.orders.everyMinutes * 60;
    for (;;) {
      line.emit({ type: 'orders', ...line.stamp(), total });
      yield every;
      total += ordersRng.poisson((scenario.orders.perHour * every) / 3600);
    }
  })());

  const outputRng = new RandomStream(seed, 'market/output');
  env.process('output reports', (function* (): ProcessBody {
    const { everyHours, plantEntity, unitValueYuan, entities } = scenario.output;
    const zone = scenario.timeZone;
    // Month-to-date before the run: each member at its mean rate; the plant at the target rate over the planned share of a week.
    const plannedShare = line.calendar.plannedSeconds(0, 7 * 86_400) / (7 * 86_400);
    const elapsed = hoursIntoMonth(line.nowMs, zone);
    let month = localMonth(line.nowMs, zone);
    let plantOpening = elapsed * scenario.targetPerHour * plannedShare * unitValueYuan;
    let unitsAtMonthStart = line.goodUnits;
    const values = new Map(entities.map((e) => [e.id, e.yuanPerHour * elapsed]));
    // The twelve months before the run, reported once at the start at each member's mean rate (the plant at
    // its target over its planned share), so year-to-date and the run rate have a history to stand on.
    for (let back = BACKFILL_MONTHS; back >= 1; back -= 1) {
      const period = monthBefore(month, back);
      const hours = daysInMonth(period) * 24;
      line.emit({ type: 'output', ...line.stamp(), entity: plantEntity, period, value: Math.round(hours * scenario.targetPerHour * plannedShare * unitValueYuan) });
      for (const e of entities) line.emit({ type: 'output', ...line.stamp(), entity: e.id, period, value: Math.round(e.yuanPerHour * hours) });
    }
    let lastAt = env.now;
    for (;;) {
      const thisMonth = localMonth(line.nowMs, zone);
      const dtHours = (env.now - lastAt) / 3600;
      lastAt = env.now;
      if (thisMonth !== month) {
        // A new month starts from zero; this report covers the hours since its first midnight.
        month = thisMonth;
        plantOpening = 0;
        unitsAtMonthStart = line.goodUnits;
        const into = hoursIntoMonth(line.nowMs, zone);
        for (const e of entities) values.set(e.id, e.yuanPerHour * into);
      } else {
        for (const e of entities) {
          const noise = dtHours > 0 ? outputRng.lognormal(1, 0.1) : 1;
          values.set(e.id, (values.get(e.id) ?? 0) + e.yuanPerHour * dtHours * noise);
        }
      }
      const plant = Math.round(plantOpening + (line.goodUnits - unitsAtMonthStart) * unitValueYuan);
      line.emit({ type: 'output', ...line.stamp(), entity: plantEntity, period: month, value: plant });
      for (const e of entities) {
        line.emit({ type: 'output', ...line.stamp(), entity: e.id, period: month, value: Math.round(values.get(e.id) ?? 0) });
      }
      yield everyHours * 3600;
    }
  })());
}
