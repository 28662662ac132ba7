/**
 * One line's card on the plant overview, from the same wall model the line's
 * own wall uses, so a figure means the same on both. Pure.
 */
import type { LineLive } from '@core/live';
import type { LossCause } from '@core/loss/types';
import { toneWithLine, type Tone, type WallModel } from './wall-model';

/** What the line is doing, in one word: the worst of its stations. */
export type LineCondition = 'running' | 'degraded' | 'down' | 'stopped' | 'no_data';

export interface PlantCard {
  condition: LineCondition;
  tone: Tone;
  unitsThisHour: number;
  planThisHour: number;
  expectedByNow: number;
  thisHourTone: Tone;
  shiftUnits: number | null;
  shiftPlanByNow: number | null;
  shiftTone: Tone | null;
  /** OEE of the shift, 0…1; null when not computed or no planned time (never shown as 100 %). */
  oee: number | null;
  /** Open andon calls; null when the collector does not track calls for this line. */
  openCalls: number | null;
  /** The shift's largest loss; null when none, undefined when the collector does not compute losses. */
  largestLoss: { cause: LossCause; units: number } | null | undefined;
  stale: boolean;
}

/** The line's condition from its stations: any in fault or maintenance is down, none running is stopped. */
export function lineCondition(stations: readonly { state: string }[]): LineCondition {
  if (stations.length === 0) return 'no_data';
  if (stations.some((s) => s.state === 'fault' || s.state === 'maintenance')) return 'down';
  if (!stations.some((s) => s.state === 'running')) return 'stopped';
  if (stations.some((s) => s.state !== 'running')) return 'degraded';
  return 'running';
}

const CONDITION_TONE: Record<LineCondition, Tone> = { running: 'good', degraded: 'warn', down: 'bad', stopped: 'bad', no_data: 'warn' };

/** The card of one line; null until its first snapshot. */
export function plantCard(line: LineLive | null, model: WallModel | null): PlantCard | null {
  if (!line || !model) return null;
  const condition = lineCondition(line.stations);
  const oee = line.kpis?.oee.oee;
  return {
    condition,
    tone: CONDITION_TONE[condition],
    unitsThisHour: model.unitsThisHour,
    planThisHour: model.planThisHour,
    expectedByNow: model.expectedByNow,
    thisHourTone: model.thisHourTone,
    shiftUnits: model.shift?.units ?? null,
    shiftPlanByNow: model.shift?.planByNow ?? null,
    shiftTone: model.shift ? toneWithLine(model.shift.tone, line.stations) : null,
    oee: typeof oee === 'number' && Number.isFinite(oee) ? oee : null,
    openCalls: line.andon ? line.andon.open.length : null,
    largestLoss: line.losses === undefined ? undefined : (line.losses?.largestLoss ?? null),
    stale: model.stale,
  };
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
