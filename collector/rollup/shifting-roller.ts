/**
 * Keeps the closed hours' shifting-bottleneck pieces (`shifting_hour`, core/kpi/shifting-pieces.ts)
 * in step with the raw state events, beside the hour summaries (the HourRoller calls it):
 *  - an hour is rolled when it closes; one whose deciding period is still open at the line's clock
 *    is stored `pending` and tried again at later ticks (at most once a minute of the line's clock
 *    when nothing else is rolled) until it is `final`;
 *  - at start every closed hour without a row, with a row of another SHIFTING_VERSION or a pending
 *    one is rolled (a restart resumes: each read's rows are written before the next is read);
 *  - a state event stored after its hour was rolled (a late one, at t) re-rolls every stored row
 *    whose window meets `[t, t']` (t' the station's next state event, or now) and the hour holding t;
 *  - one read of the line's state events covers many hours (their span ± 12 h, with each station's
 *    state before it); an hour whose window reaches the read's edge (`short`) is read again wider,
 *    up to the reach, and is stored as an `unrollable` marker past it.
 *
 * Beside each hour's shifting piece it rolls the hour's loss pieces (core/loss/loss-pieces.ts) from the
 * same read: one `loss_hour` row per station as the constraint (time charges per cause, productive ms,
 * the kept episode parts named by the momentary bottleneck over the hour's shifting window) and one
 * `loss_line_hour` row (the charge window, the partner-starved segments, whether any state is known).
 * An hour's loss rows are final only when its shifting piece is and its charge window (at most one
 * ideal takt past the hour) is settled; otherwise only the line row is written, as a `pending` or
 * `unrollable` marker (a read uses constraint rows only under a final line row). The start-up check,
 * late events and pending retries treat a missing, pending or other-LOSS_VERSION line row as they
 * treat a shifting row, and a late event also re-rolls the hours whose charge window it meets.
 */
import { lineCalendar, plannedIntervals } from '../../core/calendar/calendar';
import type { StateEvent, StationEvent } from '../../core/events';
import { shiftingTimelines } from '../../core/kpi/line-kpis';
import { DEFAULT_SHIFTING_PIECE_OPTIONS, rollShiftingPieces, type RolledPiece } from '../../core/kpi/shifting-pieces';
import { taktTargetSeconds } from '../../core/kpi/throughput';
import { chargeWindow } from '../../core/loss/charge-pieces';
import { lossLinePiece, lossPieces, momentaryStretches } from '../../core/loss/loss-pieces';
import type { LineConfig } from '../../core/plant';
import { startOfLocalHour } from '../../core/time/zone';
import { LOSS_VERSION, SHIFTING_VERSION, type LossHour, type LossLineHour, type ShiftingHour } from '../influx/points';
import type { EventStore } from '../influx/store';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Read this far either side of the hours rolled first; p95 of the windows is under 3 h on `reference`. */
const MARGIN_MS = 12 * HOUR_MS;
/** Pending hours are tried again at most this often when nothing else is rolled, ms of the line's clock. */
const PENDING_RETRY_MS = 60_000;

export interface ShiftingRollerOptions {
  store: Pick<EventStore, 'reads' | 'writeShiftingHours' | 'writeLossHours'>;
  lines: readonly LineConfig[];
  log: (message: string) => void;
  /** How far a window may reach beyond its hour and the hour still be stored, ms. @default 7 days */
  maxReachMs?: number;
  /** Hours rolled from one read of states at most. @default 48 */
  chunkHours?: number;
  /** Hours the start-up check compares per step (one progress line each). @default 720 */
  backfillStepHours?: number;
}

/** The rows of the rolled pieces. */
function rowOf(line: string, r: RolledPiece): ShiftingHour {
  if (r.status === 'final') {
    const p = r.piece;
    return { line, start: p.start, end: p.end, status: 'final', window: { ...p.window }, plannedMs: p.plannedMs, stations: p.stations.map((s) => ({ ...s })), version: SHIFTING_VERSION };
  }
  return { line, start: r.start, end: r.end, status: r.status === 'unrollable' ? 'unrollable' : 'pending', window: { ...r.window.window }, plannedMs: 0, stations: [], version: SHIFTING_VERSION };
}

