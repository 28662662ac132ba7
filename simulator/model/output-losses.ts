/**
 * Causal ground truth of lost output: for every planned second in which the
 * line's output station (the last one, where units leave the line) did not
 * work on a unit, the root cause, found by following the model's own wait
 * chain (never its events) upstream to where it ends: a station that is down
 * (fault, maintenance or changeover), a partner whose parts ran out, a
 * micro-stop, or the flow itself (the next unit is being worked on at its
 * cycle, or waits for the first station's launch slot: the pace of the plan,
 * not a loss). The definition and how loss accounting is held against it are
 * in docs/kpi.md ("Ground truth").
 */
import type { Line } from './line';
import type { Station } from './station';

/** What the output station's idle second was traced to. */
export type OutputLossCause =
  | { kind: 'downtime'; station: string; state: 'fault' | 'maintenance'; reason: string | null }
  | { kind: 'starved'; station: string; partner: string }
  | { kind: 'microstop'; station: string }
  | { kind: 'pace'; station: string };

/** Planned seconds of one root cause, and the units they cost at the target rate. */
export interface OutputLoss {
  cause: OutputLossCause;
  seconds: number;
  /** seconds × targetPerHour / 3600. */
  units: number;
}

export interface OutputLossSummary {
  /** The output station the seconds are counted at. */
  station: string;
  /** Planned seconds in which it worked on a unit (micro-stops excluded). */
  producingSeconds: number;
  /** Every other planned second, by root cause, largest first; with `producingSeconds` they add up to the planned seconds. */
  causes: OutputLoss[];
  /** Speed loss of the watched station's own cycles: Σ max(0, working seconds without micro-stops − ideal takt), and in units. */
  speed: { seconds: number; units: number };
}

/**
 * Follows the output station's wait upstream. Called by the line whenever any
 * station's activity, wait or micro-stop changes and when a pause begins or
 * ends; the seconds since the last call are charged to the root cause that held
 * over them.
 */
export class OutputLossTracker {
  private readonly seconds = new Map<string, { cause: OutputLossCause; seconds: number }>();
  private producing = 0;
  private since = 0;
  /** Root cause since `since`; null: producing. */
  private current: OutputLossCause | null = null;
  private planned = false;
  private slowSeconds = 0;

  /** @param at index of the station the seconds are counted at (the output station, or the designed constraint). */
  constructor(
    private readonly line: Line,
    private readonly at: number,
  ) {}

  /** A station finished a cycle of `workSeconds` (micro-stops not counted): the watched one's time over the ideal takt is speed loss. */
  noteCycle(station: Station, workSeconds: number): void {
    if (station !== this.line.stations[this.at]) return;
    this.slowSeconds += Math.max(0, workSeconds - 3600 / this.line.scenario.targetPerHour);
  }

  /** Charges the time since the last change, then reads the chain anew. */
  update(): void {
    const now = this.line.env.now;
    this.charge(this.current, now);
    this.since = now;
    this.planned = this.line.pause === null;
    this.current = this.rootCause();
  }

  summary(now: number): OutputLossSummary {
    const targetPerHour = this.line.scenario.targetPerHour;
    const out = new Map([...this.seconds].map(([k, v]) => [k, { ...v }]));
    let producing = this.producing;
    if (this.planned && now > this.since) {
      if (this.current === null) producing += now - this.since;
      else {
        const key = JSON.stringify(this.current);
        const entry = out.get(key) ?? { cause: this.current, seconds: 0 };
        entry.seconds += now - this.since;
        out.set(key, entry);
      }
    }
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
      station: this.line.stations[this.at]?.id ?? '',
      producingSeconds: round(producing),
      causes: [...out.values()]
        .map((e) => ({ cause: e.cause, seconds: round(e.seconds), units: round((e.seconds * targetPerHour) / 3600) }))
        .sort((a, b) => b.seconds - a.seconds),
      speed: { seconds: round(this.slowSeconds), units: round((this.slowSeconds * targetPerHour) / 3600) },
    };
  }

  private charge(cause: OutputLossCause | null, now: number): void {
    if (!this.planned || now <= this.since) return;
    if (cause === null) {
      this.producing += now - this.since;
      return;
    }
    const key = JSON.stringify(cause);
    const entry = this.seconds.get(key) ?? { cause, seconds: 0 };
    entry.seconds += now - this.since;
    this.seconds.set(key, entry);
  }

  /** The root cause of the watched station's current wait, or null while it works on a unit. */
  private rootCause(): OutputLossCause | null {
    const stations = this.line.stations;
    const watched = stations[this.at];
    let at: Station | undefined = watched;
    let direction: 'starved' | 'blocked' | null = null;
    for (let guard = 0; at !== undefined && guard <= stations.length; guard += 1) {
      const a = at.activityNow;
      switch (a.state) {
        case 'running':
          if (a.microStop) return { kind: 'microstop', station: at.id };
          // The watched station works: it produces. Any other station works on the unit it waits for: pace.
          return at === watched ? null : { kind: 'pace', station: at.id };
        case 'fault':
        case 'maintenance':
          return { kind: 'downtime', station: at.id, state: a.state, reason: a.reason };
        case 'starved':
        case 'blocked': {
          const wait = a.waitingFor;
          if (wait !== null && 'partner' in wait) return { kind: 'starved', station: at.id, partner: wait.partner };
          // Starved: the station before it; blocked: the one after it. Follow the wait the same way.
          if (wait !== null && 'station' in wait && (at === watched || a.state === direction)) {
            direction = a.state;
            at = stations.find((s) => s.id === wait.station);
            continue;
          }
          return { kind: 'pace', station: at.id };
        }
        default:
          // Idle for the launch slot: the plan's pace, not a loss.
          return { kind: 'pace', station: at.id };
      }
    }
    return null;
  }
}
