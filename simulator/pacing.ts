/**
 * Pacing: the only place in the simulator that reads the wall clock. The
 * engine knows nothing of real time; these loops advance it either as fast as
 * the CPU allows or `speed` simulated seconds per wall second, and hold it back
 * while the sink has more undelivered events than it should keep.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Line } from './model/line';
import type { EventSink } from './sinks/sink';

/** Wall-clock time, epoch ms (for `--start now`). */
export function wallClockNow(): number {
  return Date.now();
}

export interface PacingOptions {
  /** Simulated seconds per wall second, 1–1000, or 'max' for as fast as possible. */
  speed: number | 'max';
  /** Stop at this simulated second (exclusive); Infinity runs until `shouldStop`. */
  endSeconds: number;
  sink: EventSink;
  /** Pause the simulation while the sink holds more undelivered events than this. @default 50000 */
  maxBacklog?: number;
  /** Called now and then (at most every 200 ms of wall time) with the simulated second reached. */
  onProgress?: (simSeconds: number) => void;
  /** Checked between slices; true ends the run early (Ctrl-C). */
  shouldStop?: () => boolean;
}

/** Simulated seconds run between checks of the sink and the clock when running flat out. */
const MAX_SPEED_SLICE_SECONDS = 600;
/** Longest wall pause between steps of a paced run, ms: keeps batches and Ctrl-C responsive. */
const MAX_PAUSE_MS = 100;
const PROGRESS_EVERY_MS = 200;

/** Runs `line` up to `endSeconds` (or until stopped); resolves with the simulated second reached. */
export async function runPaced(line: Line, options: PacingOptions): Promise<number> {
  const { speed, endSeconds, sink, onProgress } = options;
  const maxBacklog = options.maxBacklog ?? 50_000;
  const shouldStop = options.shouldStop ?? (() => false);
  const wallStart = performance.now();
  const simStart = line.env.now;
  let lastProgress = -Infinity;
  while (line.env.now < endSeconds && !shouldStop()) {
    if (sink.backlog() > maxBacklog) {
      // The simulated clock stays anchored to the wall clock: once the sink drains, it catches up.
      await sink.flush();
      continue;
    }
    const target =
      speed === 'max'
        ? Math.min(endSeconds, line.env.now + MAX_SPEED_SLICE_SECONDS)
        : Math.min(endSeconds, simStart + ((performance.now() - wallStart) / 1000) * speed);
    if (target > line.env.now) line.runUntil(target);
    const wall = performance.now();
    if (onProgress && wall - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = wall;
      onProgress(line.env.now);
    }
    if (speed === 'max') {
      await yieldToEventLoop();
    } else if (line.env.now < endSeconds) {
      const untilNext = ((line.nextEventTime() - line.env.now) / speed) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(MAX_PAUSE_MS, untilNext))));
    }
  }
  onProgress?.(line.env.now);
  return line.env.now;
}
