/**
 * Stop reasons in the collector (docs/reasons.md): stop records computed by
 * core/reasons from the line's state events in InfluxDB (from 2 days on, from
 * the closed hours' stop summaries with raw events at the edges), and people's
 * classifications as `stop_reason` events through the same durable spool as
 * andon's steps; the events are held in memory (rebuilt from InfluxDB and the
 * spool's unwritten ones at start) and are the audit trail.
 */
import { randomBytes } from 'node:crypto';
import type { AuditEntry } from '../../core/andon/types';
import { lineCalendar, plannedIntervals, shiftsBetween } from '../../core/calendar/calendar';
import type { StateEvent, StationEvent, StopReasonEvent } from '../../core/events';
import type { HourRollup } from '../../core/kpi/hour-summary';
import { partnerFromReason } from '../../core/kpi/active-period';
import { stateTimeline, type StateSegment } from '../../core/kpi/states';
import type { PersonConfig } from '../../core/people';
import { plantDefects, plantReasons, type LineConfig } from '../../core/plant';
import { classifyRefusal, type ClassifyRequest, type StopRefusal } from '../../core/reasons/access';
import { uptimeSeconds } from '../../core/reasons/reliability';
import { longStops, type StopPiece, type StopStretch } from '../../core/reasons/stop-rollup';
import { reasonTotals, stopReasonsPart, stopRecords, unclassifiedShare, type StopReasonsPart, type StopRecord, type StopSummary } from '../../core/reasons/stops';
import { readLineEvents, type LineEvents } from '../history/line-events';
import { rollupPlan, ROLLUP_MIN_RANGE_MS } from '../history/long-range';
import { ActionLog, type PeopleActionsDeps } from '../actions/action-log';
import { personActor } from '../actions/actor';

const DAY_MS = 86_400_000;

export class StopReasonError extends Error {
  constructor(readonly refusal: StopRefusal | { status: 404; code: string; message: string }) {
    super(refusal.message);
  }
}

export type StopReasonDeps = PeopleActionsDeps<StopReasonEvent>;

export interface StopsView extends StopSummary {
  line: string;
  from: number;
  to: number;
  unclassifiedShare: number | null;
  byReason: ReturnType<typeof reasonTotals>['byReason'];
  byCategory: ReturnType<typeof reasonTotals>['byCategory'];
}

export class StopReasons {
  private readonly actions: ActionLog<StopReasonEvent>;
  readonly tree;

  constructor(private readonly deps: StopReasonDeps) {
    this.tree = plantReasons(deps.plant);
    this.actions = new ActionLog({ ...deps, type: 'stop_reason', readStored: (since) => deps.store.reads.stopReasonEvents(since), names: { part: 'reasons', events: 'classifications' } });
  }

  /** Durable events in; everything but classifications out (the board's data). */
  observe(events: readonly StationEvent[]): StationEvent[] {
    return this.actions.observe(events);
  }

  start(): Promise<void> {
    return this.actions.start();
  }

  classifications(line: string): StopReasonEvent[] {
    return [...this.actions.values()].filter((e) => e.line === line);
  }

  /** Stop records of a line over [from, to) with their classification, totals and the unclassified share. */
  async stops(line: LineConfig, from: number, to: number, now: number): Promise<StopsView> {
    return (await this.read(line, from, to, now)).view;
  }

  /**
   * The stop summary and the stations' uptime over [from, min(to, now)): a long range (at least
   * ROLLUP_MIN_RANGE_MS) from the closed hours', days' and weeks' stop summaries with raw state events
   * at the edges (core/reasons/stop-rollup.ts), the same as over the whole range's events; a shorter
   * one from `states` when the caller read them already, else from the state events read.
   */
  private async read(line: LineConfig, from: number, to: number, now: number, states?: LineEvents): Promise<{ view: StopsView; uptime: number; end: number }> {
    await this.actions.fresh();
    const end = Math.max(from, Math.min(to, now));
    const planned = plannedIntervals(lineCalendar(line), from, end);
    const base = { line: line.id, planned, tree: this.tree, asOf: end, partnerOf: partnerFromReason, classifications: this.classifications(line.id) };
    let summary: StopSummary;
    let uptime: number;
    if (to - from >= ROLLUP_MIN_RANGE_MS) {
      ({ summary, uptimeSeconds: uptime } = longStops({ ...base, stations: line.stations.map((s) => s.id), from, stretches: await this.stretches(line, from, end) }));
    } else {
      // Events at or after `end` in a caller's read are past the timelines' end, which leaves them out.
      const { events, initialStates } = states ?? (await readLineEvents(this.deps.store, line, from, end, ['state']));
      const timelines = timelinesOf(line, events, from, end, initialStates);
      summary = stopRecords({ ...base, timelines });
      uptime = uptimeSeconds(timelines.values());
    }
    return { view: { line: line.id, from, to, ...summary, unclassifiedShare: unclassifiedShare(summary.records), ...reasonTotals(summary.records, planned) }, uptime, end };
  }

  /**
   * [from, end) as stop summaries of the closed weeks, days and hours rolled for the tree's threshold
   * (collector/history/long-range.ts rollupPlan) and raw timelines of the stretches between them.
   */
  private async stretches(line: LineConfig, from: number, end: number): Promise<StopStretch[]> {
    const reads = this.deps.store.reads;
    const threshold = this.tree.thresholdSeconds;
    const accept = (r: HourRollup) => r.stopThresholdSeconds === threshold && r.stations.every((s) => s.stops);
    const { rollups, raw } = await rollupPlan(reads, line, from, end, 'stops', 'week', accept);
    const rawEvents = await Promise.all(raw.map(([a, b]) => readLineEvents(this.deps.store, line, a, b, ['state'])));
    const out: { start: number; stretch: StopStretch }[] = raw.map(([a, b], i) => {
      const { events, initialStates } = rawEvents[i] as LineEvents;
      return { start: a, stretch: { kind: 'raw', timelines: timelinesOf(line, events, a, b, initialStates) } };
    });
    for (const r of rollups) {
      const stations = new Map<string, StopPiece>();
      for (const s of r.stations) if (s.stops) stations.set(s.station, s.stops);
      out.push({ start: r.start, stretch: { kind: 'piece', stations } });
    }
    out.sort((a, b) => a.start - b.start);
    return out.map((o) => o.stretch);
  }

