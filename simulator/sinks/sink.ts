/** Where the simulator's events go. */
import type { StationEvent } from '../../core/events';

/** A destination for protocol-v1 events. `write` never blocks; `flush` and `close` wait for delivery. */
export interface EventSink {
  write(event: StationEvent): void;
  /** Events written but not yet delivered; pacing holds the simulation back when this grows. */
  backlog(): number;
  /** Resolves once everything written so far is delivered (or rejects with a non-retryable error). */
  flush(): Promise<void>;
  /** Flushes, then releases files, timers and sockets. */
  close(): Promise<void>;
}
