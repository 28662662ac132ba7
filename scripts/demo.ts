/**
 * The demo: a private influxd under .taktline/ (unless INFLUX_URL is set), the
 * collector, and the simulator driving it through the public ingest API, the
 * line running 60× faster than the wall clock (a unit every two seconds).
 *
 * A new run continues the line from where the last one stopped (recorded in
 * .taktline/demo-run.json), so it never replays events already stored.
 * Ctrl-C stops the simulator first and lets it deliver what it holds, then
 * the collector, then InfluxDB.
 *
 * `npm start -- --via opcua`: the simulator runs the line's PLCs as an OPC UA
 * server instead, and the collector reads their tags with its OPC UA
 * connector (a plant file with a `connectors.opcua` section is written to the
 * data directory). See docs/connectors.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startLocalInfluxd, type LocalInfluxd } from '../collector/influx/local-influxd';
import { referenceStationTags } from '../core/connectors';
import { currentShift, lineCalendar } from '../core/calendar/calendar';
import { DEMO_PEOPLE, PlantConfig, referencePlant } from '../core/plant';
import { COLLECTOR_NODE_FLAGS } from '../collector/node-flags';
import { DEFAULT_DEMO_SPEED, demoCollectorEnv, demoIngestToken, demoStart, writeDemoLineTime } from './demo-env';

const DEMO_SPEED = Number(process.env.TAKTLINE_DEMO_SPEED ?? DEFAULT_DEMO_SPEED);
const PORT = Number(process.env.PORT ?? 8080);
const DATA_DIR = resolve(process.env.TAKTLINE_DATA_DIR ?? '.taktline');
const SCENARIO = process.env.TAKTLINE_DEMO_SCENARIO ?? 'reference';
const INGEST_TOKEN = demoIngestToken(process.env.TAKTLINE_DEMO_TOKEN);
/** How often the line time reached is recorded, ms (a crash loses at most this much of the resume point). */
const SAVE_EVERY_MS = 5000;
/** How long the simulator may take to deliver what it holds after Ctrl-C, ms. */
const DRAIN_TIMEOUT_MS = 30_000;

let simulator: ChildProcess | null = null;
let collector: ChildProcess | null = null;
let influxd: LocalInfluxd | null = null;
let stopping = false;
let saveTimer: NodeJS.Timeout | null = null;
const baseUrl = `http://localhost:${PORT}`;

