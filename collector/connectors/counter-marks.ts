/**
 * Where each cycle counter of a source stood when its events were last
 * stored, kept on disk so that a restarted collector counts what the PLC
 * counted while it was away. Without it a counter's first value after a
 * restart is a new baseline: cycles counted while the collector was down, and
 * those read but still queued when it was killed, were never sent.
 *
 * A mark is written only after the spool took the events of the values it
 * holds (IngestQueue's `taken`), so it never runs ahead of what is stored:
 * after a crash the counter's increments since the mark come again as cycles.
 * A crash between the spool's fsync and the mark's own write sends that
 * batch's cycles twice (other timestamps, so not dropped as repeats); the
 * other way round would lose them. docs/connectors.md says what this covers.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../spool/spool';

/** One counter's last value stored, the source time of that value, and the tag it was read from. */
export const CounterMark = z
  .object({
    line: z.string(),
    station: z.string(),
    address: z.string(),
    value: z.number().int(),
    ts: z.number().int(),
  })
  .strict();
export type CounterMark = z.infer<typeof CounterMark>;

const CounterMarksFile = z.object({ version: z.literal(1), source: z.string(), marks: z.array(CounterMark) }).strict();

export class CounterMarkFile {
  private writing: Promise<void> | null = null;
  private next: CounterMark[] | null = null;
  private lastSaved = '';

  constructor(
    private readonly path: string,
    private readonly source: string,
    private readonly log: (message: string) => void,
  ) {}

  /**
   * The marks an earlier run left, or none. A file that cannot be read as
   * marks of this source is put aside (`.broken-<epoch ms>`) with the reason
   * in the log, and the counters start from a new baseline as before.
   */
  load(): CounterMark[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      this.log(`cannot read the counter marks ${this.path} (${(error as Error).message}); counters start from their first value`);
      return [];
    }
    let why: string;
    try {
      const parsed = CounterMarksFile.safeParse(JSON.parse(text));
      if (parsed.success && parsed.data.source === this.source) {
        this.lastSaved = text;
        return parsed.data.marks;
      }
      why = parsed.success ? `they are source '${parsed.data.source}'s, not '${this.source}'s` : parsed.error.issues[0]?.message ?? 'not counter marks';
    } catch (error) {
      why = `not JSON: ${(error as Error).message}`;
    }
    const aside = `${this.path}.broken-${Date.now()}`;
    try {
      renameSync(this.path, aside);
    } catch {
      // Left where it is; the next save replaces it.
    }
    this.log(`the counter marks ${this.path} were put aside as ${basename(aside)} (${why}); counters start from their first value`);
    return [];
  }

  /** Saves `marks` (atomically, fsynced); writes coalesce, the newest wins, one at a time and in order. */
  save(marks: CounterMark[]): void {
    this.next = marks;
    this.writing ??= this.drain().finally(() => {
      this.writing = null;
    });
  }

  /** Resolves once the newest marks given are on disk (or their write failed and was logged). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    for (let marks = this.next; marks !== null; marks = this.next) {
      this.next = null;
      const text = `${JSON.stringify({ version: 1, source: this.source, marks })}\n`;
      if (text === this.lastSaved) continue;
      try {
        mkdirSync(dirname(this.path), { recursive: true });
        await writeFileAtomic(dirname(this.path), basename(this.path), text);
        this.lastSaved = text;
      } catch (error) {
        // The next save tries again; until then a restart counts from the older mark (cycles sent twice at worst, none lost).
        this.log(`cannot save the counter marks ${this.path}: ${(error as Error).message}`);
      }
    }
  }
}
