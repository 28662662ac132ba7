/**
 * One station of a serial line: it takes a unit from the buffer before it (or
 * releases a new one, at the first station), takes one part from each partner
 * that supplies it, works on the unit, and hands it to the buffer after it,
 * blocking while that buffer is full. Breakdowns are operation-dependent: a station ages only
 * while it works, so its remaining time to failure is counted down in working
 * seconds. Breaks and shift ends interrupt whatever timed activity is going on;
 * it resumes where it left off.
 */
import type { StationState } from '../../core/events';
import { Interrupt, type Process, type ProcessBody, type Yieldable } from '../engine/environment';
import { RandomStream } from '../engine/random';
import { NOTHING, type Store } from '../engine/resources';
import { cycleSampler, repairSampler } from './distributions';
import type { FailureSpec, MicroStopSpec, CycleSpec } from './scenario';
import type { Line, Unit } from './line';
import type { PartnerSupply } from './market';

/** Below this, a remaining duration counts as done (seconds); guards against float crumbs. */
const EPSILON = 1e-9;

/** A station's settings after the scenario's defaults are applied. */
export interface StationSettings {
  id: string;
  cycle: CycleSpec;
  failures: FailureSpec | null;
  microStops: MicroStopSpec | null;
  nokRate: number;
  changeoverSeconds: number;
}

/** Seconds per reported state. */
export type StateSeconds = Record<StationState, number>;

/**
 * Ground truth of a wait: what the station waited for, from the model's own
 * state (never from its events): the station before it (`starved`), the one
 * after it (`blocked`), a partner's parts, or the first station's launch slot.
 */
export type WaitCause = { station: string } | { partner: string } | { launch: true };

/** Planned seconds a station spent waiting, by state and cause. */
export interface WaitSeconds {
  state: 'starved' | 'blocked' | 'idle';
  waitingFor: WaitCause;
  seconds: number;
}

export function emptyStateSeconds(): StateSeconds {
  return { running: 0, idle: 0, starved: 0, blocked: 0, fault: 0, maintenance: 0, offline: 0 };
}

export class Station {
  /** State as reported (a break shows as `idle`, no shift as `offline`), and since when (sim seconds). */
  state: StationState | null = null;
  reason: string | null = null;
  since = 0;
  /** Seconds spent in each reported state up to `since`. */
  readonly secondsInState = emptyStateSeconds();
  /** Planned seconds waited, by `state|cause` (see {@link WaitCause}), up to `since`. */
  private readonly waits = new Map<string, WaitSeconds>();
  /** The cause of the current wait, set with the activity; null while not waiting. */
  private waitCause: WaitCause | null = null;
  /** The wait behind the reported state (null while paused or not waiting). */
  private reportedWait: WaitCause | null = null;
  /** True while in a timed activity (work, repair, changeover) that a break must interrupt. */
  busy = false;
  process: Process | null = null;

  cycles = 0;
  nokCycles = 0;
  failures = 0;
  microStops = 0;
  microStopSeconds = 0;
  changeovers = 0;

  private activity: StationState = 'idle';
  private activityReason: string | null = null;
  /** True during a micro-stop (the station still reports `running`). */
  private inMicroStop = false;
  private lastModel: string | null = null;
  /** Working seconds left until the next breakdown / micro-stop. */
  private toFailure: number;
  private toMicroStop: number;
  private readonly drawCycle: () => number;
  private readonly drawRepair: () => number;
  private readonly failureRng: RandomStream;
  private readonly microRng: RandomStream;
  private readonly qualityRng: RandomStream;
  /** Partners whose parts this station fits, in scenario order. */
  private readonly suppliers: PartnerSupply[];

  constructor(
    readonly line: Line,
    readonly index: number,
    readonly settings: StationSettings,
    seed: number,
  ) {
    const stream = (purpose: string) => new RandomStream(seed, `${settings.id}/${purpose}`);
    this.drawCycle = cycleSampler(settings.cycle, stream('cycle'));
    this.failureRng = stream('failure');
    this.microRng = stream('micro-stop');
    this.qualityRng = stream('quality');
    const failures = settings.failures;
    this.drawRepair = failures ? repairSampler(failures, stream('repair')) : () => 0;
    this.toFailure = this.nextFailure();
    this.toMicroStop = this.nextMicroStop();
    this.suppliers = line.partners.filter((p) => p.station === settings.id);
  }

