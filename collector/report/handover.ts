/**
 * Shift-report handovers in the collector (docs/reports.md): people's notes,
 * signatures, acknowledgements and corrections as `report_handover` events
 * through the same durable spool as andon's steps. The events are held in
 * memory, rebuilt at start from InfluxDB and the spool's unconfirmed ones, and
 * folded by core/report/handover.ts; the append-only log is the audit trail.
 * A step is answered only once it is durable, and only if the rules allow it.
 */
import { randomBytes } from 'node:crypto';
import type { ReportHandoverEvent, StationEvent } from '../../core/events';
import type { PersonConfig } from '../../core/people';
import { handoverRefusal, handoverView, type HandoverAsk, type HandoverRefusal, type HandoverView } from '../../core/report/handover';
import { ActionLog, type PeopleActionsDeps } from '../actions/action-log';
import { personActor } from '../actions/actor';

export class HandoverError extends Error {
  constructor(readonly refusal: HandoverRefusal) {
    super(refusal.message);
    this.name = 'HandoverError';
  }
}

export interface ReportHandoversDeps extends PeopleActionsDeps<ReportHandoverEvent> {
  /** A step is durable (signatures start a PDF and a notice). */
  onStep?: (view: HandoverView, event: ReportHandoverEvent) => void;
}

export class ReportHandovers {
  private readonly actions: ActionLog<ReportHandoverEvent>;

  constructor(private readonly deps: ReportHandoversDeps) {
    this.actions = new ActionLog({ ...deps, type: 'report_handover', readStored: (since) => deps.store.reads.handoverEvents(since), names: { part: 'reports', events: 'handover steps' } });
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
    return this.actions.serial(async () => {
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
        ...personActor(person),
        ...(ask.note !== undefined && (ask.action !== 'acknowledge' || ask.note !== '') ? { note: ask.note } : {}),
        ...(ask.action === 'correct' ? { supersedes: ask.version } : {}),
      };
      await this.actions.record(event);
      const after = await this.view(line, shift);
      this.deps.onStep?.(after, event);
      return after;
    });
  }
}
