/**
 * The report of every shift, rendered when it ends: on each tick, for each
 * line, the last shift that ended on the line's clock (at least GRACE_MS ago,
 * so late events of its last minutes are in) is rendered once. Whether it
 * was is read from the archive, so a restart does not render it again. A
 * failed render (Chromium missing, InfluxDB away) is tried again after
 * RETRY_MS and said in the log; the collector goes on.
 */
import { lineCalendar, previousShift } from '../../core/calendar/calendar';
import type { PlantConfig } from '../../core/plant';
import type { ReportArchive, StoredReport } from './archive';

/** Wait after a shift's end before its report is rendered, ms: stations' buffered events arrive late. */
export const GRACE_MS = 2 * 60_000;
/** Wait before a failed render is tried again, ms. */
export const RETRY_MS = 10 * 60_000;
/** How often the timer looks for an ended shift, ms. */
export const TICK_MS = 60_000;

export interface ShiftEndReportsDeps {
  plant: PlantConfig;
  lineNow: (line: string) => number;
  archive: ReportArchive;
  /** Renders and stores the report of a line's shift (renderAndStore in production). */
  render: (line: string, shiftKey: string) => Promise<StoredReport>;
  log: (message: string) => void;
}

export class ShiftEndReports {
  /** `${line}\n${shift key}` rendered (or found in the archive). */
  private readonly done = new Set<string>();
  /** When a render last failed, on the line's clock. */
  private readonly failedAt = new Map<string, number>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ShiftEndReportsDeps) {}

  /** Renders each line's last ended shift if it is due and not yet rendered. One tick at a time. */
  tick(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async run(): Promise<void> {
    for (const line of this.deps.plant.lines) {
      const now = this.deps.lineNow(line.id);
      const shift = previousShift(lineCalendar(line), now);
      if (!shift || now < shift.end + GRACE_MS) continue;
      const key = `${line.id}\n${shift.key}`;
      if (this.done.has(key)) continue;
      const failed = this.failedAt.get(key);
      if (failed !== undefined && now - failed < RETRY_MS) continue;
      try {
        if ((await this.deps.archive.list(line.id)).some((r) => r.shift === shift.key)) {
          this.done.add(key);
          continue;
        }
        const stored = await this.deps.render(line.id, shift.key);
        this.done.add(key);
        this.failedAt.delete(key);
        this.deps.log(`reports: shift report ${stored.id} of line ${line.id} rendered (${stored.bytes} bytes)`);
      } catch (error) {
        this.failedAt.set(key, now);
        this.deps.log(`reports: cannot render the report of line ${line.id}, shift ${shift.key}; trying again in ${RETRY_MS / 60_000} min: ${(error as Error).message}`);
      }
    }
  }
}