  get id(): string {
    return this.settings.id;
  }

  /** What the station is doing in the model now, whatever it reports: for the ground truth of lost output. */
  get activityNow(): { state: StationState; reason: string | null; waitingFor: WaitCause | null; microStop: boolean } {
    return { state: this.activity, reason: this.activityReason, waitingFor: this.waitCause, microStop: this.inMicroStop };
  }

  /** Reported state over the whole run so far, including the current stretch up to `now`. */
  stateSecondsAt(now: number): StateSeconds {
    const out = { ...this.secondsInState };
    if (this.state !== null) out[this.state] += now - this.since;
    return out;
  }

  /** Re-derives the reported state from the activity and the line's pause; emits a `state` event on change. */
  report(): void {
    const pause = this.line.pause;
    const state: StationState = pause === 'break' ? 'idle' : pause === 'off' ? 'offline' : this.activity;
    const reason = pause === 'break' ? 'break' : pause === 'off' ? 'no shift' : this.activityReason;
    if (state === this.state && reason === this.reason) return;
    const now = this.line.env.now;
    if (this.state !== null) this.secondsInState[this.state] += now - this.since;
    this.addWait(now);
    this.reportedWait = pause === null ? this.waitCause : null;
    this.state = state;
    this.reason = reason;
    this.since = now;
    this.line.emitState(this, state, reason);
  }

  /** Planned seconds waited so far (including the current wait up to `now`), by state and cause. */
  waitSecondsAt(now: number): WaitSeconds[] {
    const out = new Map([...this.waits].map(([k, v]) => [k, { ...v }]));
    this.addWaitTo(out, now);
    return [...out.values()];
  }

  private addWait(now: number): void {
    this.addWaitTo(this.waits, now);
  }

  private addWaitTo(map: Map<string, WaitSeconds>, now: number): void {
    const wait = this.reportedWait;
    const state = this.state;
    if (wait === null || (state !== 'starved' && state !== 'blocked' && state !== 'idle') || now <= this.since) return;
    const key = `${state}|${JSON.stringify(wait)}`;
    const entry = map.get(key) ?? { state, waitingFor: wait, seconds: 0 };
    entry.seconds += now - this.since;
    map.set(key, entry);
  }

  /** The station's life: fetch a unit, change over if needed, work, hand on; forever. */
  *run(initial: Unit | null): ProcessBody {
    let unit = initial;
    for (;;) {
      if (unit === null) unit = yield* this.fetch();
      if (this.lastModel !== null && this.lastModel !== unit.model.id && this.settings.changeoverSeconds > 0) {
        this.changeovers += 1;
        this.setActivity('maintenance', `changeover ${this.lastModel} to ${unit.model.id}`);
        yield* this.timed(this.settings.changeoverSeconds);
      }
      this.lastModel = unit.model.id;
      this.setActivity('running', null);
      const net = yield* this.work(unit);
      const nok = this.settings.nokRate > 0 && this.qualityRng.chance(this.settings.nokRate);
      if (nok) {
        unit.nok = true;
        this.nokCycles += 1;
      }
      this.cycles += 1;
      this.line.emitCycle(this, net, unit, nok);
      yield* this.handOn(unit);
      unit = null;
    }
  }

  private setActivity(state: StationState, reason: string | null, wait: WaitCause | null = null): void {
    this.waitCause = wait;
    this.activity = state;
    this.activityReason = reason;
    this.report();
    this.line.noteActivity();
  }

