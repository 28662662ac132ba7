/**
 * The demo as a user runs it (scripts/demo.ts: its own influxd, the
 * collector, the simulator), twice on the same data directory, with the wall
 * open in real Chromium: the second run continues the line instead of
 * replaying the first run's events (which would all be dropped as repeats),
 * Ctrl-C lets the simulator deliver before the collector stops, and the demo
 * says what token and what speed it uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStatePath } from '../../scripts/demo-env';
import { launchChromium } from './support/browser';

const root = join(import.meta.dirname, '../..');
let dataDir: string;
let browser: Browser;
const running: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface DemoRun {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function startDemo(): Promise<DemoRun> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), TAKTLINE_DATA_DIR: dataDir };
  delete env.INFLUX_URL;
  delete env.TAKTLINE_DEMO_TOKEN;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, output: () => out, exited };
}

interface Health {
  events: { accepted: number; duplicates: number; rejected: number };
  lineClock: { mode: string; rate: number; now: number };
}

async function health(run: DemoRun): Promise<Health | null> {
  try {
    return (await (await fetch(`http://127.0.0.1:${run.port}/api/v1/health`)).json()) as Health;
  } catch {
    return null;
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/dashboard/index.html'))) throw new Error('dist/dashboard is missing: run `npx vite build` first');
  dataDir = mkdtempSync(join(tmpdir(), 'taktline-demo-'));
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  await browser?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo', () => {
  it('restarts cleanly: a second run continues the line, no replay of repeats; Ctrl-C drains the simulator first', { timeout: 180_000 }, async () => {
    const first = await startDemo();
    const h1 = await waitFor('the first run to store events', async () => {
      const h = await health(first);
      return h && h.events.accepted > 0 ? h : null;
    });
    expect(h1.lineClock).toMatchObject({ mode: 'demo', rate: 60 });
    const out1 = first.output();
    const token = /Ingest token: (\S+)/.exec(out1)?.[1];
    expect(token).toMatch(/^demo-[0-9a-f]{24}$/);
    expect(out1).toContain('60× faster than the clock on the wall');

    // The wall says it runs a demo clock, and how fast.
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`http://127.0.0.1:${first.port}/wall?line=A1`);
    await page.getByTestId('this-hour-value').waitFor();
    expect(await page.getByTestId('demo-clock').textContent()).toContain('60×');
    await page.context().close();

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    const stopped = first.output();
    // The simulator reported its deliveries before the collector went away.
    const delivered = /collector accepted (\d+), duplicates (\d+), rejected (\d+)/.exec(stopped);
    expect(delivered, stopped.slice(-2000)).not.toBeNull();
    expect(Number(delivered?.[3])).toBe(0);
    expect(stopped.indexOf('collector accepted')).toBeLessThan(stopped.indexOf('[demo] stopped'));
    expect(existsSync(demoStatePath(dataDir))).toBe(true);

    const second = await startDemo();
    const h2 = await waitFor('the second run to store events', async () => {
      const h = await health(second);
      return h && h.events.accepted > 0 ? h : null;
    });
    // It continued from where the first stopped: nothing it sent was a repeat, its clock is past the first run's.
    expect(h2.events.duplicates).toBe(0);
    expect(h2.lineClock.now).toBeGreaterThan(h1.lineClock.now);
    const token2 = /Ingest token: (\S+)/.exec(second.output())?.[1];
    expect(token2).not.toBe(token);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});
