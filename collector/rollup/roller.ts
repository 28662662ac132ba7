/**
 * Keeps the closed hours' summaries (`rollup_hour`) in step with the raw
 * events. An hour is rolled when it closes on the line's clock, again when an
 * event that belongs to it is stored later (a late event, a replay), and at
 * start every hour since the line's first event that has no summary or whose
 * summary no longer matches the raw counts (a restart resumes where it
 * stopped). A production day's summary (`rollup_production_day`, `dayStart`
 * to `dayStart` on the line's calendar) is built from its hours' once the day
 * closes, a production week's (`rollup_production_week`, Monday's dayStart to
 * the next Monday's) from its days' once the week closes, and both again
 * whenever one of their hours is rolled. Rolling is idempotent: a summary is
 * one point per span and series, so rolling it twice overwrites it. The
 * hours' shifting-bottleneck pieces (`shifting_hour`) are rolled beside them
 * by collector/rollup/shifting-roller.ts.
 */
import { taktTargetSeconds } from '../../core/kpi/throughput';
import { lineCalendar, plannedIntervals } from '../../core/calendar/calendar';
import { ROLLUP_VERSION, summariseHours } from '../../core/kpi/hour-summary';
import { constraintCyclesOfPiece, emptyConstraintCycles, lossesOfPiece } from '../../core/kpi/loss-rollup';
import { isRollupDay, mergeDay, rollupDayOf, rollupWeekOf } from '../../core/kpi/day-rollup';
import type { StationEvent } from '../../core/events';
import type { InitialState } from '../../core/kpi/states';
import { plantReasons, type LineConfig, type PlantConfig } from '../../core/plant';
import { startOfLocalHour } from '../../core/time/zone';
import type { EventStore } from '../influx/store';
import { ShiftingRoller, type ShiftingRollerOptions } from './shifting-roller';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Days whose hours are read back at once to build their summaries. */
const DAYS_PER_READ = 7;

export interface HourRollerOptions {
  store: Pick<EventStore, 'reads' | 'writeRollups' | 'writeShiftingHours' | 'writeLossHours'>;
  plant: PlantConfig;
  /** The instant a line's numbers are for: hours before its hour are closed. */
  lineNow: (line: string) => number;
  log?: (message: string) => void;
  /** Hours read from InfluxDB and summarised at once. @default 24 */
  chunkHours?: number;
  /** Hours the start-up check compares per step (one progress line each). @default 720 */
  backfillStepHours?: number;
  /** The shifting-bottleneck pieces' reach and read size (collector/rollup/shifting-roller.ts). */
  shifting?: Pick<ShiftingRollerOptions, 'maxReachMs' | 'chunkHours'>;
}

export class HourRoller {
  private readonly lines: Map<string, LineConfig>;
  /** Hours (their start) with events stored after they were rolled, per line. */
  private readonly dirty = new Map<string, Set<number>>();
  /** End of the newest closed hour rolled, per line. */
  private readonly rolledTo = new Map<string, number>();
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly log: (message: string) => void;
  private readonly chunkHours: number;
  private readonly stepHours: number;
  /** The closed hours' shifting-bottleneck pieces, rolled beside the summaries. */
  private readonly shifting: ShiftingRoller;
  /** The stop-record threshold the stations' stops are summarised for (reasons config): a summary of another is rolled again at start. */
  private readonly stopThreshold: number;

  constructor(private readonly options: HourRollerOptions) {
    this.lines = new Map(options.plant.lines.map((l) => [l.id, l]));
    this.log = options.log ?? ((m) => console.log(m));
    this.chunkHours = options.chunkHours ?? 24;
    this.stepHours = options.backfillStepHours ?? 720;
    this.shifting = new ShiftingRoller({ store: options.store, lines: options.plant.lines, log: this.log, backfillStepHours: this.stepHours, ...options.shifting });
    this.stopThreshold = plantReasons(options.plant).thresholdSeconds;
  }

