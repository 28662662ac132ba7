/**
 * The demo: a private influxd under .taktline/ (unless INFLUX_URL is set), the
 * collector, and the simulator driving it through the public ingest API at a
 * speed where a unit leaves the line every two seconds. Ctrl-C stops it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalInfluxd, type LocalInfluxd } from '../collector/influx/local-influxd';
import { currentShift, lineCalendar } from '../core/calendar/calendar';
import { writeFileSync, mkdirSync } from 'node:fs';
import { DEMO_PEOPLE, referencePlant } from '../core/plant';

/** Simulated seconds per wall second: 60× turns the 120 s takt into a unit every 2 s. */
const DEMO_SPEED = Number(process.env.TAKTLINE_DEMO_SPEED ?? 60);
const PORT = Number(process.env.PORT ?? 8080);
const DATA_DIR = resolve(process.env.TAKTLINE_DATA_DIR ?? '.taktline');
const SCENARIO = process.env.TAKTLINE_DEMO_SCENARIO ?? 'reference';
const INGEST_TOKEN = process.env.TAKTLINE_DEMO_TOKEN ?? 'demo-station-token';

const children: ChildProcess[] = [];
let influxd: LocalInfluxd | null = null;
let stopping = false;

function run(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
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
  children.push(child);
  return child;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`the collector did not answer on ${url} within ${timeoutMs / 1000} s`);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('[demo] stopping…');
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((done) => {
          if (c.exitCode !== null || c.signalCode !== null) return done();
          c.once('exit', () => done());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 5000).unref();
        }),
    ),
  );
  await influxd?.stop();
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let influxUrl = process.env.INFLUX_URL ?? '';
  if (!influxUrl) {
    influxd = await startLocalInfluxd({ dataDir: resolve(DATA_DIR, 'influxdb') });
    influxUrl = influxd.url;
    console.log(`[demo] InfluxDB 1.x (Debian's influxd) at ${influxUrl}, data in ${influxd.dataDir}`);
  }
  const baseUrl = `http://localhost:${PORT}`;
  // The demo plant adds andon rules to the reference plant: a fault longer than 2 minutes and a
  // material-risk alert raise calls by themselves (at 60× a 2-minute fault takes 2 s of wall time).
  mkdirSync(DATA_DIR, { recursive: true });
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
  run('collector', ['collector/main.ts'], {
    TAKTLINE_PLANT_FILE: plantFile,
    PORT: String(PORT),
    INFLUX_URL: influxUrl,
    TAKTLINE_INGEST_TOKENS: INGEST_TOKEN,
    TAKTLINE_DATA_DIR: DATA_DIR,
    // The simulated line runs DEMO_SPEED× faster than the wall clock: its events are
    // stamped ahead of real time, and the live numbers follow the line's own clock.
    TAKTLINE_CLOCK: 'events',
    TAKTLINE_MAX_FUTURE_SECONDS: String(365 * 86_400),
  });
  await waitForHealth(baseUrl, 30_000);
  // The simulated line starts with the current shift, so the wall shows a whole shift against its plan
  // (started mid-shift, it would look hours behind). At 60× it catches up with the wall clock in minutes.
  const line = referencePlant().lines[0];
  const shiftStart = line ? currentShift(lineCalendar(line), Date.now())?.start : undefined;
  const start = shiftStart === undefined ? 'now' : new Date(shiftStart).toISOString();
  run('simulator', [
    'simulator/cli.ts',
    '--scenario', SCENARIO,
    '--target', baseUrl,
    '--token', INGEST_TOKEN,
    '--speed', String(DEMO_SPEED),
    '--start', start,
    '--hours', String(24 * 365),
  ], {});

  console.log('');
  console.log(`[demo] Dashboard:   ${baseUrl}/wall?line=A1   (manager view: ${baseUrl}/)`);
  console.log(`[demo] Health:      ${baseUrl}/api/v1/health`);
  if (influxd) {
    console.log(
      `[demo] Count points: influx -host 127.0.0.1 -port ${influxd.port} -database taktline -execute 'SELECT count(*) FROM unit'`,
    );
  }
  console.log(`[demo] Station tablet: ${baseUrl}/station?line=A1&station=S07   sign in with a demo PIN:`);
  for (const p of DEMO_PEOPLE) console.log(`[demo]   ${p.pin}  ${p.name} (${p.id}, ${p.role})`);
  console.log(`[demo] The simulator runs the line at ${DEMO_SPEED}× real time. Ctrl-C stops everything.`);
  console.log('');
}

main().catch((error: unknown) => {
  console.error(`[demo] ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
