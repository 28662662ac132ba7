/**
 * Sparkplug B host side, over the MQTT connector: decodes `spBv1.0/<group>/
 * <type>/<node>[/<device>]` payloads (Eclipse Tahu's `sparkplug-payload`),
 * and turns the metrics of the configured edge nodes and devices into
 * protocol-v1 events through the same tag map as OPC UA (a tag is a metric
 * name).
 *
 * - NBIRTH / DBIRTH: the metric names behind each alias, the current values,
 *   and the source is online;
 * - NDATA / DDATA: metrics by name or alias;
 * - NDEATH (matching bdSeq) / DDEATH: the source is offline, shown so;
 * - a sequence gap, an alias never born, or data before a birth: a rebirth is
 *   requested (NCMD `Node Control/Rebirth` = true). On every (re)connection to
 *   the broker each configured node is asked for a rebirth too, since births
 *   are not retained;
 * - silence: a born source that sends nothing for longer than its expected
 *   interval (learned from its own traffic, see {@link SparkplugSilence}) is
 *   `silent`, with `silentSince` its last message, until it speaks again. An
 *   edge node whose link died without its NDEATH reaching the broker, or
 *   whose application hangs, shows so instead of as running.
 */
import { get as sparkplugCodec } from 'sparkplug-payload';
import type { SparkplugSource } from '../../core/connectors';
import type { StationEventInput } from '../../core/events';
import type { Metrics } from '../metrics';
import type { SourceState, SourceStatus, StatusSource } from '../connectors/source-status';
import { join } from 'node:path';
import { CounterMarkFile } from '../connectors/counter-marks';
import { sourceFileName } from '../connectors/connectors';
import { TagMap, type TagChange, type TagRejection } from '../connectors/tag-map';

export const SPARKPLUG_NAMESPACE = 'spBv1.0';
const REBIRTH_METRIC = 'Node Control/Rebirth';
const MESSAGE_TYPES = ['NBIRTH', 'NDEATH', 'NDATA', 'NCMD', 'DBIRTH', 'DDEATH', 'DDATA', 'DCMD', 'STATE'] as const;
type MessageType = (typeof MESSAGE_TYPES)[number];

interface SparkplugMetric {
  name?: string | null;
  alias?: unknown;
  timestamp?: unknown;
  value?: unknown;
  isNull?: boolean | null;
}
interface SparkplugPayload {
  timestamp?: unknown;
  seq?: unknown;
  metrics?: SparkplugMetric[] | null;
}

const codec = sparkplugCodec(SPARKPLUG_NAMESPACE);

/**
 * When a born source counts as silent. Sparkplug has no keep-alive of its own (the MQTT one is the
 * broker's business, and a hung edge application keeps it going), and an edge node reports by
 * exception, so the expected interval is learned: the longest of the source's last `window` gaps
 * between messages. Silent after `factor` × that, never sooner than `minMs` and never later than
 * `maxMs` (also the limit until two gaps are known).
 */
export interface SparkplugSilence {
  factor: number;
  minMs: number;
  maxMs: number;
  window: number;
}

export const DEFAULT_SPARKPLUG_SILENCE: SparkplugSilence = { factor: 3, minMs: 5000, maxMs: 600_000, window: 16 };

/** Encodes a Sparkplug B payload (for NCMD, and for tests that play an edge node). */
export function encodeSparkplug(payload: Parameters<NonNullable<typeof codec>['encodePayload']>[0]): Buffer {
  if (!codec) throw new Error('sparkplug-payload has no spBv1.0 codec');
  return Buffer.from(codec.encodePayload(payload));
}

/** Decodes a Sparkplug B payload; throws on bytes that are not one. */
export function decodeSparkplug(bytes: Uint8Array): SparkplugPayload {
  if (!codec) throw new Error('sparkplug-payload has no spBv1.0 codec');
  return codec.decodePayload(bytes) as SparkplugPayload;
}