  /** Events InfluxDB confirmed: the hours they land in are rolled (again) once closed. */
  stored(events: readonly StationEvent[]): void {
    this.shifting.stored(events);
    for (const e of events) {
      if (e.type !== 'unit' && e.type !== 'cycle' && e.type !== 'state') continue;
      const line = this.lines.get(e.line);
      if (!line) continue;
      const hours = this.dirty.get(line.id) ?? new Set<number>();
      hours.add(startOfLocalHour(e.ts, line.timeZone));
      this.dirty.set(line.id, hours);
    }
  }

  /** Rolls the hours that closed since the last tick and the closed hours late events landed in; returns how many. */
  tick(): Promise<number> {
    return this.serial(async () => {
      let rolled = 0;
      for (const line of this.lines.values()) {
        if (this.stopped) break;
        const closedTo = startOfLocalHour(this.options.lineNow(line.id), line.timeZone);
        const hours = new Set<number>();
        const dirty = this.dirty.get(line.id);
        for (const h of dirty ?? []) if (h < closedTo) hours.add(h);
        // The first tick rolls the hour that just closed; the start-up backfill takes care of the ones before it.
        for (let h = this.rolledTo.get(line.id) ?? closedTo - HOUR_MS; h < closedTo; h += HOUR_MS) hours.add(h);
        for (const h of hours) dirty?.delete(h);
        try {
          rolled += await this.rollHours(line, [...hours]);
          await this.rollDays(line, [...hours], closedTo);
          await this.shifting.tick(line, closedTo, this.options.lineNow(line.id));
        } catch (error) {
          // InfluxDB away: try these hours again next tick.
          for (const h of hours) this.markDirty(line.id, h);
          throw error;
        }
        this.rolledTo.set(line.id, Math.max(this.rolledTo.get(line.id) ?? 0, closedTo));
      }
      return rolled;
    });
  }

  /**
   * At start: every closed hour since each line's first event that has no
   * summary, or whose units, cycles or state events differ from the raw
   * ones. Logs its progress; returns the hours rolled.
   */
  backfill(): Promise<number> {
    return this.serial(async () => {
      let total = 0;
      for (const line of this.lines.values()) {
        const first = await this.options.store.reads.firstEventAt(line.id);
        if (first === null) continue;
        const from = startOfLocalHour(first, line.timeZone);
        const to = startOfLocalHour(this.options.lineNow(line.id), line.timeZone);
        const days = Math.ceil((to - from) / DAY_MS);
        let rolled = 0;
        for (let start = from; start < to && !this.stopped; start += this.stepHours * HOUR_MS) {
          const end = Math.min(to, start + this.stepHours * HOUR_MS);
          const [stored, activity] = await Promise.all([
            this.options.store.reads.rollups(line.id, start, end),
            this.options.store.reads.hourActivity(line, start, end),
          ]);
          const byHour = new Map(stored.map((r) => [r.start, r]));
          const stale: number[] = [];
          for (let h = start; h < end; h += HOUR_MS) {
            const r = byHour.get(h);
            const a = activity.get(h) ?? { units: 0, cycles: 0, states: 0 };
            const cycles = r?.stations.reduce((n, s) => n + s.cycles.count, 0);
            if (!r || r.version !== ROLLUP_VERSION || r.stopThresholdSeconds !== this.stopThreshold || r.units !== a.units || cycles !== a.cycles || r.stateEvents !== a.states) stale.push(h);
          }
          rolled += await this.rollHours(line, stale);
          // Days: those holding an hour just rolled, and those whose summary is missing, old or no longer adds up to the raw counts.
          const cal = lineCalendar(line);
          const storedDays = await this.options.store.reads.rollups(line.id, rollupDayOf(cal, start).start, end, 'line', 'day');
          // A summary of another span (built before dayStart changed) is not the day's: it is built again.
          const dayBy = new Map(storedDays.map((d) => [`${d.start}|${d.end}`, d]));
          const check = new Set(stale);
          for (let d = rollupDayOf(cal, start); d.start < end; d = rollupDayOf(cal, d.end)) {
            let units = 0;
            let states = 0;
            for (const [h, a] of activity) {
              if (h < d.start || h >= d.end) continue;
              units += a.units;
              states += a.states;
            }
            const day = dayBy.get(`${d.start}|${d.end}`);
            if (!day || day.version !== ROLLUP_VERSION || day.stopThresholdSeconds !== this.stopThreshold || (d.end <= end && (day.units !== units || day.stateEvents !== states))) check.add(d.start);
          }
          await this.rollDays(line, [...check], to);
          // Weeks missing or old (those holding a day just built were built again with it).
          const storedWeeks = await this.options.store.reads.rollups(line.id, rollupWeekOf(cal, start).start, end, 'line', 'week');
          const weekBy = new Map(storedWeeks.map((w) => [`${w.start}|${w.end}`, w]));
          const weeks: number[] = [];
          for (let w = rollupWeekOf(cal, start); w.start < end; w = rollupWeekOf(cal, w.end)) {
            const week = weekBy.get(`${w.start}|${w.end}`);
            if (!week || week.version !== ROLLUP_VERSION || week.stopThresholdSeconds !== this.stopThreshold) weeks.push(w.start);
          }
          await this.rollWeeks(line, weeks, to);
          this.log(`collector: rollups of line ${line.id}: checked ${Math.ceil((end - from) / DAY_MS)} of ${days} days, ${rolled} hours rolled`);
        }
        total += rolled;
        if (this.stopped) break;
        await this.shifting.backfill(line, from, to, this.options.lineNow(line.id), () => this.stopped);
        if (this.stopped) break;
        this.rolledTo.set(line.id, Math.max(this.rolledTo.get(line.id) ?? 0, to));
      }
      return total;
    });
  }

