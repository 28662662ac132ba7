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
import { redactUserInfo } from '../http/safe-url';
import type { EventStore } from '../influx/store';

const DAY_MS = 86_400_000;
/** Handover steps older than this are not read back at start. */
const KEEP_MS = 62 * DAY_MS;
/** How long after a failed read InfluxDB is asked again, ms. */
const RETRY_READ_MS = 30_000;

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
  private readonly events = new Map<string, ReportHandoverEvent>();
  private queue: Promise<unknown> = Promise.resolve();
  private unread = false;
  private readTriedAt = 0;

  constructor(private readonly deps: ReportHandoversDeps) {}

  private clock(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** Durable events in; everything but handover steps out. */
  observe(events: readonly StationEvent[]): StationEvent[] {
    const rest: StationEvent[] = [];
    for (const e of events) {
      if (e.type === 'report_handover') this.events.set(e.id, e);
      else rest.push(e);
    }
    return rest;
  }

  async start(): Promise<void> {
    await this.readStored();
    this.observe(this.deps.unwritten());
  }

  /** Steps InfluxDB holds (the last 62 days); a step applies once, by id, however often it is read. */
  private async readStored(): Promise<void> {
    const now = Math.max(this.clock(), ...this.deps.plant.lines.map((l) => this.deps.lineNow(l.id)));
    this.readTriedAt = this.clock();
    try {
      const { events, skipped } = await this.deps.store.reads.handoverEvents(now - KEEP_MS);
      for (const e of events) this.events.set(e.id, e);
      if (skipped > 0) this.log(`reports: ${skipped} stored handover steps no longer validate; skipped`);
      this.unread = false;
    } catch (error) {
      if (!this.unread) this.log(`reports: cannot read handover steps from InfluxDB (${(error as Error).message}); going on with the spool's, reading again after ${RETRY_READ_MS / 1000} s`);
      this.unread = true;
    }
  }

  private log(message: string): void {
    this.deps.log(redactUserInfo(message));
  }

  /** The handover of a line's shift as it stands. */
  async view(line: string, shift: string): Promise<HandoverView> {
    if (this.unread && this.clock() - this.readTriedAt >= RETRY_READ_MS) await this.readStored();
    return handoverView(line, shift, this.events.values());
  }

  /** Shift keys of a line with any handover step. */
  shiftsOf(line: string): Set<string> {
    const out = new Set<string>();
    for (const e of this.events.values()) if (e.line === line) out.add(e.shift);
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
