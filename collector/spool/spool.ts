/**
 * The durable spool: an append-only log of records in segment files under one
 * directory, with a checkpoint that says how far InfluxDB has confirmed.
 *
 * - An append resolves only after its bytes are written and `fdatasync`ed.
 *   Appends that arrive while a sync is running share the next one (group
 *   commit), so many concurrent requests cost one disk flush.
 * - Positions are global byte offsets; a segment is named by the offset of its
 *   first byte, so a position never needs the segment's name to be stored.
 * - The checkpoint is replaced atomically (temp file, fsync, rename, fsync of
 *   the directory). A crash between an InfluxDB confirmation and the
 *   checkpoint replays a few records, which land on the same points.
 * - On open, every segment is checked record by record; a torn tail left by a
 *   crash is truncated, never misread.
 * - Fully checkpointed segments are deleted once older than `retainMs` (they
 *   rebuild the repeat-id window after a restart), or sooner when the disk use
 *   passes the quota.
 */
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
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
  /** Seconds a client is told to wait when the spool is full. @default 5 */
  retryAfterSeconds?: number;
  /** Wall clock, epoch ms. @default Date.now */
  clock?: () => number;
  /** Called on open with every record still on disk, oldest first, and whether InfluxDB already has it. */
  onRecover?: (record: DecodedRecord, checkpointed: boolean) => void;
  /** Where recovery reports what it repaired. @default console.warn */
  warn?: (message: string) => void;
}

/** The spool's quota is reached: back-pressure, the client should retry after `retryAfterSeconds`. */
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

/** The spool cannot take writes (closed, or the disk failed). */
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

interface Segment {
  start: number;
  /** Durable bytes in the file. */
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

const SEGMENT_SUFFIX = '.seg';
const CHECKPOINT_FILE = 'checkpoint';
const segmentName = (start: number) => `${String(start).padStart(16, '0')}${SEGMENT_SUFFIX}`;

export class Spool {
  private readonly segments: Segment[] = [];
  private active!: FileHandle;
  private queue: PendingAppend[] = [];
  private queuedBytes = 0;
  private flushing: Promise<void> | null = null;
  /** Cleared by the loop itself, synchronously, so an append right after a flush starts the next one. */
  private flushRunning = false;
  private checkpointValue = 0;
  private commitChain: Promise<void> = Promise.resolve();
  private waiters: (() => void)[] = [];
  private closed = false;
  private failure: Error | null = null;
  private syncs = 0;
  private syncSeconds = 0;
  private appends = 0;
  private readonly segmentBytes: number;
  private readonly retainMs: number;
  private readonly clock: () => number;

  private constructor(private readonly options: SpoolOptions) {
    this.segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.retainMs = options.retainMs ?? 600_000;
    this.clock = options.clock ?? Date.now;
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
   * Appends one record; resolves once it is on disk (after `fdatasync`).
   * Rejects with {@link SpoolFullError} when the quota is reached.
   */
  append(payload: Buffer): Promise<SpoolPosition> {
    if (this.closed) return Promise.reject(new SpoolUnavailableError('the spool is closed'));
    if (this.failure) return Promise.reject(new SpoolUnavailableError(`the spool cannot write: ${this.failure.message}`));
    const record = encodeRecord(payload);
    const unwritten = this.end - this.checkpointValue + this.queuedBytes;
    if (unwritten + record.length > this.options.maxBytes) {
      return Promise.reject(
        new SpoolFullError(
          `the spool holds ${unwritten} bytes not yet written to InfluxDB (limit ${this.options.maxBytes}): retry later`,
          this.options.retryAfterSeconds ?? 5,
        ),
      );
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
        let segment = this.activeSegment();
        if (segment.size > 0 && segment.size + bytes > this.segmentBytes) segment = await this.rotate();
        // Explicit positions: bytes of a failed write are overwritten by the next one.
        await this.active.writev(
          batch.map((p) => p.record),
          segment.size,
        );
        const started = performance.now();
        await this.active.datasync();
        this.syncSeconds += (performance.now() - started) / 1000;
        this.syncs += 1;
        this.appends += batch.length;
        let offset = segment.start + segment.size;
        segment.size += bytes;
        for (const p of batch) {
          const end = offset + p.record.length;
          p.resolve({ offset, end });
          offset = end;
        }
        this.wake();
      } catch (error) {
        // After a failed fsync the page cache can no longer be trusted (it may claim data the disk lost): stop writing.
        this.failure = error instanceof Error ? error : new Error(String(error));
        for (const p of [...batch, ...this.queue]) p.reject(new SpoolUnavailableError(`the spool cannot write: ${this.failure.message}`));
        this.queue = [];
        this.queuedBytes = 0;
      }
    }
  }

