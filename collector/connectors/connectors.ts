/**
 * The plant-floor connectors the plant file asks for (its `connectors`
 * section), started together and watched together. OPC UA sources run here;
 * Sparkplug B rides on the MQTT connector and registers its edge nodes in the
 * same {@link SourceRegistry}.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ConnectorsConfig } from '../../core/connectors';
import type { Ingestor } from '../ingest/ingest';
import type { Metrics } from '../metrics';
import { OpcuaSourceConnector, type OpcuaTimeouts } from './opcua/source';
import { SourceRegistry } from './source-status';

export interface ConnectorsOptions {
  config: ConnectorsConfig | undefined;
  ingestor: Ingestor;
  metrics: Metrics;
  /** The collector's data directory; each OPC UA source's certificates live in `<dataDir>/opcua-pki/<source id>`. */
  dataDir: string;
  env?: Record<string, string | undefined>;
  clock?: () => number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** OPC UA stage time limits. @default DEFAULT_OPCUA_TIMEOUTS */
  opcuaTimeouts?: Partial<OpcuaTimeouts>;
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
        pkiDir: join(options.dataDir, 'opcua-pki', sourceFileName(source.id)),
        countersFile: join(options.dataDir, 'opcua-counters', `${sourceFileName(source.id)}.json`),
        env: options.env ?? process.env,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.backoffMinMs !== undefined ? { backoffMinMs: options.backoffMinMs } : {}),
        ...(options.backoffMaxMs !== undefined ? { backoffMaxMs: options.backoffMaxMs } : {}),
        ...(options.opcuaTimeouts ? { timeouts: options.opcuaTimeouts } : {}),
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

/**
 * A source's own file or folder name (its PKI store, its counter marks): one per connector, so no
 * two clients share a lock or a key, and one source's broken store cannot stop another. The id is
 * kept when it is a safe file name.
 */
export function sourceFileName(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return safe === id && !id.startsWith('.') ? id : `${safe.replace(/^\./, '_')}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
}
