/**
 * One OPC UA server as a source: connects, opens a session, subscribes to
 * every tag of its stations' tag maps, and turns data changes into
 * protocol-v1 events through the tag map and the one ingest path.
 *
 * Liveness is ours, not the library's: node-opcua's own reconnection is
 * turned off (`maxRetry: 0`) and every way a link dies is handled by name —
 * - the connection breaks or the session keep-alive fails: tear everything
 *   down and reconnect with exponential back-off (a restarted server comes back);
 * - the subscription delivers nothing (no data, no keep-alive) for longer
 *   than `silenceSeconds` while the session is up: it is deleted and created
 *   again (the "subscription stopped, nothing in the log" failure);
 * - the server ends the subscription: it is created again.
 * State, silence and last value are in {@link OpcuaSourceConnector.status}.
 */
import { join } from 'node:path';
import type * as Opcua from 'node-opcua';
import type { OpcuaSource } from '../../../core/connectors';
import type { Ingestor } from '../../ingest/ingest';
import type { Metrics } from '../../metrics';
import { IngestQueue } from '../ingest-queue';
import { RateLimitedLog, type SourceState, type SourceStatus, type StatusSource } from '../source-status';
import { TagMap, type TagChange, type TagRejection } from '../tag-map';

type OpcuaModule = typeof Opcua;

export interface OpcuaSourceOptions {
  source: OpcuaSource;
  ingestor: Ingestor;
  metrics: Metrics;
  /** Where the client keeps its certificate and the servers' (PKI folders). */
  pkiDir: string;
  /** Environment, for the password named by `passwordEnv`. */
  env: Record<string, string | undefined>;
  /** Back-off between connection attempts, doubling from min to max, milliseconds. @default 500, 30000 */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Wall clock, epoch ms. @default Date.now */
  clock?: () => number;
  /** @default console.warn */
  log?: (message: string) => void;
}

/** Publishing interval when the plant file gives none, ms. */
const DEFAULT_PUBLISHING_MS = 1000;
/** Keep-alive count asked of the server: an idle subscription says "still here" every this many intervals. */
const KEEP_ALIVE_COUNT = 10;

export class OpcuaSourceConnector implements StatusSource {
  private readonly map: TagMap;
  private readonly addresses: string[];
  private readonly queue: IngestQueue;
  private readonly log: RateLimitedLog;
  private readonly clock: () => number;
  private state: SourceState = 'connecting';
  private lastError: string | null = null;
  private lastValueAt: number | null = null;
  /** Last data or keep-alive from the subscription, epoch ms. */
  private lastDeliveryAt: number | null = null;
  private silentSince: number | null = null;
  private reconnects = 0;
  private resubscriptions = 0;
  private rejectedValues = 0;
  private lastRejection: SourceStatus['lastRejection'] = null;
  private everConnected = false;
  private closed = false;
  private client: Opcua.OPCUAClient | null = null;
  private certificates: Opcua.OPCUACertificateManager | null = null;
  private session: Opcua.ClientSession | null = null;
  private subscription: Opcua.ClientSubscription | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private resubscribing = false;
  private pending: TagChange[] = [];
  private breakLink: ((reason: string) => void) | null = null;
  private wakeBackoff: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly reportedBadTags = new Set<string>();

  constructor(private readonly options: OpcuaSourceOptions) {
    this.clock = options.clock ?? Date.now;
    this.map = new TagMap(options.source.stations, `opcua:${options.source.id}`);
    this.addresses = this.map.addresses();
    const write = options.log ?? ((m: string) => console.warn(m));
    this.log = new RateLimitedLog(write, this.clock);
    this.queue = new IngestQueue({
      ingestor: options.ingestor,
      onResult: (result) => {
        for (const r of result.rejected) this.log.log(`collector: OPC UA ${options.source.id}: event rejected: ${r.code} ${r.field}: ${r.reason}`);
      },
      onDropped: (count, reason) => {
        options.metrics.rejected('connector_dropped', count);
        this.log.log(`collector: OPC UA ${options.source.id}: ${count} event(s) dropped: ${reason}`);
      },
    });
  }

