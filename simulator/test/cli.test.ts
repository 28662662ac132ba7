/** The command line, run as a user runs it: a child process of tsx simulator/cli.ts. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { referencePlant } from '../../core/plant';
import { validateEvent } from '../../core/validate';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'taktline-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function simulate(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['simulator/cli.ts', ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('simulate CLI', () => {
  it('--help documents every flag', async () => {
    const { code, stdout } = await simulate(['--help']);
    expect(code).toBe(0);
    for (const flag of ['--scenario', '--seed', '--hours', '--start', '--out', '--target', '--token', '--speed', '--run-id', '--progress', '--help']) {
      expect(stdout).toContain(flag);
    }
  });

  it('refuses an unknown flag and a bad value with a message and status 2', async () => {
    const unknown = await simulate(['--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'/);
    const badSpeed = await simulate(['--speed', '5000']);
    expect(badSpeed.code).toBe(2);
    expect(badSpeed.stderr).toMatch(/--speed must be a number from 1 to 1000/);
  });

  it('refuses a malformed TAKTLINE_SIM_RESPONDERS with the reason and status 2, before sending anything', async () => {
    const bad = await simulate(['--target', 'http://127.0.0.1:9', '--token', 't', '--hours', '1'], { TAKTLINE_SIM_RESPONDERS: 'li.wei' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/TAKTLINE_SIM_RESPONDERS: 'li.wei' is not person:PIN/);
  });

  it('names the bad field of a scenario file', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\nstart: 2027-03-01T06:00:00+08:00\ntargetPerHour: 30\nstations:\n  - id: S01\n    cycle: { kind: lognormal, meanSeconds: 100, cv: -1 }\n');
    const { code, stderr } = await simulate(['--scenario', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/stations\.0\.cycle\.cv: cv must be 0 or more/);
  });

  it('--out writes valid NDJSON, and the same seed gives byte-identical output', async () => {
    const outA = join(dir, 'a.ndjson');
    const outB = join(dir, 'b.ndjson');
    const a = await simulate(['--scenario', 'breakdowns', '--seed', '9', '--hours', '3', '--out', outA]);
    const b = await simulate(['--scenario', 'breakdowns', '--seed', '9', '--hours', '3', '--out', outB]);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(readFileSync(outB)).toEqual(readFileSync(outA));
    const summary = JSON.parse(a.stdout) as { events: number; units: number; start: string };
    expect(summary.start).toBe('2027-03-01T06:00:00+08:00');
    const lines = readFileSync(outA, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(summary.events);
    const plant = referencePlant(20);
    for (const line of lines) {
      const event = JSON.parse(line) as StationEvent;
      expect(validateEvent(event, { now: event.ts, maxFutureMs: 0, maxAgeMs: 1, plant }).ok).toBe(true);
    }
    expect(lines.filter((l) => l.includes('"type":"unit"'))).toHaveLength(summary.units);
  });

  it('--target drives an ingest endpoint and reports what was accepted', async () => {
    const received: StationEvent[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const batch = JSON.parse(body) as StationEvent[];
        received.push(...batch);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ accepted: batch.length, duplicates: 0, rejected: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { code, stdout, stderr } = await simulate(['--target', url, '--speed', 'max', '--hours', '1', '--start', '2027-03-01T06:00:00+08:00'], {
        TAKTLINE_TOKEN: 'demo',
      });
      expect(code, stderr).toBe(0);
      const summary = JSON.parse(stdout) as { events: number };
      expect(received).toHaveLength(summary.events);
      expect(new Set(received.map((e) => e.id)).size).toBe(summary.events);
      expect(stderr).toMatch(new RegExp(`accepted ${summary.events}, duplicates 0, rejected 0`));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
