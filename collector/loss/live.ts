/** The shift's losses for the live board, from the events the KPI refresh already read. */
import type { ProductionCalendar } from '../../core/calendar/schema';
import type { StationEvent } from '../../core/events';
import type { InitialState } from '../../core/kpi/states';
import { lossLive } from '../../core/loss/live';
import type { LossLive } from '../../core/loss/types';
import { computeLosses } from '../../core/loss/waterfall';
import type { LineConfig } from '../../core/plant';

export interface ShiftLossInput {
  line: LineConfig;
  calendar: ProductionCalendar;
  events: readonly StationEvent[];
  initialStates: Readonly<Record<string, InitialState>>;
  shift: { start: number; end: number };
  now: number;
}

/** Momentary bottleneck and the shift's largest loss so far. */
export function shiftLossLive(input: ShiftLossInput): LossLive {
  return lossLive(
    computeLosses({
      line: input.line,
      calendar: input.calendar,
      events: input.events,
      from: input.shift.start,
      to: input.shift.end,
      now: input.now,
      initialStates: input.initialStates,
    }),
  );
}