  /** Stops rolling (the backfill after its current step); resolves when the roll under way is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** Resolves when the roll under way (if any) is done. */
  async idle(): Promise<void> {
    await this.running.catch(() => undefined);
  }

  private markDirty(line: string, hour: number): void {
    const hours = this.dirty.get(line) ?? new Set<number>();
    hours.add(hour);
    this.dirty.set(line, hours);
  }

  /**
   * Rebuilds the summaries of the production days holding `hours` that closed by
   * `closedTo`, from their hours' summaries (a day missing an hour is left
   * out, and read from its hours).
   */
  private async rollDays(line: LineConfig, hours: readonly number[], closedTo: number): Promise<void> {
    const days = new Map<number, { start: number; end: number }>();
    const cal = lineCalendar(line);
    for (const h of hours) {
      const d = rollupDayOf(cal, h);
      // A day that does not start on a clock hour (dayStart 06:30) is not made of hour summaries: its hours are read.
      const whole = startOfLocalHour(d.start, line.timeZone) === d.start && startOfLocalHour(d.end, line.timeZone) === d.end;
      if (d.end <= closedTo && whole) days.set(d.start, d);
    }
    const sorted = [...days.values()].sort((a, b) => a.start - b.start);
    for (let i = 0; i < sorted.length; i += DAYS_PER_READ) {
      const run = sorted.slice(i, i + DAYS_PER_READ);
      const from = (run[0] as { start: number }).start;
      const to = (run.at(-1) as { end: number }).end;
      const [full, losses] = await Promise.all([
        this.options.store.reads.rollups(line.id, from, to, 'stations'),
        this.options.store.reads.rollups(line.id, from, to, 'losses'),
      ]);
      const lossBy = new Map(losses.map((r) => [r.start, r.losses]));
      for (const r of full) r.losses = lossBy.get(r.start) ?? null;
      const built = run
        .map((d) => mergeDay(line.id, d, full.filter((r) => r.start >= d.start && r.start < d.end)))
        .filter((d) => d !== null);
      if (built.length > 0) await this.options.store.writeRollups(built, 'day');
    }
    await this.rollWeeks(line, sorted.map((d) => d.start), closedTo);
  }

