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
 *
 * Every stage of a connection is bounded in time and fails with a reason a
 * person can act on (in `lastError` of the status): preparing the client's
 * certificate store, opening the secure channel, the session, the
 * subscription, the monitored items and their first values. A failed stage
 * is retried with back-off, forever; the first connection is no different
 * from a reconnection (a PLC that is not up yet is read once it is).
 *
 * The certificate store (PKI) is this connector's own folder, which nobody
 * else uses; node-opcua guards it with lock folders that a killed process
 * leaves behind and that the library then waits on for two minutes, silently,
 * inside `connect()`. A stale lock is removed, and a store whose certificate
 * does not match its key is put aside and made afresh, before the store is
 * opened; opening it happens once per connector, never again by a retry
 * while a slow first opening still runs.
 * State, silence and last value are in {@link OpcuaSourceConnector.status}.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type * as Opcua from 'node-opcua';
import type { OpcuaSource } from '../../../core/connectors';
import type { Ingestor } from '../../ingest/ingest';
import type { Metrics } from '../../metrics';
import { IngestQueue } from '../ingest-queue';
import { RateLimitedLog, type SourceState, type SourceStatus, type StatusSource } from '../source-status';
import { CounterMarkFile } from '../counter-marks';
import { TagMap, type TagChange, type TagRejection } from '../tag-map';

type OpcuaModule = typeof Opcua;

/** How long each stage of a connection may take before it fails with a reason, milliseconds. */
export interface OpcuaTimeouts {
  /** Opening the client's certificate store, making its key and certificate the first time (an RSA key: slow on a busy machine). */
  pkiMs: number;
  /** TCP connection, OPC UA hello and secure channel (also the library's transport timeout). */
  connectMs: number;
  /** CreateSession and ActivateSession. */
  sessionMs: number;
  /** CreateSubscription, CreateMonitoredItems, and each one's first value. */
  subscribeMs: number;
  /** Each teardown step (terminate, close session, disconnect): a dead server must not hold the loop. */
  teardownMs: number;
}

/** @see OpcuaTimeouts */
export const DEFAULT_OPCUA_TIMEOUTS: OpcuaTimeouts = {
  pkiMs: 60_000,
  connectMs: 15_000,
  sessionMs: 15_000,
  subscribeMs: 15_000,
  teardownMs: 2_000,
};

