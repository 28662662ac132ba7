/**
 * The demo's collector settings, in one place so the demo script and its
 * tests use the same ones. The simulated line runs `speed`× faster than the
 * wall clock, so the collector runs an explicit demo clock at that rate from
 * `start`; it never follows the events' own timestamps, and ingest keeps its
 * usual tolerance for events stamped ahead of that clock.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Simulated seconds per wall second: 60× turns the 120 s takt into a unit every 2 s. */
export const DEFAULT_DEMO_SPEED = 60;

export interface DemoEnvOptions {
  port: number;
  influxUrl: string;
  ingestToken: string;
  dataDir: string;
  /** Line time at the collector's start, epoch ms. */
  start: number;
  /** Line seconds per wall second. */
  speed: number;
  /** A plant file of the demo's own (e.g. with andon rules); default: the reference plant. */
  plantFile?: string;
}

/** Environment for the demo's collector. */
export function demoCollectorEnv(o: DemoEnvOptions): Record<string, string> {
  return {
    PORT: String(o.port),
    INFLUX_URL: o.influxUrl,
    TAKTLINE_INGEST_TOKENS: o.ingestToken,
    TAKTLINE_DATA_DIR: o.dataDir,
    TAKTLINE_CLOCK: 'demo',
    TAKTLINE_DEMO_START: new Date(o.start).toISOString(),
    TAKTLINE_DEMO_SPEED: String(o.speed),
    ...(o.plantFile ? { TAKTLINE_PLANT_FILE: o.plantFile } : {}),
  };
}

/** A fresh ingest token for this demo run (printed, never stored), unless one is given. */
export function demoIngestToken(given: string | undefined): string {
  return given && given.length >= 8 ? given : `demo-${randomBytes(12).toString('hex')}`;
}

/** Where a demo run records how far its line got, so the next run continues from there. */
export function demoStatePath(dataDir: string): string {
  return join(dataDir, 'demo-run.json');
}

/** The line time the last demo run reached, epoch ms; null when there was none or the file is unreadable. */
export function readDemoLineTime(dataDir: string): number | null {
  try {
    const raw: unknown = JSON.parse(readFileSync(demoStatePath(dataDir), 'utf8'));
    const t = typeof raw === 'object' && raw !== null ? (raw as { lineTime?: unknown }).lineTime : undefined;
    return typeof t === 'number' && Number.isFinite(t) ? t : null;
  } catch {
    return null;
  }
}

/** Records the line time reached (the collector's demo clock). */
export function writeDemoLineTime(dataDir: string, lineTime: number): void {
  writeFileSync(demoStatePath(dataDir), `${JSON.stringify({ lineTime, at: new Date(lineTime).toISOString() })}\n`);
}

/**
 * Where a run starts: where the last one ended (no replay of events already
 * stored, which would all be dropped as repeats), else at `fallback` (the
 * current shift's start).
 */
export function demoStart(dataDir: string, fallback: number): number {
  const last = readDemoLineTime(dataDir);
  return last !== null && last > fallback ? last : fallback;
}
