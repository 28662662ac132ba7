/**
 * Test harness: the whole back end as a user runs it — a real influxd and a
 * real collector listening on a free port, serving the built dashboard.
 * Browser tests and cross-part tests start one per file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../../app';
import { DEFAULT_COLLECTOR_CONFIG, type CollectorConfig } from '../../config';
import { connectInflux } from '../../influx/store';
import { startTestInfluxd, type TestInfluxd } from './influxd';

export const TEST_INGEST_TOKEN = 'test-ingest-token';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123';

export interface Stack {
  /** e.g. http://127.0.0.1:43121 */
  baseUrl: string;
  port: number;
  ingestToken: string;
  influxd: TestInfluxd;
  app(): App;
  /** POSTs a batch to /api/v1/events with the ingest token; returns status and body. */
  /**
   * POSTs a batch to /api/v1/events with the ingest token; returns status and body. A 200 means
   * durable in the spool; unless `drain: false`, this also waits until the writer has put the spool
   * into InfluxDB, so a test can query it right away.
   */
  postEvents(events: unknown[], options?: { drain?: boolean }): Promise<{ status: number; body: unknown }>;
  /** Resolves once the collector's writer has emptied its spool into InfluxDB. */
  drained(timeoutMs?: number): Promise<void>;
  /** Stops the collector only (InfluxDB keeps running). */
  stopCollector(): Promise<void>;
  /** Starts the collector again on the same port. */
  startCollector(): Promise<void>;
  /** Stops everything and removes temporary files. */
  stop(): Promise<void>;
}

export interface StackOptions {
  config?: Partial<CollectorConfig>;
  clock?: () => number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const influxd = await startTestInfluxd();
  // The collector's own files (its spool) live in a temp dir that outlives a collector restart.
  const dataDir = mkdtempSync(join(tmpdir(), 'taktline-collector-'));
  const config: CollectorConfig = {
    ...DEFAULT_COLLECTOR_CONFIG,
    dataDir,
    host: '127.0.0.1',
    port: 0,
    influxUrl: influxd.url,
    ingestTokens: [TEST_INGEST_TOKEN],
    adminToken: TEST_ADMIN_TOKEN,
    // No Chromium per test stack unless a test asks for end-of-shift reports.
    reportsAtShiftEnd: false,
    ...options.config,
  };
  let app: App | null = null;
  let port = 0;

  async function startCollector(): Promise<void> {
    const store = await connectInflux({
      url: config.influxUrl,
      token: config.influxToken,
      org: config.influxOrg,
      bucket: config.influxBucket,
    });
    const started = buildApp({ config, store, ...(options.clock ? { clock: options.clock } : {}) });
    await started.start();
    await new Promise<void>((resolve, reject) => {
      started.server.once('error', reject);
      started.server.listen(port, '127.0.0.1', () => resolve());
    });
    port = (started.server.address() as AddressInfo).port;
    app = started;
  }

  await startCollector();
  const stack: Stack = {
    get baseUrl() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    ingestToken: TEST_INGEST_TOKEN,
    influxd,
    app() {
      if (!app) throw new Error('the collector is stopped');
      return app;
    },
    async postEvents(events, postOptions = {}) {
      const res = await fetch(`${stack.baseUrl}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      const body: unknown = await res.json();
      if (res.status === 200 && postOptions.drain !== false) await stack.drained();
      return { status: res.status, body };
    },
    async drained(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (stack.app().metrics.spool().unwrittenEvents > 0) {
        if (Date.now() > deadline) throw new Error(`the collector's spool did not drain into InfluxDB within ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stopCollector() {
      await app?.close();
      app = null;
    },
    startCollector,
    async stop() {
      await app?.close();
      app = null;
      await influxd.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}
