/**
 * Test harness: a PLC in its own process — a real node-opcua server with the
 * reference line's tags (simulator/sinks/opcua.ts) — driven over stdin/stdout
 * with one JSON line per command. Killing the process is a PLC losing power;
 * restarting it on the same port is the PLC coming back (counters kept).
 *
 * Run directly (the harness does): node --import tsx opcua-plc.ts <port> <line> <stations> <pkiDir> <secure-json> listen|standby
 * (`standby`: built, listening only on a `listen` command that carries the counters).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { OpcuaPlcServer, type PlcTag } from '../../../simulator/sinks/opcua';

type Command =
  | { cmd: 'set'; station: string; tag: PlcTag; value: unknown; ts?: number }
  | { cmd: 'get'; station: string; tag: PlcTag }
  | { cmd: 'silence' }
  | { cmd: 'listen'; counters: [string, number][] };

export interface TestPlc {
  endpoint: string;
  port: number;
  /** Writes one tag (source timestamp `ts`, default now). */
  set(station: string, tag: PlcTag, value: unknown, ts?: number): Promise<void>;
  /** One finished cycle: serial, result (also as the unit's result), cycle time, then the counter's increment. Returns the new count. */
  cycle(station: string, cycle: { unit: string; result: 'ok' | 'nok'; cycleTime: number; ts?: number }): Promise<number>;
  /** Stops every subscription's publishing while the sessions stay up; resolves with how many. */
  silence(): Promise<number>;
  /** Kills the PLC process (SIGKILL: no goodbye to the clients). */
  kill(): Promise<void>;
  /** Starts it again on the same port, its counters where they were. */
  restart(): Promise<void>;
  /** Resolves once the stand-by process (`standby: true`) is built, so a restart now is quick. */
  standbyBuilt(): Promise<void>;
  /** Starts listening (`deferred: true`); resolves once it does. */
  listen(): Promise<void>;
  dispose(): Promise<void>;
}

export interface TestPlcOptions {
  line: string;
  stations: string[];
  secure?: { username: string; password: string };
  /** @default 0: a free one */
  port?: number;
  /**
   * Keep a second PLC process built and waiting to take over the port, so that
   * `restart()` takes a moment instead of a full start (seconds of loading on a busy machine).
   * @default false
   */
  standby?: boolean;
  /**
   * Build the PLC but do not listen until `listen()` (on `port`, which must be given): a test can
   * have it ready while something else still holds the port.
   * @default false
   */
  deferred?: boolean;
}

/** Longest a PLC process may take to load and listen, ms: a cold start loads the whole standard address space. */
const START_MS = 60_000;

interface Reply {
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** One PLC process and its command channel. */
class PlcProcess {
  readonly child: ChildProcess;
  /** Resolves with the port once it listens. */
  readonly listening: Promise<number>;
  /** Resolves once a stand-by process is built and waits for `listen`. */
  readonly built: Promise<void>;
  private seq = 0;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private stderr = '';