/** protobufjs gives 64-bit integers as Long objects: plain numbers for the tag map. */
function plain(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'toNumber' in value && typeof (value as { toNumber: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return value;
}

function asNumber(value: unknown): number | null {
  const v = plain(value);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A parsed Sparkplug topic, or null when it is not one. */
export function parseSparkplugTopic(topic: string): { group: string; type: MessageType; node: string; device: string | null } | null {
  const parts = topic.split('/');
  if (parts[0] !== SPARKPLUG_NAMESPACE || parts.length < 4 || parts.length > 5) return null;
  const [, group, type, node, device] = parts;
  if (!group || !node || !MESSAGE_TYPES.includes(type as MessageType)) return null;
  return { group, type: type as MessageType, node, device: device ?? null };
}

/** One configured source: an edge node's own metrics, or one device's. */
class SparkplugSourceState implements StatusSource {
  readonly map: TagMap;
  state: SourceState = 'offline';
  silentSince: number | null;
  lastValueAt: number | null = null;
  private error: string | null = 'no birth certificate yet';
  private errorAt: number | null;
  reconnects = 0;
  rebirths = 0;
  rejectedValues = 0;
  lastRejection: SourceStatus['lastRejection'] = null;
  everBorn = false;
  /** Metric name by alias, from the birth. */
  aliases = new Map<string, string>();
  /** Last message from the source (its node's or device's), epoch ms. */
  private lastHeardAt: number | null = null;
  /** The last gaps between its messages, ms (oldest first). */
  private readonly gaps: number[] = [];
  /** The silence last logged (its start), so it is logged once. */
  private loggedSilence: number | null = null;

  constructor(
    readonly config: SparkplugSource,
    readonly id: string,
    now: number,
    private readonly clock: () => number,
    private readonly silence: SparkplugSilence,
    private readonly log: (message: string) => void,
  ) {
    this.map = new TagMap(config.stations, `spb:${id.replaceAll('/', '.')}`);
    this.silentSince = now;
    this.errorAt = now;
  }

  /** A message from this source arrived. */
  heard(now: number): void {
    if (this.lastHeardAt !== null) {
      this.gaps.push(Math.max(0, now - this.lastHeardAt));
      if (this.gaps.length > this.silence.window) this.gaps.shift();
    }
    if (this.loggedSilence !== null && this.state === 'connected') {
      this.log(`collector: Sparkplug ${this.id}: publishing again after ${Math.round((now - this.loggedSilence) / 1000)} s of silence`);
    }
    this.loggedSilence = null;
    this.lastHeardAt = now;
  }

  /** Dead (NDEATH/DDEATH): the time until its next birth is no gap of its cadence. */
  forgetCadence(): void {
    this.lastHeardAt = null;
    this.loggedSilence = null;
  }

  /** How long the source may stay quiet, ms (see {@link SparkplugSilence}). */
  silenceMs(): number {
    const { factor, minMs, maxMs } = this.silence;
    if (this.gaps.length < 2) return maxMs;
    return Math.min(maxMs, Math.max(minMs, factor * Math.max(...this.gaps)));
  }

  /** Since when a born source is silent (its last message), or null while it is not. */
  private silentFrom(now: number): number | null {
    if (this.state !== 'connected' || this.lastHeardAt === null) return null;
    const limit = this.silenceMs();
    if (now - this.lastHeardAt <= limit) return null;
    if (this.loggedSilence !== this.lastHeardAt) {
      this.loggedSilence = this.lastHeardAt;
      const why = `nothing from ${this.id} for ${Math.round((now - this.lastHeardAt) / 1000)} s (expected within ${Math.round(limit / 1000)} s)`;
      this.setError(why, now);
      this.log(`collector: Sparkplug ${this.id}: ${why}; shown silent until it publishes again`);
    }
    return this.lastHeardAt;
  }

  get lastError(): string | null {
    return this.error;
  }

  /** The last failure; stamped with when it happened. */
  setError(message: string, now: number): void {
    this.error = message;
    this.errorAt = now;
  }

  status(): SourceStatus {
    // Silence is read off the clock when asked (health, metrics): no timer to run or to stop.
    const silentFrom = this.silentFrom(this.clock());
    const state: SourceState = silentFrom !== null ? 'silent' : this.state;
    return {
      id: this.id,
      kind: 'sparkplug',
      endpoint: `${SPARKPLUG_NAMESPACE}/${this.id.replace(/^([^/]+)\//, '$1/+/')}`,
      state,
      connected: state === 'connected',
      subscribing: false,
      silentSince: silentFrom ?? this.silentSince,
      lastValueAt: this.lastValueAt,
      lastError: this.error,
      lastErrorAt: this.errorAt,
      reconnects: this.reconnects,
      resubscriptions: this.rebirths,
      rejectedValues: this.rejectedValues,
      lastRejection: this.lastRejection,
      queuedEvents: 0,
      stations: this.config.stations.map((s) => `${s.line}/${s.station}`),
    };
  }
}

/** Sequence and birth state of one edge node (shared by the node and its devices). */
interface EdgeNode {
  group: string;
  node: string;
  /** Next expected `seq` (0–255); null before a birth. */
  expectedSeq: number | null;
  bdSeq: number | null;
}

export interface SparkplugHostOptions {
  sources: readonly SparkplugSource[];
  metrics: Metrics;
  /** Publishes an NCMD (QoS 0, per the specification). */
  publish: (topic: string, payload: Buffer) => void;
  log: (message: string) => void;
  clock?: () => number;
  /** @default DEFAULT_SPARKPLUG_SILENCE */
  silence?: Partial<SparkplugSilence>;
  /**
   * Where each source keeps its counter marks (collector/connectors/counter-marks.ts), one file
   * per source, so a restarted collector counts the cycles a node counted meanwhile; unset: none
   * (a counter's value in the node's birth is then its baseline).
   */
  marksDir?: string;
}

export class SparkplugHost {
  private readonly clock: () => number;
  private readonly sources = new Map<string, SparkplugSourceState>();
  private readonly nodes = new Map<string, EdgeNode>();
  private readonly marks = new Map<string, CounterMarkFile>();

  constructor(private readonly options: SparkplugHostOptions) {
    this.clock = options.clock ?? Date.now;
    const now = this.clock();
    for (const config of options.sources) {
      const id = [config.group, config.node, ...(config.device !== undefined ? [config.device] : [])].join('/');
      const source = new SparkplugSourceState(config, id, now, this.clock, { ...DEFAULT_SPARKPLUG_SILENCE, ...options.silence }, options.log);
      this.sources.set(id, source);
      if (options.marksDir !== undefined) {
        const tell = (m: string) => options.log(`collector: Sparkplug ${id}: ${m}`);
        const file = new CounterMarkFile(join(options.marksDir, `${sourceFileName(id)}.json`), `spb:${id}`, tell);
        const restored = source.map.restoreCounters(file.load());
        if (restored > 0) tell(`${restored} cycle counter(s) resume from where their events were last stored; cycles counted meanwhile are sent with the birth`);
        this.marks.set(id, file);
      }
      this.nodes.set(`${config.group}/${config.node}`, { group: config.group, node: config.node, expectedSeq: null, bdSeq: null });
    }
  }

  /**
   * The events of the last message handled are stored (or it had none): every source's counters
   * as they stand now are its marks. Call only then, one message at a time, so a mark never runs
   * ahead of the spool.
   */
  stored(): void {
    for (const [id, file] of this.marks) file.save(this.sources.get(id)?.map.counterMarks() ?? []);
  }

  /** Resolves once every source's newest marks are on disk. */
  async flushMarks(): Promise<void> {
    await Promise.all([...this.marks.values()].map((f) => f.flush()));
  }

  /** The topic filters to subscribe to: each configured node's messages and its devices'. */
  topics(): string[] {
    return [...this.nodes.values()].flatMap((n) => [`${SPARKPLUG_NAMESPACE}/${n.group}/+/${n.node}`, `${SPARKPLUG_NAMESPACE}/${n.group}/+/${n.node}/+`]);
  }

  statusSources(): StatusSource[] {
    return [...this.sources.values()];
  }

  /** After (re)connecting to the broker: births are not retained, so every node is asked for one. */
  onBrokerConnected(): void {
    for (const node of this.nodes.values()) this.requestRebirth(node, 'the collector (re)connected to the broker');
  }

  /** The broker connection dropped: every source is unknown until its next birth. */
  onBrokerLost(): void {
    const now = this.clock();
    for (const source of this.sources.values()) {
      if (source.state === 'connected') {
        source.state = 'connecting';
        source.silentSince ??= now;
        source.setError('the MQTT broker connection dropped', now);
      }
    }
  }

  /**
   * Handles one Sparkplug message; returns the events to ingest (empty for
   * births without values, deaths, commands and nodes not configured).
   */
  handle(topic: string, payload: Buffer): StationEventInput[] {
    const parsed = parseSparkplugTopic(topic);
    if (!parsed || parsed.type === 'NCMD' || parsed.type === 'DCMD' || parsed.type === 'STATE') return [];
    const node = this.nodes.get(`${parsed.group}/${parsed.node}`);
    if (!node) return [];
    const sourceId = [parsed.group, parsed.node, ...(parsed.device !== null ? [parsed.device] : [])].join('/');
    const source = this.sources.get(sourceId);
    let message: SparkplugPayload;
    try {
      message = decodeSparkplug(payload);
    } catch (error) {
      if (source) this.reject(source, { code: 'invalid_value', line: '', station: '', field: 'payload', address: topic, reason: `not a Sparkplug B payload: ${(error as Error).message}` });
      else this.options.log(`collector: Sparkplug ${topic}: not a Sparkplug B payload: ${(error as Error).message}`);
      return [];
    }
    const now = this.clock();
    // Any message of a node is a sign of life of the node's own source; a device's, of the device's too.
    this.sources.get(`${parsed.group}/${parsed.node}`)?.heard(now);
    if (parsed.device !== null) source?.heard(now);

    if (parsed.type === 'NDEATH') {
      const bdSeq = asNumber(message.metrics?.find((m) => m.name === 'bdSeq')?.value);
      // An NDEATH of an older session (the broker sends a will late) must not kill the current one.
      if (node.bdSeq !== null && bdSeq !== null && bdSeq !== node.bdSeq) return [];
      node.expectedSeq = null;
      for (const s of this.sources.values()) {
        if (s.config.group === parsed.group && s.config.node === parsed.node) this.offline(s, now, 'the edge node died (NDEATH)');
      }
      return [];
    }

    const seq = asNumber(message.seq);
    if (parsed.type === 'NBIRTH') {
      node.bdSeq = asNumber(message.metrics?.find((m) => m.name === 'bdSeq')?.value);
      node.expectedSeq = seq === null ? null : (seq + 1) % 256;
    } else if (node.expectedSeq === null) {
      this.requestRebirth(node, `${parsed.type} before a birth certificate`);
      return [];
    } else {
      if (seq !== node.expectedSeq) {
        const expected = node.expectedSeq;
        node.expectedSeq = seq === null ? null : (seq + 1) % 256;
        this.requestRebirth(node, `sequence gap: expected seq ${expected}, got ${seq ?? 'none'}`);
      } else node.expectedSeq = (node.expectedSeq + 1) % 256;
    }
    if (!source) return [];

    if (parsed.type === 'DDEATH') {
      this.offline(source, now, 'the device died (DDEATH)');
      return [];
    }
    if (parsed.type === 'NBIRTH' || parsed.type === 'DBIRTH') {
      source.aliases = new Map();
      for (const m of message.metrics ?? []) {
        const alias = plain(m.alias);
        if (m.name && alias !== undefined && alias !== null) source.aliases.set(String(alias), m.name);
      }
      if (source.everBorn && source.state !== 'connected') source.reconnects += 1;
      source.everBorn = true;
      source.state = 'connected';
      source.silentSince = null;
    } else if (source.state !== 'connected') {
      // Data from a source marked dead without a new birth: ask for one, use what can be named.
      this.requestRebirth(node, `${parsed.type} from ${sourceId} after its death, without a new birth`);
    }

    const payloadTs = asNumber(message.timestamp) ?? now;
    const changes: TagChange[] = [];
    let unknownAlias = false;
    for (const m of message.metrics ?? []) {
      const alias = plain(m.alias);
      const name = m.name ?? (alias === undefined || alias === null ? undefined : source.aliases.get(String(alias)));
      if (name === undefined) {
        unknownAlias = true;
        continue;
      }
      if (m.isNull === true) continue;
      changes.push({ address: name, value: plain(m.value), ts: asNumber(m.timestamp) ?? payloadTs });
    }
    if (unknownAlias) this.requestRebirth(node, `${parsed.type} uses a metric alias its birth did not define`);
    if (changes.length > 0) source.lastValueAt = now;
    const outcome = source.map.apply(changes);
    for (const r of outcome.rejections) this.reject(source, r);
    return outcome.events;
  }

  private offline(source: SparkplugSourceState, now: number, why: string): void {
    source.state = 'offline';
    source.silentSince = now;
    source.forgetCadence();
    source.setError(why, now);
    this.options.log(`collector: Sparkplug ${source.id}: ${why}; shown offline until its next birth`);
  }

  private reject(source: SparkplugSourceState, rejection: TagRejection): void {
    source.rejectedValues += 1;
    source.lastRejection = { at: this.clock(), station: `${rejection.line}/${rejection.station}`, field: rejection.field, code: rejection.code, reason: rejection.reason };
    this.options.metrics.rejected(rejection.code);
    this.options.log(`collector: Sparkplug ${source.id}: ${rejection.line}/${rejection.station} ${rejection.field} (${rejection.address}): ${rejection.reason}`);
  }

  private requestRebirth(node: EdgeNode, why: string): void {
    for (const s of this.sources.values()) {
      if (s.config.group === node.group && s.config.node === node.node) {
        s.rebirths += 1;
        s.setError(why, this.clock());
      }
    }
    this.options.log(`collector: Sparkplug ${node.group}/${node.node}: ${why}; requesting a rebirth`);
    const payload = encodeSparkplug({ timestamp: this.clock(), metrics: [{ name: REBIRTH_METRIC, type: 'Boolean', value: true }] });
    this.options.publish(`${SPARKPLUG_NAMESPACE}/${node.group}/NCMD/${node.node}`, payload);
  }
}
