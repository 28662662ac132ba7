/**
 * Rendered shift reports under `<TAKTLINE_DATA_DIR>/reports/`: `<id>.pdf`
 * and its `<id>.json` description, written after the PDF (temp file, fsync,
 * rename), so a description always names a whole PDF. Rendering the same
 * shift again makes a new version that links the one it replaces; nothing
 * is overwritten.
 */
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const StoredReport = z.object({
  id: z.string(),
  line: z.string(),
  shift: z.string(),
  version: z.number().int().positive(),
  /** The version this one replaces, if any. */
  replaces: z.string().nullable(),
  createdAt: z.number(),
  /** A person who asked for it, or null for the collector's own end-of-shift run. */
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  bytes: z.number().int().nonnegative(),
  /** The handover version the PDF shows (its notes and signature), when the shift had ended. */
  handoverVersion: z.number().int().positive().optional(),
  /** Why it was rendered: at the shift's end (`shift_end`), on a signature (`signed`), or on demand (absent). */
  occasion: z.enum(['shift_end', 'signed']).optional(),
});
export type StoredReport = z.infer<typeof StoredReport>;

/** Ids are file names: letters, digits, `-`, `_` and `.` only, never a path. */
export const REPORT_ID_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');

async function writeDurably(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w', 0o640);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

export interface AddReport {
  line: string;
  shift: string;
  pdf: Buffer;
  createdAt: number;
  createdBy: StoredReport['createdBy'];
  handoverVersion?: number;
  occasion?: StoredReport['occasion'];
}

export class ReportArchive {
  /** Adds one at a time: two renders of one shift must not both become the same version. */
  private adding: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  /** Every stored report, newest first; `line` narrows to one line. Unreadable descriptions are skipped. */
  async list(line?: string): Promise<StoredReport[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: StoredReport[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const parsed = StoredReport.safeParse(JSON.parse(await readFile(join(this.dir, name), 'utf8').catch(() => 'null')));
      if (parsed.success && (line === undefined || parsed.data.line === line)) out.push(parsed.data);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || b.version - a.version);
  }

  async get(id: string): Promise<{ report: StoredReport; pdf: Buffer } | null> {
    if (!REPORT_ID_PATTERN.test(id)) return null;
    const report = (await this.list()).find((r) => r.id === id);
    if (!report) return null;
    return { report, pdf: await readFile(join(this.dir, `${id}.pdf`)) };
  }

  /** Stores a PDF as the next version of the line's shift report. */
  add(input: AddReport): Promise<StoredReport> {
    const next = this.adding.then(() => this.addNow(input));
    this.adding = next.catch(() => undefined);
    return next;
  }

  private async addNow(input: AddReport): Promise<StoredReport> {
    await mkdir(this.dir, { recursive: true });
    const previous = (await this.list(input.line)).filter((r) => r.shift === input.shift).sort((a, b) => b.version - a.version)[0] ?? null;
    const version = (previous?.version ?? 0) + 1;
    const id = `${safe(input.line)}.${safe(input.shift)}.v${version}`;
    const report: StoredReport = {
      id,
      line: input.line,
      shift: input.shift,
      version,
      replaces: previous?.id ?? null,
      createdAt: input.createdAt,
      createdBy: input.createdBy,
      bytes: input.pdf.length,
      ...(input.handoverVersion !== undefined ? { handoverVersion: input.handoverVersion } : {}),
      ...(input.occasion !== undefined ? { occasion: input.occasion } : {}),
    };
    await writeDurably(join(this.dir, `${id}.pdf`), input.pdf);
    await writeDurably(join(this.dir, `${id}.json`), JSON.stringify(report));
    return report;
  }
}