  private activeSegment(): Segment {
    const segment = this.segments[this.segments.length - 1];
    if (!segment) throw new Error('spool: no active segment');
    return segment;
  }

  private async rotate(): Promise<Segment> {
    const previous = this.activeSegment();
    await this.active.close();
    previous.closedAt = this.clock();
    const segment = await this.createSegment(previous.start + previous.size);
    return segment;
  }

  private async createSegment(start: number): Promise<Segment> {
    const path = join(this.options.dir, segmentName(start));
    this.active = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC, 0o644);
    // The new file's directory entry must be durable before records in it are acknowledged.
    await syncDir(this.options.dir);
    const segment: Segment = { start, size: 0, path, closedAt: null };
    this.segments.push(segment);
    return segment;
  }

  /**
   * Reads durable records from `from` (a record boundary, usually the
   * checkpoint), about `maxBytes` of them but always at least one when any
   * exists. An empty answer means nothing new yet.
   */
  async read(from: number, maxBytes: number): Promise<DecodedRecord[]> {
    const segment = this.segments.find((s) => from < s.start + s.size);
    if (!segment) return [];
    // A position in a gap (a segment truncated during recovery) moves on to the next segment.
    const position = Math.max(from, segment.start);
    const available = segment.start + segment.size - position;
    let length = Math.min(available, Math.max(maxBytes, RECORD_HEADER_BYTES));
    const handle = await open(segment.path, 'r');
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
    } finally {
      await handle.close();
    }
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
      await writeFileAtomic(this.options.dir, CHECKPOINT_FILE, `${JSON.stringify({ offset })}\n`);
      this.checkpointValue = offset;
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
      if (!expired && disk <= this.options.maxBytes) break;
      await rm(oldest.path, { force: true });
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
    await this.flushing;
    await this.commitChain;
    this.wake();
    await this.active.close();
  }

  private async recover(): Promise<void> {
    const { dir } = this.options;
    const warn = this.options.warn ?? ((m: string) => console.warn(m));
    await mkdir(dir, { recursive: true });
    this.checkpointValue = await readCheckpoint(join(dir, CHECKPOINT_FILE));
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      if (name.endsWith('.tmp')) await rm(join(dir, name), { force: true });
    }
    const segmentNames = names.filter((n) => /^\d{16}\.seg$/.test(n));
    for (const [i, name] of segmentNames.entries()) {
      const path = join(dir, name);
      const start = Number(name.slice(0, 16));
      const info = await stat(path);
      const handle = await open(path, 'r+');
      try {
        const buf = Buffer.allocUnsafe(info.size);
        const { bytesRead } = await handle.read(buf, 0, info.size, 0);
        const decoded = decodeRecords(buf.subarray(0, bytesRead), start);
        if (decoded.stop !== 'clean') {
          const lost = bytesRead - decoded.consumed;
          const last = i === segmentNames.length - 1;
          warn(
            `spool: ${name} ends in ${lost} bytes that are not a whole record (${decoded.stop}${last ? ', a write torn by a crash' : ''}); truncated at byte ${decoded.consumed}. Those bytes were never acknowledged.`,
          );
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
      this.active = await open(last.path, 'r+');
      last.closedAt = null;
    } else {
      await this.createSegment(Math.max(this.checkpointValue, last ? last.start + last.size : 0));
    }
    await this.prune();
  }
}

async function readCheckpoint(path: string): Promise<number> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const offset = (JSON.parse(text) as { offset?: unknown }).offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new Error(`spool: the checkpoint file ${path} is damaged: ${text.slice(0, 80)}`);
  }
  return offset;
}

/** Replaces `dir/name` atomically: write a temp file, fsync it, rename it over, fsync the directory. */
export async function writeFileAtomic(dir: string, name: string, content: string): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const handle = await open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, name));
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
