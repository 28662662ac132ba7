/**
 * The live state of every configured line, fed with stored events. Which
 * clock the numbers follow is a setting: the wall clock in production, the
 * data's own clock when a simulator runs a line faster than real time.
 */
import type { StationEvent } from '../../core/events';
import { applyLineEvent, createLineTracker, lineLiveView, type LineTracker } from '../../core/kpi/line-live';
import type { LineLive } from '../../core/live';
import type { PlantConfig } from '../../core/plant';
import type { ClockMode } from '../config';

export class LineBoard {
  private readonly trackers = new Map<string, LineTracker>();

  constructor(
    plant: PlantConfig,
    private readonly clockMode: ClockMode,
    private readonly wallClock: () => number,
  ) {
    for (const line of plant.lines) this.trackers.set(line.id, createLineTracker(line));
  }

  lineIds(): string[] {
    return [...this.trackers.keys()];
  }

  has(line: string): boolean {
    return this.trackers.has(line);
  }

  /** Applies stored events; returns the lines whose numbers changed. */
  apply(events: readonly StationEvent[], receivedAt: number): Set<string> {
    const changed = new Set<string>();
    for (const event of events) {
      if (!('line' in event) || event.line === undefined) continue;
      const tracker = this.trackers.get(event.line);
      if (!tracker) continue;
      tracker.receivedAt = receivedAt;
      if (applyLineEvent(tracker, event)) changed.add(event.line);
    }
    return changed;
  }

  /** The line's numbers now; undefined for an unknown line. */
  view(line: string): LineLive | undefined {
    const tracker = this.trackers.get(line);
    if (!tracker) return undefined;
    return lineLiveView(tracker, this.now(tracker));
  }

  /** The instant the line's numbers are for: the wall clock, or the data's clock (demo). */
  lineNow(line: string): number {
    const tracker = this.trackers.get(line);
    return tracker ? this.now(tracker) : this.wallClock();
  }

  private now(tracker: LineTracker): number {
    const wall = this.wallClock();
    if (this.clockMode === 'events' && tracker.dataAt !== null) return tracker.dataAt;
    return wall;
  }
}
