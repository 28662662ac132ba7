/**
 * MQTT connector: subscribes to the stations' topic tree with QoS 1 and feeds
 * each message through the same ingest as HTTP. The PUBACK goes out only
 * after the message's events are fsynced in the spool (mqtt.js sends it when
 * `handleMessage` calls back), so a broker redelivers whatever the collector
 * did not make durable. The session is persistent (`clean: false`): messages
 * published while the collector is away wait at the broker.
 *
 * A payload is one event or a JSON array of events. A payload or event that
 * is invalid is acknowledged (resending it cannot help) and reported, with
 * its reasons, on the error topic and in the log. A full spool is
 * back-pressure: the message stays unacknowledged and is retried, and the
 * broker holds the rest.
 *
 * Sparkplug B messages (`spBv1.0/…`) of the configured edge nodes go through
 * the Sparkplug host (./sparkplug.ts) and the tag map instead, then the same ingest.
 */
import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import { decodeBatch } from '../ingest/decode';
import { IngestError } from '../ingest/errors';
import type { Ingestor, IngestResult, RejectedEvent } from '../ingest/ingest';
import type { SparkplugSource } from '../../core/connectors';
import type { StatusSource } from '../connectors/source-status';
import type { Metrics } from '../metrics';
import { SPARKPLUG_NAMESPACE, SparkplugHost } from './sparkplug';

export interface MqttConnectorOptions {
  url: string;
  /** Topic filter, e.g. `taktline/+/+/events`. */
  topic: string;
  /** Where rejections are published. */
  errorTopic: string;
  clientId: string;
  ingestor: Ingestor;
  /** Largest payload, bytes. */
  maxPayloadBytes: number;
  maxBatchEvents: number;
  /** Where the connector reports rejections and connection trouble (at most one line a second). @default console.warn */
  log?: (message: string) => void;
  /** Sparkplug B edge nodes to read under `spBv1.0/…` (see ./sparkplug.ts); unset or empty: none. */
  sparkplug?: { sources: readonly SparkplugSource[]; metrics: Metrics; marksDir?: string };
}

/** What the connector publishes on the error topic for a rejected payload or event. */
export interface MqttRejection {
  topic: string;
  code: string;
  message: string;
  rejected: RejectedEvent[];
}

export class MqttConnector {
  private readonly client: MqttClient;
  private closing = false;
  private lastLogAt = 0;
  private suppressed = 0;
  private wakeRetry: (() => void) | null = null;
  private readonly sparkplug: SparkplugHost | null;

  constructor(private readonly options: MqttConnectorOptions) {
    const sparkplug = options.sparkplug;
    this.sparkplug =
      sparkplug && sparkplug.sources.length > 0
        ? new SparkplugHost({
            sources: sparkplug.sources,
            metrics: sparkplug.metrics,
            // NCMD at QoS 0, as the specification has it.
            publish: (topic, payload) => this.client.publish(topic, payload, { qos: 0 }),
            log: (message) => this.log(message),
            ...(sparkplug.marksDir !== undefined ? { marksDir: sparkplug.marksDir } : {}),
          })
        : null;
    this.client = connect(options.url, {
      clientId: options.clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    this.client.handleMessage = (packet, done) => {
      this.onMessage(packet).then(
        () => done(),
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    };
    this.client.on('connect', () => {
      this.client.subscribe(this.topics(), { qos: 1 }, (error) => {
        if (error) this.log(`collector: MQTT subscribe to '${this.topics().join("', '")}' failed: ${error.message}`);
        // Births are not retained: once subscribed, ask every Sparkplug node for one.
        else this.sparkplug?.onBrokerConnected();
      });
    });
    this.client.on('close', () => this.sparkplug?.onBrokerLost());
    this.client.on('error', (error) => this.log(`collector: MQTT ${options.url}: ${error.message}`));
  }

  /** Resolves once connected and subscribed (for tests and start-up logs). */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.client.once('error', onError);
      this.client.once('connect', () =>
        this.client.subscribe(this.topics(), { qos: 1 }, (error) => {
          this.client.off('error', onError);
          if (error) reject(error);
          else resolve();
        }),
      );
    });
  }

  private topics(): string[] {
    return [this.options.topic, ...(this.sparkplug?.topics() ?? [])];
  }

  /** The Sparkplug edge nodes and devices, for /api/v1/health and /metrics. */
  sparkplugSources(): StatusSource[] {
    return this.sparkplug?.statusSources() ?? [];
  }

  private async onMessage(packet: IPublishPacket): Promise<void> {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const { sparkplug } = this;
    if (sparkplug && packet.topic.startsWith(`${SPARKPLUG_NAMESPACE}/`)) {
      const events = sparkplug.handle(packet.topic, payload);
      if (events.length === 0) {
        sparkplug.stored();
        return;
      }
      const result = await this.ingestWithRetry(events);
      // Stored: the counters' marks may move to where this message left them.
      sparkplug.stored();
      for (const r of result.rejected) this.log(`collector: Sparkplug message on '${packet.topic}': event rejected: ${r.code} ${r.field}: ${r.reason}`);
      return;
    }
    let items: unknown[];
    try {
      items = decodeBatch(payload, { format: 'json', maxEvents: this.options.maxBatchEvents, maxBytes: this.options.maxPayloadBytes, subject: 'payload' }).items;
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      this.reject({ topic: packet.topic, code: error.code, message: error.message, rejected: [] });
      return;
    }
    const result = await this.ingestWithRetry(items);
    if (result.rejected.length > 0) {
      this.reject({
        topic: packet.topic,
        code: 'rejected_events',
        message: `${result.rejected.length} of ${items.length} event(s) rejected; ${result.accepted} accepted`,
        rejected: result.rejected,
      });
    }
  }

  /** Ingests; while the spool cannot take the batch (a retryable IngestError) the message stays unacknowledged and is retried. */
  private async ingestWithRetry(items: readonly unknown[]): Promise<IngestResult> {
    for (;;) {
      try {
        return await this.options.ingestor.ingest(items);
      } catch (error) {
        if (!(error instanceof IngestError) || error.retryAfterSeconds === null || this.closing) throw error;
        const { retryAfterSeconds } = error;
        // Spool full or unavailable: keep the message unacknowledged and try again; the broker holds the rest.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryAfterSeconds * 1000);
          this.wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private reject(rejection: MqttRejection): void {
    this.client.publish(this.options.errorTopic, JSON.stringify(rejection), { qos: 1 });
    this.log(`collector: MQTT message on '${rejection.topic}' rejected: ${rejection.code}: ${rejection.message}`);
  }

  private log(message: string): void {
    const now = Date.now();
    // At most one line a second: a misbehaving gateway must not flood the log.
    if (now - this.lastLogAt < 1000) {
      this.suppressed += 1;
      return;
    }
    const more = this.suppressed > 0 ? ` (and ${this.suppressed} more since the last line)` : '';
    this.suppressed = 0;
    this.lastLogAt = now;
    (this.options.log ?? ((m: string) => console.warn(m)))(`${message}${more}`);
  }

  /** Disconnects; a message waiting for spool room stays unacknowledged, so the broker redelivers it. */
  async close(): Promise<void> {
    this.closing = true;
    this.wakeRetry?.();
    await this.client.endAsync(true);
    await this.sparkplug?.flushMarks();
  }
}
