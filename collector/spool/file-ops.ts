/**
 * The file operations the spool uses, behind one small interface, so tests
 * can run the spool on a file layer that crashes (collector/spool/crash-fs.ts,
 * in the spirit of SQLite's crash-test VFS) or that keeps unsynced bytes in
 * memory until `datasync` (collector/spool/lazy-fs.ts, in the spirit of
 * LazyFS). Production uses {@link nodeSpoolFs}.
 *
 * The contract is POSIX's, including its unkind parts: a write may be short
 * (it returns how many bytes it wrote, without an error, when the disk fills
 * up), and nothing is durable before `datasync`/`sync` of the file and, for
 * a new or renamed name, `syncDir` of its directory.
 */
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';

/** How a file is opened: `read` only; `update` an existing file; `create` a new, empty one (truncating one that exists). */
export type SpoolOpenMode = 'read' | 'update' | 'create';

/** An open file. Positions are explicit: there is no file pointer. */
export interface SpoolFile {
  /** Writes `buffers` back to back from `position`; `bytesWritten` may be less than their total (a short write). */
  writev(buffers: readonly Buffer[], position: number): Promise<{ bytesWritten: number }>;
  /** Reads up to `length` bytes at `position` into `buffer` from `offset`. */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  /** Makes the file's data (and its size) durable. */
  datasync(): Promise<void>;
  /** Makes the file's data and metadata durable. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  /** Size in bytes and last modification, epoch ms. */
  stat(): Promise<{ size: number; mtimeMs: number }>;
  close(): Promise<void>;
}

/** The directory operations of the spool and its checkpoint. */
export interface SpoolFs {
  open(path: string, mode: SpoolOpenMode): Promise<SpoolFile>;
  /** Creates the directory (and its parents) when missing. */
  mkdir(path: string): Promise<void>;
  /** Names in the directory, unsorted. */
  readdir(path: string): Promise<string[]>;
  /** Replaces `to` with `from` atomically. Durable after {@link SpoolFs.syncDir}. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing one is not an error. Durable after {@link SpoolFs.syncDir}. */
  unlink(path: string): Promise<void>;
  /** Makes the directory's entries (created, renamed, removed names) durable. */
  syncDir(path: string): Promise<void>;
}

const OPEN_FLAGS: Record<SpoolOpenMode, number> = {
  read: constants.O_RDONLY,
  update: constants.O_RDWR,
  create: constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC,
};

/** The spool's file operations on Node's `fs/promises`. */
export const nodeSpoolFs: SpoolFs = {
  async open(path, mode) {
    const handle = await open(path, OPEN_FLAGS[mode], 0o644);
    return {
      writev: async (buffers, position) => {
        const { bytesWritten } = await handle.writev(buffers as Buffer[], position);
        return { bytesWritten };
      },
      read: async (buffer, offset, length, position) => {
        const { bytesRead } = await handle.read(buffer, offset, length, position);
        return { bytesRead };
      },
      datasync: () => handle.datasync(),
      sync: () => handle.sync(),
      truncate: (length) => handle.truncate(length),
      stat: async () => {
        const info = await handle.stat();
        return { size: info.size, mtimeMs: info.mtimeMs };
      },
      close: () => handle.close(),
    };
  },
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  readdir: (path) => readdir(path),
  rename: (from, to) => rename(from, to),
  unlink: (path) => rm(path, { force: true }),
  async syncDir(path) {
    const handle = await open(path, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** The error code of a failed file operation (`ENOSPC`, `EIO`, …), or null. */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

const ERROR_MESSAGES = new Map([
  ['ENOSPC', 'no space left on device'],
  ['EIO', 'i/o error'],
  ['ENOENT', 'no such file or directory'],
]);

/** An error shaped like Node's for a failed system call. */
export function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${ERROR_MESSAGES.get(code) ?? 'failed'}, ${syscall} '${path}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}
