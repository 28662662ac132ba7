/**
 * A serial line built from a scenario: stations in flow order with a buffer
 * between each pair, the shift calendar that pauses them, the partners whose
 * parts the stations fit, and the order book and cluster output reported
 * beside it. Emits protocol-v1 events stamped with simulated time.
 */
import type { StationEvent, StationState } from '../../core/events';
import { Environment, Signal, type ProcessBody } from '../engine/environment';
import { RandomStream } from '../engine/random';
import { Resource, Store } from '../engine/resources';
import { ShiftCalendar, type SegmentKind } from './calendar';
import { startMarket, PartnerSupply } from './market';
import type { ModelSpec, Scenario } from './scenario';
import { Station, type StationSettings } from './station';
import { makeVin } from './vin';
import { OutputLossTracker } from './output-losses';
import { designConstraint } from './summary';

/** One vehicle on its way down the line. */
export interface Unit {
  vin: string;
  model: ModelSpec;
  /** Set once any station finds a defect; the unit still flows on (to rework after the line). */
  nok: boolean;
}

export interface LineOptions {
  scenario: Scenario;
  seed: number;
  /** Simulated start, epoch ms; simulated second 0. */
  startMs: number;
  /** Prefix of every event id; unique per run so a collector never takes a new run's events for resends. */
  runId: string;
  emit: (event: StationEvent) => void;
  /** Called for every unit leaving the last station, with the simulated second. */
  onUnit?: (unit: Unit, at: number) => void;
}

/** Settings of every station, the scenario's defaults filled in. */
export function stationSettings(scenario: Scenario): StationSettings[] {
  const d = scenario.defaults;
  return scenario.stations.map((s) => ({
    id: s.id,
    cycle: s.cycle ?? d.cycle,
    failures: s.failures === undefined ? d.failures : s.failures,
    microStops: s.microStops === undefined ? d.microStops : s.microStops,
    nokRate: s.nokRate ?? d.nokRate,
    changeoverSeconds: s.changeoverSeconds ?? d.changeoverSeconds,
  }));
}

export class Line {
  readonly env = new Environment();
  readonly stations: Station[];
  /** `buffers[i]` sits between station i and station i + 1. */
  readonly buffers: Store<Unit>[];
  readonly partners: PartnerSupply[];
  readonly repairCrews: Resource | null;
  readonly calendar: ShiftCalendar;
  /** Why the line is paused now (a break, no shift), or null while it is planned to work. */
  pause: Exclude<SegmentKind, 'work'> | null;
  /** Fires when the current pause ends. */
  resumed = new Signal<void>();
  /** Ground truth of lost seconds by root cause at the output station and at the designed constraint (set in the constructor). */
  readonly lostTime: { output: OutputLossTracker; constraint: OutputLossTracker };

  /** Earliest simulated second the first station may launch the next unit (paced lines). */
  nextReleaseAt = 0;
  units = 0;
  goodUnits = 0;
  events = 0;
  readonly eventsByType: Record<StationEvent['type'], number> = { cycle: 0, state: 0, unit: 0, orders: 0, partner: 0, output: 0, andon: 0, andon_call: 0, andon_rules: 0, stop_reason: 0, report_handover: 0, unit_defect: 0 };

  private eventSeq = 0;
  private serial: number;
  private lotLeft = 0;
  private lotModel: ModelSpec;
  private readonly planRng: RandomStream;
  private readonly modelYear: number;

  constructor(readonly options: LineOptions) {
    const { scenario, seed, startMs } = options;
    this.calendar = new ShiftCalendar(scenario.calendar, scenario.timeZone, startMs);
    const first = this.calendar.segmentAt(0).kind;
    this.pause = first === 'work' ? null : first;
    this.serial = scenario.vin.serialStart;
    this.planRng = new RandomStream(seed, 'line/plan');
    this.lotModel = scenario.models[0] as ModelSpec;
    this.modelYear = new Date(startMs).getUTCFullYear();
    this.repairCrews = scenario.repairCrews === undefined ? null : new Resource(this.env, scenario.repairCrews);
    // Before the stations: each station looks up the partners that supply it.
    this.partners = scenario.partners.map((p) => new PartnerSupply(this, p, seed));
    const settings = stationSettings(scenario);
    const constraintAt = Math.max(0, scenario.stations.findIndex((s) => s.id === designConstraint(scenario).id));
    this.lostTime = { output: new OutputLossTracker(this, scenario.stations.length - 1), constraint: new OutputLossTracker(this, constraintAt) };
    this.stations = settings.map((s, i) => new Station(this, i, s, seed));
    this.buffers = scenario.stations.slice(0, -1).map((s) => {
      const capacity = s.bufferAfter ?? scenario.defaults.bufferCapacity;
      return new Store<Unit>(this.env, capacity === 'unlimited' ? Infinity : capacity);
    });

    // The oldest unit stands at the last station.
    const initial: (Unit | null)[] = this.stations.map(() => null);
    if (scenario.startFull) for (let i = initial.length - 1; i >= 0; i -= 1) initial[i] = this.releaseUnit();
    this.stations.forEach((st, i) => {
      st.process = this.env.process(st.id, st.run(initial[i] ?? null));
    });
    this.env.process('calendar', this.calendarProcess());
    startMarket(this, seed);
  }

