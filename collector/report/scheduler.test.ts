import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { referencePlant } from '../../core/plant';
import { ReportArchive } from './archive';
import { GRACE_MS, RETRY_MS, ShiftEndReports } from './scheduler';

const EARLY_END = Date.parse('2027-03-01T14:00:00+08:00');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A scheduler on a real archive in a temp dir; `render` stores a tiny PDF unless told to fail. */
function setup(dir = mkdtempSync(join(tmpdir(), 'taktline-sched-'))) {
  dirs.push(dir);
  const archive = new ReportArchive(dir);
  const clock = { now: EARLY_END };
  const rendered: string[] = [];
  const logs: string[] = [];
  const state = { fail: false };
  const scheduler = new ShiftEndReports({
    plant: referencePlant(),
    lineNow: () => clock.now,
    archive,
    render: async (line, shift) => {
      if (state.fail) throw new Error('Chromium is not at /nonexistent');
      rendered.push(shift);
      return archive.add({ line, shift, pdf: Buffer.from('%PDF-1.4 test'), createdAt: clock.now, createdBy: null });
    },
    log: (m) => logs.push(m),
  });
  return { dir, archive, clock, rendered, logs, state, scheduler };
}

describe('ShiftEndReports', () => {
  it('renders the ended shift once, after the grace period, and not again after a restart', async () => {
    const s = setup();
    s.clock.now = EARLY_END + GRACE_MS - 1;
    await s.scheduler.tick();
    expect(s.rendered).not.toContain('2027-03-01/early');
    s.clock.now = EARLY_END + GRACE_MS;
    await s.scheduler.tick();
    await s.scheduler.tick();
    expect(s.rendered.filter((k) => k === '2027-03-01/early')).toHaveLength(1);
    expect((await s.archive.list('A1')).map((r) => r.shift)).toContain('2027-03-01/early');
    // A new collector on the same data dir finds it in the archive.
    const again = setup(s.dir);
    again.clock.now = EARLY_END + GRACE_MS + 60_000;
    await again.scheduler.tick();
    expect(again.rendered).toEqual([]);
  });

  it('says why a render failed and tries again after the retry interval, not before', async () => {
    const s = setup();
    s.state.fail = true;
    s.clock.now = EARLY_END + GRACE_MS;
    await s.scheduler.tick();
    expect(s.logs.at(-1)).toContain('Chromium is not at /nonexistent');
    s.state.fail = false;
    s.clock.now += RETRY_MS - 1;
    await s.scheduler.tick();
    expect(s.rendered).toEqual([]);
    s.clock.now += 1;
    await s.scheduler.tick();
    expect(s.rendered).toEqual(['2027-03-01/early']);
  });
});

describe('ReportArchive', () => {
  it('gives two reports of one shift added at once two versions, the second linking the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taktline-archive-'));
    dirs.push(dir);
    const archive = new ReportArchive(dir);
    const add = () => archive.add({ line: 'A1', shift: '2027-03-01/early', pdf: Buffer.from('%PDF-1.4'), createdAt: 1, createdBy: null });
    const [a, b] = await Promise.all([add(), add()]);
    expect([a.version, b.version]).toEqual([1, 2]);
    expect(b.replaces).toBe(a.id);
    expect(await archive.get('../andon-outbox')).toBeNull();
    expect((await archive.get(a.id))?.pdf.toString()).toBe('%PDF-1.4');
  });
});
