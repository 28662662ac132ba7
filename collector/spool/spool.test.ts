import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../test/support/seeded-random';
import { CrashFs } from './crash-fs';
import { nodeSpoolFs, type SpoolFs } from './file-ops';
import { encodeRecord } from './record';
import { Spool, SpoolBatchTooLargeError, SpoolFullError, type SpoolOptions } from './spool';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taktline-spool-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const text = (records: { payload: Buffer }[]) => records.map((r) => r.payload.toString());
/** The file name of the segment that starts with the `index`-th record of 21 bytes (8 of header, 13 of payload). */
const name = (index: number) => `${String(index * 21).padStart(16, '0')}.seg`;
const open = (options: Partial<SpoolOptions> = {}) => Spool.open({ dir, maxBytes: 1024 * 1024, warn: () => undefined, ...options });

async function readAll(spool: Spool, from = spool.checkpoint): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const records = await spool.read(from, 64);
    if (records.length === 0) return out;
    out.push(...text(records));
    from = records[records.length - 1]!.end;
  }
}

describe('Spool', () => {
  it('reads back what it appended, in order, also after a reopen', async () => {
    const spool = await open();
    const positions = await Promise.all(['a', 'bb', 'ccc'].map((s) => spool.append(Buffer.from(s))));
    expect(positions).toEqual([
      { offset: 0, end: 9 },
      { offset: 9, end: 19 },
      { offset: 19, end: 30 },
    ]);
    expect(await readAll(spool)).toEqual(['a', 'bb', 'ccc']);
    await spool.close();
    const seen: [string, boolean][] = [];
    const again = await open({ onRecover: (r, done) => seen.push([r.payload.toString(), done]) });
    expect(seen).toEqual([
      ['a', false],
      ['bb', false],
      ['ccc', false],
    ]);
    expect(again.end).toBe(30);
    await again.append(Buffer.from('d'));
    expect(await readAll(again)).toEqual(['a', 'bb', 'ccc', 'd']);
    await again.close();
  });

  it('lets concurrent appends share one fsync (group commit)', async () => {
    const spool = await open();
    await Promise.all(Array.from({ length: 100 }, (_, i) => spool.append(Buffer.from(`event ${i}`))));
    // The first append starts a sync at once; the 99 that arrive while it runs share the second.
    expect(spool.stats()).toMatchObject({ appends: 100, syncs: 2 });
    await spool.close();
  });

  it('truncates a torn tail left by a crash and keeps every whole record', async () => {
    const spool = await open();
    await spool.append(Buffer.from('first'));
    await spool.append(Buffer.from('second'));
    await spool.close();
    const [segment] = readdirSync(dir).filter((n) => n.endsWith('.seg'));
    const path = join(dir, segment!);
    const whole = statSync(path).size;
    // Half a record: the header promises more bytes than made it to disk.
    appendFileSync(path, encodeRecord(Buffer.from('third, torn')).subarray(0, 12));
    const warnings: string[] = [];
    const again = await open({ warn: (m) => warnings.push(m) });
    expect(warnings[0]).toMatch(/truncated at byte/);
    expect(statSync(path).size).toBe(whole);
    await again.append(Buffer.from('after the crash'));
    expect(await readAll(again)).toEqual(['first', 'second', 'after the crash']);
    await again.close();
  });

  it('drops a last record whose checksum does not match instead of misreading it', async () => {
    const spool = await open();
    await spool.append(Buffer.from('good'));
    await spool.append(Buffer.from('flipped'));
    await spool.close();
    const [segment] = readdirSync(dir).filter((n) => n.endsWith('.seg'));
    const path = join(dir, segment!);
    const bytes = readFileSync(path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0x01, bytes.length - 1);
    writeFileSync(path, bytes);
    const again = await open();
    expect(await readAll(again)).toEqual(['good']);
    await again.close();
  });

  it('answers SpoolFullError at the quota, and takes appends again once InfluxDB confirmed', async () => {
    const spool = await open({ maxBytes: 100 });
    const first = await spool.append(Buffer.alloc(40, 1));
    await spool.append(Buffer.alloc(40, 2));
    const full = await spool.append(Buffer.alloc(40, 3)).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(SpoolFullError);
    expect(full).toMatchObject({ code: 'spool_full', retryAfterSeconds: 5 });
    await spool.commit(first.end);
    await expect(spool.append(Buffer.alloc(40, 3))).resolves.toMatchObject({ offset: 96 });
    await spool.close();
  });

  it('keeps the checkpoint across a reopen and rolls segments, deleting the confirmed ones after retention', async () => {
    let now = 1_000_000;
    const options = { segmentBytes: 64, retainMs: 60_000, clock: () => now };
    const spool = await open(options);
    const positions = [];
    for (let i = 0; i < 10; i += 1) positions.push(await spool.append(Buffer.from(`record-${i}-${'x'.repeat(10)}`)));
    const segments = () => readdirSync(dir).filter((n) => n.endsWith('.seg')).length;
    expect(segments()).toBe(5);
    await spool.commit(positions[5]!.end);
    expect(segments()).toBe(5); // within retention: kept to rebuild the repeat-id window
    now += 60_000;
    await spool.commit(positions[6]!.end);
    expect(segments()).toBe(2);
    await spool.close();

    const checkpointed: string[] = [];
    const again = await open({ ...options, onRecover: (r, done) => done && checkpointed.push(r.payload.toString()) });
    expect(again.checkpoint).toBe(positions[6]!.end);
    expect(checkpointed).toEqual([`record-6-${'x'.repeat(10)}`]);
    expect((await readAll(again)).map((s) => s.slice(0, 8))).toEqual(['record-7', 'record-8', 'record-9']);
    await again.close();
  });

  it("keeps the segment open for the writer's reads, and closes it before its segment is deleted and at close", async () => {
    // Every file operation, in order: which file was opened how, read, closed, deleted.
    const log: string[] = [];
    const fs: SpoolFs = {
      ...nodeSpoolFs,
      async open(path, mode) {
        const file = await nodeSpoolFs.open(path, mode);
        const name = basename(path);
        log.push(`open ${mode} ${name}`);
        return { ...file, close: async () => (log.push(`close ${mode} ${name}`), file.close()) };
      },
      async unlink(path) {
        log.push(`unlink ${basename(path)}`);
        return nodeSpoolFs.unlink(path);
      },
    };
    let now = 1_000_000;
    const spool = await open({ fs, segmentBytes: 64, retainMs: 0, clock: () => now });
    // The writer's pattern: append, read what is new, append, read… (three records per 64-byte segment).
    let from = 0;
    const seen: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await spool.append(Buffer.from(`r${i}-${'x'.repeat(10)}`));
      const records = await spool.read(from, 1024);
      seen.push(...text(records));
      from = records[records.length - 1]!.end;
    }
    expect(seen.map((s) => s.slice(0, 2))).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    // One open per segment read, not one per read; the first is closed when the reads move on to the second.
    const reads = log.filter((l) => / read /.test(l));
    expect(reads).toEqual([`open read ${name(0)}`, `close read ${name(0)}`, `open read ${name(3)}`]);
    // The next append rolls to a third segment; deleting the confirmed second one, which the reads are still on,
    // closes its read handle first (an open file keeps its disk space).
    await spool.append(Buffer.from('last'));
    now += 1;
    await spool.commit(from);
    const unlinked = log.indexOf(`unlink ${name(3)}`);
    expect(unlinked).toBeGreaterThan(-1);
    expect(log.indexOf(`close read ${name(3)}`)).toBeGreaterThan(-1);
    expect(log.indexOf(`close read ${name(3)}`)).toBeLessThan(unlinked);
    // The reads go on in the third segment; closing the spool leaves no read handle open.
    expect(text(await spool.read(from, 1024))).toEqual(['last']);
    await spool.close();
    const opened = log.filter((l) => l.startsWith('open read')).length;
    expect(log.filter((l) => l.startsWith('close read')).length).toBe(opened);
  });

  it('reads a record larger than the requested size whole', async () => {
    const spool = await open();
    await spool.append(Buffer.alloc(5000, 7));
    const [record] = await spool.read(0, 16);
    expect(record?.payload.length).toBe(5000);
    await spool.close();
  });

  it('recovers when the process died before the first record made it', async () => {
    const spool = await open();
    await spool.close();
    const [segment] = readdirSync(dir).filter((n) => n.endsWith('.seg'));
    truncateSync(join(dir, segment!), 0);
    appendFileSync(join(dir, segment!), Buffer.alloc(4096)); // a zero-filled tail
    const again = await open();
    expect(again.end).toBe(0);
    await again.close();
  });
});