  get scenario(): Scenario {
    return this.options.scenario;
  }

  /**
   * Epoch ms of the current simulated instant, rounded down (the 1e-6 ms absorbs
   * float crumbs), so anything that happens before the end of a window is
   * stamped before it too.
   */
  get nowMs(): number {
    return this.options.startMs + Math.floor(this.env.now * 1000 + 1e-6);
  }

  /** Runs the simulation up to (not including) simulated second `t`. */
  runUntil(t: number): void {
    this.env.run(t);
  }

  /** Time of the next pending simulation step, simulated seconds. */
  nextEventTime(): number {
    return this.env.peek();
  }

  /** A new unit enters at the first station: next VIN, model from the plan (lots drawn by share). */
  releaseUnit(): Unit {
    if (this.lotLeft === 0) {
      this.lotModel = this.pickModel();
      this.lotLeft = this.scenario.lotSize;
    }
    this.lotLeft -= 1;
    const { wmi, plant } = this.scenario.vin;
    const vin = makeVin(wmi, this.lotModel.id, this.modelYear, plant, this.serial);
    this.serial += 1;
    return { vin, model: this.lotModel, nok: false };
  }

  completeUnit(unit: Unit): void {
    this.units += 1;
    if (!unit.nok) this.goodUnits += 1;
    this.emit({
      type: 'unit',
      ...this.stamp(),
      line: this.scenario.line,
      unit: unit.vin,
      model: unit.model.id,
      result: unit.nok ? 'nok' : 'ok',
    });
    this.options.onUnit?.(unit, this.env.now);
  }

  emitState(station: Station, state: StationState, reason: string | null): void {
    const event: StationEvent = { type: 'state', ...this.stamp(), line: this.scenario.line, station: station.id, state };
    if (reason !== null) event.reason = reason;
    this.emit(event);
  }

  emitCycle(station: Station, seconds: number, unit: Unit, nok: boolean): void {
    this.emit({
      type: 'cycle',
      ...this.stamp(),
      line: this.scenario.line,
      station: station.id,
      // Net working time incl. micro-stops, to the millisecond; faults and breaks are reported as states.
      cycleTime: Math.max(0.001, Math.round(seconds * 1000) / 1000),
      unit: unit.vin,
      result: nok ? 'nok' : 'ok',
    });
  }

  /** Id and timestamp for the next event. */
  stamp(): { id: string; ts: number } {
    return { id: `${this.options.runId}-${this.eventSeq++}`, ts: this.nowMs };
  }

  emit(event: StationEvent): void {
    this.events += 1;
    this.eventsByType[event.type] += 1;
    this.options.emit(event);
  }

  private pickModel(): ModelSpec {
    const models = this.scenario.models;
    const total = models.reduce((a, m) => a + m.share, 0);
    let x = this.planRng.uniform() * total;
    for (const m of models) {
      x -= m.share;
      if (x < 0) return m;
    }
    return models[models.length - 1] as ModelSpec;
  }

  private *calendarProcess(): ProcessBody {
    for (;;) {
      const segment = this.calendar.segmentAt(this.env.now);
      this.setPause(segment.kind === 'work' ? null : segment.kind);
      if (segment.to === Infinity) return;
      yield segment.to - this.env.now;
    }
  }

  private setPause(pause: Exclude<SegmentKind, 'work'> | null): void {
    if (pause === this.pause) return;
    const wasPaused = this.pause !== null;
    this.pause = pause;
    if (pause !== null && !wasPaused) {
      this.resumed = new Signal<void>();
      for (const st of this.stations) if (st.busy) st.process?.interrupt(pause);
    } else if (pause === null) {
      this.resumed.fire();
    }
    for (const st of this.stations) st.report();
    this.noteActivity();
  }

  /** A station's activity, wait or micro-stop changed, or a pause began or ended: the ground truth of lost time reads the wait chains anew. */
  noteActivity(): void {
    this.lostTime.output.update();
    this.lostTime.constraint.update();
  }
}
