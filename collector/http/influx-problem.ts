/**
 * What a reader is told when InfluxDB cannot answer. InfluxDB's own words
 * ("overflowed duration", a parse error quoting the statement) describe our
 * query, not the reader's mistake, and may name the server: they go to the
 * collector's log, and the answer says what the reader can do.
 */
import type { InfluxError } from '../influx/store';
import { HttpProblem } from './problem';
import { redactUserInfo } from './safe-url';

export function influxProblem(error: InfluxError, log: (message: string) => void = (m) => console.error(m)): HttpProblem {
  log(`collector: a read from InfluxDB failed (${error.code}): ${redactUserInfo(error.message)}`);
  switch (error.code) {
    case 'influx_timeout':
      return new HttpProblem(503, error.code, 'InfluxDB did not answer in time: ask for a shorter interval, or try again later', { 'retry-after': '10' });
    case 'influx_unavailable':
      return new HttpProblem(503, error.code, 'InfluxDB is unreachable now: try again later; /api/v1/health shows its state', { 'retry-after': '10' });
    default:
      return error.retryable
        ? new HttpProblem(503, error.code, 'InfluxDB failed on this read: try again later; the collector logged its answer', { 'retry-after': '10' })
        : new HttpProblem(502, error.code, "InfluxDB refused this read; the collector logged its answer: please report it with the request's URL");
  }
}
