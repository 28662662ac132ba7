/**
 * Test harness: a real Mosquitto broker (Debian's `mosquitto`) on a free
 * loopback port with a temp config: anonymous, no persistence.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../influx/local-influxd';

export const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';

export interface TestMosquitto {
  url: string;
  port: number;
  dispose(): Promise<void>;
}

export async function startTestMosquitto(): Promise<TestMosquitto> {
  if (!existsSync(MOSQUITTO_BINARY)) {
    throw new Error('mosquitto was not found. Install it: sudo apt-get install -y mosquitto');
  }
  const dir = mkdtempSync(join(tmpdir(), 'taktline-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest none', ''].join('\n'));
  const child: ChildProcess = spawn(MOSQUITTO_BINARY, ['-c', config], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
