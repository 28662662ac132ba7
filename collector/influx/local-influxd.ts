/**
 * Starts a private `influxd` (Debian's `influxdb` package, 1.x) on free
 * loopback ports with its data in a directory of our choosing. Used by the
 * demo, by `npm run collector` without INFLUX_URL, and by integration tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface LocalInfluxd {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data (for outage tests). */
  restart(): Promise<void>;
  process(): ChildProcess;
}

export interface LocalInfluxdOptions {
  /** Directory for meta, data and WAL; created if missing. */
  dataDir: string;
  /** HTTP port; a free one when omitted. */
  port?: number;
  /** Path to the binary. @default 'influxd' */
  binary?: string;
  /** Where influxd's own log goes. @default `${dataDir}/influxd.log` */
  logFile?: string;
}

export const INFLUXD_INSTALL_HINT =
  "influxd was not found. Install Debian's InfluxDB: sudo apt-get update && sudo apt-get install -y influxdb influxdb-client";

/** True when an `influxd` binary is on the PATH. */
export function hasInfluxd(binary = 'influxd'): boolean {
  return spawnSync(binary, ['version'], { stdio: 'ignore' }).status === 0;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startLocalInfluxd(options: LocalInfluxdOptions): Promise<LocalInfluxd> {
  const binary = options.binary ?? 'influxd';
  if (!hasInfluxd(binary)) throw new Error(INFLUXD_INSTALL_HINT);
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  let port = options.port ?? (await freePort());
  let rpcPort = await freePort();
  const configFile = join(dataDir, 'influxd.conf');
  // Everything on loopback, nothing phoned home, no _internal statistics database.
  const writeConfig = () =>
    writeFileSync(
      configFile,
      [
        'reporting-disabled = true',
        `bind-address = "127.0.0.1:${rpcPort}"`,
        '[meta]',
        `  dir = "${join(dataDir, 'meta')}"`,
        '[data]',
        `  dir = "${join(dataDir, 'data')}"`,
        `  wal-dir = "${join(dataDir, 'wal')}"`,
        '  query-log-enabled = false',
        '[monitor]',
        '  store-enabled = false',
        '[http]',
        `  bind-address = "127.0.0.1:${port}"`,
        '  log-enabled = false',
        '[continuous_queries]',
        '  log-enabled = false',
        '',
      ].join('\n'),
    );
  writeConfig();
  let url = `http://127.0.0.1:${port}`;
  const logFile = options.logFile ?? join(dataDir, 'influxd.log');
  let child: ChildProcess;

  async function start(): Promise<void> {
    const log = openSync(logFile, 'a');
    child = spawn(binary, ['run', '-config', configFile], { stdio: ['ignore', log, log] });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`influxd exited with code ${code} while starting; see ${logFile}`))),
    );
    await Promise.race([waitForPing(url, 30_000), exited]);
  }

  // A free port can be taken by another process between asking for it and influxd binding it
  // (many test files start servers at once): then try other ports, unless the caller chose one.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await start();
      break;
    } catch (error) {
      const taken = /address already in use/.test(readFileSync(logFile, 'utf8').slice(-4000));
      if (!taken || options.port !== undefined || attempt >= 5) throw error;
      port = await freePort();
      rpcPort = await freePort();
      url = `http://127.0.0.1:${port}`;
      writeConfig();
    }
  }
  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  }
  return {
    url,
    port,
    dataDir,
    process: () => child,
    stop,
    async restart() {
      await stop();
      await start();
    },
  };
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 204) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`influxd did not answer on ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
