/**
 * A crash-simulating file layer for tests, in the spirit of SQLite's
 * crash-test VFS and Jepsen's LazyFS: files live in memory with two images,
 * what the process sees and what the disk holds. Only `datasync`/`sync` of a
 * file moves its pending writes to the disk image, and only `syncDir` moves
 * created, renamed and removed names. A crash (at a chosen operation, or
 * now) freezes the layer: every later call fails. {@link CrashFs.restart}
 * then comes back from the disk image, either losing every unsynced byte and
 * name (`lose`) or with a random prefix of the pending operations applied and
 * the next write torn at a random length (`torn`), which is what a power
 * loss during writeback leaves.
 *
 * Faults: a disk capacity (a write that does not fit is short, without an
 * error, as Linux and Node do at ENOSPC; one with no room at all fails with
 * ENOSPC), and an injector that fails a chosen operation with ENOSPC or EIO.
 *
 * Every operation is counted, so a test can crash at any point of a run.
 */
import { basename, dirname } from 'node:path';
import { fsError, type SpoolFile, type SpoolFs, type SpoolOpenMode } from './file-ops';

/** How a crash treats what was not yet synced. */
export type CrashMode = 'lose' | 'torn';

/** The operations a test can count, crash at or fail. */
export type CrashFsOperation = 'open' | 'writev' | 'read' | 'datasync' | 'sync' | 'truncate' | 'stat' | 'close' | 'mkdir' | 'readdir' | 'rename' | 'unlink' | 'syncDir';

/** What the fault injector may answer for one operation: fail it with this code, or let it run. */
export type InjectedFault = 'ENOSPC' | 'EIO' | null;

export interface CrashFsOptions {
  /** Random numbers in [0, 1) for torn crashes; seed it for repeatable tests. */
  random: () => number;
  /** Most bytes all files may hold together. @default Infinity */
  capacityBytes?: number;
}

/** Thrown by every call once the layer has crashed, until {@link CrashFs.restart}. */
export class SimulatedCrashError extends Error {
  readonly code = 'ECRASHED';
  constructor(operation: string) {
    super(`simulated crash: ${operation} after the machine went down`);
    this.name = 'SimulatedCrashError';
  }
}

type FileOp = { kind: 'write'; position: number; bytes: Buffer } | { kind: 'truncate'; length: number };
type DirOp = { kind: 'link'; name: string; inode: Inode } | { kind: 'unlink'; name: string } | { kind: 'rename'; from: string; to: string; inode: Inode };

interface Inode {
  /** What the process sees. */
  data: Buffer;
  /** What the disk holds. */
  disk: Buffer;
  pending: FileOp[];
  mtimeMs: number;
}

interface Directory {
  names: Map<string, Inode>;
  disk: Map<string, Inode>;
  pending: DirOp[];
}

function applyFileOp(data: Buffer, op: FileOp, tornAt?: number): Buffer {
  if (op.kind === 'truncate') {
    if (op.length <= data.length) return Buffer.from(data.subarray(0, op.length));
    return Buffer.concat([data, Buffer.alloc(op.length - data.length)]);
  }
  const bytes = tornAt === undefined ? op.bytes : op.bytes.subarray(0, tornAt);
  const end = op.position + bytes.length;
  const out = Buffer.alloc(Math.max(data.length, end));
  data.copy(out, 0);
  bytes.copy(out, op.position);
  return out;
}

function applyDirOp(names: Map<string, Inode>, op: DirOp): void {
  if (op.kind === 'link') names.set(op.name, op.inode);
  else if (op.kind === 'unlink') names.delete(op.name);
  else {
    names.delete(op.from);
    names.set(op.to, op.inode);
  }
}

export class CrashFs implements SpoolFs {
  private readonly dirs = new Map<string, Directory>();
  private generation = 0;
  private crashed = false;
  private crashAt: number | null = null;
  private injector: (operation: CrashFsOperation, path: string) => InjectedFault = () => null;
  private readonly random: () => number;
  /** Operations done since the layer was made (crashes included). */
  operations = 0;
  /** Most bytes all files may hold together; change it to fill or free the disk. */
  capacityBytes: number;

