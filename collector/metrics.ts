/** Counters and gauges for /metrics, in the Prometheus text format. */

export class Metrics {
  private acceptedTotal = 0;
  private duplicateTotal = 0;
  private readonly rejectedByCode = new Map<string, number>();
  private influxErrors = 0;
  private writeSeconds = 0;
  private writes = 0;
  private liveClients = 0;

  accepted(n: number): void {
    this.acceptedTotal += n;
  }
  duplicates(n: number): void {
    this.duplicateTotal += n;
  }
  rejected(code: string): void {
    this.rejectedByCode.set(code, (this.rejectedByCode.get(code) ?? 0) + 1);
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

  /** Numbers for /api/v1/health. */
  summary(): { accepted: number; duplicates: number; rejected: number; influxErrors: number } {
    let rejected = 0;
    for (const n of this.rejectedByCode.values()) rejected += n;
    return { accepted: this.acceptedTotal, duplicates: this.duplicateTotal, rejected, influxErrors: this.influxErrors };
  }

  render(): string {
    const lines = [
      '# HELP taktline_events_accepted_total Events stored in InfluxDB and acknowledged.',
      '# TYPE taktline_events_accepted_total counter',
      `taktline_events_accepted_total ${this.acceptedTotal}`,
      '# HELP taktline_events_duplicate_total Events dropped as repeats of an acknowledged id.',
      '# TYPE taktline_events_duplicate_total counter',
      `taktline_events_duplicate_total ${this.duplicateTotal}`,
      '# HELP taktline_events_rejected_total Events rejected, by reason code.',
      '# TYPE taktline_events_rejected_total counter',
      ...[...this.rejectedByCode].map(([code, n]) => `taktline_events_rejected_total{reason="${code}"} ${n}`),
      '# HELP taktline_influx_errors_total Failed writes to InfluxDB.',
      '# TYPE taktline_influx_errors_total counter',
      `taktline_influx_errors_total ${this.influxErrors}`,
      '# HELP taktline_influx_write_seconds Time InfluxDB took to confirm writes.',
      '# TYPE taktline_influx_write_seconds summary',
      `taktline_influx_write_seconds_sum ${this.writeSeconds}`,
      `taktline_influx_write_seconds_count ${this.writes}`,
      '# HELP taktline_live_clients Open live WebSocket connections.',
      '# TYPE taktline_live_clients gauge',
      `taktline_live_clients ${this.liveClients}`,
      '',
    ];
    return lines.join('\n');
  }
}
