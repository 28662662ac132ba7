/**
 * The collector process: reads the configuration, connects to InfluxDB (or
 * starts a private influxd when INFLUX_URL is not set), listens, and shuts
 * down cleanly on SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setLogger } from '@influxdata/influxdb-client';
import { buildApp } from './app';
import { ConfigError, configFromEnv } from './config';
import { INFLUXD_INSTALL_HINT, hasInfluxd, startLocalInfluxd, type LocalInfluxd } from './influx/local-influxd';
import { publicUrl } from './http/safe-url';
import { connectInflux } from './influx/store';
import { installProcessGuard } from './process-guard';

// Fatal while starting (a programmer or configuration error); logged and survived once the collector serves.
const guard = installProcessGuard();

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`collector: configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  // The client library logs every failed write itself; the collector reports failures in its answers and /metrics.
  setLogger({ error: () => undefined, warn: () => undefined });

  let localInfluxd: LocalInfluxd | null = null;
  if (!config.influxUrl) {
    if (!hasInfluxd()) {
      console.error(`collector: INFLUX_URL is not set and no local influxd is installed.\n  ${INFLUXD_INSTALL_HINT}\n  or set INFLUX_URL to an InfluxDB you run.`);
      process.exit(2);
    }
    const dataDir = resolve(config.dataDir, 'influxdb');
    localInfluxd = await startLocalInfluxd({ dataDir });
    config = { ...config, influxUrl: localInfluxd.url };
    const child = localInfluxd.process();
    // Never leave a private influxd behind, however this process ends.
    process.on('exit', () => child.kill('SIGTERM'));
    console.log(`collector: started a local influxd at ${localInfluxd.url} (data in ${dataDir})`);
  }
  if (config.ingestTokens.length === 0) {
    const token = randomBytes(18).toString('base64url');
    config = { ...config, ingestTokens: [token] };
    // A secret does not go into a log (logs are shipped and kept): it goes into a file only this user can read.
    const tokenFile = resolve(config.dataDir, 'ingest-token');
    mkdirSync(dirname(tokenFile), { recursive: true });
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    chmodSync(tokenFile, 0o600);
    console.log(`collector: TAKTLINE_INGEST_TOKENS is not set; stations may use the token in ${tokenFile} until restart`);
  }

  const store = await connectInflux({
    url: config.influxUrl,
    token: config.influxToken,
    org: config.influxOrg,
    bucket: config.influxBucket,
  });
  const info = store.info();
  console.log(
    info.reachable
      ? `collector: InfluxDB at ${publicUrl(info.url)} is ${info.name} (writes via ${info.writePath === 'v1-legacy' ? 'legacy /write' : '/api/v2/write'})`
      : `collector: InfluxDB at ${publicUrl(info.url)} is unreachable (${info.error}); events are kept in the spool (${resolve(config.dataDir, 'spool')}) until it is back`,
  );

  const app = buildApp({ config, store, version: process.env.npm_package_version ?? 'dev' });
  await app.start();
  await new Promise<void>((resolveListen, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host, () => resolveListen());
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`collector: listening on http://localhost:${port} (dashboard at /, health at /api/v1/health)`);
  guard.running();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`collector: ${signal}, shutting down`);
    await app.close();
    await localInfluxd?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (/EADDRINUSE/.test(message)) {
    console.error(`collector: the port is already in use: ${message}. Set PORT to another port.`);
  } else {
    console.error(`collector: failed to start: ${message}`);
  }
  process.exit(1);
});