  constructor(args: string[], standby: boolean) {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args, standby ? 'standby' : 'listen'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString()).slice(-4000);
    });
    let onListening: (port: number) => void = () => undefined;
    let onBuilt: () => void = () => undefined;
    let onFailed: (error: Error) => void = () => undefined;
    this.listening = new Promise<number>((resolve, reject) => {
      onListening = resolve;
      onFailed = reject;
    });
    this.built = new Promise<void>((resolve) => {
      onBuilt = resolve;
    });
    this.listening.catch(() => undefined);
    child.once('exit', (code, signal) => onFailed(new Error(`the test PLC exited (${code ?? signal}): ${this.stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let message: { ready?: number; built?: boolean; seq?: number; ok?: boolean; value?: unknown; error?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return; // library chatter on stdout
      }
      if (message.built === true) onBuilt();
      if (message.ready !== undefined) onListening(message.ready);
      if (message.seq !== undefined) {
        this.waiting.get(message.seq)?.({ ok: message.ok === true, value: message.value, error: message.error });
        this.waiting.delete(message.seq);
      }
    });
  }

  /** `promise`, or an error naming the PLC's last words after `START_MS`. */
  async within<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the test PLC did not ${what} within ${START_MS / 1000} s: ${this.stderr}`)), START_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  send(command: Command): Promise<unknown> {
    const { stdin } = this.child;
    if (!stdin || this.child.exitCode !== null || this.child.signalCode !== null) return Promise.reject(new Error('the test PLC is not running'));
    this.seq += 1;
    const id = this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) => (reply.ok ? resolve(reply.value) : reject(new Error(reply.error))));
      stdin.write(`${JSON.stringify({ ...command, seq: id })}\n`);
    });
  }

  async kill(): Promise<void> {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

export async function startTestPlc(options: TestPlcOptions): Promise<TestPlc> {
  // Each process its own certificate store: a process killed while holding a store's lock must not stall the next.
  const root = mkdtempSync(join(tmpdir(), 'taktline-plc-'));
  const counters = new Map<string, number>();
  let port = options.port ?? 0;
  let stores = 0;
  const spawnPlc = (standby: boolean) => {
    stores += 1;
    return new PlcProcess([String(port), options.line, options.stations.join(','), join(root, `pki-${stores}`), JSON.stringify(options.secure ?? null)], standby);
  };

  const deferred = options.deferred === true;
  if (deferred && port === 0) throw new Error('a deferred test PLC needs its port');
  let current: PlcProcess | null = spawnPlc(deferred);
  if (deferred) await current.within(current.built, 'build');
  else port = await current.within(current.listening, 'start');
  let spare: PlcProcess | null = options.standby === true && !deferred ? spawnPlc(true) : null;

  const running = (): PlcProcess => {
    if (!current) throw new Error('the test PLC is not running');
    return current;
  };

  async function kill(): Promise<void> {
    const dying = current;
    current = null;
    await dying?.kill();
  }

  const plc: TestPlc = {
    get endpoint() {
      return `opc.tcp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    async set(station, tag, value, ts) {
      await running().send({ cmd: 'set', station, tag, value, ...(ts !== undefined ? { ts } : {}) });
    },
    async cycle(station, cycle) {
      const ts = cycle.ts ?? Date.now();
      await plc.set(station, 'UnitSerial', cycle.unit, ts);
      await plc.set(station, 'Result', cycle.result === 'ok' ? 1 : 2, ts);
      // The unit's overall result (read at a station that completes units): here the same as the cycle's.
      await plc.set(station, 'UnitResult', cycle.result === 'ok' ? 1 : 2, ts);
      await plc.set(station, 'CycleTime', cycle.cycleTime, ts);
      const count = (counters.get(station) ?? 0) + 1;
      counters.set(station, count);
      await plc.set(station, 'CycleCounter', count, ts);
      return count;
    },
    async silence() {
      return (await running().send({ cmd: 'silence' })) as number;
    },
    kill,
    async listen() {
      const plc = running();
      await plc.within(plc.send({ cmd: 'listen', counters: [...counters] }), 'listen');
    },
    async standbyBuilt() {
      if (spare) await spare.within(spare.built, 'build');
    },
    async restart() {
      await kill();
      // A process that builds first and listens with the counters: a client never reads a counter from 0.
      const next = spare ?? spawnPlc(true);
      spare = null;
      await next.within(next.built, 'build');
      await next.within(next.send({ cmd: 'listen', counters: [...counters] }), 'listen');
      current = next;
      if (options.standby === true) spare = spawnPlc(true);
    },
    async dispose() {
      await kill();
      await spare?.kill();
      spare = null;
      rmSync(root, { recursive: true, force: true });
    },
  };
  return plc;
}

async function runPlcProcess(argv: string[]): Promise<void> {
  const [portText, line, stationList, pkiDir, secureJson, mode] = argv;
  const secure = JSON.parse(secureJson ?? 'null') as { username: string; password: string } | null;
  const server = await OpcuaPlcServer.create({
    line: line ?? 'A1',
    stations: (stationList ?? '').split(','),
    port: Number(portText),
    pkiDir: pkiDir ?? tmpdir(),
    ...(secure ? { secure } : {}),
  });
  const reply = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
  const listen = async () => {
    await server.listen();
    reply({ ready: server.port });
  };
  createInterface({ input: process.stdin }).on('line', (text) => {
    const command = JSON.parse(text) as Command & { seq: number };
    const done = (value: unknown) => reply({ seq: command.seq, ok: true, value });
    const failed = (error: unknown) => reply({ seq: command.seq, ok: false, error: (error as Error).message });
    try {
      if (command.cmd === 'listen') {
        // A stand-by taking over: the counters where the PLC before it left them, then the port.
        for (const [station, count] of command.counters) server.set(station, 'CycleCounter', count);
        listen().then(() => done(server.port), failed);
        return;
      }
      if (command.cmd === 'set') server.set(command.station, command.tag, command.value, command.ts);
      done(command.cmd === 'silence' ? server.silenceSubscriptions() : command.cmd === 'get' ? server.get(command.station, command.tag) : null);
    } catch (error) {
      failed(error);
    }
  });
  // The parent going away (stdin closed) ends the PLC too: no orphans after a test run.
  process.stdin.on('end', () => process.exit(0));
  if (mode === 'standby') reply({ built: true });
  else await listen();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runPlcProcess(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`test PLC: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
