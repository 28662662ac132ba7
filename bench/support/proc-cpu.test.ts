import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { processCpuSeconds, threadCpuSeconds } from './proc-cpu';

/** Spins this thread until the process used `ms` more of user CPU (wall time would give less on a loaded machine). */
function burn(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  while (process.cpuUsage(start).user < ms * 1000) for (let i = 0; i < 10_000; i += 1) x += Math.sqrt(x + 1);
  if (x < 0) throw new Error('unreachable');
}

describe('processCpuSeconds', () => {
  it('counts what this process spends, as process.cpuUsage does (to the kernel tick)', () => {
    const before = processCpuSeconds(process.pid);
    const usage = process.cpuUsage();
    burn(300);
    const spent = process.cpuUsage(usage);
    const measured = processCpuSeconds(process.pid) - before;
    // 10 ms ticks, two readings, plus this process's other threads: a few ticks apart at most.
    expect(measured).toBeGreaterThan(0.2);
    expect(Math.abs(measured - (spent.user + spent.system) / 1e6)).toBeLessThan(0.08);
  });

  it('reads another process by its pid: a child that burned CPU shows it, an idle one does not grow', async () => {
    // The child burns ~400 ms of CPU, says how much it used, then waits until told to go.
    const child = spawn(
      process.execPath,
      ['-e', "const s=process.cpuUsage();let x=0;while(process.cpuUsage(s).user<400000)for(let i=0;i<10000;i++)x+=Math.sqrt(x+1);const u=process.cpuUsage();process.stdout.write(String((u.user+u.system)/1e6)+'\\n');process.stdin.resume();process.stdin.on('end',()=>process.exit(0));"],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const reported = Number(line.toString().trim());
      const first = processCpuSeconds(child.pid ?? -1);
      // Node's start-up is in /proc's figure as well as in process.cpuUsage's: they agree to a few ticks.
      expect(reported).toBeGreaterThan(0.3);
      expect(Math.abs(first - reported)).toBeLessThan(0.1);
      await new Promise((r) => setTimeout(r, 200));
      expect(processCpuSeconds(child.pid ?? -1) - first).toBeLessThan(0.05);
    } finally {
      child.stdin.end();
      await once(child, 'exit');
    }
  });

  it("reads one thread: the main thread's figure leaves out a worker thread's CPU, the process's includes it", async () => {
    const mainBefore = threadCpuSeconds(process.pid, process.pid);
    const processBefore = processCpuSeconds(process.pid);
    // The main thread waits (idle) while a worker thread burns ~400 ms.
    const worker = new Worker('const s=process.cpuUsage();let x=0;while(process.cpuUsage(s).user<400000)for(let i=0;i<10000;i++)x+=Math.sqrt(x+1);', { eval: true });
    await once(worker, 'exit');
    const mainIdle = threadCpuSeconds(process.pid, process.pid) - mainBefore;
    const processAll = processCpuSeconds(process.pid) - processBefore;
    expect(processAll).toBeGreaterThan(0.3);
    expect(mainIdle).toBeLessThan(processAll - 0.25);
    const busyBefore = threadCpuSeconds(process.pid, process.pid);
    burn(300);
    expect(threadCpuSeconds(process.pid, process.pid) - busyBefore).toBeGreaterThan(0.2);
  });
});
