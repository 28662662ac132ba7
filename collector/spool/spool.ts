/**
 * The durable spool: an append-only log of records in segment files under one
 * directory, with a checkpoint that says how far InfluxDB has confirmed.
 *
 * - An append resolves only after its bytes are written whole and
 *   `fdatasync`ed. Appends that arrive while a sync is running share the next
 *   one (group commit), so many concurrent requests cost one disk flush.
 * - Invariant: a segment's file holds, up to `size`, only acknowledged whole
 *   records, and nothing after them that could be read as a record once the
 *   process is gone. A short write (the disk filled up: Node reports it as
 *   fewer `bytesWritten`, not as an error), a failed write or a failed sync is
 *   never acknowledged; the spool truncates the file back to `size` and syncs
 *   it, or, when that fails too, rolls to a new segment, and takes no other
 *   write until one of them succeeded.
 * - Positions are global byte offsets; a segment is named by the offset of its
 *   first byte, so a position never needs the segment's name to be stored. A
 *   segment ends where the next one starts: bytes past that in a rolled
 *   segment were never acknowledged.
 * - ENOSPC is back-pressure ({@link SpoolFullError}, like the quota), not a
 *   failure: the next append tries again, so the spool resumes by itself once
 *   space returns. Other I/O errors are answered with
 *   {@link SpoolUnavailableError}, and retried the same way.
 * - The checkpoint is replaced atomically (temp file, fsync, rename, fsync of
 *   the directory). A crash between an InfluxDB confirmation and the
 *   checkpoint replays a few records, which land on the same points.
 * - On open, every segment is checked record by record; a torn tail left by a
 *   crash is truncated, never misread.
 * - Fully checkpointed segments are deleted once older than `retainMs` (they
 *   rebuild the repeat-id window after a restart), or sooner when the disk use
 *   passes the quota or the disk is full.
 *
 * Every file operation goes through a {@link SpoolFs}, so tests crash the
 * spool at any operation (collector/spool/crash-fs.ts).
 */
import { join } from 'node:path';
import { errorCode, nodeSpoolFs, type SpoolFile, type SpoolFs } from './file-ops';
import { decodeRecords, encodeRecord, RECORD_HEADER_BYTES, type DecodedRecord } from './record';

export interface SpoolOptions {
  /** Directory of the segments and the checkpoint; created when missing. */
  dir: string;
  /** Most bytes of records not yet checkpointed; an append past it fails with {@link SpoolFullError}. */
  maxBytes: number;
  /** A segment is closed and a new one started once it holds this many bytes. @default 64 MiB */
  segmentBytes?: number;
  /** How long fully checkpointed segments are kept, ms. @default 600000 */
  retainMs?: number;
  /** Seconds a client is told to wait when the spool or its disk is full. @default 5 */
  retryAfterSeconds?: number;
  /** While the disk is full, how often a small probe file checks whether space returned, ms. @default retryAfterSeconds × 1000 */
  probeMs?: number;
  /** Wall clock, epoch ms. @default Date.now */
  clock?: () => number;
  /** Called on open with every record still on disk, oldest first, and whether InfluxDB already has it. */
  onRecover?: (record: DecodedRecord, checkpointed: boolean) => void;
  /** Where recovery and write failures are reported. @default console.warn */
  warn?: (message: string) => void;
  /** The file operations. @default nodeSpoolFs */
  fs?: SpoolFs;
}

/** The spool's quota is reached, or its disk is full: back-pressure, the client should retry after `retryAfterSeconds`. */
export class SpoolFullError extends Error {
  readonly code = 'spool_full';
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'SpoolFullError';
  }
}

/** The batch alone needs more bytes than the spool's whole quota: retrying can never help, it must be split. */
export class SpoolBatchTooLargeError extends Error {
  readonly code = 'batch_exceeds_spool';
  readonly retryable = false;
  constructor(
    message: string,
    readonly recordBytes: number,
    readonly maxBytes: number,
  ) {
    super(message);
    this.name = 'SpoolBatchTooLargeError';
  }
}

/** The spool cannot take writes now (closed, or the disk failed); a retry later may succeed. */
export class SpoolUnavailableError extends Error {
  readonly code = 'spool_unavailable';
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'SpoolUnavailableError';
  }
}

/** Where an appended record landed. */
export interface SpoolPosition {
  offset: number;
  end: number;
}

