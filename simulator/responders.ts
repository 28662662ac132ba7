/**
 * People answering andon calls, for the demo: a team leader who acknowledges
 * a call a few minutes of line time after it is raised, and a resolver
 * (maintenance) who resolves it once its station has run again for a while,
 * as they would at a tablet. Without them every call the fault rule raises
 * stays open and climbs to the plant manager, and a demo morning's wall shows
 * seven calls nobody ever answered.
 *
 * They go through the collector's public API with the people's own PINs
 * (`POST /api/v1/session`, `GET /api/v1/andon/calls`, `POST
 * /api/v1/andon/actions`), so the collector checks their rights and records
 * each step like any other. Station states and the line's time come from the
 * events the simulator emits. `planResponses` decides, purely; `Responders`
 * runs it against a collector every `intervalMs` and never stops the
 * simulator: a failure is said once and tried again at the next turn.
 */
import type { StationEvent } from '../core/events';
import { fnv1a } from './engine/random';

/** What a responder needs of a call (`AndonCallView` in core/andon/types.ts). */
export interface ResponderCall {
  id: string;
  station: string | null;
  kind: string;
  status: 'open' | 'acknowledged' | 'resolved' | 'cancelled';
  raisedAt: number;
  acknowledgedAt: number | null;
}

/** A station's state and since when, epoch ms of the line's clock. */
export interface StationNow {
  state: string;
  since: number;
}

export interface ResponseTimes {
  /** A call is acknowledged between these many ms of line time after it was raised (per call, from its id). */
  acknowledgeMs: readonly [number, number];
  /** A station's call is resolved once the station has been out of fault and maintenance this long, and acknowledged as long. */
  resolveMs: number;
  /** A call without a station (or whose station is unknown) is resolved this long after it was acknowledged. */
  resolveLineCallMs: number;
}

export const DEFAULT_RESPONSE_TIMES: ResponseTimes = { acknowledgeMs: [60_000, 300_000], resolveMs: 120_000, resolveLineCallMs: 600_000 };

export interface PlannedStep {
  call: string;
  action: 'acknowledge' | 'resolve';
  /** The resolution reason (resolve only). */
  reason?: string;
}

/** States a station is not working in: its call stays until it leaves them. */
const DOWN = new Set(['fault', 'maintenance', 'offline']);

/** The reason a resolver gives for a kind of call, when the plant has it; else the plant's first reason. */
const REASON_OF_KIND: Readonly<Record<string, string>> = { maintenance: 'repaired', material: 'material_delivered', quality: 'quality_contained' };

/** A number in [0, 1) from a call's id, so each call has its own delay and a rerun the same one. */
const unitHash = (id: string): number => fnv1a(id) / 0x1_0000_0000;

/** When the call is due to be acknowledged, epoch ms. */
export function acknowledgeDue(call: Pick<ResponderCall, 'id' | 'raisedAt'>, times: ResponseTimes = DEFAULT_RESPONSE_TIMES): number {
  const [lo, hi] = times.acknowledgeMs;
  return call.raisedAt + lo + Math.floor(unitHash(call.id) * (hi - lo));
}

/**
 * The steps due at `now` (the line's clock): open calls past their delay are
 * acknowledged; an acknowledged call is resolved once its station has worked
 * again for `resolveMs` (and it was acknowledged as long ago), or, without a
 * known station, `resolveLineCallMs` after its acknowledgement. `reasons`:
 * the plant's resolution reasons (ids), the first one used when a kind has
 * none of its own.
 */
export function planResponses(calls: readonly ResponderCall[], stations: ReadonlyMap<string, StationNow>, now: number, reasons: readonly string[], times: ResponseTimes = DEFAULT_RESPONSE_TIMES): PlannedStep[] {
  const steps: PlannedStep[] = [];
  for (const call of calls) {
    if (call.status === 'open') {
      if (now >= acknowledgeDue(call, times)) steps.push({ call: call.id, action: 'acknowledge' });
      continue;
    }
    if (call.status !== 'acknowledged' || call.acknowledgedAt === null || reasons.length === 0) continue;
    const station = call.station === null ? undefined : stations.get(call.station);
    const due = station
      ? !DOWN.has(station.state) && now - station.since >= times.resolveMs && now - call.acknowledgedAt >= times.resolveMs
      : now - call.acknowledgedAt >= times.resolveLineCallMs;
    if (!due) continue;
    const own = REASON_OF_KIND[call.kind];
    steps.push({ call: call.id, action: 'resolve', reason: own !== undefined && reasons.includes(own) ? own : (reasons[0] as string) });
  }
  return steps;
}

/** A person who signs in with a PIN. */
export interface Responder {
  person: string;
  pin: string;
}

/**
 * `person:pin,person:pin` (TAKTLINE_SIM_RESPONDERS): the first acknowledges,
 * the last resolves (one person does both). Throws with the reason when the
 * text is not that.
 */
export function parseResponders(text: string): { acknowledger: Responder; resolver: Responder } {
  const people = text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const colon = part.lastIndexOf(':');
    const person = part.slice(0, colon).trim();
    const pin = part.slice(colon + 1).trim();
    if (colon <= 0 || !person || !/^\d{4,12}$/.test(pin)) throw new Error(`'${part.slice(0, 64)}' is not person:PIN (a PIN is 4–12 digits)`);
    return { person, pin };
  });
  if (people.length === 0 || people.length > 2) throw new Error('give one or two people as person:PIN, separated by a comma: the first acknowledges calls, the last resolves them');
  return { acknowledger: people[0] as Responder, resolver: people[people.length - 1] as Responder };
}

