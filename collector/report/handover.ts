/**
 * Shift-report handovers in the collector (docs/reports.md): people's notes,
 * signatures, acknowledgements and corrections as `report_handover` events
 * through the same durable spool as andon's steps. The events are held in
 * memory, rebuilt at start from InfluxDB and the spool's unconfirmed ones, and
 * folded by core/report/handover.ts; the append-only log is the audit trail.
 * A step is answered only once it is durable, and only if the rules allow it.
 */
import { randomBytes } from 'node:crypto';
import { checkCollectorEvent, ReportHandoverEvent, type StationEvent } from '../../core/events';
import type { PersonConfig } from '../../core/people';
import type { PlantConfig } from '../../core/plant';
import { handoverRefusal, handoverView, type HandoverAsk, type HandoverRefusal, type HandoverView } from '../../core/report/handover';
import { ActionLog } from '../actions/action-log';
import type { EventStore } from '../influx/store';


export class HandoverError extends Error {
  constructor(readonly refusal: HandoverRefusal) {
    super(refusal.message);
    this.name = 'HandoverError';
  }
}

export interface ReportHandoversDeps {
  plant: PlantConfig;
  store: EventStore;
  append: (events: ReportHandoverEvent[]) => Promise<void>;
  /** The spool's unconfirmed events at start. */
  unwritten: () => readonly StationEvent[];
  lineNow: (line: string) => number;
  log: (message: string) => void;
  /** A step is durable (signatures start a PDF and a notice). */
  onStep?: (view: HandoverView, event: ReportHandoverEvent) => void;
  /** Wall clock, epoch ms. @default Date.now */
  clock?: () => number;
}

export class ReportHandovers {
  private readonly actions: ActionLog<ReportHandoverEvent>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ReportHandoversDeps) {
    this.actions = new ActionLog({
      type: 'report_handover',
      plant: deps.plant,
      lineNow: deps.lineNow,
      readStored: (since) => deps.store.reads.handoverEvents(since),
      unwritten: deps.unwritten,
      log: deps.log,
      ...(deps.clock ? { clock: deps.clock } : {}),
      names: { part: 'reports', events: 'handover steps' },
    });
  }

  private clock(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** Durable events in; every other kind out. */
  observe(events: readonly StationEvent[]): StationEvent[] {
    return this.actions.observe(events);
  }

  start(): Promise<void> {
    return this.actions.start();
  }

  /** The handover of a line's shift as it stands. */
  async view(line: string, shift: string): Promise<HandoverView> {
    await this.actions.fresh();
    return handoverView(line, shift, this.actions.values());
  }

  /** Shift keys of a line with any handover step. */
  shiftsOf(line: string): Set<string> {
    const out = new Set<string>();
    for (const e of this.actions.values()) if (e.line === line) out.add(e.shift);
    return out;
  }

  /**
   * Takes a person's step on an ended shift's report once it is durable; a
   * step the rules refuse throws {@link HandoverError} and appends nothing.
   */
  act(person: PersonConfig, line: string, shift: string, ask: HandoverAsk): Promise<HandoverView> {
    return this.serial(async () => {
      const before = await this.view(line, shift);
      const refusal = handoverRefusal(before, person, ask);
      if (refusal) throw new HandoverError(refusal);
      const now = this.deps.lineNow(line);
      const event: ReportHandoverEvent = {
        type: 'report_handover',
        // Never before the previous step: the fold orders by time.
        ts: Math.max(now, (before.history.at(-1)?.at ?? 0) + 1),
        id: `rh-${now.toString(36)}-${randomBytes(3).toString('hex')}`,
        line,
        shift,
        version: ask.action === 'correct' ? before.current + 1 : ask.version,
        action: ask.action,
        actorKind: 'person',
        actorId: person.id,
        actorName: person.name.replace(/[\p{Cc}\p{Cs}]/gu, ' ').slice(0, 120),
        role: person.role,
        ...(ask.note !== undefined && (ask.action !== 'acknowledge' || ask.note !== '') ? { note: ask.note } : {}),
        ...(ask.action === 'correct' ? { supersedes: ask.version } : {}),
      };
      const verdict = checkCollectorEvent(event);
      if (!verdict.ok) throw new Error(`reports: refusing to record an invalid report_handover event (${verdict.reason})`);
      await this.deps.append([event]);
      const after = await this.view(line, shift);
      this.deps.onStep?.(after, event);
      return after;
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