  /**
   * The `reasons` part of the Pareto, the loss report and /api/v1/kpi. `states`: the line's state events
   * from `from` to at least `min(to, now)` with each station's state before `from`, when the caller has
   * read them already (/api/v1/kpi's short range reads every event once); a long range reads the summaries.
   */
  async part(line: LineConfig, from: number, to: number, now: number, states?: LineEvents): Promise<StopReasonsPart> {
    const { view, uptime, end } = await this.read(line, from, to, now, states);
    const cal = lineCalendar(line);
    const labels = { categories: this.tree.categories, reasons: this.tree.reasons, defects: plantDefects(this.deps.plant) };
    return { ...stopReasonsPart(view, plannedIntervals(cal, from, end), shiftsBetween(cal, from, end), { from, to }, uptime), labels };
  }

  /** Records a person's classification once it is durable; the refusal names its reason. */
  classify(person: PersonConfig, line: LineConfig, stop: string, ask: ClassifyRequest & { note?: string }): Promise<StopRecord> {
    return this.actions.serial(async () => {
      const start = parseStop(stop);
      if (!start || !line.stations.some((s) => s.id === start.station)) {
        throw new StopReasonError({ status: 404, code: 'unknown_stop', message: `stop '${stop.slice(0, 80)}' is not a stop of line ${line.id} (ids look like S05.lq2x9k, from GET /api/v1/stops)` });
      }
      const now = this.deps.lineNow(line.id);
      const view = await this.stops(line, start.at, Math.min(now + 1, start.at + 31 * DAY_MS), now + 1);
      const record = view.records.find((r) => r.id === stop);
      if (!record) throw new StopReasonError({ status: 404, code: 'unknown_stop', message: `no stop record '${stop.slice(0, 80)}' on line ${line.id}: shorter than ${this.tree.thresholdSeconds} s (a micro-stop), or not stored yet` });
      const refusal = classifyRefusal(person, record, ask, this.tree, now);
      if (refusal) throw new StopReasonError(refusal);
      const category = (code: string) => this.tree.reasons.find((r) => r.code === code)?.category ?? '';
      const event: StopReasonEvent = {
        type: 'stop_reason',
        ts: now,
        id: `sr-${now.toString(36)}-${randomBytes(3).toString('hex')}`,
        stop,
        line: line.id,
        station: record.station,
        reason: ask.reason,
        category: category(ask.reason),
        ...personActor(person),
      };
      if (ask.splitAt !== undefined && ask.reason2 !== undefined) {
        event.splitAt = ask.splitAt;
        event.reason2 = ask.reason2;
        event.category2 = category(ask.reason2);
      }
      const previous = record.history.at(-1);
      if (previous) event.supersedes = previous.id;
      if (ask.note) event.note = ask.note;
      await this.actions.record(event);
      const after = await this.stops(line, start.at, Math.min(now + 1, start.at + 31 * DAY_MS), now + 1);
      return after.records.find((r) => r.id === stop) ?? record;
    });
  }

  /** Every classification of a line in [from, to), for GET /api/v1/audit. */
  audit(line: string, from: number, to: number): AuditEntry[] {
    return this.classifications(line)
      .filter((e) => e.ts >= from && e.ts < to)
      .sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id))
      .map((e) => {
        const details = Object.create(null) as Record<string, unknown>;
        for (const key of ['station', 'reason', 'category', 'splitAt', 'reason2', 'category2', 'supersedes', 'note', 'role'] as const) if (e[key] !== undefined) details[key] = e[key];
        return { at: e.ts, actor: { kind: 'person' as const, id: e.actorId, name: e.actorName }, action: e.supersedes ? 'stop.reclassify' : 'stop.classify', line: e.line, subject: e.stop, details };
      });
  }
}

/** Each station's timeline over [from, end) from the line's events (one pass over them, by station). */
function timelinesOf(line: LineConfig, events: readonly StationEvent[], from: number, end: number, initialStates: LineEvents['initialStates']): Map<string, StateSegment[]> {
  const byStation = new Map<string, StateEvent[]>();
  for (const e of events) {
    if (e.type !== 'state') continue;
    const own = byStation.get(e.station);
    if (own) own.push(e);
    else byStation.set(e.station, [e]);
  }
  const timelines = new Map<string, StateSegment[]>();
  for (const st of line.stations) {
    // Stable: events of one ts keep their order, the last wins (core's stateTimeline).
    const own = (byStation.get(st.id) ?? []).sort((a, b) => a.ts - b.ts);
    timelines.set(st.id, stateTimeline(own, from, end, initialStates[st.id]));
  }
  return timelines;
}

/** `<station>.<start in base 36>` → its parts; null when it is not one. */
function parseStop(stop: string): { station: string; at: number } | null {
  const m = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\.([0-9a-z]{1,12})$/.exec(stop);
  if (!m) return null;
  const at = parseInt(m[2] as string, 36);
  return Number.isSafeInteger(at) && at > 946_684_800_000 ? { station: m[1] as string, at } : null;
}