  private *fetch(): Generator<Yieldable, Unit, unknown> {
    const upstream = this.line.buffers[this.index - 1];
    if (upstream === undefined) {
      // First station: wait for the next launch slot of a paced line, take the parts it fits
      // (the launch slot counts from when they are there), then a new body enters the line.
      const wait = this.line.nextReleaseAt - this.line.env.now;
      if (wait > EPSILON) {
        this.setActivity('idle', 'waiting for the next launch slot', { launch: true });
        yield wait;
      }
      yield* this.takeParts();
      const every = this.line.scenario.releaseEverySeconds;
      if (every !== undefined) this.line.nextReleaseAt = this.line.env.now + every;
      return this.line.releaseUnit();
    }
    let unit = upstream.tryGet();
    if (unit === NOTHING) {
      this.setActivity('starved', null, { station: (this.line.stations[this.index - 1] as Station).id });
      unit = yield* upstream.get();
    }
    // The unit waits in the station until its parts are there; upstream fills up behind it.
    yield* this.takeParts();
    return unit;
  }

  /**
   * One part from each partner that supplies this station, waiting `starved` for any that is out of
   * stock. A unit that starts the run at or after this station already has its parts.
   */
  private *takeParts(): Generator<Yieldable, void, unknown> {
    for (const partner of this.suppliers) {
      if (!partner.stock.tryGet(1)) {
        this.setActivity('starved', `waiting for parts from ${partner.id}`, { partner: partner.id });
        yield* partner.stock.get(1);
      }
    }
  }

  private *handOn(unit: Unit): Generator<Yieldable, void, unknown> {
    const downstream: Store<Unit> | undefined = this.line.buffers[this.index];
    if (downstream === undefined) {
      this.line.completeUnit(unit);
      return;
    }
    if (downstream.tryPut(unit)) return;
    this.setActivity('blocked', null, { station: (this.line.stations[this.index + 1] as Station).id });
    yield* downstream.put(unit);
  }

  /** Works one cycle, with breakdowns and micro-stops on the way; returns net working seconds. */
  private *work(unit: Unit): Generator<Yieldable, number, unknown> {
    const work = this.drawCycle() * unit.model.cycleFactor;
    let left = work;
    let net = 0;
    while (left > EPSILON) {
      const step = Math.min(left, this.toFailure, this.toMicroStop);
      yield* this.timed(step);
      left -= step;
      net += step;
      this.toFailure -= step;
      this.toMicroStop -= step;
      if (this.toFailure <= EPSILON) {
        yield* this.breakdown();
        this.toFailure = this.nextFailure();
      } else if (this.toMicroStop <= EPSILON) {
        // A micro-stop stretches the cycle; the station keeps reporting `running`.
        const stop = this.microRng.exponential((this.settings.microStops as MicroStopSpec).meanSeconds);
        this.microStops += 1;
        this.microStopSeconds += stop;
        this.inMicroStop = true;
        this.line.noteActivity();
        yield* this.timed(stop);
        this.inMicroStop = false;
        this.line.noteActivity();
        net += stop;
        this.toMicroStop = this.nextMicroStop();
      }
    }
    this.line.lostTime.constraint.noteCycle(this, work);
    return net;
  }

  private *breakdown(): Generator<Yieldable, void, unknown> {
    this.failures += 1;
    const crews = this.line.repairCrews;
    if (crews !== null && !crews.tryRequest()) {
      this.setActivity('fault', 'breakdown, waiting for a repair crew');
      yield* crews.request();
    }
    this.setActivity('fault', 'breakdown');
    yield* this.timed(this.drawRepair());
    crews?.release();
    this.setActivity('running', null);
  }

  /** Spends `seconds` of planned time; a break or shift end pauses the count until work resumes. */
  private *timed(seconds: number): Generator<Yieldable, void, unknown> {
    const env = this.line.env;
    let left = seconds;
    while (left > EPSILON) {
      if (this.line.pause !== null) {
        yield this.line.resumed;
        continue;
      }
      const began = env.now;
      this.busy = true;
      try {
        yield left;
        left = 0;
      } catch (error) {
        if (!(error instanceof Interrupt)) throw error;
        left -= env.now - began;
      } finally {
        this.busy = false;
      }
    }
  }

  private nextFailure(): number {
    const f = this.settings.failures;
    return f ? this.failureRng.exponential(f.mtbfSeconds) : Infinity;
  }

  private nextMicroStop(): number {
    const m = this.settings.microStops;
    return m ? this.microRng.exponential(m.meanBetweenSeconds) : Infinity;
  }
}
