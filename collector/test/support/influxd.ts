/**
 * Test harness: a real influxd (Debian's `influxdb` package) in a temporary
 * directory on a free port. A missing binary fails the run with the command
 * that installs it; nothing here ever skips.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalInfluxd, type LocalInfluxd } from '../../influx/local-influxd';

export interface TestInfluxd extends LocalInfluxd {
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
  /** Runs InfluxQL against the test database; rows as objects. */
  query(influxql: string, database?: string): Promise<Record<string, unknown>[]>;
}

export async function startTestInfluxd(): Promise<TestInfluxd> {
  const dir = mkdtempSync(join(tmpdir(), 'taktline-influxd-'));
  const server = await startLocalInfluxd({ dataDir: dir });
  return {
    ...server,
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    async query(influxql, database = 'taktline') {
      const params = new URLSearchParams({ db: database, q: influxql, epoch: 'ms' });
      const res = await fetch(`${server.url}/query?${params.toString()}`);
      const body = (await res.json()) as {
        results: { series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[]; error?: string }[];
      };
      const error = body.results.find((r) => r.error)?.error;
      if (error) throw new Error(`InfluxQL failed: ${error}`);
      return body.results.flatMap((r) =>
        (r.series ?? []).flatMap((s) =>
          s.values.map((row) => ({
            _measurement: s.name,
            ...s.tags,
            ...Object.fromEntries(s.columns.map((c, i) => [c, row[i]])),
          })),
        ),
      );
    },
  };
}
