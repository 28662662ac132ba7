/**
 * The people's actions of one kind (stop classifications, defect codes,
 * handover steps) as the collector holds them: each an event through the
 * durable spool, kept here by id. At start it reads what InfluxDB holds (the
 * last 62 days) and what the spool still holds unwritten; if InfluxDB cannot be
 * read, it goes on with the spool's and reads again, at most every 30 s, when
 * asked ({@link ActionLog.fresh}). An event applies once, however often read.
 *
 * A new action is taken one at a time ({@link ActionLog.serial}), so the
 * rules that may refuse it see the one before, and is answered only once the
 * spool holds it ({@link ActionLog.record}).
 */
import { checkCollectorEvent, type ReportHandoverEvent, type StationEvent, type StopReasonEvent, type UnitDefectEvent } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import { redactUserInfo } from '../http/safe-url';
import type { EventStore } from '../influx/store';

const DAY_MS = 86_400_000;
const KEEP_MS = 62 * DAY_MS;
/** After InfluxDB could not be read at start, how long before a request tries again. */
const RETRY_READ_MS = 30_000;

/** The kinds of people's actions a log holds. */
export type PeopleActionEvent = StopReasonEvent | UnitDefectEvent | ReportHandoverEvent;

export interface ActionLogDeps<E extends PeopleActionEvent> {
  /** Which events are this log's. */
  type: E['type'];
  plant: PlantConfig;
  lineNow: (line: string) => number;
  /** InfluxDB's events of this kind stamped at or after `since`; rows that no longer validate are skipped and counted. */
  readStored: (since: number) => Promise<{ events: E[]; skipped: number }>;
  /** Into the durable spool; resolves once it is durable (and observed). */
  append: (events: E[]) => Promise<void>;
  /** What the spool held unconfirmed by InfluxDB at start. */
  unwritten: () => readonly StationEvent[];
  log: (message: string) => void;
  clock?: () => number;
  /** How the log names itself and its events: `reasons` and `classifications`. */
  names: { part: string; events: string };
}

/** What a service of people's actions of one kind is built from (app.ts gives each the same). */
export interface PeopleActionsDeps<E extends PeopleActionEvent> {
  plant: PlantConfig;
  store: EventStore;
  /** Into the durable spool; resolves once it is durable (and observed). */
  append: (events: E[]) => Promise<void>;
  lineNow: (line: string) => number;
  /** The spool's unconfirmed events at start. */
  unwritten: () => readonly StationEvent[];
  log: (message: string) => void;
  /** Wall clock, epoch ms. @default Date.now */
  clock?: () => number;
}

export class ActionLog<E extends PeopleActionEvent> {
  private readonly events = new Map<string, E>();
  private unread = false;
  private readTriedAt = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ActionLogDeps<E>) {}

  private clock(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** InfluxDB's errors can carry URLs with user info: never log those. */
  private log(message: string): void {
    this.deps.log(redactUserInfo(message));
  }

  private mine(e: StationEvent): e is E {
    return e.type === this.deps.type;
  }

  /** Durable events in; every other kind out. */
  observe(events: readonly StationEvent[]): StationEvent[] {
    const rest: StationEvent[] = [];
    for (const e of events) {
      if (this.mine(e)) this.events.set(e.id, e);
      else rest.push(e);
    }
    return rest;
  }

  async start(): Promise<void> {
    await this.read();
    this.observe(this.deps.unwritten());
  }

  /** Reads InfluxDB again when the last read failed long enough ago; call before answering a request. */
  async fresh(): Promise<void> {
    if (this.unread && this.clock() - this.readTriedAt >= RETRY_READ_MS) await this.read();
  }

  values(): IterableIterator<E> {
    return this.events.values();
  }

  /** Runs `work` after every earlier one has settled (resolved or not), so a check and its append see no other action in between. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Appends a new action once it passes the event schema; an invalid one is a programmer error and throws, appending nothing. */
  async record(event: E): Promise<void> {
    const verdict = checkCollectorEvent(event);
    if (!verdict.ok) throw new Error(`${this.deps.names.part}: refusing to record an invalid ${event.type} event (${verdict.reason})`);
    await this.deps.append([event]);
  }

  private async read(): Promise<void> {
    const { part, events: what } = this.deps.names;
    const now = Math.max(this.clock(), ...this.deps.plant.lines.map((l) => this.deps.lineNow(l.id)));
    this.readTriedAt = this.clock();
    try {
      const { events, skipped } = await this.deps.readStored(now - KEEP_MS);
      for (const e of events) this.events.set(e.id, e);
      if (skipped > 0) this.log(`${part}: ${skipped} stored ${what} no longer validate; skipped`);
      this.unread = false;
    } catch (error) {
      if (!this.unread) this.log(`${part}: cannot read ${what} from InfluxDB (${(error as Error).message}); going on with the spool's, reading again with the next request after ${RETRY_READ_MS / 1000} s`);
      this.unread = true;
    }
  }
}
