/**
 * What every plant-floor source (an OPC UA server, a Sparkplug edge node) is
 * doing now, for /api/v1/health and /metrics: a dead link must be as visible
 * as a dead station, never shown as running.
 */

export type SourceKind = 'opcua' | 'sparkplug';

/**
 * - `connecting`: opening the connection or session
 * - `subscribing`: connected, creating the subscription and its monitored items
 * - `connected`: data or keep-alives arrive as expected
 * - `silent`: connected, but the subscription delivered nothing for longer than expected (being recreated)
 * - `backoff`: the link failed; waiting before the next attempt
 * - `offline`: the source said it is gone (Sparkplug NDEATH/DDEATH) or never said it is there
 * - `closed`: the collector is shutting down
 */
export type SourceState = 'connecting' | 'subscribing' | 'connected' | 'silent' | 'backoff' | 'offline' | 'closed';

export interface SourceStatus {
  /** The source's id (OPC UA) or `group/node[/device]` (Sparkplug). */
  id: string;
  kind: SourceKind;
  /** Endpoint URL or topic. */
  endpoint: string;
  state: SourceState;
  connected: boolean;
  subscribing: boolean;
  /** Since when nothing arrives (epoch ms); null while the source delivers. */
  silentSince: number | null;
  /** When the last tag value arrived (epoch ms); null before the first. */
  lastValueAt: number | null;
  /** The last failure, for a person; null when none. */
  lastError: string | null;
  /** When `lastError` happened (epoch ms): a failure older than the last recovery is history, not news. */
  lastErrorAt: number | null;
  /** Connections re-established after a loss. */
  reconnects: number;
  /** Subscriptions recreated because they went silent (OPC UA) or rebirths requested (Sparkplug). */
  resubscriptions: number;
  /** Tag values that did not become events (unmapped, invalid). */
  rejectedValues: number;
  /** The last tag value that did not become an event, and why; null when none. */
  lastRejection: { at: number; station: string; field: string; code: string; reason: string } | null;
  /**
   * Events read from the source and not yet in the spool (OPC UA: waiting while the spool refuses,
   * lost if the collector is killed now). Sparkplug: always 0 (a message's events are stored before
   * the next message is read; see docs/connectors.md for what a killed collector can lose).
   */
  queuedEvents: number;
  /** `line/station` the source serves. */
  stations: string[];
}

/** Something that can say how it is. */
export interface StatusSource {
  status(): SourceStatus;
}

/** All sources of this collector. */
export class SourceRegistry {
  private readonly sources: StatusSource[] = [];

  add(source: StatusSource): void {
    this.sources.push(source);
  }

  list(): SourceStatus[] {
    return this.sources.map((s) => s.status());
  }
}

/** At most one line a second from a source, with a count of what was held back: a misbehaving PLC must not flood the log. */
export class RateLimitedLog {
  private lastAt = 0;
  private suppressed = 0;

  constructor(
    private readonly write: (message: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  log(message: string): void {
    const now = this.clock();
    if (now - this.lastAt < 1000) {
      this.suppressed += 1;
      return;
    }
    const more = this.suppressed > 0 ? ` (and ${this.suppressed} more since the last line)` : '';
    this.suppressed = 0;
    this.lastAt = now;
    this.write(`${message}${more}`);
  }
}