  constructor(options: CrashFsOptions) {
    this.random = options.random;
    this.capacityBytes = options.capacityBytes ?? Number.POSITIVE_INFINITY;
  }

  /** True once the layer has crashed; every call fails until {@link restart}. */
  get isCrashed(): boolean {
    return this.crashed;
  }

  /** Crashes just before the operation numbered `operation` (counting from {@link operations}) runs. */
  crashAtOperation(operation: number): void {
    this.crashAt = operation;
  }

  /** Crashes now. */
  crash(): void {
    this.crashed = true;
    this.crashAt = null;
  }

  /** Decides, for each operation, whether it fails with an injected error. */
  injectFaults(injector: (operation: CrashFsOperation, path: string) => InjectedFault): void {
    this.injector = injector;
  }

  /** Bytes all files hold now. */
  usedBytes(): number {
    const seen = new Set<Inode>();
    let total = 0;
    for (const dir of this.dirs.values()) {
      for (const inode of dir.names.values()) {
        if (seen.has(inode)) continue;
        seen.add(inode);
        total += inode.data.length;
      }
    }
    return total;
  }

  /**
   * Comes back from a crash (or a power cut now, when not crashed): the disk
   * image is what survives, with the pending operations lost (`lose`) or a
   * random prefix of them applied and the next write torn (`torn`).
   */
  restart(mode: CrashMode): void {
    for (const dir of this.dirs.values()) {
      const inodes = new Set<Inode>([...dir.disk.values(), ...dir.names.values()]);
      for (const inode of inodes) {
        let disk = inode.disk;
        if (mode === 'torn' && inode.pending.length > 0) {
          const applied = Math.floor(this.random() * (inode.pending.length + 1));
          for (const op of inode.pending.slice(0, applied)) disk = applyFileOp(disk, op);
          const next = inode.pending[applied];
          if (next?.kind === 'write') disk = applyFileOp(disk, next, Math.floor(this.random() * next.bytes.length));
        }
        inode.disk = disk;
        inode.data = Buffer.from(disk);
        inode.pending = [];
      }
      if (mode === 'torn' && dir.pending.length > 0) {
        const applied = Math.floor(this.random() * (dir.pending.length + 1));
        for (const op of dir.pending.slice(0, applied)) applyDirOp(dir.disk, op);
      }
      dir.pending = [];
      dir.names = new Map(dir.disk);
    }
    this.generation += 1;
    this.crashed = false;
    this.crashAt = null;
  }

  /** Counts one operation; crashes or fails it as arranged. */
  private enter(operation: CrashFsOperation, path: string, generation = this.generation): void {
    if (this.crashed || generation !== this.generation) throw new SimulatedCrashError(operation);
    this.operations += 1;
    if (this.crashAt !== null && this.operations >= this.crashAt) {
      this.crash();
      throw new SimulatedCrashError(operation);
    }
    const fault = this.injector(operation, path);
    if (fault) throw fsError(fault, operation, path);
  }

  private dir(path: string): Directory {
    const dir = this.dirs.get(path);
    if (!dir) throw fsError('ENOENT', 'scandir', path);
    return dir;
  }

  private lookup(path: string): Inode | undefined {
    return this.dir(dirname(path)).names.get(basename(path));
  }

  async open(path: string, mode: SpoolOpenMode): Promise<SpoolFile> {
    this.enter('open', path);
    const dir = this.dir(dirname(path));
    const name = basename(path);
    let inode = dir.names.get(name);
    if (mode === 'create') {
      if (inode) {
        inode.pending.push({ kind: 'truncate', length: 0 });
        inode.data = Buffer.alloc(0);
      } else {
        inode = { data: Buffer.alloc(0), disk: Buffer.alloc(0), pending: [], mtimeMs: Date.now() };
        dir.names.set(name, inode);
        dir.pending.push({ kind: 'link', name, inode });
      }
    } else if (!inode) {
      throw fsError('ENOENT', 'open', path);
    }
    return this.handle(inode, path, mode === 'read');
  }

