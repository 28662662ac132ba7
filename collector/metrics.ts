/** Counters and gauges for /metrics, in the Prometheus text format. */
import type { SourceStatus } from './connectors/source-status';

/** The spool's state as /metrics and /api/v1/health show it. */
export interface SpoolGauges {
  /** Events acknowledged but not yet confirmed by InfluxDB. */
  unwrittenEvents: number;
  /** Bytes of those events in the spool. */
  unwrittenBytes: number;
  /** Bytes of the spool's segment files. */
  diskBytes: number;
  /** The quota on unwritten bytes. */
  maxBytes: number;
  /** When the oldest unwritten event arrived (epoch ms); null when none waits. */
  oldestUnwrittenAt: number | null;
  /** fsyncs done and their total time (group commit: appends per sync). */
  syncs: number;
  syncSeconds: number;
  appends: number;
}

const NO_SPOOL: SpoolGauges = {
  unwrittenEvents: 0,
  unwrittenBytes: 0,
  diskBytes: 0,
  maxBytes: 0,
  oldestUnwrittenAt: null,
  syncs: 0,
  syncSeconds: 0,
  appends: 0,
};

export class Metrics {
  private acceptedTotal = 0;
  private duplicateTotal = 0;
  private readonly rejectedByCode = new Map<string, number>();
  private writtenTotal = 0;
  private deadLetterTotal = 0;
  private spoolFullTotal = 0;
  private influxErrors = 0;
  private writeSeconds = 0;
  private writes = 0;
  private liveClients = 0;
  private spoolSource: () => SpoolGauges = () => NO_SPOOL;
  private sourceStatus: () => SourceStatus[] = () => [];

  /** @param clock wall clock for ages, epoch ms */
  constructor(private readonly clock: () => number = Date.now) {}

  /** Events made durable in the spool and acknowledged. */
  accepted(n: number): void {
    this.acceptedTotal += n;
  }
  duplicates(n: number): void {
    this.duplicateTotal += n;
  }
  rejected(code: string, n = 1): void {
    this.rejectedByCode.set(code, (this.rejectedByCode.get(code) ?? 0) + n);
  }
  /** Events InfluxDB confirmed. */
  written(n: number): void {
    this.writtenTotal += n;
  }
  /** Events InfluxDB refused for good, moved to the dead-letter file. */
  deadLettered(n: number): void {
    this.deadLetterTotal += n;
  }
  /** A batch turned away because the spool's quota was reached. */
  spoolFull(): void {
    this.spoolFullTotal += 1;
  }
  influxError(): void {
    this.influxErrors += 1;
  }
  /** @param seconds time InfluxDB took to confirm one write */
  writeLatency(seconds: number): void {
    this.writeSeconds += seconds;
    this.writes += 1;
  }
  setLiveClients(n: number): void {
    this.liveClients = n;
  }
  /** Where the spool gauges come from (set once the spool is open). */
  setSpoolSource(source: () => SpoolGauges): void {
    this.spoolSource = source;
  }

  /** Where the plant-floor sources' states come from (OPC UA servers, Sparkplug edge nodes). */
  setSourceStatus(source: () => SourceStatus[]): void {
    this.sourceStatus = source;
  }

  /** The spool's state now, with the age of the oldest unwritten event in seconds. */
  spool(): SpoolGauges & { oldestUnwrittenSeconds: number } {
    const gauges = this.spoolSource();
    const age = gauges.oldestUnwrittenAt === null ? 0 : Math.max(0, (this.clock() - gauges.oldestUnwrittenAt) / 1000);
    return { ...gauges, oldestUnwrittenSeconds: age };
  }

  /** Numbers for /api/v1/health. */
  summary(): {
    accepted: number;
    duplicates: number;
    rejected: number;
    written: number;
    deadLettered: number;
    spoolFull: number;
    influxErrors: number;
  } {
    let rejected = 0;
    for (const n of this.rejectedByCode.values()) rejected += n;
    return {
      accepted: this.acceptedTotal,
      duplicates: this.duplicateTotal,
      rejected,
      written: this.writtenTotal,
      deadLettered: this.deadLetterTotal,
      spoolFull: this.spoolFullTotal,
      influxErrors: this.influxErrors,
    };
  }