export interface RespondersOptions {
  /** Collector base URL. */
  target: string;
  line: string;
  acknowledger: Responder;
  resolver: Responder;
  times?: ResponseTimes;
  /** @default 2000 (wall ms) */
  intervalMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** One line per problem (said once until it clears) and per step taken. @default stderr */
  log?: (line: string) => void;
}

/** A failure to reach or satisfy the collector; `key` names it without what changes each time (attempts left). */
class ResponderError extends Error {
  constructor(
    message: string,
    readonly key: string = message,
  ) {
    super(message);
  }
}

/** Runs {@link planResponses} against a collector. Feed it the simulator's events with {@link observe}. */
export class Responders {
  private readonly stations = new Map<string, StationNow>();
  private lineNow = Number.NEGATIVE_INFINITY;
  private readonly cookies = new Map<string, string>();
  private reasons: string[] | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private problem: string | null = null;
  /** Steps taken, by action. */
  readonly stats = { acknowledge: 0, resolve: 0 };
  private readonly fetch: typeof fetch;
  private readonly log: (line: string) => void;

  constructor(private readonly options: RespondersOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** An event the simulator emitted: station states and the line's time. */
  observe(event: StationEvent): void {
    if (event.ts > this.lineNow) this.lineNow = event.ts;
    if (event.type !== 'state' || event.line !== this.options.line) return;
    const was = this.stations.get(event.station);
    if (!was || was.state !== event.state) this.stations.set(event.station, { state: event.state, since: event.ts });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.turn().finally(() => (this.running = null));
    }, this.options.intervalMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One look at the calls and the steps due; resolves when they were sent (or failed, said once). */
  async turn(): Promise<void> {
    if (!Number.isFinite(this.lineNow)) return;
    try {
      this.reasons ??= await this.resolutionReasons();
      const calls = await this.activeCalls();
      for (const step of planResponses(calls, this.stations, this.lineNow, this.reasons, this.options.times)) {
        const who = step.action === 'acknowledge' ? this.options.acknowledger : this.options.resolver;
        const done = await this.act(who, step);
        if (done) {
          this.stats[step.action] += 1;
          this.log(`simulate: ${who.person} ${step.action === 'acknowledge' ? 'acknowledged' : `resolved (${step.reason})`} andon call ${step.call}`);
        }
      }
      if (this.problem) this.log('simulate: the andon responders reach the collector again');
      this.problem = null;
    } catch (error) {
      const message = (error as Error).message;
      const key = error instanceof ResponderError ? error.key : message;
      if (key !== this.problem) this.log(`simulate: the andon responders cannot answer calls now (${message}); trying again`);
      this.problem = key;
    }
  }

  private async resolutionReasons(): Promise<string[]> {
    const body = (await this.getJson('/api/v1/andon/config')) as { resolutionReasons?: { id: string }[] };
    return (body.resolutionReasons ?? []).map((r) => r.id);
  }

  private async activeCalls(): Promise<ResponderCall[]> {
    const body = (await this.getJson(`/api/v1/andon/calls?line=${encodeURIComponent(this.options.line)}&status=active`)) as { calls?: ResponderCall[] };
    return body.calls ?? [];
  }

  private async getJson(path: string): Promise<unknown> {
    const res = await this.fetch(`${this.options.target}${path}`);
    if (!res.ok) throw new ResponderError(`GET ${path.split('?')[0]} answered ${res.status}`);
    return res.json();
  }

  /** Sends one step as `who`; false when the collector refused it for a reason that is no fault (the call moved on meanwhile). */
  private async act(who: Responder, step: PlannedStep): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const cookie = this.cookies.get(who.person) ?? (await this.signIn(who));
      const res = await this.fetch(`${this.options.target}/api/v1/andon/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(step.reason === undefined ? { call: step.call, action: step.action } : { call: step.call, action: step.action, reason: step.reason }),
      });
      if (res.ok) return true;
      const answer = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      // The session ended (a collector restart ends every one): sign in again, once.
      if (res.status === 401 && attempt === 0) {
        this.cookies.delete(who.person);
        continue;
      }
      // Someone else acknowledged or resolved it first, or it was cancelled: nothing to do.
      if (res.status === 409 || res.status === 404) return false;
      throw new ResponderError(`${step.action} of ${step.call} answered ${res.status}: ${answer.error?.message ?? 'no reason given'}`, `${step.action} ${res.status} ${answer.error?.code ?? ''}`);
    }
    return false;
  }

  private async signIn(who: Responder): Promise<string> {
    const res = await this.fetch(`${this.options.target}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ person: who.person, pin: who.pin }),
    });
    if (!res.ok) {
      const answer = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      throw new ResponderError(`${who.person} cannot sign in: ${res.status} ${answer.error?.message ?? ''}`.trim(), `sign-in ${who.person} ${res.status} ${answer.error?.code ?? ''}`);
    }
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (!cookie.includes('=')) throw new ResponderError(`${who.person} signed in but the collector sent no session cookie`);
    this.cookies.set(who.person, cookie);
    return cookie;
  }
}
