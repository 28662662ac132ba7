/**
 * The simulated line as a PLC: an OPC UA server (node-opcua) exposing the
 * reference tags of every station (`ns=1;s=<line>.<station>.<Tag>`, see
 * core/connectors.ts `referenceStationTags`), and a sink that turns the
 * simulator's events into tag writes with the events' timestamps as source
 * timestamps. The collector's OPC UA connector reads them back into events,
 * so the demo can run the whole line over OPC UA (`npm start -- --via opcua`).
 *
 * Events that are not PLC data (orders, partners, output) go to `rest`.
 */
import { join } from 'node:path';
import type * as Opcua from 'node-opcua';
import { REFERENCE_STATE_CODES } from '../../core/connectors';
import type { StationEvent } from '../../core/events';
import type { StationState } from '../../core/vocabulary';
import type { EventSink } from './sink';

/** The tags every reference station has, with their OPC UA data types. */
export const PLC_TAGS = ['CycleCounter', 'CycleTime', 'State', 'FaultCode', 'UnitSerial', 'Result', 'Model', 'UnitResult', 'Andon'] as const;
export type PlcTag = (typeof PLC_TAGS)[number];

type TagType = 'UInt32' | 'Double' | 'Int32' | 'String' | 'Boolean';
const TAG_TYPES: Record<PlcTag, TagType> = {
  CycleCounter: 'UInt32',
  CycleTime: 'Double',
  State: 'Int32',
  FaultCode: 'String',
  UnitSerial: 'String',
  Result: 'Int32',
  Model: 'String',
  UnitResult: 'Int32',
  Andon: 'Boolean',
};
const INITIAL: Record<TagType, unknown> = { UInt32: 0, Double: 0, Int32: 0, String: '', Boolean: false };

const STATE_CODE: ReadonlyMap<StationState, number> = new Map(Object.entries(REFERENCE_STATE_CODES).map(([code, state]) => [state, Number(code)]));

export interface OpcuaPlcOptions {
  line: string;
  stations: readonly string[];
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Where the server keeps its certificate. */
  pkiDir: string;
  /** Initial counter values by station (a restarted PLC keeps counting). */
  counters?: ReadonlyMap<string, number>;
  /** Require SignAndEncrypt (Basic256Sha256) and this user instead of anonymous, unsecured access. */
  secure?: { username: string; password: string };
}

/** A node-opcua server with the reference line's tags. */
export class OpcuaPlcServer {
  private readonly variables = new Map<string, Opcua.UAVariable>();
  private readonly values = new Map<string, unknown>();

  private constructor(
    private readonly opcua: typeof Opcua,
    private readonly server: Opcua.OPCUAServer,
    readonly line: string,
  ) {}

  /** Builds the server and starts listening. */
  static async start(options: OpcuaPlcOptions): Promise<OpcuaPlcServer> {
    const plc = await OpcuaPlcServer.create(options);
    await plc.listen();
    return plc;
  }

  /**
   * Builds the server (the slow part: loading the standard address space) without listening yet,
   * so a stand-by PLC can take over a port the moment the one before it dies.
   */
  static async create(options: OpcuaPlcOptions): Promise<OpcuaPlcServer> {
    const opcua = await import('node-opcua');
    const { secure } = options;
    const server = new opcua.OPCUAServer({
      port: options.port,
      serverCertificateManager: new opcua.OPCUACertificateManager({ rootFolder: join(options.pkiDir, 'server'), automaticallyAcceptUnknownCertificate: true }),
      userCertificateManager: new opcua.OPCUACertificateManager({ rootFolder: join(options.pkiDir, 'user') }),
      securityModes: secure ? [opcua.MessageSecurityMode.SignAndEncrypt] : [opcua.MessageSecurityMode.None],
      securityPolicies: secure ? [opcua.SecurityPolicy.Basic256Sha256] : [opcua.SecurityPolicy.None],
      allowAnonymous: !secure,
      ...(secure ? { userManager: { isValidUser: (username: string, password: string) => username === secure.username && password === secure.password } } : {}),
      // 0: every change of an exception-based tag is reported, none folded into a sampling window
      // (a state that flips to starved and back within a few ms still shows as two changes).
      serverCapabilities: { minSupportedSampleRate: 0 },
      buildInfo: { productName: 'Taktline simulated PLC' },
    });
    await server.initialize();
    const plc = new OpcuaPlcServer(opcua, server, options.line);
    const space = server.engine.addressSpace;
    if (!space) throw new Error('the OPC UA server has no address space');
    const ns = space.getOwnNamespace();
    for (const station of options.stations) {
      const folder = ns.addObject({ organizedBy: space.rootFolder.objects, browseName: `${options.line}.${station}` });
      for (const tag of PLC_TAGS) {
        const dataType = TAG_TYPES[tag];
        const value = tag === 'CycleCounter' ? (options.counters?.get(station) ?? 0) : INITIAL[dataType];
        const variable = ns.addVariable({
          componentOf: folder,
          browseName: tag,
          nodeId: `s=${options.line}.${station}.${tag}`,
          dataType,
          // 0: every change is reported (exception-based), as a PLC's event-driven tags are.
          minimumSamplingInterval: 0,
        });
        variable.setValueFromSource(new opcua.Variant({ dataType: opcua.DataType[dataType], value }), opcua.StatusCodes.Good, new Date());
        plc.variables.set(`${station}.${tag}`, variable);
        plc.values.set(`${station}.${tag}`, value);
      }
    }
    return plc;
  }