  render(): string {
    const spool = this.spool();
    const metric = (name: string, type: 'counter' | 'gauge' | 'summary', help: string, ...samples: string[]) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} ${type}`,
      ...samples,
    ];
    const lines = [
      ...metric('taktline_events_accepted_total', 'counter', 'Events made durable in the spool and acknowledged.', `taktline_events_accepted_total ${this.acceptedTotal}`),
      ...metric('taktline_events_duplicate_total', 'counter', 'Events dropped as repeats of an acknowledged id.', `taktline_events_duplicate_total ${this.duplicateTotal}`),
      ...metric(
        'taktline_events_rejected_total',
        'counter',
        'Events rejected, by reason code.',
        ...[...this.rejectedByCode].map(([code, n]) => `taktline_events_rejected_total{reason="${code}"} ${n}`),
      ),
      ...metric('taktline_events_written_total', 'counter', 'Events InfluxDB confirmed.', `taktline_events_written_total ${this.writtenTotal}`),
      ...metric(
        'taktline_events_dead_letter_total',
        'counter',
        'Events InfluxDB refused for good, kept in the dead-letter file.',
        `taktline_events_dead_letter_total ${this.deadLetterTotal}`,
      ),
      ...metric('taktline_spool_full_total', 'counter', 'Batches answered 503 because the spool quota was reached.', `taktline_spool_full_total ${this.spoolFullTotal}`),
      ...metric('taktline_spool_unwritten_events', 'gauge', 'Acknowledged events not yet confirmed by InfluxDB.', `taktline_spool_unwritten_events ${spool.unwrittenEvents}`),
      ...metric('taktline_spool_unwritten_bytes', 'gauge', 'Spool bytes not yet confirmed by InfluxDB.', `taktline_spool_unwritten_bytes ${spool.unwrittenBytes}`),
      ...metric('taktline_spool_max_bytes', 'gauge', 'Quota on unwritten spool bytes.', `taktline_spool_max_bytes ${spool.maxBytes}`),
      ...metric('taktline_spool_disk_bytes', 'gauge', 'Bytes of the spool segment files.', `taktline_spool_disk_bytes ${spool.diskBytes}`),
      ...metric(
        'taktline_spool_oldest_unwritten_seconds',
        'gauge',
        'Age of the oldest acknowledged event InfluxDB has not confirmed; 0 when none waits.',
        `taktline_spool_oldest_unwritten_seconds ${spool.oldestUnwrittenSeconds}`,
      ),
      ...metric(
        'taktline_spool_fsync_seconds',
        'summary',
        'Time of the spool fsyncs; appends_total / count is the group-commit factor.',
        `taktline_spool_fsync_seconds_sum ${spool.syncSeconds}`,
        `taktline_spool_fsync_seconds_count ${spool.syncs}`,
      ),
      ...metric('taktline_spool_appends_total', 'counter', 'Batches appended to the spool.', `taktline_spool_appends_total ${spool.appends}`),
      ...metric('taktline_influx_errors_total', 'counter', 'Failed writes to InfluxDB.', `taktline_influx_errors_total ${this.influxErrors}`),
      ...metric(
        'taktline_influx_write_seconds',
        'summary',
        'Time InfluxDB took to confirm writes.',
        `taktline_influx_write_seconds_sum ${this.writeSeconds}`,
        `taktline_influx_write_seconds_count ${this.writes}`,
      ),
      ...metric('taktline_live_clients', 'gauge', 'Open live WebSocket connections.', `taktline_live_clients ${this.liveClients}`),
      ...this.renderSources(metric),
      '',
    ];
    return lines.join('\n');
  }

  /** One series per plant-floor source; ids are identifiers or Sparkplug names without quotes or backslashes. */
  private renderSources(metric: (name: string, type: 'counter' | 'gauge', help: string, ...samples: string[]) => string[]): string[] {
    const sources = this.sourceStatus();
    if (sources.length === 0) return [];
    const now = this.clock();
    const label = (s: SourceStatus) => `{source="${s.id.replace(/["\\\n]/g, '_')}",kind="${s.kind}"}`;
    const each = (value: (s: SourceStatus) => number) => sources.map((s) => `${label(s)} ${value(s)}`);
    const named = (name: string, samples: string[]) => samples.map((sample) => `${name}${sample}`);
    return [
      ...metric('taktline_source_up', 'gauge', 'Plant-floor source delivering as expected (1) or not (0: connecting, silent, backing off, offline).', ...named('taktline_source_up', each((s) => (s.state === 'connected' ? 1 : 0)))),
      ...metric('taktline_source_silent_seconds', 'gauge', 'Seconds since the source last delivered, while it is silent or down; 0 while it delivers.', ...named('taktline_source_silent_seconds', each((s) => (s.silentSince === null ? 0 : Math.max(0, (now - s.silentSince) / 1000))))),
      ...metric('taktline_source_last_value_age_seconds', 'gauge', 'Seconds since the last tag value arrived; -1 before the first.', ...named('taktline_source_last_value_age_seconds', each((s) => (s.lastValueAt === null ? -1 : Math.max(0, (now - s.lastValueAt) / 1000))))),
      ...metric('taktline_source_reconnects_total', 'counter', 'Connections re-established after a loss.', ...named('taktline_source_reconnects_total', each((s) => s.reconnects))),
      ...metric('taktline_source_resubscriptions_total', 'counter', 'Silent subscriptions recreated (OPC UA) or rebirths requested (Sparkplug).', ...named('taktline_source_resubscriptions_total', each((s) => s.resubscriptions))),
      ...metric('taktline_source_rejected_values_total', 'counter', 'Tag values that did not become events (unmapped or invalid).', ...named('taktline_source_rejected_values_total', each((s) => s.rejectedValues))),
    ];
  }
}
