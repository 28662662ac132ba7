/**
 * The collector process for collector/test/crash.test.ts: main.ts's
 * composition (configuration from the environment, a real InfluxDB, the app
 * listening), with the spool on {@link LazyFs}, so bytes the spool has not
 * `datasync`ed are in this process's memory only and a `kill -9` loses them
 * as a power cut would. Test use only.
 */
import { setLogger } from '@influxdata/influxdb-client';
import { buildApp } from '../app';
import { configFromEnv } from '../config';
import { connectInflux } from '../influx/store';
import { LazyFs } from '../spool/lazy-fs';

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  setLogger({ error: () => undefined, warn: () => undefined });
  const store = await connectInflux({ url: config.influxUrl, token: config.influxToken, org: config.influxOrg, bucket: config.influxBucket });
  const app = buildApp({ config, store, spoolFs: new LazyFs() });
  await app.start();
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host, () => resolve());
  });
}

main().catch((error: unknown) => {
  console.error(`crash-collector: failed to start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
