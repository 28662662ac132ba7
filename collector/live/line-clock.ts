/**
 * The line clock: the instant the live numbers, the shift and "this hour" are
 * for, and the instant event timestamps are checked against. It is the wall
 * clock. Demo time is an explicit mode with a start and a rate, set in the
 * configuration; it is never learned from events, so no event, however far
 * ahead or behind it is stamped, can move the clock.
 */
import type { CollectorConfig } from '../config';

/** A clock the collector reads; `rate` is line seconds per wall second (1 = the wall clock). */
export interface LineClock {
  now(): number;
  rate: number;
  mode: 'wall' | 'demo';
}

/**
 * The configured line clock. `demo`: the line time was `demoStart` when the
 * clock was made (the collector's start) and runs `demoSpeed`× the wall clock
 * from there; without a start it starts at the wall clock's time.
 */
export function lineClockFrom(config: Pick<CollectorConfig, 'clock' | 'demoStart' | 'demoSpeed'>, wallClock: () => number): LineClock {
  if (config.clock === 'wall') return { now: wallClock, rate: 1, mode: 'wall' };
  const anchor = wallClock();
  const start = config.demoStart ?? anchor;
  const rate = config.demoSpeed;
  return { now: () => start + (wallClock() - anchor) * rate, rate, mode: 'demo' };
}
