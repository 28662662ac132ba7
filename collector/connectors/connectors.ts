/**
 * The plant-floor connectors the plant file asks for (its `connectors`
 * section), started together and watched together. OPC UA sources run here;
 * Sparkplug B rides on the MQTT connector and registers its edge nodes in the
 * same {@link SourceRegistry}.
 */
import { join } from 'node:path';
import type { ConnectorsConfig } from '../../core/connectors';
import type { Ingestor } from '../ingest/ingest';
import type { Metrics } from '../metrics';
import { OpcuaSourceConnector } from './opcua/source';
import { SourceRegistry } from './source-status';

export interface ConnectorsOptions {
  config: ConnectorsConfig | undefined;
  ingestor: Ingestor;
  metrics: Metrics;
  /** The collector's data directory; OPC UA certificates live in `<dataDir>/opcua-pki`. */
  dataDir: string;
  env?: Record<string, string | undefined>;
  clock?: () => number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

export class Connectors {
  readonly registry = new SourceRegistry();
  readonly opcua: OpcuaSourceConnector[] = [];

  constructor(options: ConnectorsOptions) {
    for (const source of options.config?.opcua ?? []) {
      const connector = new OpcuaSourceConnector({
        source,
        ingestor: options.ingestor,
        metrics: options.metrics,
        pkiDir: join(options.dataDir, 'opcua-pki'),
        env: options.env ?? process.env,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.backoffMinMs !== undefined ? { backoffMinMs: options.backoffMinMs } : {}),
        ...(options.backoffMaxMs !== undefined ? { backoffMaxMs: options.backoffMaxMs } : {}),
      });
      this.opcua.push(connector);
      this.registry.add(connector);
    }
    options.metrics.setSourceStatus(() => this.registry.list());
  }

  /** Starts every source in the background: a PLC that is down at start is retried, never fatal. */
  start(): void {
    for (const c of this.opcua) c.start();
  }

  async close(): Promise<void> {
    await Promise.all(this.opcua.map((c) => c.close()));
  }
}