/** Figures for health and metrics. */
export interface SpoolStats {
  /** Bytes appended but not yet checkpointed. */
  unwrittenBytes: number;
  /** Bytes of all segment files. */
  diskBytes: number;
  segments: number;
  checkpoint: number;
  end: number;
  maxBytes: number;
  /** Syncs done and their total time, seconds: group commit shows as appends per sync. */
  syncs: number;
  syncSeconds: number;
  appends: number;
}

/**
 * Whether the spool takes writes, for /api/v1/health: `ok`; `full` (its quota
 * or its disk is full: back-pressure, it resumes once InfluxDB catches up or
 * space returns); `failing` (the disk answers errors; retried with each append).
 */
export interface SpoolStatus {
  state: 'ok' | 'full' | 'failing';
  /** `spool_full` (quota), `disk_full` (ENOSPC), `disk_error` (another I/O error); null when ok. */
  code: 'spool_full' | 'disk_full' | 'disk_error' | null;
  /** What went wrong, for a person; null when ok. */
  reason: string | null;
  /** Since when (epoch ms); null when ok. */
  since: number | null;
}

interface Segment {
  start: number;
  /** Bytes of acknowledged whole records in the file. */
  size: number;
  path: string;
  /** When the segment stopped growing (epoch ms); null for the active one. */
  closedAt: number | null;
}

interface PendingAppend {
  record: Buffer;
  resolve: (position: SpoolPosition) => void;
  reject: (error: Error) => void;
}

/** A write that put fewer bytes on disk than asked, without an error: what Node reports when the disk fills up. */
class ShortWriteError extends Error {
  readonly code = 'ENOSPC';
  constructor(written: number, wanted: number, path: string) {
    super(`ENOSPC: short write, ${written} of ${wanted} bytes written to ${path} (the disk is full)`);
    this.name = 'ShortWriteError';
  }
}

const SEGMENT_SUFFIX = '.seg';
const CHECKPOINT_FILE = 'checkpoint';
const segmentName = (start: number) => `${String(start).padStart(16, '0')}${SEGMENT_SUFFIX}`;
const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

