/** Writes events as NDJSON (one JSON object per line) to a file, in large synchronous chunks. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { StationEvent } from '../../core/events';
import type { EventSink } from './sink';

/** Characters buffered before a write; big enough that a year's run is not dominated by syscalls. */
const CHUNK_CHARS = 1 << 20;

export class NdjsonFileSink implements EventSink {
  private fd: number | null;
  private pending: string[] = [];
  private pendingChars = 0;

  /** Creates or truncates `path`; throws the file system's error (with its `code`) if it cannot. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  write(event: StationEvent): void {
    const line = JSON.stringify(event);
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    if (this.pendingChars >= CHUNK_CHARS) this.writeOut();
  }

  backlog(): number {
    return 0;
  }

  async flush(): Promise<void> {
    this.writeOut();
  }

  async close(): Promise<void> {
    this.writeOut();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private writeOut(): void {
    if (this.pending.length === 0 || this.fd === null) return;
    writeSync(this.fd, `${this.pending.join('\n')}\n`);
    this.pending = [];
    this.pendingChars = 0;
  }
}

/** Sends every event to each of several sinks. */
export class TeeSink implements EventSink {
  constructor(private readonly sinks: EventSink[]) {}

  write(event: StationEvent): void {
    for (const s of this.sinks) s.write(event);
  }

  backlog(): number {
    return Math.max(0, ...this.sinks.map((s) => s.backlog()));
  }

  async flush(): Promise<void> {
    for (const s of this.sinks) await s.flush();
  }

  async close(): Promise<void> {
    for (const s of this.sinks) await s.close();
  }
}