  /** Starts listening on the port given at creation. */
  async listen(): Promise<void> {
    await this.server.start();
  }

  get port(): number {
    const endpoint = this.server.endpoints[0];
    if (!endpoint) throw new Error('the OPC UA server has no endpoint');
    return endpoint.port;
  }

  /** Loopback URL of the server. */
  get endpoint(): string {
    return `opc.tcp://127.0.0.1:${this.port}`;
  }

  /** Writes a tag as the PLC would, stamped `ts` (epoch ms). */
  set(station: string, tag: PlcTag, value: unknown, ts: number = Date.now()): void {
    const variable = this.variables.get(`${station}.${tag}`);
    if (!variable) throw new Error(`no tag ${this.line}.${station}.${tag}`);
    const { opcua } = this;
    variable.setValueFromSource(new opcua.Variant({ dataType: opcua.DataType[TAG_TYPES[tag]], value }), opcua.StatusCodes.Good, new Date(ts));
    this.values.set(`${station}.${tag}`, value);
  }

  get(station: string, tag: PlcTag): unknown {
    return this.values.get(`${station}.${tag}`);
  }

  /**
   * Test hook: stops every subscription's publishing timer while sessions stay
   * up, so subscriptions send neither data nor keep-alives (the failure real
   * servers show after months). Returns how many were silenced.
   */
  silenceSubscriptions(): number {
    let n = 0;
    const sessions = (this.server.engine as unknown as { _sessions: Record<string, { publishEngine?: { subscriptions: { timerId: NodeJS.Timeout | null }[] } }> })._sessions;
    for (const session of Object.values(sessions)) {
      for (const subscription of session.publishEngine?.subscriptions ?? []) {
        if (subscription.timerId) clearInterval(subscription.timerId);
        n += 1;
      }
    }
    return n;
  }

  async stop(): Promise<void> {
    await this.server.shutdown(0);
  }
}

/** Writes the simulator's line events as PLC tags; everything else goes to `rest`. */
export class OpcuaSink implements EventSink {
  private readonly counters = new Map<string, number>();
  /** A cycle at the last station waits for its unit event (same instant), so the model tag is set first. */
  private held: Extract<StationEvent, { type: 'cycle' }> | null = null;

  constructor(
    private readonly plc: OpcuaPlcServer,
    private readonly lastStation: string,
    private readonly rest: EventSink,
  ) {}

  write(event: StationEvent): void {
    if (event.type === 'unit' && event.line === this.plc.line) {
      if (event.model !== undefined) this.plc.set(this.lastStation, 'Model', event.model, event.ts);
      this.plc.set(this.lastStation, 'UnitResult', event.result === 'nok' ? 2 : 1, event.ts);
      this.release();
      return;
    }
    if ((event.type === 'cycle' || event.type === 'state') && event.line === this.plc.line) {
      if (this.held && event.station === this.held.station) this.release();
      if (event.type === 'cycle' && event.station === this.lastStation) {
        this.release();
        this.held = event;
        return;
      }
      if (event.type === 'cycle') this.writeCycle(event);
      else {
        this.plc.set(event.station, 'FaultCode', event.reason ?? '', event.ts);
        this.plc.set(event.station, 'State', STATE_CODE.get(event.state) ?? 0, event.ts);
      }
      return;
    }
    this.rest.write(event);
  }

  private release(): void {
    const held = this.held;
    this.held = null;
    if (held) this.writeCycle(held);
  }

  private writeCycle(event: Extract<StationEvent, { type: 'cycle' }>): void {
    const { station, ts } = event;
    // Serial, result and cycle time first: the counter's increment is the "cycle done" edge.
    this.plc.set(station, 'UnitSerial', event.unit ?? '', ts);
    this.plc.set(station, 'Result', event.result === 'nok' ? 2 : 1, ts);
    this.plc.set(station, 'CycleTime', event.cycleTime, ts);
    const count = (this.counters.get(station) ?? 0) + 1;
    this.counters.set(station, count);
    this.plc.set(station, 'CycleCounter', count, ts);
  }

  backlog(): number {
    return this.rest.backlog();
  }

  async flush(): Promise<void> {
    this.release();
    await this.rest.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.rest.close();
    await this.plc.stop();
  }
}
