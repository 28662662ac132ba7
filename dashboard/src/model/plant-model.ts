/**
 * One line's card on the plant overview, from the same wall model the line's
 * own wall uses, so a figure means the same on both. Pure.
 */
import type { LossCause } from '@core/loss/types';
import { toneWithLine, type Tone, type WallBase, type WallTick } from './wall-model';

/** What the line is doing, in one word: the worst of its stations. */
export type LineCondition = 'running' | 'degraded' | 'down' | 'stopped' | 'no_data';

/**
 * What a card shows that changes only with data (the line's message), built
 * from the wall's data part; never rebuilt on the clock's tick (issue 15).
 */
export interface PlantCardBase {
  condition: LineCondition;
  tone: Tone;
  unitsThisHour: number;
  planThisHour: number;
  shiftUnits: number | null;
  shiftPlanByNow: number | null;
  shiftTone: Tone | null;
  /** OEE of the shift, 0…1; null when not computed or no planned time (never shown as 100 %). */
  oee: number | null;
  /** Open andon calls; null when the collector does not track calls for this line. */
  openCalls: number | null;
  /** The shift's largest loss; null when none, undefined when the collector does not compute losses. */
  largestLoss: { cause: LossCause; units: number } | null | undefined;
}

/** What moves with the clock: this hour's plan so far, its tone, and whether the card greys. */
export interface PlantCardTick {
  expectedByNow: number;
  thisHourTone: Tone;
  stale: boolean;
}

/** A whole card at one instant. */
export interface PlantCard extends PlantCardBase, PlantCardTick {}

/** The line's condition from its stations: any in fault or maintenance is down, none running is stopped. */
export function lineCondition(stations: readonly { state: string }[]): LineCondition {
  if (stations.length === 0) return 'no_data';
  if (stations.some((s) => s.state === 'fault' || s.state === 'maintenance')) return 'down';
  if (!stations.some((s) => s.state === 'running')) return 'stopped';
  if (stations.some((s) => s.state !== 'running')) return 'degraded';
  return 'running';
}

const CONDITION_TONE: Record<LineCondition, Tone> = { running: 'good', degraded: 'warn', down: 'bad', stopped: 'bad', no_data: 'warn' };

/** The data part of a line's card, from the wall's data part; null until its first snapshot. */
export function plantCardBase(base: WallBase | null): PlantCardBase | null {
  if (!base) return null;
  const { line } = base;
  const condition = lineCondition(line.stations);
  const oee = line.kpis?.oee.oee;
  return {
    condition,
    tone: CONDITION_TONE[condition],
    unitsThisHour: base.unitsThisHour,
    planThisHour: base.planThisHour,
    shiftUnits: base.shift?.units ?? null,
    shiftPlanByNow: base.shift?.planByNow ?? null,
    shiftTone: base.shift ? toneWithLine(base.shift.tone, line.stations) : null,
    oee: typeof oee === 'number' && Number.isFinite(oee) ? oee : null,
    openCalls: line.andon ? line.andon.open.length : null,
    largestLoss: line.losses === undefined ? undefined : (line.losses?.largestLoss ?? null),
  };
}

/** The clock's part of a card, from the wall's tick part. */
export function plantCardTick(tick: WallTick): PlantCardTick {
  return { expectedByNow: tick.expectedByNow, thisHourTone: tick.thisHourTone, stale: tick.stale };
}

/** The card of one line at one instant: both parts together; null until its first snapshot. */
export function plantCard(base: WallBase | null, tick: WallTick | null): PlantCard | null {
  const data = plantCardBase(base);
  return data && tick ? { ...data, ...plantCardTick(tick) } : null;
}

/** Columns × rows of the overview grid for `n` lines on a 16:9 screen: 1, 2, 3 in a row, then 2×2, 3×2, 3×3, 4×3. */
export function plantGrid(n: number): { columns: number; rows: number } {
  const count = Math.max(1, n);
  if (count <= 3) return { columns: count, rows: 1 };
  if (count === 4) return { columns: 2, rows: 2 };
  if (count <= 6) return { columns: 3, rows: 2 };
  if (count <= 8) return { columns: 4, rows: 2 };
  if (count <= 9) return { columns: 3, rows: 3 };
  const columns = 4;
  return { columns, rows: Math.ceil(count / columns) };
}
