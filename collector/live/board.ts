/**
 * The live state of every configured line, fed with stored events. The
 * numbers are for the line clock (see line-clock.ts): the wall clock in
 * production, an explicit demo clock in the demo; never the events' own time.
 *
 * Three layers per line, all from core/: the line tracker (this hour, units
 * per hour, station states), the shift tracker (plan, gap, forecast,
 * downtime), and the shift's bottleneck and OEE, recomputed from InfluxDB
 * every half minute (they need the whole shift's history, which a restart
 * must not lose). Each station also carries whether the plant-floor source
 * serving it (OPC UA, Sparkplug) has gone silent, from the connectors' status.
 */
import { currentShift, lineCalendar, previousShift } from '../../core/calendar/calendar';
import type { StationEvent } from '../../core/events';
import { computeLineKpis } from '../../core/kpi/line-kpis';
import { applyLineEvent, createLineTracker, lineLiveView, type LineTracker } from '../../core/kpi/line-live';
import { applyShiftEvent, createShiftTracker, shiftLiveView, type ShiftTracker } from '../../core/kpi/shift-live';
import { signalsKey, stationSignals, type SourceLinkStatus } from '../../core/kpi/station-signal';
import type { AndonLive } from '../../core/andon/types';
import type { IntakeStopped, LineLive, ShiftKpisLive } from '../../core/live';
import type { LossLive } from '../../core/loss/types';
import { plantReasons, type LineConfig, type PlantConfig } from '../../core/plant';
import { partnerFromReason } from '../../core/kpi/active-period';
import { labelReason, type ReasonLabel } from '../../core/reasons/labels';
import type { ReasonsConfig } from '../../core/reasons/config';
import { readLineEvents } from '../history/line-events';
import { shiftLossLive } from '../loss/live';
import type { EventStore } from '../influx/store';
import type { LineClock } from './line-clock';

const HOUR_MS = 3_600_000;

interface LineState {
  config: LineConfig;
  line: LineTracker;
  shift: ShiftTracker;
  kpis: ShiftKpisLive | null;
  losses: LossLive | null;
}

export class LineBoard {
  private readonly lines = new Map<string, LineState>();
  /** A line's open andon calls (collector/andon); unset: the live view has no `andon` field. */
  andonOf: ((line: string) => AndonLive) | null = null;
  /**
   * The plant-floor sources' status (collector/connectors `SourceRegistry.list`, as in /api/v1/health);
   * unset: no station carries `signalLost`.
   */
  sourcesOf: (() => readonly SourceLinkStatus[]) | null = null;
  /** Whether the collector refuses events and why (its spool's status); unset: the live view has no `intake` field. */
  intakeOf: (() => IntakeStopped | null) | null = null;

  private readonly reasons: ReasonsConfig;

  constructor(
    plant: PlantConfig,
    private readonly clock: LineClock,
  ) {
    this.reasons = plantReasons(plant);
    for (const config of plant.lines) {
      this.lines.set(config.id, { config, line: createLineTracker(config), shift: createShiftTracker(config), kpis: null, losses: null });
    }
  }

  lineIds(): string[] {
    return [...this.lines.keys()];
  }

  has(line: string): boolean {
    return this.lines.has(line);
  }

  /** Applies stored events; returns the lines whose numbers changed. */
  apply(events: readonly StationEvent[], receivedAt: number | null): Set<string> {
    const changed = new Set<string>();
    for (const event of events) {
      if (!('line' in event) || event.line === undefined) continue;
      const state = this.lines.get(event.line);
      if (!state) continue;
      if (receivedAt !== null) state.line.receivedAt = receivedAt;
      const a = applyLineEvent(state.line, event);
      const b = applyShiftEvent(state.shift, event);
      if (a || b) changed.add(event.line);
    }
    return changed;
  }

