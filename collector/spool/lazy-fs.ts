/**
 * A file layer for crash tests of a real process, in the spirit of Jepsen's
 * LazyFS: writes and truncations stay in this process's memory and reach the
 * real file (and the disk, with a real fsync) only at `datasync`/`sync`. A
 * `kill -9` then loses every byte not yet synced, as a power cut would; the
 * kernel's page cache, which survives a killed process, never sees them.
 * Reads see the unsynced bytes, as they would through the page cache.
 *
 * Names (create, rename, unlink) go to the real directory at once: their
 * durability is tested on the in-memory {@link CrashFs}. Test use only: it
 * holds an image of every file written through it in memory.
 */
import { nodeSpoolFs, type SpoolFile, type SpoolFs, type SpoolOpenMode } from './file-ops';

type PendingOp = { kind: 'write'; position: number; bytes: Buffer } | { kind: 'truncate'; length: number };

interface Image {
  /** What the process sees. */
  data: Buffer;
  /** Operations not yet on the real file. */
  pending: PendingOp[];
}

function apply(data: Buffer, op: PendingOp): Buffer {
  if (op.kind === 'truncate') return op.length <= data.length ? Buffer.from(data.subarray(0, op.length)) : Buffer.concat([data, Buffer.alloc(op.length - data.length)]);
  const out = Buffer.alloc(Math.max(data.length, op.position + op.bytes.length));
  data.copy(out, 0);
  op.bytes.copy(out, op.position);
  return out;
}

export class LazyFs implements SpoolFs {
  private readonly images = new Map<string, Image>();

  constructor(private readonly real: SpoolFs = nodeSpoolFs) {}

  async open(path: string, mode: SpoolOpenMode): Promise<SpoolFile> {
    const file = await this.real.open(path, mode);
    let image = this.images.get(path);
    // Nothing written through this layer: the real file is all there is.
    if (!image && mode === 'read') return file;
    if (!image || mode === 'create') {
      const { size } = await file.stat();
      const data = Buffer.alloc(size);
      await file.read(data, 0, size, 0);
      image = { data, pending: [] };
      this.images.set(path, image);
    }
    const current = image;
    const flush = async (sync: () => Promise<void>) => {
      const ops = current.pending;
      current.pending = [];
      for (const op of ops) {
        if (op.kind === 'truncate') await file.truncate(op.length);
        else {
          let done = 0;
          while (done < op.bytes.length) {
            const { bytesWritten } = await file.writev([op.bytes.subarray(done)], op.position + done);
            if (bytesWritten === 0) throw new Error(`lazy-fs: no byte written to ${path}`);
            done += bytesWritten;
          }
        }
      }
      await sync();
    };
    return {
      writev: async (buffers, position) => {
        const op: PendingOp = { kind: 'write', position, bytes: Buffer.concat(buffers) };
        current.data = apply(current.data, op);
        current.pending.push(op);
        return { bytesWritten: op.bytes.length };
      },
      read: async (buffer, offset, length, position) => {
        const available = Math.max(0, Math.min(length, current.data.length - position));
        current.data.copy(buffer, offset, position, position + available);
        return { bytesRead: available };
      },
      datasync: () => flush(() => file.datasync()),
      sync: () => flush(() => file.sync()),
      truncate: async (length) => {
        const op: PendingOp = { kind: 'truncate', length };
        current.data = apply(current.data, op);
        current.pending.push(op);
      },
      stat: async () => ({ size: current.data.length, mtimeMs: (await file.stat()).mtimeMs }),
      close: () => file.close(),
    };
  }

  mkdir(path: string): Promise<void> {
    return this.real.mkdir(path);
  }

  readdir(path: string): Promise<string[]> {
    return this.real.readdir(path);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.real.rename(from, to);
    const image = this.images.get(from);
    this.images.delete(from);
    if (image) this.images.set(to, image);
    else this.images.delete(to);
  }

  async unlink(path: string): Promise<void> {
    await this.real.unlink(path);
    this.images.delete(path);
  }

  syncDir(path: string): Promise<void> {
    return this.real.syncDir(path);
  }
}