export interface OpcuaSourceOptions {
  source: OpcuaSource;
  ingestor: Ingestor;
  metrics: Metrics;
  /**
   * This connector's own certificate store (PKI folder): its key and certificate, and the
   * servers' certificates it trusts or rejects. No other connector or process may use it.
   */
  pkiDir: string;
  /**
   * This connector's counter marks (collector/connectors/counter-marks.ts): where each cycle
   * counter stood when its events were last stored, so a restart counts what the PLC counted
   * meanwhile. Without it a counter's first value after a start is its baseline.
   */
  countersFile?: string;
  /** Environment, for the password named by `passwordEnv`. */
  env: Record<string, string | undefined>;
  /** Back-off between connection attempts, doubling from min to max, milliseconds. @default 500, 30000 */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** On close, how long events already read may take to reach the spool, milliseconds. @default 5000 */
  drainMs?: number;
  /** Stage time limits. @default DEFAULT_OPCUA_TIMEOUTS */
  timeouts?: Partial<OpcuaTimeouts>;
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
  private readonly marks: CounterMarkFile | null;
  private readonly log: RateLimitedLog;
  /** Unthrottled, for the few lines that happen once (what was done to the certificate store). */
  private readonly write: (message: string) => void;
  private readonly clock: () => number;
  private readonly timeouts: OpcuaTimeouts;
  private state: SourceState = 'connecting';
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
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
  /** The one opening of the certificate store; a retry waits on it rather than opening the store again. */
  private pki: Promise<Opcua.OPCUACertificateManager> | null = null;
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
    this.timeouts = { ...DEFAULT_OPCUA_TIMEOUTS, ...options.timeouts };
    this.map = new TagMap(options.source.stations, `opcua:${options.source.id}`);
    this.addresses = this.map.addresses();
    this.write = options.log ?? ((m: string) => console.warn(m));
    this.log = new RateLimitedLog(this.write, this.clock);
    const tell = (m: string) => this.write(`collector: OPC UA ${options.source.id}: ${m}`);
    this.marks = options.countersFile ? new CounterMarkFile(options.countersFile, `opcua:${options.source.id}`, tell) : null;
    const restored = this.map.restoreCounters(this.marks?.load() ?? []);
    if (restored > 0) tell(`${restored} cycle counter(s) resume from where their events were last stored; cycles counted meanwhile are sent on the first value`);
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
      this.setError(`the connector stopped: ${(error as Error).message}`);
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
      lastErrorAt: this.lastErrorAt,
      reconnects: this.reconnects,
      resubscriptions: this.resubscriptions,
      rejectedValues: this.rejectedValues,
      lastRejection: this.lastRejection,
      queuedEvents: this.queue.size(),
      stations: source.stations.map((s) => `${s.line}/${s.station}`),
    };
  }

  /** Resolves once every event read so far was handed to the ingestor (tests). */
  async idle(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    await this.queue.idle();
  }

  /**
   * Stops reading, then hands what was read to the ingestor for up to `drainMs` (the ingestor is
   * still open: the collector closes its connectors before its spool), so a restart of the
   * collector loses no event already read while the spool takes them. What is still waiting after
   * that (the spool refusing, full) is dropped and counted.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.state = 'closed';
    this.breakLink?.('closing');
    this.wakeBackoff?.();
    await this.loop;
    if (this.pending.length > 0) this.flush();
    await withTimeout(this.queue.idle(), this.options.drainMs ?? 5000, 'drain').catch(() => undefined);
    this.queue.close();
    await this.marks?.flush();
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
    await this.disposeCertificates();
    this.state = 'closed';
  }

  private setError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = this.clock();
  }

  private fail(message: string): void {
    this.setError(message);
    this.silentSince ??= this.lastDeliveryAt ?? this.clock();
    this.log.log(`collector: OPC UA ${this.options.source.id} (${this.options.source.endpoint}): ${message}; reconnecting`);
  }

  /**
   * The certificate store, opened once. A stage timeout fails this attempt with a reason while the
   * opening goes on; the next attempt waits on the same opening. A failed opening is tried again.
   */
  private async certificateStore(opcua: OpcuaModule): Promise<Opcua.OPCUACertificateManager> {
    if (!this.pki) {
      const opening = openCertificateStore(opcua, this.options.pkiDir, APPLICATION_URI, (m) => this.write(`collector: OPC UA ${this.options.source.id}: ${m}`));
      this.pki = opening;
      opening.catch(() => {
        if (this.pki === opening) this.pki = null;
      });
    }
    const seconds = this.timeouts.pkiMs / 1000;
    return withTimeout(this.pki, this.timeouts.pkiMs, `the client certificate store ${this.options.pkiDir} did not open within ${seconds} s (making its RSA key on a busy machine, or a lock held by another process using the same folder)`);
  }

  private async connect(opcua: OpcuaModule): Promise<void> {
    const { source } = this.options;
    const { connectMs, sessionMs, subscribeMs } = this.timeouts;
    this.state = 'connecting';
    let identity: Opcua.UserIdentityInfo = { type: opcua.UserTokenType.Anonymous };
    if (source.username !== undefined && source.passwordEnv !== undefined) {
      const password = this.options.env[source.passwordEnv];
      if (password === undefined || password === '') {
        throw new Error(`the environment variable ${source.passwordEnv} (passwordEnv) is not set`);
      }
      identity = { type: opcua.UserTokenType.UserName, userName: source.username, password };
    }
    const certificateManager = await this.certificateStore(opcua);
    if (this.closed) throw new Error('closing');
    const client = opcua.OPCUAClient.create({
      applicationName: APPLICATION_NAME,
      applicationUri: APPLICATION_URI,
      // Connect to the URL as given: a server behind NAT or a gateway often advertises another host name.
      endpointMustExist: false,
      securityMode: opcua.MessageSecurityMode[source.securityMode ?? 'None'],
      securityPolicy: opcua.SecurityPolicy[source.securityPolicy ?? 'None'],
      // Reconnection is this class's job: one attempt, then our back-off (the library's own retries
      // would keep a first connect() pending, without an error, for as long as the server is down).
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      // The library's own limit, just past ours (so the reason a person reads is ours): a backstop
      // that closes the socket to a server that accepted TCP and never answers the hello.
      transportTimeout: connectMs + 1000,
      defaultTransactionTimeout: Math.max(sessionMs, subscribeMs),
      keepSessionAlive: true,
      keepAliveInterval: 5000,
      requestedSessionTimeout: 60_000,
      clientCertificateManager: certificateManager,
    });
    this.client = client;
    // Events of this attempt's client only: a client torn down late must not break the next link.
    const lost = (why: string) => () => {
      if (this.client === client) this.breakLink?.(why);
    };
    client.on('start_reconnection', lost('connection broken'));
    client.on('connection_lost', lost('connection lost'));
    client.on('close', lost('connection closed'));
    client.on('abort', lost('connection aborted by the server'));
    await withTimeout(client.connect(source.endpoint), connectMs, `no OPC UA answer from ${source.endpoint} within ${connectMs / 1000} s (secure channel not opened: is an OPC UA server listening there?)`, (e) => `cannot connect to ${source.endpoint}: ${e}`);
    const session = await withTimeout(client.createSession(identity), sessionMs, `${source.endpoint} opened no session within ${sessionMs / 1000} s`, (e) => `the server refused the session: ${e}`);
    this.session = session;
    session.on('keepalive_failure', () => {
      if (this.session === session) this.breakLink?.('the session keep-alive failed');
    });
    session.on('session_closed', () => {
      if (this.session === session) this.breakLink?.('the server closed the session');
    });
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

  /**
   * Creates the subscription and its monitored items, and waits for every readable tag's first
   * value: only then is the source `connected`, so each counter has its baseline and a change
   * written by the PLC after that is a change, never taken for the baseline.
   */
  private async subscribe(opcua: OpcuaModule, session: Opcua.ClientSession): Promise<void> {
    const { source } = this.options;
    const { subscribeMs } = this.timeouts;
    if (!this.closed) this.state = 'subscribing';
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
      subscribeMs,
      `the server created no subscription within ${subscribeMs / 1000} s`,
      (e) => `the server refused the subscription: ${e}`,
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
    // Tags whose first value has not arrived yet (by index); tags the server refuses are not waited for.
    const awaited = new Set(this.addresses.map((_, i) => i));
    let firstValues: () => void = () => undefined;
    const allFirstValues = new Promise<void>((resolve) => {
      firstValues = resolve;
    });
    // The group is made and listened to before its items exist on the server: the first publish
    // response can come in the same read as the CreateMonitoredItems answer, before an `await` on
    // monitorItems() would return, and its values (every counter's baseline) would be lost.
    const group = opcua.ClientMonitoredItemGroup.create(
      subscription,
      this.addresses.map((nodeId) => ({ nodeId, attributeId: opcua.AttributeIds.Value })),
      // 0: report every change (servers that cannot, revise it to their fastest rate); the queue keeps
      // the changes of one publishing interval, so a fault that clears within it is not lost.
      { samplingInterval: source.samplingIntervalMs ?? 0, queueSize: 100, discardOldest: true },
      opcua.TimestampsToReturn.Both,
    );
    group.on('changed', (_item, dataValue, index) => {
      if (this.subscription !== subscription) return;
      delivered();
      if (awaited.delete(index) && awaited.size === 0) firstValues();
      this.onDataValue(this.addresses[index] ?? '', dataValue);
    });
    const created = new Promise<void>((resolve, reject) => {
      group.once('initialized', () => resolve());
      group.once('err', (message) => reject(new Error(`the server refused the monitored items: ${oneLine(message)}`)));
    });
    await withTimeout(created, subscribeMs, `the server created no monitored items within ${subscribeMs / 1000} s`);
    group.monitoredItems.forEach((item, index) => {
      const address = this.addresses[index] ?? '?';
      if (item.statusCode.isNotGood()) {
        awaited.delete(index);
        this.badTag(address, item.statusCode.name);
      }
    });
    if (awaited.size === 0) firstValues();
    await withTimeout(allFirstValues, subscribeMs, `${awaited.size} of ${this.addresses.length} tags sent no first value within ${subscribeMs / 1000} s of subscribing`);
    this.lastDeliveryAt = this.clock();
    this.silentSince = null;
    if (!this.closed) this.state = 'connected';
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
    const marks = this.marks;
    if (!marks) {
      this.queue.push(outcome.events);
      return;
    }
    // The counters as these values left them, saved once their events are stored (never ahead of the spool).
    const now = this.map.counterMarks();
    if (outcome.events.length > 0) this.queue.push(outcome.events, () => marks.save(now));
    else if (this.queue.size() === 0) marks.save(now);
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
    this.setError(why);
    this.log.log(`collector: OPC UA ${this.options.source.id}: ${why}; recreating it`);
    const old = this.subscription;
    this.subscription = null;
    try {
      if (old) await withTimeout(old.terminate(), this.timeouts.teardownMs, 'terminate').catch(() => undefined);
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
    const ms = this.timeouts.teardownMs;
    if (subscription) await withTimeout(subscription.terminate(), ms, 'terminate').catch(() => undefined);
    if (session) await withTimeout(session.close(), ms, 'close session').catch(() => undefined);
    if (client) {
      await withTimeout(abortOpeningChannel(client), ms, 'abort the channel').catch(() => undefined);
      await withTimeout(client.disconnect(), ms, 'disconnect').catch(() => undefined);
    }
  }

  private async disposeCertificates(): Promise<void> {
    const opening = this.pki;
    this.pki = null;
    if (!opening) return;
    // Still opening (a slow first key): disposed when it is open, without holding close() up.
    const disposed = opening.then(async (manager) => {
      // Every client counted itself in and only a connected one counts itself out on disconnect:
      // the store's file watchers are ours to stop now, whatever the count says.
      manager.referenceCounter = 0;
      await manager.dispose();
    });
    await withTimeout(disposed, this.timeouts.teardownMs, 'dispose the certificate store').catch(() => undefined);
  }
}

const APPLICATION_NAME = 'Taktline collector';
/** The URI in the client certificate and in every session; the same on every start of this host. */
const APPLICATION_URI = `urn:${hostname()}:Taktline:collector`;

/** Lock folders of node-opcua's file mutex (`@ster5/global-mutex`): `<file>.lock`, directories. */
function staleLocks(root: string): string[] {
  const found: string[] = [];
  for (const dir of [root, join(root, 'own', 'certs'), join(root, 'own', 'private')]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (name.endsWith('.lock')) found.push(join(dir, name));
  }
  return found;
}

/** Why the store's own key and certificate cannot be used, or null when they can (or are not made yet). */
function brokenPair(root: string): string | null {
  const keyFile = join(root, 'own', 'private', 'private_key.pem');
  const certFile = join(root, 'own', 'certs', 'client_certificate.pem');
  const hasKey = existsSync(keyFile) && statSync(keyFile).size > 0;
  const hasCert = existsSync(certFile) && statSync(certFile).size > 0;
  if (!hasCert) return null; // made from the key (or a new key) on opening
  if (!hasKey) return 'its certificate has no private key';
  try {
    const certificate = new X509Certificate(readFileSync(certFile));
    if (!certificate.checkPrivateKey(createPrivateKey(readFileSync(keyFile)))) return 'its certificate does not match its private key';
    if (Date.parse(certificate.validTo) <= Date.now()) return `its certificate expired on ${certificate.validTo}`;
    return null;
  } catch (error) {
    return `its key or certificate cannot be read (${(error as Error).message})`;
  }
}

/**
 * Opens a connector's own certificate store, first clearing what a killed process leaves behind:
 * lock folders (node-opcua would wait on them for two minutes, then retry, with no error) and a key
 * and certificate that do not belong together (every connect would fail). Makes the client's
 * certificate when there is none, so no `connect()` ever makes it.
 */
export async function openCertificateStore(opcua: OpcuaModule, root: string, applicationUri: string, log: (message: string) => void): Promise<Opcua.OPCUACertificateManager> {
  const locks = staleLocks(root);
  for (const lock of locks) rmSync(lock, { recursive: true, force: true });
  if (locks.length > 0) log(`removed ${locks.length} lock(s) left in the certificate store ${root} by a process that ended without releasing them`);
  const broken = existsSync(root) ? brokenPair(root) : null;
  if (broken !== null) {
    const aside = `${root}.broken-${Date.now()}`;
    renameSync(root, aside);
    log(`the certificate store ${root} was put aside as ${aside}: ${broken}; a new key and certificate are made (a server that trusted the old certificate must trust the new one)`);
  }
  const manager = new opcua.OPCUACertificateManager({
    rootFolder: root,
    // Trust on first use: a server certificate moved to rejected/ stays refused.
    automaticallyAcceptUnknownCertificate: true,
  });
  await manager.initialize();
  const certificateFile = join(root, 'own', 'certs', 'client_certificate.pem');
  if (!existsSync(certificateFile) || statSync(certificateFile).size === 0) {
    await manager.createSelfSignedCertificate({
      applicationUri,
      dns: [hostname()],
      subject: `/CN=${APPLICATION_NAME}/O=Taktline`,
      startDate: new Date(),
      validity: 365 * 10, // days
      outputFile: certificateFile,
    });
  }
  return manager;
}

/**
 * Closes the socket of a secure channel that is still opening. node-opcua's `disconnect()` leaves
 * such a channel to its transport timeout, so against a server that accepted TCP and never answers
 * the hello, a given-up attempt would hold its socket while the next one opens another.
 * `abortConnection` is the library's own way out of a failed opening; it is not in its public types.
 */
function abortOpeningChannel(client: Opcua.OPCUAClient): Promise<void> {
  const channel = (client as unknown as { _secureChannel?: { abortConnection?: (done: () => void) => void } | null })._secureChannel;
  const abort = channel?.abortConnection;
  if (!channel || typeof abort !== 'function') return Promise.resolve();
  return new Promise((resolve) => abort.call(channel, () => resolve()));
}

/**
 * `promise`, or a rejection with `what` once `ms` have passed. `explain` rewords the promise's own
 * error (the library's messages name neither the stage nor what to check).
 */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string, explain?: (message: string) => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  const worded = explain
    ? promise.catch((error: unknown) => {
        throw new Error(explain(oneLine(error instanceof Error ? error.message : String(error))));
      })
    : promise;
  return Promise.race([worded, timeout]).finally(() => clearTimeout(timer));
}

/** node-opcua's messages span several lines; status and log lines are one. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