  /** The line's numbers now; undefined for an unknown line. */
  view(line: string): LineLive | undefined {
    const state = this.lines.get(line);
    if (!state) return undefined;
    const now = this.clock.now();
    const live = lineLiveView(state.line, now);
    if (this.sourcesOf) {
      const signals = stationSignals(this.sourcesOf(), line);
      live.stations = live.stations.map((s) => ({ ...s, signalLost: signals.get(s.id) ?? null }));
    }
    const shift = shiftLiveView(state.shift, now);
    return {
      ...live,
      shift,
      reasonLabels: this.labels([...live.stations.map((s) => [s.id, s.reason] as const), ...(shift?.topDowntime ?? []).map((d) => [d.station, d.reason] as const)]),
      kpis: state.kpis,
      losses: state.losses,
      ...(this.andonOf ? { andon: this.andonOf(line) } : {}),
      ...(this.intakeOf ? { intake: this.intakeOf() } : {}),
      ...(this.clock.rate !== 1 ? { clockRate: this.clock.rate } : {}),
    };
  }

  /** The reason tree's labels of the reasons shown, each once. */
  private labels(shown: readonly (readonly [string, string | null])[]): ReasonLabel[] {
    const out = new Map<string, ReasonLabel>();
    for (const [station, reason] of shown) {
      if (!reason || out.has(reason)) continue;
      const label = labelReason(reason, this.reasons, (r) => partnerFromReason(station, r));
      if (label) out.set(reason, label);
    }
    return [...out.values()];
  }

  /**
   * A key of what changes in the line's view without an event announcing it: a source falling
   * silent or coming back, the collector starting or stopping to refuse events. The live hub
   * compares it on its heartbeat and sends an update when it moved.
   */
  quietKey(line: string): string {
    const signals = this.sourcesOf ? signalsKey(stationSignals(this.sourcesOf(), line)) : '';
    const intake = this.intakeOf?.();
    return intake ? `${signals}\u0000${intake.code}` : signals;
  }

  /** The instant the line's numbers are for: the line clock (wall clock, or the explicit demo clock). */
  lineNow(_line: string): number {
    return this.clock.now();
  }

  /**
   * After a restart: replays the events of the current (or last) shift from
   * InfluxDB, so the wall screen does not start the shift from zero.
   */
  async restore(store: EventStore): Promise<void> {
    for (const state of this.lines.values()) {
      const now = this.clock.now();
      const cal = lineCalendar(state.config);
      const shift = currentShift(cal, now) ?? previousShift(cal, now);
      const from = Math.min(shift?.start ?? now, now - HOUR_MS);
      const { events, initialStates } = await readLineEvents(store, state.config, from, now + 1);
      const replay: StationEvent[] = Object.entries(initialStates).map(([station, s]) => ({
        type: 'state',
        ts: s.since ?? from,
        line: state.config.id,
        station,
        state: s.state,
        // A stop carried over the restart keeps its reason on the wall.
        ...(s.reason ? { reason: s.reason } : {}),
      }));
      replay.push(...events.filter((e) => e.type !== 'orders').sort((a, b) => a.ts - b.ts));
      this.apply(replay, null);
    }
  }

  /** Recomputes each line's shift bottleneck and OEE from InfluxDB. */
  async refreshKpis(store: EventStore): Promise<Set<string>> {
    const changed = new Set<string>();
    for (const state of this.lines.values()) {
      const now = this.clock.now();
      const cal = lineCalendar(state.config);
      const shift = currentShift(cal, now) ?? previousShift(cal, now);
      if (!shift) continue;
      const { events, initialStates } = await readLineEvents(store, state.config, shift.start, Math.min(shift.end, now + 1));
      const k = computeLineKpis({ line: state.config, calendar: cal, events, from: shift.start, to: shift.end, now, initialStates });
      state.losses = shiftLossLive({ line: state.config, calendar: cal, events, initialStates, shift, now });
      state.kpis = {
        at: now,
        // The wall's bottleneck tag follows the momentary bottleneck (Roser), so a shortage moves it to the starved station.
        bottleneck: state.losses.bottleneck,
        oee: { availability: k.oee.availability, performance: k.oee.performance, quality: k.oee.quality, oee: k.oee.oee },
      };
      changed.add(state.config.id);
    }
    return changed;
  }
}
