/**
 * Test harness: Debian's `victoria-metrics`, a real server that implements
 * InfluxDB's v2 write API (`/api/v2/write`), in a temp dir on a free port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../influx/local-influxd';

export interface TestVictoria {
  url: string;
  /** Exported samples of metrics whose name matches `pattern` (a PromQL regex). */
  export(pattern: string): Promise<{ metric: Record<string, string>; values: number[]; timestamps: number[] }[]>;
  dispose(): Promise<void>;
}

export async function startTestVictoria(): Promise<TestVictoria> {
  if (spawnSync('victoria-metrics', ['-version'], { stdio: 'ignore' }).error) {
    throw new Error("victoria-metrics was not found. Install it: sudo apt-get install -y victoria-metrics");
  }
  const dir = mkdtempSync(join(tmpdir(), 'taktline-vm-'));
  const port = await freePort();
  const child = spawn(
    'victoria-metrics',
    [`-storageDataPath=${dir}`, `-httpListenAddr=127.0.0.1:${port}`, '-search.latencyOffset=0s', '-loggerLevel=ERROR'],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`${url}/ping`).then((r) => r.status === 204, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`victoria-metrics did not start on ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async export(pattern) {
      await fetch(`${url}/internal/force_flush`);
      const res = await fetch(`${url}/api/v1/export`, {
        method: 'POST',
        body: new URLSearchParams({ 'match[]': `{__name__=~"${pattern}"}` }),
      });
      const text = await res.text();
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { metric: Record<string, string>; values: number[]; timestamps: number[] });
    },
    async dispose() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