/** One hour rolled: its shifting row (null while short), its loss rows (none but for a final hour) and the line's loss row (null while short). */
interface HourRoll {
  start: number;
  short: boolean;
  shifting: ShiftingHour | null;
  losses: LossHour[];
  lossLine: LossLineHour | null;
}

export class ShiftingRoller {
  private readonly lines: Map<string, LineConfig>;
  /** Hours stored `pending` (or not rolled for a failure), per line: tried again at the next tick. */
  private readonly pending = new Map<string, Set<number>>();
  /** State events stored after a roll that read up to a later instant, per line. */
  private readonly late = new Map<string, StateEvent[]>();
  /** The latest clock a roll read up to, per line: a state event before it may change stored rows. */
  private readonly rolledAt = new Map<string, number>();
  /** When the pending hours were last tried, per line (the line's clock). */
  private readonly pendingTriedAt = new Map<string, number>();
  /** End of the newest closed hour rolled, per line. */
  private readonly rolledTo = new Map<string, number>();
  private readonly maxReach: number;
  private readonly chunkHours: number;
  private readonly stepHours: number;

  constructor(private readonly options: ShiftingRollerOptions) {
    this.lines = new Map(options.lines.map((l) => [l.id, l]));
    this.maxReach = options.maxReachMs ?? DEFAULT_SHIFTING_PIECE_OPTIONS.maxReachMs;
    this.chunkHours = options.chunkHours ?? 48;
    this.stepHours = options.backfillStepHours ?? 720;
  }

  /** Events InfluxDB confirmed: a state event before what was rolled re-rolls the rows it may change at the next tick. */
  stored(events: readonly StationEvent[]): void {
    for (const e of events) {
      if (e.type !== 'state') continue;
      const at = this.rolledAt.get(e.line);
      if (at === undefined || e.ts > at) continue;
      const list = this.late.get(e.line) ?? [];
      list.push(e);
      this.late.set(e.line, list);
    }
  }

  /** The hours that closed since the last tick, the pending ones and those late events may change; returns how many were rolled. */
  async tick(line: LineConfig, closedTo: number, now: number): Promise<number> {
    const hours = new Set<number>();
    for (let h = this.rolledTo.get(line.id) ?? closedTo - HOUR_MS; h < closedTo; h += HOUR_MS) hours.add(h);
    const late = this.late.get(line.id) ?? [];
    // Pending hours (a read of the hours before now each) once a minute of the line's clock, or with other work.
    const last = this.pendingTriedAt.get(line.id);
    if (hours.size > 0 || late.length > 0 || last === undefined || now - last >= PENDING_RETRY_MS || now < last) {
      for (const h of this.pending.get(line.id) ?? []) hours.add(h);
      this.pendingTriedAt.set(line.id, now);
    }
    this.late.delete(line.id);
    try {
      for (const h of await this.lateHours(line, late, now)) if (h < closedTo) hours.add(h);
      const rolled = await this.roll(line, [...hours].filter((h) => h < closedTo), now);
      this.rolledTo.set(line.id, Math.max(this.rolledTo.get(line.id) ?? 0, closedTo));
      return rolled;
    } catch (error) {
      // InfluxDB away: these hours and late events again next tick.
      const retry = this.pending.get(line.id) ?? new Set<number>();
      for (const h of hours) if (h < closedTo) retry.add(h);
      this.pending.set(line.id, retry);
      this.late.set(line.id, [...late, ...(this.late.get(line.id) ?? [])]);
      throw error;
    }
  }