  /** Starts connecting in the background; never throws (failures are in the status and the log). */
  start(): void {
    this.loop ??= this.run().catch((error: unknown) => {
      // Only a programmer error or a broken install gets here (the loop handles every link failure).
      this.state = 'closed';
      this.lastError = `the connector stopped: ${(error as Error).message}`;
      this.log.log(`collector: OPC UA ${this.options.source.id}: ${this.lastError}`);
    });
  }

  status(): SourceStatus {
    const { source } = this.options;
    return {
      id: source.id,
      kind: 'opcua',
      endpoint: source.endpoint,
      state: this.state,
      connected: this.state === 'connected' || this.state === 'silent' || this.state === 'subscribing',
      subscribing: this.state === 'subscribing',
      silentSince: this.silentSince,
      lastValueAt: this.lastValueAt,
      lastError: this.lastError,
      reconnects: this.reconnects,
      resubscriptions: this.resubscriptions,
      rejectedValues: this.rejectedValues,
      lastRejection: this.lastRejection,
      stations: source.stations.map((s) => `${s.line}/${s.station}`),
    };
  }

  /** Resolves once every event read so far was handed to the ingestor (tests). */
  async idle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    await this.queue.idle();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.state = 'closed';
    this.queue.close();
    this.breakLink?.('closing');
    this.wakeBackoff?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const opcua = await import('node-opcua');
    const min = this.options.backoffMinMs ?? 500;
    const max = this.options.backoffMaxMs ?? 30_000;
    let failures = 0;
    while (!this.closed) {
      const broken = new Promise<string>((resolve) => {
        this.breakLink = resolve;
      });
      try {
        await this.connect(opcua);
        if (this.everConnected) this.reconnects += 1;
        this.everConnected = true;
        failures = 0;
        const reason = await broken;
        if (!this.closed) this.fail(`link lost: ${reason}`);
      } catch (error) {
        if (!this.closed) this.fail(error instanceof Error ? error.message : String(error));
      }
      this.breakLink = null;
      await this.teardown();
      if (this.closed) break;
      const delay = Math.min(max, min * 2 ** failures);
      failures += 1;
      this.state = 'backoff';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeBackoff = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeBackoff = null;
    }
    await this.teardown();
    await this.certificates?.dispose().catch(() => undefined);
    this.state = 'closed';
  }

  private fail(message: string): void {
    this.lastError = message;
    this.silentSince ??= this.lastDeliveryAt ?? this.clock();
    this.log.log(`collector: OPC UA ${this.options.source.id} (${this.options.source.endpoint}): ${message}; reconnecting`);
  }

  private async connect(opcua: OpcuaModule): Promise<void> {
    const { source } = this.options;
    this.state = 'connecting';
    let identity: Opcua.UserIdentityInfo = { type: opcua.UserTokenType.Anonymous };
    if (source.username !== undefined && source.passwordEnv !== undefined) {
      const password = this.options.env[source.passwordEnv];
      if (password === undefined || password === '') {
        throw new Error(`the environment variable ${source.passwordEnv} (passwordEnv) is not set`);
      }
      identity = { type: opcua.UserTokenType.UserName, userName: source.username, password };
    }
    // One certificate store for the connector's life: a new one per attempt would pile up over days of retries.
    this.certificates ??= new opcua.OPCUACertificateManager({
      rootFolder: join(this.options.pkiDir, 'client'),
      // Trust on first use: a server certificate moved to rejected/ stays refused.
      automaticallyAcceptUnknownCertificate: true,
    });
    const certificateManager = this.certificates;
    const client = opcua.OPCUAClient.create({
      applicationName: 'Taktline collector',
      endpointMustExist: false,
      securityMode: opcua.MessageSecurityMode[source.securityMode ?? 'None'],
      securityPolicy: opcua.SecurityPolicy[source.securityPolicy ?? 'None'],
      // Reconnection is this class's job: one attempt, then our back-off.
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      keepSessionAlive: true,
      keepAliveInterval: 5000,
      requestedSessionTimeout: 60_000,
      clientCertificateManager: certificateManager,
    });
    this.client = client;
    const lost = (why: string) => () => this.breakLink?.(why);
    client.on('start_reconnection', lost('connection broken'));
    client.on('connection_lost', lost('connection lost'));
    client.on('close', lost('connection closed'));
    client.on('abort', lost('connection aborted by the server'));
    await withTimeout(client.connect(source.endpoint), 15_000, `cannot connect to ${source.endpoint}`);
    const session = await withTimeout(client.createSession(identity), 15_000, 'the server did not open a session');
    this.session = session;
    session.on('keepalive_failure', lost('the session keep-alive failed'));
    session.on('session_closed', lost('the server closed the session'));
    await this.subscribe(opcua, session);
    this.watchdog = setInterval(() => this.checkSilence(opcua), Math.min(1000, this.silenceMs() / 4));
    this.watchdog.unref();
  }

  /** Longest a subscription may deliver nothing, ms: the configured value, or 3 keep-alive periods (≥ 5 s). */
  private silenceMs(): number {
    const configured = this.options.source.silenceSeconds;
    if (configured !== undefined) return configured * 1000;
    const sub = this.subscription;
    const keepAliveMs = sub ? sub.publishingInterval * sub.maxKeepAliveCount : (this.options.source.publishingIntervalMs ?? DEFAULT_PUBLISHING_MS) * KEEP_ALIVE_COUNT;
    return Math.max(5000, 3 * keepAliveMs);
  }

  private async subscribe(opcua: OpcuaModule, session: Opcua.ClientSession): Promise<void> {
    const { source } = this.options;
    this.state = 'subscribing';
    const publishingMs = source.publishingIntervalMs ?? DEFAULT_PUBLISHING_MS;
    const subscription = await withTimeout(
      session.createSubscription2({
        requestedPublishingInterval: publishingMs,
        requestedMaxKeepAliveCount: KEEP_ALIVE_COUNT,
        requestedLifetimeCount: KEEP_ALIVE_COUNT * 6,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 10,
      }),
      15_000,
      'the server did not create the subscription',
    );
    this.subscription = subscription;
    const delivered = () => {
      if (this.subscription !== subscription) return;
      this.lastDeliveryAt = this.clock();
      this.silentSince = null;
      if (this.state === 'silent') this.state = 'connected';
    };
    subscription.on('keepalive', delivered);
    subscription.on('received_notifications', delivered);
    subscription.on('terminated', () => {
      // Ended by the server (or by us while recreating it): a live session gets a new one.
      if (this.subscription === subscription && !this.closed && this.state === 'connected') void this.resubscribe(opcua, 'the server ended the subscription');
    });
    const group = await withTimeout(
      subscription.monitorItems(
        this.addresses.map((nodeId) => ({ nodeId, attributeId: opcua.AttributeIds.Value })),
        // 0: report every change (servers that cannot, revise it to their fastest rate); the queue keeps
        // the changes of one publishing interval, so a fault that clears within it is not lost.
        { samplingInterval: source.samplingIntervalMs ?? 0, queueSize: 100, discardOldest: true },
        opcua.TimestampsToReturn.Both,
      ),
      15_000,
      'the server did not create the monitored items',
    );
    group.monitoredItems.forEach((item, index) => {
      const address = this.addresses[index] ?? '?';
      if (item.statusCode.isNotGood()) this.badTag(address, item.statusCode.name);
    });
    group.on('changed', (_item, dataValue, index) => {
      if (this.subscription !== subscription) return;
      delivered();
      this.onDataValue(this.addresses[index] ?? '', dataValue);
    });
    this.lastDeliveryAt = this.clock();
    this.silentSince = null;
    this.state = 'connected';
  }

  private badTag(address: string, status: string): void {
    if (this.reportedBadTags.has(`${address} ${status}`)) return;
    this.reportedBadTags.add(`${address} ${status}`);
    this.rejectedValues += 1;
    this.options.metrics.rejected('bad_tag');
    this.log.log(`collector: OPC UA ${this.options.source.id}: tag '${address}' answers ${status}: check the NodeId in the tag map`);
  }

  private onDataValue(address: string, dataValue: Opcua.DataValue): void {
    if (dataValue.statusCode.isNotGood()) {
      this.badTag(address, dataValue.statusCode.name);
      return;
    }
    const now = this.clock();
    this.lastValueAt = now;
    const ts = dataValue.sourceTimestamp?.getTime() ?? dataValue.serverTimestamp?.getTime() ?? now;
    this.pending.push({ address, value: dataValue.value.value as unknown, ts: Number.isFinite(ts) ? ts : now });
    // One publish response arrives as a burst of synchronous 'changed' events: map them together,
    // so a serial written with the counter is latched before the counter counts.
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  private flush(): void {
    const changes = this.pending;
    this.pending = [];
    const outcome = this.map.apply(changes);
    for (const rejection of outcome.rejections) this.rejectValue(rejection);
    this.queue.push(outcome.events);
  }

  private rejectValue(rejection: TagRejection): void {
    this.rejectedValues += 1;
    this.lastRejection = { at: this.clock(), station: `${rejection.line}/${rejection.station}`, field: rejection.field, code: rejection.code, reason: rejection.reason };
    this.options.metrics.rejected(rejection.code);
    this.log.log(`collector: OPC UA ${this.options.source.id}: ${rejection.line}/${rejection.station} ${rejection.field} (${rejection.address}): ${rejection.reason}`);
  }

  private checkSilence(opcua: OpcuaModule): void {
    if (this.state !== 'connected' || this.resubscribing || this.lastDeliveryAt === null) return;
    if (this.clock() - this.lastDeliveryAt <= this.silenceMs()) return;
    void this.resubscribe(opcua, `the subscription delivered nothing for ${Math.round((this.clock() - this.lastDeliveryAt) / 1000)} s (no data, no keep-alive)`);
  }

  /** Deletes the subscription and creates it again on the same session; a failure breaks the link. */
  private async resubscribe(opcua: OpcuaModule, why: string): Promise<void> {
    const session = this.session;
    if (this.resubscribing || !session) return;
    this.resubscribing = true;
    this.state = 'silent';
    this.silentSince ??= this.lastDeliveryAt ?? this.clock();
    this.resubscriptions += 1;
    this.lastError = why;
    this.log.log(`collector: OPC UA ${this.options.source.id}: ${why}; recreating it`);
    const old = this.subscription;
    this.subscription = null;
    try {
      if (old) await withTimeout(old.terminate(), 5000, 'terminate').catch(() => undefined);
      if (this.closed || this.session !== session) return;
      await this.subscribe(opcua, session);
    } catch (error) {
      this.breakLink?.(`cannot recreate the subscription: ${(error as Error).message}`);
    } finally {
      this.resubscribing = false;
    }
  }

  private async teardown(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    const { client, session, subscription } = this;
    this.client = null;
    this.session = null;
    this.subscription = null;
    if (this.pending.length > 0) this.flush();
    // Best effort within bounds: a dead server must not hold the reconnect loop.
    if (subscription) await withTimeout(subscription.terminate(), 2000, 'terminate').catch(() => undefined);
    if (session) await withTimeout(session.close(), 2000, 'close session').catch(() => undefined);
    if (client) await withTimeout(client.disconnect(), 2000, 'disconnect').catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (no answer within ${ms / 1000} s)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
