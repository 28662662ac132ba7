/** Keeps events in memory: for tests and for callers that inspect a run. */
import type { StationEvent } from '../../core/events';
import type { EventSink } from './sink';

export class MemorySink implements EventSink {
  readonly events: StationEvent[] = [];

  write(event: StationEvent): void {
    this.events.push(event);
  }

  backlog(): number {
    return 0;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}

/** Counts events and drops them: what a headless run without `--out` needs. */
export class CountingSink implements EventSink {
  count = 0;

  write(): void {
    this.count += 1;
  }

  backlog(): number {
    return 0;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