  /**
   * At start: the closed hours of `[from, to)` without a row, with a row of another version or a
   * pending one. Logs its progress; returns the hours rolled.
   */
  async backfill(line: LineConfig, from: number, to: number, now: number, stopped: () => boolean): Promise<number> {
    const days = Math.ceil((to - from) / DAY_MS);
    let rolled = 0;
    for (let start = from; start < to && !stopped(); start += this.stepHours * HOUR_MS) {
      const end = Math.min(to, start + this.stepHours * HOUR_MS);
      const [shifting, losses] = await Promise.all([this.options.store.reads.shiftingHours(line.id, start, end, false), this.options.store.reads.lossLineHours(line.id, start, end, false)]);
      const stored = new Map(shifting.map((r) => [r.start, r]));
      const lossRows = new Map(losses.map((r) => [r.start, r]));
      const stale: number[] = [];
      for (let h = start; h < end; h += HOUR_MS) {
        const r = stored.get(h);
        const l = lossRows.get(h);
        if (!r || r.version !== SHIFTING_VERSION || r.status === 'pending' || !l || l.version !== LOSS_VERSION || l.status === 'pending') stale.push(h);
      }
      rolled += await this.roll(line, stale, now);
      this.options.log(`collector: shifting-bottleneck pieces of line ${line.id}: checked ${Math.ceil((end - from) / DAY_MS)} of ${days} days, ${rolled} hours rolled`);
    }
    if (!stopped()) this.rolledTo.set(line.id, Math.max(this.rolledTo.get(line.id) ?? 0, to));
    return rolled;
  }

  /**
   * The closed hours late state events may change: those holding them, and every stored row whose
   * window meets `[t, t']`, t' being the station's next state event after t (or now when it has none
   * within a day).
   */
  private async lateHours(line: LineConfig, late: readonly StateEvent[], now: number): Promise<Set<number>> {
    const out = new Set<number>();
    const sorted = [...late].sort((a, b) => a.ts - b.ts);
    let i = 0;
    while (i < sorted.length) {
      // Events within a day of each other share one read.
      let j = i + 1;
      while (j < sorted.length && (sorted[j] as StateEvent).ts - (sorted[j - 1] as StateEvent).ts < DAY_MS) j += 1;
      const group = sorted.slice(i, j);
      i = j;
      const lo = (group[0] as StateEvent).ts;
      const hi = Math.min(now, (group.at(-1) as StateEvent).ts + DAY_MS);
      const { events } = await this.options.store.reads.lineEvents(line, lo, Math.max(hi, lo + 1), ['state']);
      const spans = group.map((e) => {
        const next = events.filter((x) => x.type === 'state' && x.station === e.station && x.ts > e.ts).reduce((m, x) => Math.min(m, x.ts), Infinity);
        return { start: e.ts, end: Number.isFinite(next) ? next : Math.max(now, e.ts) };
      });
      for (const e of group) out.add(startOfLocalHour(e.ts, line.timeZone));
      const until = spans.reduce((m, s) => Math.max(m, s.end), lo);
      // A row's window lies within the reach of its hour.
      const [rows, lossRows] = await Promise.all([
        this.options.store.reads.shiftingHours(line.id, lo - this.maxReach - HOUR_MS, until + this.maxReach + 1, false),
        // A loss row's charge window lies within an ideal takt past its hour.
        this.options.store.reads.lossLineHours(line.id, lo - this.maxReach - HOUR_MS, until + this.maxReach + 1, false),
      ]);
      for (const r of [...rows, ...lossRows]) if (spans.some((s) => r.window.start <= s.end && r.window.end >= s.start)) out.add(r.start);
    }
    return out;
  }