  /**
   * Rebuilds the summaries of the production weeks holding `days` that closed
   * by `closedTo`, from their days' summaries (a week missing a day is left
   * out, and read from its days).
   */
  private async rollWeeks(line: LineConfig, days: readonly number[], closedTo: number): Promise<void> {
    const cal = lineCalendar(line);
    const weeks = new Map<number, { start: number; end: number }>();
    for (const d of days) {
      const w = rollupWeekOf(cal, d);
      if (w.end <= closedTo) weeks.set(w.start, w);
    }
    for (const w of [...weeks.values()].sort((a, b) => a.start - b.start)) {
      const [full, losses] = await Promise.all([
        this.options.store.reads.rollups(line.id, w.start, w.end, 'stations', 'day'),
        this.options.store.reads.rollups(line.id, w.start, w.end, 'losses', 'day'),
      ]);
      const lossBy = new Map(losses.map((r) => [`${r.start}|${r.end}`, r.losses]));
      const own = full.filter((d) => isRollupDay(cal, d));
      for (const d of own) d.losses = lossBy.get(`${d.start}|${d.end}`) ?? null;
      const built = mergeDay(line.id, w, own);
      if (built) await this.options.store.writeRollups([built], 'week');
    }
  }

  /** Rolls the given hours, reading contiguous runs of at most `chunkHours` at once. */
  private async rollHours(line: LineConfig, hours: number[]): Promise<number> {
    const sorted = [...new Set(hours)].sort((a, b) => a - b);
    let i = 0;
    while (i < sorted.length) {
      const run: { start: number; end: number }[] = [];
      let h = sorted[i] as number;
      while (i < sorted.length && sorted[i] === h && run.length < this.chunkHours) {
        run.push({ start: h, end: h + HOUR_MS });
        h += HOUR_MS;
        i += 1;
      }
      const from = (run[0] as { start: number }).start;
      const to = (run.at(-1) as { end: number }).end;
      const { events, initialStates } = await this.options.store.reads.lineEvents(line, from, to, ['state', 'unit', 'cycle']);
      const rollups = summariseHours({
        line: line.id,
        stations: line.stations.map((s) => s.id),
        hours: run,
        events,
        initialStates,
        taktSeconds: taktTargetSeconds(line.targetPerHour),
        planned: plannedIntervals(lineCalendar(line), from, to),
        stopThresholdSeconds: this.stopThreshold,
      });
      // Each hour's own loss waterfall (states before it are its look-back), for long-range losses.
      // Each hour gets its own events and the stations' states at its start (not the chunk so far: that would be quadratic).
      const byTime = [...events].sort((a, b) => a.ts - b.ts);
      const current = Object.assign(Object.create(null) as Record<string, InitialState>, initialStates);
      let lo = 0;
      for (const r of rollups) {
        while (lo < byTime.length && (byTime[lo] as StationEvent).ts < r.start) lo += 1;
        let hi = lo;
        while (hi < byTime.length && (byTime[hi] as StationEvent).ts < r.end) hi += 1;
        const own = byTime.slice(lo, hi);
        r.losses = lossesOfPiece({ line, events: own, initialStates: { ...current }, from: r.start, to: r.end, now: r.end });
        // And each station's productive cycles were it the constraint: a long read takes speed and micro-stops from the interval's.
        const asConstraint = constraintCyclesOfPiece({ line, events: own, initialStates: { ...current }, from: r.start, to: r.end, now: r.end });
        for (const s of r.stations) s.asConstraint = asConstraint.get(s.station) ?? emptyConstraintCycles();
        for (const e of own) {
          if (e.type !== 'state') continue;
          const was = current[e.station];
          const continues = was && was.state === e.state && (was.reason ?? null) === (e.reason ?? null);
          if (!continues) current[e.station] = { state: e.state, reason: e.reason ?? null, since: e.ts };
        }
        lo = hi;
      }
      await this.options.store.writeRollups(rollups);
    }
    return sorted.length;
  }

  /** One roll at a time: a tick never overlaps the backfill. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.catch(() => undefined).then(work);
    this.running = next;
    return next;
  }
}