  private handle(inode: Inode, path: string, readOnly: boolean): SpoolFile {
    const generation = this.generation;
    const enter = (operation: CrashFsOperation) => this.enter(operation, path, generation);
    let open = true;
    const check = (operation: CrashFsOperation) => {
      enter(operation);
      if (!open) throw fsError('EBADF', operation, path);
    };
    return {
      writev: async (buffers, position) => {
        check('writev');
        if (readOnly) throw fsError('EBADF', 'writev', path);
        const bytes = Buffer.concat(buffers);
        const room = this.capacityBytes - this.usedBytes();
        const growth = Math.max(0, position + bytes.length - inode.data.length);
        let fits = bytes.length;
        if (growth > room) fits = Math.max(0, bytes.length - (growth - Math.max(0, room)));
        if (fits === 0 && bytes.length > 0) throw fsError('ENOSPC', 'writev', path);
        const written = Buffer.from(bytes.subarray(0, fits));
        const op: FileOp = { kind: 'write', position, bytes: written };
        inode.data = applyFileOp(inode.data, op);
        inode.pending.push(op);
        inode.mtimeMs = Date.now();
        return { bytesWritten: fits };
      },
      read: async (buffer, offset, length, position) => {
        check('read');
        const available = Math.max(0, Math.min(length, inode.data.length - position));
        inode.data.copy(buffer, offset, position, position + available);
        return { bytesRead: available };
      },
      datasync: async () => {
        check('datasync');
        this.persist(inode);
      },
      sync: async () => {
        check('sync');
        this.persist(inode);
      },
      truncate: async (length) => {
        check('truncate');
        if (readOnly) throw fsError('EBADF', 'truncate', path);
        const op: FileOp = { kind: 'truncate', length };
        inode.data = applyFileOp(inode.data, op);
        inode.pending.push(op);
      },
      stat: async () => {
        check('stat');
        return { size: inode.data.length, mtimeMs: inode.mtimeMs };
      },
      close: async () => {
        check('close');
        open = false;
      },
    };
  }

  private persist(inode: Inode): void {
    inode.disk = Buffer.from(inode.data);
    inode.pending = [];
  }

  async mkdir(path: string): Promise<void> {
    this.enter('mkdir', path);
    // Directories are made durable at once: the spool creates its own only at first start.
    if (!this.dirs.has(path)) this.dirs.set(path, { names: new Map(), disk: new Map(), pending: [] });
  }

  async readdir(path: string): Promise<string[]> {
    this.enter('readdir', path);
    return [...this.dir(path).names.keys()];
  }

  async rename(from: string, to: string): Promise<void> {
    this.enter('rename', from);
    const dir = this.dir(dirname(from));
    if (dirname(to) !== dirname(from)) throw fsError('EXDEV', 'rename', to);
    const inode = this.lookup(from);
    if (!inode) throw fsError('ENOENT', 'rename', from);
    const op: DirOp = { kind: 'rename', from: basename(from), to: basename(to), inode };
    applyDirOp(dir.names, op);
    dir.pending.push(op);
  }

  async unlink(path: string): Promise<void> {
    this.enter('unlink', path);
    const dir = this.dir(dirname(path));
    const name = basename(path);
    if (!dir.names.has(name)) return;
    dir.names.delete(name);
    dir.pending.push({ kind: 'unlink', name });
  }

  async syncDir(path: string): Promise<void> {
    this.enter('syncDir', path);
    const dir = this.dir(path);
    for (const op of dir.pending) applyDirOp(dir.disk, op);
    dir.pending = [];
  }

  /** The files of `dir` as the process sees them now, without counting an operation: for assertions. */
  files(dir: string): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    for (const [name, inode] of this.dirs.get(dir)?.names ?? []) out.set(name, Buffer.from(inode.data));
    return out;
  }

  /** What the disk holds for `path` now (ignoring unsynced bytes), or null: for assertions. */
  diskImage(path: string): Buffer | null {
    const inode = this.dirs.get(dirname(path))?.disk.get(basename(path));
    return inode ? Buffer.from(inode.disk) : null;
  }
}