  /** Rolls the given hours: one read per run of up to `chunkHours`, wider reads for the short ones. */
  private async roll(line: LineConfig, hours: readonly number[], now: number): Promise<number> {
    const sorted = [...new Set(hours)].sort((a, b) => a - b);
    if (sorted.length === 0) return 0;
    this.rolledAt.set(line.id, Math.max(this.rolledAt.get(line.id) ?? -Infinity, now));
    const pending = this.pending.get(line.id) ?? new Set<number>();
    this.pending.set(line.id, pending);
    let i = 0;
    while (i < sorted.length) {
      const first = sorted[i] as number;
      const run: { start: number; end: number }[] = [];
      while (i < sorted.length && (sorted[i] as number) < first + this.chunkHours * HOUR_MS) {
        const h = sorted[i] as number;
        run.push({ start: h, end: h + HOUR_MS });
        i += 1;
      }
      let todo = run;
      let margin = Math.min(MARGIN_MS, this.maxReach);
      const rows: ShiftingHour[] = [];
      const lossRows: LossHour[] = [];
      const lossLines: LossLineHour[] = [];
      while (todo.length > 0) {
        const results = await this.rollRun(line, todo, margin, now, margin >= this.maxReach);
        const short = new Set(results.flatMap((r) => (r.short ? [r.start] : [])));
        for (const r of results) {
          if (r.short) continue;
          if (r.shifting) rows.push(r.shifting);
          if (r.lossLine) lossLines.push(r.lossLine);
          lossRows.push(...r.losses);
        }
        todo = todo.filter((h) => short.has(h.start));
        // Twice as far each time; at the reach a window still at the edge is past it (unrollable).
        margin = Math.min(2 * margin, this.maxReach);
      }
      for (const r of lossLines) {
        const shifting = rows.find((x) => x.start === r.start);
        if (r.status === 'pending' || shifting?.status === 'pending') pending.add(r.start);
        else pending.delete(r.start);
      }
      // The loss rows first: a shifting row read without its hour's loss rows is rolled again at start.
      await this.options.store.writeLossHours(lossRows, lossLines);
      await this.options.store.writeShiftingHours(rows);
    }
    return sorted.length;
  }

  /**
   * The shifting and loss pieces of `hours` from one read of the line's state events over them ±
   * `margin` (up to now). `last`: the widest read (a charge window still at its edge is unrollable).
   */
  private async rollRun(line: LineConfig, hours: readonly { start: number; end: number }[], margin: number, now: number, last: boolean): Promise<HourRoll[]> {
    const first = hours[0] as { start: number };
    const end = (hours.at(-1) as { end: number }).end;
    const known = { start: first.start - margin, end: Math.min(now, end + margin) };
    const { events, initialStates } = await this.options.store.reads.lineEvents(line, known.start, known.end, ['state']);
    // The same timelines as the loss waterfall's (core/loss/waterfall.ts lossTimelines: one event per station, state and instant).
    const timelines = shiftingTimelines(line, events, known.start, known.end, (ts) => ts < known.end && ts <= now, initialStates);
    const planned = plannedIntervals(lineCalendar(line), known.start, known.end);
    const shifting = rollShiftingPieces(timelines, hours, { known, now, planned, maxReachMs: this.maxReach });
    const stationIds = line.stations.map((s) => s.id);
    const idealTakt = taktTargetSeconds(line.targetPerHour);
    return shifting.map((r, i) => {
      const hour = hours[i] as { start: number; end: number };
      const base = { line: line.id, start: hour.start, end: hour.end, version: LOSS_VERSION };
      if (r.status === 'short') return { start: hour.start, short: true, shifting: null, losses: [], lossLine: null };
      const charge = chargeWindow(timelines, hour, idealTakt, { known });
      const marker = (status: LossLineHour['status']): HourRoll => ({
        start: hour.start,
        short: false,
        shifting: rowOf(line.id, r),
        losses: [],
        lossLine: { ...base, status, window: charge.window, known: false, starved: [] },
      });
      if (r.status === 'unrollable') return marker('unrollable');
      if (charge.status === 'short') {
        // At the line's clock the idle segment may still grow; before it the read was too narrow.
        if (known.end >= now) return marker('pending');
        if (!last) return { start: hour.start, short: true, shifting: null, losses: [], lossLine: null };
        return marker('unrollable');
      }
      if (r.status !== 'final') return marker('pending');
      const stretches = momentaryStretches(timelines, r.piece.window);
      const losses = lossPieces({ stationIds, timelines, planned, idealTakt }, hour, charge.window, stretches, stationIds).map(({ piece }) => ({
        ...base,
        constraint: piece.constraint as string,
        status: 'final' as const,
        window: piece.window,
        charges: piece.charges,
        productiveMs: piece.productiveMs,
      }));
      const linePiece = lossLinePiece(timelines, hour);
      return { start: hour.start, short: false, shifting: rowOf(line.id, r), losses, lossLine: { ...base, status: 'final', window: charge.window, known: linePiece.known, starved: linePiece.starved } };
    });
  }
}