function run(name: string, args: string[], env: Record<string, string>, nodeFlags: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C in the terminal reaches the demo only, which stops the children in order.
    detached: true,
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => `[${name}] ${l}`)
      .join('\n');
  child.stdout?.on('data', (c: Buffer) => console.log(prefix(c)));
  child.stderr?.on('data', (c: Buffer) => console.error(prefix(c)));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[demo] ${name} stopped (${signal ?? `exit code ${code}`}); stopping the demo`);
      void shutdown(1);
    }
  });
  return child;
}

/** The collector's health answer, or null when it does not answer. */
async function health(): Promise<{ lineClock?: { now?: number } } | null> {
  try {
    const res = await fetch(`${baseUrl}/api/v1/health`);
    return (await res.json()) as { lineClock?: { now?: number } };
  } catch {
    return null;
  }
}

async function waitForHealth(timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = (await health())?.lineClock?.now;
    if (typeof now === 'number') return now;
    await sleep(200);
  }
  throw new Error(`the collector did not answer on ${baseUrl} within ${timeoutMs / 1000} s`);
}

/** Records how far the line got, by the collector's demo clock. */
async function saveLineTime(): Promise<void> {
  const now = (await health())?.lineClock?.now;
  if (typeof now === 'number') writeDemoLineTime(DATA_DIR, now);
}

function stopChild(child: ChildProcess | null, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  return new Promise<void>((done) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), timeoutMs).unref();
  });
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (saveTimer) clearInterval(saveTimer);
  console.log('[demo] stopping: the simulator delivers what it holds first…');
  // SIGINT: the simulator stops simulating and delivers its queue (see simulator/cli.ts).
  await stopChild(simulator, 'SIGINT', DRAIN_TIMEOUT_MS);
  await saveLineTime();
  await stopChild(collector, 'SIGTERM', 10_000);
  await influxd?.stop();
  console.log('[demo] stopped; the next run continues the line from here.');
  process.exit(code);
}

/** `--via http` (default) or `--via opcua`. */
function demoVia(argv: string[]): 'http' | 'opcua' {
  const { values } = parseArgs({ args: argv, options: { via: { type: 'string', default: 'http' } }, strict: true });
  if (values.via !== 'http' && values.via !== 'opcua') throw new Error(`--via must be 'http' or 'opcua', got '${values.via}'`);
  return values.via;
}

/** The reference plant with the simulator's OPC UA server as the source of every station; returns the file. */
function writeOpcuaPlantFile(port: number, plant: PlantConfig): string {
  const line = plant.lines[0];
  const stations = line?.stations ?? [];
  const withConnector = PlantConfig.parse({
    ...plant,
    connectors: {
      opcua: [
        {
          id: 'sim-plc',
          endpoint: `opc.tcp://127.0.0.1:${port}`,
          publishingIntervalMs: 250,
          stations: stations.map((s, i) => referenceStationTags(line?.id ?? 'A1', s.id, { completesUnit: i === stations.length - 1 })),
        },
      ],
    },
  });
  mkdirSync(DATA_DIR, { recursive: true });
  const file = resolve(DATA_DIR, 'demo-plant-opcua.json');
  writeFileSync(file, `${JSON.stringify(withConnector, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  const via = demoVia(process.argv.slice(2));
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // Children live in their own process groups: do not leave them behind if the demo dies.
  process.on('exit', () => {
    for (const c of [simulator, collector]) if (c && c.exitCode === null) c.kill('SIGKILL');
  });
  mkdirSync(DATA_DIR, { recursive: true });

  let influxUrl = process.env.INFLUX_URL ?? '';
  if (!influxUrl) {
    influxd = await startLocalInfluxd({ dataDir: resolve(DATA_DIR, 'influxdb') });
    influxUrl = influxd.url;
    console.log(`[demo] InfluxDB 1.x (Debian's influxd) at ${influxUrl}, data in ${influxd.dataDir}`);
  }
  // The demo plant adds andon rules to the reference plant: a fault longer than 2 minutes and a
  // material-risk alert raise calls by themselves (at 60× a 2-minute fault takes 2 s of wall time).
  const plantFile = resolve(DATA_DIR, 'demo-plant.json');
  const plant = referencePlant();
  plant.andon = {
    kinds: [
      { id: 'maintenance', label: { zh: '设备维修', en: 'Maintenance' }, priority: 'high' },
      { id: 'material', label: { zh: '物料', en: 'Material' }, priority: 'high' },
      { id: 'quality', label: { zh: '质量', en: 'Quality' }, priority: 'high' },
      { id: 'help', label: { zh: '求助', en: 'Help' }, priority: 'normal' },
      { id: 'safety', label: { zh: '安全', en: 'Safety' }, priority: 'critical' },
    ],
    escalation: [
      { role: 'team_leader', afterSeconds: 0, channels: [] },
      { role: 'maintenance', afterSeconds: 180, channels: [] },
      { role: 'manager', afterSeconds: 600, channels: [] },
    ],
    resolutionReasons: [
      { id: 'repaired', label: { zh: '已维修', en: 'Repaired' } },
      { id: 'part_replaced', label: { zh: '更换零件', en: 'Part replaced' } },
      { id: 'material_delivered', label: { zh: '物料已送达', en: 'Material delivered' } },
      { id: 'false_alarm', label: { zh: '误报', en: 'False alarm' } },
      { id: 'other', label: { zh: '其他', en: 'Other' } },
    ],
    channels: [],
    rules: [
      { id: 'fault-2min', type: 'fault', afterSeconds: 120, stations: [] },
      { id: 'material', type: 'material_risk', level: 'critical' },
    ],
  };
  writeFileSync(plantFile, JSON.stringify(plant, null, 2));
  const opcuaPort = via === 'opcua' ? await freePort() : 0;
  const collectorPlantFile = via === 'opcua' ? writeOpcuaPlantFile(opcuaPort, plant) : plantFile;
  // A first run starts with the current shift, so the wall shows a whole shift against its plan;
  // a later run continues from where the last one stopped.
  const line = referencePlant().lines[0];
  const shiftStart = (line ? currentShift(lineCalendar(line), Date.now())?.start : undefined) ?? Date.now();
  const start = demoStart(DATA_DIR, shiftStart);
  collector = run(
    'collector',
    ['collector/main.ts'],
    demoCollectorEnv({ port: PORT, influxUrl, ingestToken: INGEST_TOKEN, dataDir: DATA_DIR, start, speed: DEMO_SPEED, plantFile: collectorPlantFile }),
    COLLECTOR_NODE_FLAGS,
  );
  // The simulator starts at the collector's demo clock, so its events are never ahead of it.
  const simStart = await waitForHealth(30_000);
  const responders = demoResponders();
  simulator = run('simulator', [
    'simulator/cli.ts',
    '--scenario', SCENARIO,
    '--target', baseUrl,
    '--token', INGEST_TOKEN,
    '--speed', String(DEMO_SPEED),
    '--start', new Date(simStart).toISOString(),
    '--hours', String(24 * 365),
    ...(via === 'opcua' ? ['--via', 'opcua', '--opcua-port', String(opcuaPort)] : []),
    '--no-progress',
  ], responders ? { TAKTLINE_SIM_RESPONDERS: responders.env } : {});
  saveTimer = setInterval(() => void saveLineTime(), SAVE_EVERY_MS);

  console.log('');
  console.log(`[demo] Dashboard:    ${baseUrl}/wall?line=A1   (manager view: ${baseUrl}/, all lines: ${baseUrl}/plant)`);
  console.log(`[demo] Health:       ${baseUrl}/api/v1/health`);
  console.log(`[demo] Ingest token: ${INGEST_TOKEN}   (set TAKTLINE_DEMO_TOKEN to choose one)`);
  if (influxd) {
    console.log(
      `[demo] Count points: influx -host 127.0.0.1 -port ${influxd.port} -database taktline -execute 'SELECT count(*) FROM unit'`,
    );
  }
  console.log(`[demo] Station tablet: ${baseUrl}/station?line=A1&station=S07   sign in with a demo PIN:`);
  for (const p of DEMO_PEOPLE) console.log(`[demo]   ${p.pin}  ${p.name} (${p.id}, ${p.role})`);
  if (responders) {
    console.log(`[demo] Andon: ${responders.acknowledger.name} (team leader) acknowledges a call 1–5 minutes of line time after it is raised,`);
    console.log(`[demo]   ${responders.resolver.name} (maintenance) resolves it once its station has run again for 2 minutes (TAKTLINE_DEMO_RESPONDERS=0: nobody answers)`);
  }
  if (via === 'opcua') console.log(`[demo] Stations reach the collector over OPC UA (opc.tcp://127.0.0.1:${opcuaPort}); sources in /api/v1/health`);
  console.log(`[demo] The simulator runs the line at ${DEMO_SPEED}× real time. Ctrl-C stops everything.`);
  console.log(`[demo] The line runs ${DEMO_SPEED}× faster than the clock on the wall: its clock starts at ${new Date(start).toISOString()}.`);
  console.log('[demo] Ctrl-C stops everything (the simulator first, so nothing it holds is lost).');
  console.log('');
}

/**
 * The demo's team leader and maintenance technician answer andon calls through the collector's API
 * (simulator/responders.ts), so calls are acknowledged and resolved as on a staffed line;
 * TAKTLINE_DEMO_RESPONDERS=0 leaves them to whoever tries the tablet.
 */
function demoResponders(): { env: string; acknowledger: (typeof DEMO_PEOPLE)[number]; resolver: (typeof DEMO_PEOPLE)[number] } | null {
  if (process.env.TAKTLINE_DEMO_RESPONDERS === '0') return null;
  const acknowledger = DEMO_PEOPLE.find((p) => p.role === 'team_leader');
  const resolver = DEMO_PEOPLE.find((p) => p.role === 'maintenance');
  if (!acknowledger || !resolver) return null;
  return { env: `${acknowledger.id}:${acknowledger.pin},${resolver.id}:${resolver.pin}`, acknowledger, resolver };
}

main().catch((error: unknown) => {
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
