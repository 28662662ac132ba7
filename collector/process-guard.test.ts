/**
 * The process guard in real processes: a child that installs it survives
 * escaped errors once running and exits on them while starting; and the
 * collector itself (tsx collector/main.ts) survives the request line that
 * used to kill it, refuses a password in INFLUX_URL at start without
 * printing it, and still stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'taktline-guard-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * node --import tsx, not the tsx binary: that one runs node as its own child,
 * so a SIGKILL in a test's cleanup would end the wrapper and leave the
 * collector running (one was found alive an hour after a run).
 */
function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

describe('installProcessGuard', () => {
  const fixture = join(tmp, 'fixture.ts');
  writeFileSync(
    fixture,
    `import { installProcessGuard } from ${JSON.stringify(join(root, 'collector', 'process-guard.ts'))};
const guard = installProcessGuard();
if (process.argv[2] === 'running') guard.running();
setTimeout(() => { throw new Error('thrown in a callback a client triggered'); }, 10);
setTimeout(() => { void Promise.reject(new Error('rejected and never handled')); }, 30);
setTimeout(() => { console.log('alive, survived ' + guard.survived()); process.exit(0); }, 300);
`,
  );

  it('once running: logs an uncaught exception and an unhandled rejection and carries on', async () => {
    const r = run([fixture, 'running']);
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toContain('alive, survived 2');
    expect(r.stderr()).toMatch(/uncaught exception \(survived/);
    expect(r.stderr()).toMatch(/unhandled rejection \(survived/);
  });

  it('while starting: the same exception ends the process with status 1', async () => {
    const r = run([fixture, 'starting']);
    expect(await r.exited).toBe(1);
    expect(r.stdout()).not.toContain('alive');
    expect(r.stderr()).toMatch(/uncaught exception while starting, exiting/);
  });
});

/** A port nothing listens on: InfluxDB "down", so the collector starts without one. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (c: Buffer) => (reply += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(reply));
    socket.write(request);
  });
}

/** Starts tsx collector/main.ts on a free port with InfluxDB down; resolves with its port once it listens. */
async function startCollector(env: Record<string, string>): Promise<{ r: Run; port: number }> {
  const r = run(['collector/main.ts'], {
    PORT: '0',
    HOST: '127.0.0.1',
    INFLUX_URL: `http://127.0.0.1:${await closedPort()}`,
    TAKTLINE_DASHBOARD_DIR: '',
    ...env,
  });
  const deadline = Date.now() + 45_000;
  for (;;) {
    const port = Number(/listening on http:\/\/localhost:(\d+)/.exec(r.stdout())?.[1] ?? 0);
    if (port) return { r, port };
    if (r.child.exitCode !== null) throw new Error(`the collector exited: ${r.stderr()}`);
    if (Date.now() > deadline) throw new Error(`the collector did not start: ${r.stdout()} ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe('the collector process', () => {
  it('survives `GET //[` with Upgrade: websocket, answers 400 on the socket, and stops cleanly', { timeout: 60_000 }, async () => {
    const { r, port } = await startCollector({ TAKTLINE_DATA_DIR: mkdtempSync(join(tmp, 'data-')), TAKTLINE_INGEST_TOKENS: 'guard-test-token' });
    try {
      for (let i = 0; i < 3; i += 1) {
        const reply = await rawRequest(
          port,
          'GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        );
        expect(reply).toMatch(/^HTTP\/1\.1 400 /);
        expect(reply).toContain('invalid_target');
      }
      expect(r.child.exitCode).toBeNull();
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      expect(health.status).toBe(503); // InfluxDB is down; the collector is up and says so.
      r.child.kill('SIGTERM');
      expect(await r.exited).toBe(0);
    } finally {
      r.child.kill('SIGKILL');
    }
  });

  it('without TAKTLINE_INGEST_TOKENS, writes the random token to a file only its user reads, never to the log', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(join(tmp, 'token-'));
    const { r, port } = await startCollector({ TAKTLINE_DATA_DIR: dataDir, TAKTLINE_INGEST_TOKENS: '' });
    try {
      const file = join(dataDir, 'ingest-token');
      const token = readFileSync(file, 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(20);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(r.stdout() + r.stderr()).not.toContain(token);
      expect(r.stdout()).toContain(file);
      const post = (bearer: string) =>
        fetch(`http://127.0.0.1:${port}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: '[]' });
      expect((await post('not-the-token')).status).toBe(403);
      expect((await post(token)).status).toBe(400); // past authentication: an empty batch
    } finally {
      r.child.kill('SIGKILL');
    }
  });

  it('refuses a password in INFLUX_URL at start, with status 2 and without printing it', async () => {
    const r = run(['collector/main.ts'], { INFLUX_URL: 'http://admin:guard-s3cret@127.0.0.1:1', PORT: '0', TAKTLINE_DATA_DIR: join(tmp, 'never') });
    expect(await r.exited).toBe(2);
    expect(r.stderr()).toMatch(/INFLUX_TOKEN/);
    expect(r.stderr() + r.stdout()).not.toContain('guard-s3cret');
  });
});
