/**
 * Test harness: a PLC in its own process — a real node-opcua server with the
 * reference line's tags (simulator/sinks/opcua.ts) — driven over stdin/stdout
 * with one JSON line per command. Killing the process is a PLC losing power;
 * restarting it on the same port is the PLC coming back (counters kept).
 *
 * Run directly (the harness does): node --import tsx opcua-plc.ts <port> <line> <stations> <pkiDir> [counters-json] [secure-json]
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
  | { cmd: 'silence' };

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
  dispose(): Promise<void>;
}

export async function startTestPlc(options: { line: string; stations: string[]; secure?: { username: string; password: string } }): Promise<TestPlc> {
  const pkiDir = mkdtempSync(join(tmpdir(), 'taktline-plc-'));
  const counters = new Map<string, number>();
  let child: ChildProcess | null = null;
  let port = 0;
  let seq = 0;
  const waiting = new Map<number, (reply: { ok: boolean; value?: unknown; error?: string }) => void>();

  async function launch(): Promise<void> {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), String(port), options.line, options.stations.join(','), pkiDir, JSON.stringify([...counters]), JSON.stringify(options.secure ?? null)];
    const started = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    const lines = createInterface({ input: started.stdout! });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the test PLC did not start within 30 s: ${stderr}`)), 30_000);
      started.once('exit', (code) => reject(new Error(`the test PLC exited (${code}): ${stderr}`)));
      lines.on('line', (line) => {
        let message: { ready?: number; seq?: number; ok?: boolean; value?: unknown; error?: string };
        try {
          message = JSON.parse(line) as typeof message;
        } catch {
          return; // library chatter on stdout
        }
        if (message.ready !== undefined) {
          port = message.ready;
          clearTimeout(timer);
          resolve();
          return;
        }
        if (message.seq !== undefined) {
          waiting.get(message.seq)?.({ ok: message.ok === true, value: message.value, error: message.error });
          waiting.delete(message.seq);
        }
      });
    });
  }

  function send(command: Command): Promise<unknown> {
    const running = child;
    if (!running?.stdin) return Promise.reject(new Error('the test PLC is not running'));
    seq += 1;
    const id = seq;
    return new Promise((resolve, reject) => {
      waiting.set(id, (reply) => (reply.ok ? resolve(reply.value) : reject(new Error(reply.error))));
      running.stdin!.write(`${JSON.stringify({ ...command, seq: id })}\n`);
    });
  }

  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGKILL');
    await exited;
  }

  await launch();
  const plc: TestPlc = {
    get endpoint() {
      return `opc.tcp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    async set(station, tag, value, ts) {
      await send({ cmd: 'set', station, tag, value, ...(ts !== undefined ? { ts } : {}) });
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
      return (await send({ cmd: 'silence' })) as number;
    },
    kill,
    async restart() {
      await kill();
      await launch();
    },
    async dispose() {
      await kill();
      rmSync(pkiDir, { recursive: true, force: true });
    },
  };
  return plc;
}

async function runPlcProcess(argv: string[]): Promise<void> {
  const [portText, line, stationList, pkiDir, countersJson, secureJson] = argv;
  const counters = new Map<string, number>(JSON.parse(countersJson ?? '[]') as [string, number][]);
  const secure = JSON.parse(secureJson ?? 'null') as { username: string; password: string } | null;
  const server = await OpcuaPlcServer.start({
    line: line ?? 'A1',
    stations: (stationList ?? '').split(','),
    port: Number(portText),
    pkiDir: pkiDir ?? tmpdir(),
    counters,
    ...(secure ? { secure } : {}),
  });
  const reply = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);
  createInterface({ input: process.stdin }).on('line', (text) => {
    const command = JSON.parse(text) as Command & { seq: number };
    try {
      if (command.cmd === 'set') server.set(command.station, command.tag, command.value, command.ts);
      const value = command.cmd === 'silence' ? server.silenceSubscriptions() : command.cmd === 'get' ? server.get(command.station, command.tag) : null;
      reply({ seq: command.seq, ok: true, value });
    } catch (error) {
      reply({ seq: command.seq, ok: false, error: (error as Error).message });
    }
  });
  // The parent going away (stdin closed) ends the PLC too: no orphans after a test run.
  process.stdin.on('end', () => process.exit(0));
  reply({ ready: server.port });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runPlcProcess(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`test PLC: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