export class Spool {
  private readonly segments: Segment[] = [];
  private active!: SpoolFile;
  private queue: PendingAppend[] = [];
  private queuedBytes = 0;
  private flushing: Promise<void> | null = null;
  /** Cleared by the loop itself, synchronously, so an append right after a flush starts the next one. */
  private flushRunning = false;
  private checkpointValue = 0;
  private commitChain: Promise<void> = Promise.resolve();
  private waiters: (() => void)[] = [];
  private closed = false;
  /** A write or sync failed and its bytes may still be in the active file: repaired before the next write. */
  private damage: Error | null = null;
  /** A new segment was asked for and is not durable yet: nothing more goes into the old one. */
  private mustRotate = false;
  private trouble: SpoolStatus = { state: 'ok', code: null, reason: null, since: null };
  private syncs = 0;
  private syncSeconds = 0;
  private appends = 0;
  private readonly segmentBytes: number;
  private readonly retainMs: number;
  private readonly retryAfterSeconds: number;
  private readonly clock: () => number;
  private readonly fs: SpoolFs;
  private readonly warn: (message: string) => void;
  private probeTimer: NodeJS.Timeout | null = null;
  /**
   * The segment file the last read used, kept open for the next (the writer reads the same segment again and
   * again as it grows): not an open and a close per read. Closed before its segment is deleted, so a pruned
   * segment's space is given back at once, and when the spool closes.
   */
  private reader: { path: string; file: SpoolFile } | null = null;
  /** Reads, and the closing of {@link reader}, one after the other: a read never sees its file closed under it. */
  private readChain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: SpoolOptions) {
    this.segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.retainMs = options.retainMs ?? 600_000;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 5;
    this.clock = options.clock ?? Date.now;
    this.fs = options.fs ?? nodeSpoolFs;
    this.warn = options.warn ?? ((m: string) => console.warn(m));
  }

  /** Opens (or creates) the spool in `options.dir`, repairing a torn tail. */
  static async open(options: SpoolOptions): Promise<Spool> {
    const spool = new Spool(options);
    await spool.recover();
    return spool;
  }

  /** Offset up to which InfluxDB confirmed every record. */
  get checkpoint(): number {
    return this.checkpointValue;
  }

  /** Offset just past the last durable record. */
  get end(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.start + last.size : this.checkpointValue;
  }

  /**
   * Appends one record; resolves once it is on disk whole (after `fdatasync`).
   * Rejects with {@link SpoolFullError} when the quota or the disk is full,
   * {@link SpoolBatchTooLargeError} when the record alone passes the quota,
   * {@link SpoolUnavailableError} when the disk fails; nothing of a rejected
   * record is ever read back.
   */
  append(payload: Buffer): Promise<SpoolPosition> {
    if (this.closed) return Promise.reject(new SpoolUnavailableError('the spool is closed'));
    const record = encodeRecord(payload);
    const { maxBytes } = this.options;
    if (record.length > maxBytes) {
      return Promise.reject(
        new SpoolBatchTooLargeError(
          `the batch needs ${record.length} bytes in the spool, more than its whole quota of ${maxBytes} bytes (TAKTLINE_SPOOL_MAX_BYTES): resending cannot help, split it into smaller batches`,
          record.length,
          maxBytes,
        ),
      );
    }
    const unwritten = this.end - this.checkpointValue + this.queuedBytes;
    if (unwritten + record.length > maxBytes) {
      const reason = `the spool holds ${unwritten} bytes not yet written to InfluxDB (limit ${maxBytes}): retry later`;
      this.setTrouble('full', 'spool_full', reason);
      return Promise.reject(new SpoolFullError(reason, this.retryAfterSeconds));
    }
    return new Promise<SpoolPosition>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.queuedBytes += record.length;
      if (!this.flushRunning) {
        this.flushRunning = true;
        this.flushing = this.flushLoop();
      }
    });
  }

  /** Whether the spool takes writes now, and why not. */
  status(): SpoolStatus {
    return { ...this.trouble };
  }

  private setTrouble(state: SpoolStatus['state'], code: NonNullable<SpoolStatus['code']>, reason: string): void {
    const since = this.trouble.code === code ? this.trouble.since : this.clock();
    this.trouble = { state, code, reason, since };
    if (code === 'disk_full') this.scheduleProbe();
  }

  /**
   * While the disk is full and no batch comes to find out, a probe file of
   * one page checks now and then whether space returned, so health says `ok`
   * again by itself. It is removed at once (and on start, like any temp file).
   */
  private scheduleProbe(): void {
    if (this.probeTimer || this.closed) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      void this.probe();
    }, this.options.probeMs ?? this.retryAfterSeconds * 1000);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.closed || this.trouble.code !== 'disk_full') return;
    const path = join(this.options.dir, 'probe.tmp');
    let room: boolean;
    try {
      const file = await this.fs.open(path, 'create');
      try {
        const page = Buffer.alloc(4096);
        room = (await file.writev([page], 0)).bytesWritten === page.length;
        if (room) await file.datasync();
      } finally {
        await file.close().catch(() => undefined);
        await this.fs.unlink(path).catch(() => undefined);
      }
    } catch {
      room = false; // no room even for the file, or the disk fails: try again later
    }
    if (room && this.trouble.code === 'disk_full') this.clearTrouble('disk_full');
    else this.scheduleProbe();
  }

  private clearTrouble(code: SpoolStatus['code'] | 'any'): void {
    if (code === 'any' || this.trouble.code === code) this.trouble = { state: 'ok', code: null, reason: null, since: null };
  }

  /** One group commit after another until the queue is empty. */
  private async flushLoop(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        // Cleared in the same synchronous step that finds the queue empty, so an append made by
        // a caller resuming from this flush starts the next one.
        this.flushRunning = false;
        return;
      }
      const batch = this.queue;
      this.queue = [];
      let bytes = 0;
      for (const p of batch) bytes += p.record.length;
      this.queuedBytes -= bytes;
      try {
        const offset = await this.writeBatch(batch, bytes);
        this.clearTrouble('any');
        let position = offset;
        for (const p of batch) {
          const end = position + p.record.length;
          p.resolve({ offset: position, end });
          position = end;
        }
        this.wake();
      } catch (error) {
        const refusal = this.refusal(error);
        for (const p of batch) p.reject(refusal);
      }
    }
  }

  /**
   * Writes the records after the last acknowledged one and syncs them; returns
   * where the first landed. On any failure the bytes are rolled back before
   * the error is thrown (or, when that fails, before the next write), so they
   * are never acknowledged and never read.
   */
  private async writeBatch(batch: PendingAppend[], bytes: number): Promise<number> {
    if (this.damage) await this.repair();
    let segment = this.activeSegment();
    if (this.mustRotate || (segment.size > 0 && segment.size + bytes > this.segmentBytes)) segment = await this.rotate();
    const handle = this.active;
    let written = false;
    try {
      // Explicit positions: whatever a failed write left after `size` is overwritten or cut off.
      const { bytesWritten } = await handle.writev(
        batch.map((p) => p.record),
        segment.size,
      );
      if (bytesWritten !== bytes) throw new ShortWriteError(bytesWritten, bytes, segment.path);
      written = true;
      const started = performance.now();
      await handle.datasync();
      this.syncSeconds += (performance.now() - started) / 1000;
      this.syncs += 1;
    } catch (error) {
      this.damage = asError(error);
      // After a failed sync the page cache of this file is not to be trusted (it may hold pages the
      // disk lost and no longer call them dirty): once cut back, later records go to a new segment.
      if (written) this.mustRotate = true;
      await this.repair().catch((repairError: unknown) => {
        this.warn(`spool: cannot roll back a failed write yet (${asError(repairError).message}); no write is taken until it succeeds`);
      });
      throw error;
    }
    const offset = segment.start + segment.size;
    segment.size += bytes;
    this.appends += batch.length;
    return offset;
  }

  /**
   * Restores the invariant after a failed write: cuts the active file back to
   * its acknowledged records and syncs that; when it cannot, rolls to a new
   * segment (a segment ends where the next starts, so the old tail is never
   * read). Throws when neither worked.
   */
  private async repair(): Promise<void> {
    const segment = this.activeSegment();
    try {
      await this.active.truncate(segment.size);
      await this.active.sync();
      this.damage = null;
      return;
    } catch (error) {
      if (this.closed) throw error;
      try {
        await this.rotate();
        this.damage = null;
      } catch {
        throw error;
      }
    }
  }

  /** The error an append is refused with for a failed write; the full error (paths included) goes to the log only. */
  private refusal(error: unknown): Error {
    if (error instanceof SpoolFullError || error instanceof SpoolUnavailableError) return error;
    const code = errorCode(error) ?? 'error';
    const detail = asError(error).message;
    if (isNoSpace(error)) {
      if (this.trouble.code !== 'disk_full') this.warn(`spool: the disk is full (${detail}); batches are refused with 503 until space is freed`);
      const reason = `the disk under the spool is full (${code}); nothing of this batch was kept: retry later, the collector resumes as soon as space is freed`;
      this.setTrouble('full', 'disk_full', reason);
      return new SpoolFullError(reason, this.retryAfterSeconds);
    }
    if (this.trouble.code !== 'disk_error') this.warn(`spool: a write failed (${detail}); batches are refused with 503 until a write succeeds`);
    const reason = `the spool cannot write to its disk (${code}); see the collector's log`;
    this.setTrouble('failing', 'disk_error', reason);
    return new SpoolUnavailableError(reason);
  }

  private activeSegment(): Segment {
    const segment = this.segments[this.segments.length - 1];
    if (!segment) throw new Error('spool: no active segment');
    return segment;
  }

  /** Closes the active segment and starts the next at its end; until that is durable, nothing more goes into the old one. */
  private async rotate(): Promise<Segment> {
    const previous = this.activeSegment();
    this.mustRotate = true;
    const handle = await this.createSegmentFile(previous.start + previous.size);
    const old = this.active;
    this.active = handle;
    this.mustRotate = false;
    previous.closedAt = this.clock();
    const segment: Segment = { start: previous.start + previous.size, size: 0, path: join(this.options.dir, segmentName(previous.start + previous.size)), closedAt: null };
    this.segments.push(segment);
    await old.close().catch(() => undefined);
    return segment;
  }

  /** Creates an empty segment file whose name is durable before anything in it is acknowledged. */
  private async createSegmentFile(start: number): Promise<SpoolFile> {
    const handle = await this.fs.open(join(this.options.dir, segmentName(start)), 'create');
    try {
      await this.fs.syncDir(this.options.dir);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    return handle;
  }

  /**
   * Reads durable records from `from` (a record boundary, usually the
   * checkpoint), about `maxBytes` of them but always at least one when any
   * exists. An empty answer means nothing new yet.
   */
  read(from: number, maxBytes: number): Promise<DecodedRecord[]> {
    const next = this.readChain.then(() => this.readNow(from, maxBytes));
    this.readChain = next.catch(() => undefined);
    return next;
  }

  private async readNow(from: number, maxBytes: number): Promise<DecodedRecord[]> {
    const segment = this.segments.find((s) => from < s.start + s.size);
    if (!segment) return [];
    // A position in a gap (a segment truncated during recovery) moves on to the next segment.
    const position = Math.max(from, segment.start);
    const available = segment.start + segment.size - position;
    let length = Math.min(available, Math.max(maxBytes, RECORD_HEADER_BYTES));
    const handle = await this.readerFor(segment.path);
    try {
      for (;;) {
        const buf = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(buf, 0, length, position - segment.start);
        const decoded = decodeRecords(buf.subarray(0, bytesRead), position);
        if (decoded.records.length > 0) return decoded.records;
        if (decoded.stop === 'incomplete' && decoded.needed > length && decoded.needed <= available) {
          length = decoded.needed;
          continue;
        }
        throw new Error(`spool: no valid record at offset ${position} of ${segment.path} (${decoded.stop})`);
      }
    } catch (error) {
      // A failed read (an I/O error) opens the file afresh next time.
      await this.closeReader();
      throw error;
    } finally {
      // A read after close (a test's look at what is left) leaves no file open.
      if (this.closed) await this.closeReader();
    }
  }

  /** The open read handle of the segment at `path`: the last one when it is the same file, else a new one. */
  private async readerFor(path: string): Promise<SpoolFile> {
    if (this.reader?.path === path) return this.reader.file;
    await this.closeReader();
    const file = await this.fs.open(path, 'read');
    this.reader = { path, file };
    return file;
  }

  private async closeReader(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    await reader?.file.close().catch(() => undefined);
  }

  /** Closes the read handle when it is on `path` (about to be deleted), after the read in progress. */
  private releaseReader(path: string): Promise<void> {
    const next = this.readChain.then(() => (this.reader?.path === path ? this.closeReader() : undefined));
    this.readChain = next;
    return next;
  }

  /** Resolves on the next durable append (or when the spool closes). */
  whenAppended(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Records that InfluxDB confirmed everything before `offset`; durable when it resolves. */
  commit(offset: number): Promise<void> {
    const next = this.commitChain.then(async () => {
      if (offset <= this.checkpointValue) return;
      // A full disk: first free what the durable checkpoint already covers, or the new checkpoint may not fit either.
      if (this.trouble.code === 'disk_full') await this.prune();
      await writeFileAtomic(this.options.dir, CHECKPOINT_FILE, `${JSON.stringify({ offset })}\n`, this.fs);
      this.checkpointValue = offset;
      // Room in the quota again: a full spool takes writes once more.
      this.clearTrouble('spool_full');
      await this.prune();
    });
    // A failed commit leaves the old checkpoint: the records are written again later, which is harmless.
    this.commitChain = next.catch(() => undefined);
    return next;
  }

  /** Deletes fully checkpointed segments that are past retention, or all of them while the disk use passes the quota. */
  private async prune(): Promise<void> {
    const now = this.clock();
    let disk = this.diskBytes();
    while (this.segments.length > 1) {
      const oldest = this.segments[0];
      if (!oldest || oldest.closedAt === null || oldest.start + oldest.size > this.checkpointValue) break;
      const expired = now - oldest.closedAt >= this.retainMs;
      // Kept for the repeat-id window only while there is room: a full disk or quota comes first.
      if (!expired && disk <= this.options.maxBytes && this.trouble.code !== 'disk_full') break;
      // An open file keeps its space on the disk: the read handle goes first.
      await this.releaseReader(oldest.path);
      await this.fs.unlink(oldest.path);
      this.segments.shift();
      disk -= oldest.size;
    }
  }

  private diskBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  stats(): SpoolStats {
    return {
      unwrittenBytes: this.end - this.checkpointValue,
      diskBytes: this.diskBytes(),
      segments: this.segments.length,
      checkpoint: this.checkpointValue,
      end: this.end,
      maxBytes: this.options.maxBytes,
      syncs: this.syncs,
      syncSeconds: this.syncSeconds,
      appends: this.appends,
    };
  }

  /** Waits for appends in flight and the last checkpoint, then closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    await this.flushing;
    await this.commitChain;
    this.wake();
    await this.readChain;
    await this.closeReader();
    await this.active.close();
  }

  private async recover(): Promise<void> {
    const { dir } = this.options;
    const { fs, warn } = this;
    await fs.mkdir(dir);
    this.checkpointValue = await readCheckpoint(fs, join(dir, CHECKPOINT_FILE));
    const names = (await fs.readdir(dir)).sort();
    for (const name of names) {
      if (name.endsWith('.tmp')) await fs.unlink(join(dir, name));
    }
    const segmentNames = names.filter((n) => /^\d{16}\.seg$/.test(n));
    for (const [i, name] of segmentNames.entries()) {
      const path = join(dir, name);
      const start = Number(name.slice(0, 16));
      const nextName = segmentNames[i + 1];
      // A segment ends where the next one starts: bytes past that were a failed write the spool rolled away from.
      const limit = nextName === undefined ? Number.POSITIVE_INFINITY : Number(nextName.slice(0, 16)) - start;
      const handle = await fs.open(path, 'update');
      try {
        const info = await handle.stat();
        const size = Math.min(info.size, Math.max(0, limit));
        const buf = Buffer.allocUnsafe(size);
        const { bytesRead } = await handle.read(buf, 0, size, 0);
        const decoded = decodeRecords(buf.subarray(0, bytesRead), start);
        if (decoded.stop !== 'clean' || decoded.consumed < info.size) {
          const lost = info.size - decoded.consumed;
          const why =
            decoded.stop !== 'clean'
              ? `${decoded.stop}${nextName === undefined ? ', a write torn by a crash or a full disk' : ''}`
              : 'past the start of the next segment, a failed write the spool rolled away from';
          warn(`spool: ${name} ends in ${lost} bytes that are not a whole acknowledged record (${why}); truncated at byte ${decoded.consumed}. Those bytes were never acknowledged.`);
          await handle.truncate(decoded.consumed);
          await handle.sync();
        }
        for (const record of decoded.records) this.options.onRecover?.(record, record.end <= this.checkpointValue);
        this.segments.push({ start, size: decoded.consumed, path, closedAt: info.mtimeMs });
      } finally {
        await handle.close();
      }
    }
    const last = this.segments[this.segments.length - 1];
    if (last && last.start + last.size < this.checkpointValue) {
      warn(`spool: the checkpoint (${this.checkpointValue}) is past the spool's end (${last.start + last.size}); starting after it`);
    }
    if (last && last.size < this.segmentBytes && last.start + last.size >= this.checkpointValue) {
      this.active = await fs.open(last.path, 'update');
      last.closedAt = null;
    } else {
      const start = Math.max(this.checkpointValue, last ? last.start + last.size : 0);
      this.active = await this.createSegmentFile(start);
      this.segments.push({ start, size: 0, path: join(dir, segmentName(start)), closedAt: null });
    }
    await this.prune();
  }
}

function isNoSpace(error: unknown): boolean {
  return error instanceof ShortWriteError || errorCode(error) === 'ENOSPC' || errorCode(error) === 'EDQUOT';
}

async function readCheckpoint(fs: SpoolFs, path: string): Promise<number> {
  let text: string;
  try {
    const handle = await fs.open(path, 'read');
    try {
      const { size } = await handle.stat();
      const buf = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buf, 0, size, 0);
      text = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 0;
    throw error;
  }
  let offset: unknown;
  try {
    offset = (JSON.parse(text) as { offset?: unknown }).offset;
  } catch {
    offset = undefined;
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new Error(`spool: the checkpoint file ${path} is damaged: ${text.slice(0, 80)}`);
  }
  return offset;
}

/**
 * Replaces `dir/name` atomically: write a temp file (checking that every byte
 * was written), fsync it, rename it over, fsync the directory.
 */
export async function writeFileAtomic(dir: string, name: string, content: string, fs: SpoolFs = nodeSpoolFs): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const bytes = Buffer.from(content, 'utf8');
  const handle = await fs.open(tmp, 'create');
  try {
    const { bytesWritten } = await handle.writev([bytes], 0);
    if (bytesWritten !== bytes.length) throw new ShortWriteError(bytesWritten, bytes.length, tmp);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await fs.rename(tmp, join(dir, name));
  await fs.syncDir(dir);
}