describe('Spool on a file layer that fills up, fails and crashes', () => {
  const DIR = '/spool';
  const onCrashFs = (fs: CrashFs, options: Partial<SpoolOptions> = {}) => Spool.open({ dir: DIR, maxBytes: 1024 * 1024, warn: () => undefined, fs, ...options });
  const segmentsOf = async (fs: CrashFs) => (await fs.readdir(DIR)).filter((n) => n.endsWith('.seg')).sort();

  it('never acknowledges a short write at ENOSPC, cuts it back, and takes writes again once space returns', async () => {
    const fs = new CrashFs({ random: seededRandom(1) });
    const spool = await onCrashFs(fs);
    await spool.append(Buffer.from('kept before the disk filled'));
    // Room for the header and a few bytes: Node's writev answers a short count, not an error.
    fs.capacityBytes = fs.usedBytes() + 12;
    const full = await spool.append(Buffer.from('this record does not fit on the disk')).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(SpoolFullError);
    expect(full).toMatchObject({ code: 'spool_full', retryAfterSeconds: 5 });
    expect((full as Error).message).toMatch(/disk under the spool is full.*ENOSPC/);
    expect(spool.status()).toMatchObject({ state: 'full', code: 'disk_full' });
    const [segment] = await segmentsOf(fs);
    // Nothing of the refused record is left, in the file or on the disk: it was cut back and synced.
    expect(spool.end).toBe(35);
    expect(fs.files(DIR).get(segment!)?.length).toBe(35);
    expect(fs.diskImage(`${DIR}/${segment!}`)?.length).toBe(35);

    fs.capacityBytes = Number.POSITIVE_INFINITY;
    await expect(spool.append(Buffer.from('after space returned'))).resolves.toEqual({ offset: 35, end: 63 });
    expect(spool.status()).toEqual({ state: 'ok', code: null, reason: null, since: null });
    fs.restart('torn');
    const again = await onCrashFs(fs);
    expect(await readAll(again)).toEqual(['kept before the disk filled', 'after space returned']);
    await again.close();
  });

  it('finds out by itself that space returned, so the status is ok again with no batch to try', async () => {
    const fs = new CrashFs({ random: seededRandom(8) });
    const spool = await onCrashFs(fs, { probeMs: 5 });
    fs.capacityBytes = fs.usedBytes();
    await expect(spool.append(Buffer.from('no room'))).rejects.toMatchObject({ code: 'spool_full' });
    await new Promise((r) => setTimeout(r, 30));
    expect(spool.status()).toMatchObject({ state: 'full', code: 'disk_full' }); // the probe found no room either
    fs.capacityBytes = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 100 && spool.status().state !== 'ok'; i += 1) await new Promise((r) => setTimeout(r, 5));
    expect(spool.status().state).toBe('ok');
    expect(await fs.readdir(DIR)).not.toContain('probe.tmp');
    await spool.close();
  });

  it('answers ENOSPC with no room at all as back-pressure too', async () => {
    const fs = new CrashFs({ random: seededRandom(2) });
    const spool = await onCrashFs(fs);
    fs.capacityBytes = fs.usedBytes();
    await expect(spool.append(Buffer.from('x'))).rejects.toMatchObject({ code: 'spool_full' });
    fs.capacityBytes = Number.POSITIVE_INFINITY;
    await expect(spool.append(Buffer.from('x'))).resolves.toEqual({ offset: 0, end: 9 });
    await spool.close();
  });

  it('rolls to a new segment after a failed sync and never reads the failed bytes back', async () => {
    const fs = new CrashFs({ random: seededRandom(3) });
    const spool = await onCrashFs(fs);
    await spool.append(Buffer.from('first'));
    let failSync = true;
    fs.injectFaults((op) => (op === 'datasync' && failSync ? ((failSync = false), 'EIO') : null));
    await expect(spool.append(Buffer.from('lost to EIO'))).rejects.toMatchObject({ code: 'spool_unavailable' });
    expect(spool.status()).toMatchObject({ state: 'failing', code: 'disk_error' });
    await spool.append(Buffer.from('second'));
    expect(await segmentsOf(fs)).toEqual(['0000000000000000.seg', '0000000000000013.seg']);
    fs.restart('torn');
    const again = await onCrashFs(fs);
    expect(await readAll(again)).toEqual(['first', 'second']);
    await again.close();
  });

  it('takes no write while a failed write cannot be rolled back, and resumes once it can', async () => {
    const fs = new CrashFs({ random: seededRandom(4) });
    const spool = await onCrashFs(fs);
    await spool.append(Buffer.from('first'));
    let broken = true;
    const writes: string[] = [];
    fs.injectFaults((op) => {
      if (op === 'writev') writes.push(op);
      return broken && (op === 'writev' || op === 'truncate' || op === 'open') ? 'EIO' : null;
    });
    await expect(spool.append(Buffer.from('refused'))).rejects.toMatchObject({ code: 'spool_unavailable' });
    await expect(spool.append(Buffer.from('refused too'))).rejects.toMatchObject({ code: 'spool_unavailable' });
    expect(writes).toHaveLength(1); // the second append waited for the repair, which failed
    broken = false;
    await spool.append(Buffer.from('second'));
    fs.restart('lose');
    const again = await onCrashFs(fs);
    expect(await readAll(again)).toEqual(['first', 'second']);
    await again.close();
  });

  it('refuses a batch larger than the whole quota for good, saying the quota', async () => {
    const spool = await open({ maxBytes: 64 * 1024 });
    const error = await spool.append(Buffer.alloc(70 * 1024, 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpoolBatchTooLargeError);
    expect(error).toMatchObject({ code: 'batch_exceeds_spool', retryable: false, maxBytes: 65536 });
    expect((error as Error).message).toMatch(/whole quota of 65536 bytes \(TAKTLINE_SPOOL_MAX_BYTES\).*split it/);
    await spool.close();
  });

  it('ends a segment where the next one starts, dropping what a failed write left past it', async () => {
    const spool = await open();
    await spool.append(Buffer.from('one'));
    await spool.close();
    // What a crash after "roll the segment" leaves: the old file still ends in the refused record.
    appendFileSync(join(dir, '0000000000000000.seg'), encodeRecord(Buffer.from('never acknowledged')));
    writeFileSync(join(dir, '0000000000000011.seg'), encodeRecord(Buffer.from('two')));
    const warnings: string[] = [];
    const again = await open({ warn: (m) => warnings.push(m) });
    expect(await readAll(again)).toEqual(['one', 'two']);
    expect(warnings.join('\n')).toMatch(/past the start of the next segment/);
    await again.close();
  });

  it('frees the segments InfluxDB already has when the disk fills, before their retention is over', async () => {
    const fs = new CrashFs({ random: seededRandom(6) });
    const spool = await onCrashFs(fs, { segmentBytes: 64, retainMs: 3_600_000 });
    const positions = [];
    for (let i = 0; i < 6; i += 1) positions.push(await spool.append(Buffer.from(`record-${i}-${'x'.repeat(30)}`)));
    await spool.commit(positions[3]!.end);
    expect(await segmentsOf(fs)).toHaveLength(6); // within retention: kept for the repeat-id window
    fs.capacityBytes = fs.usedBytes();
    await expect(spool.append(Buffer.from('no room'))).rejects.toMatchObject({ code: 'spool_full' });
    // The writer's next checkpoint first frees what the last one covers, so it fits, and so does the next batch.
    await spool.commit(positions[5]!.end);
    expect(spool.checkpoint).toBe(positions[5]!.end);
    expect((await segmentsOf(fs)).length).toBeLessThan(6);
    await expect(spool.append(Buffer.from('room again'))).resolves.toMatchObject({ offset: positions[5]!.end });
    await spool.close();
  });
});
