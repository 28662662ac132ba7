/**
 * CPU time of another process (influxd, the sender process) from Linux's
 * /proc/<pid>/stat, so a benchmark can say which process spent the two cores.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (`getconf CLK_TCK`; 100 on every Linux this runs on). */
let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    let value = Number.NaN;
    try {
      value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      // no getconf: Linux's USER_HZ is 100 everywhere
    }
    ticksPerSecond = Number.isInteger(value) && value > 0 ? value : 100;
  }
  return ticksPerSecond;
}

/**
 * User + system CPU seconds the process `pid` has used so far (its own
 * threads, not its children's), at the kernel's tick resolution (10 ms).
 */
export function processCpuSeconds(pid: number): number {
  return cpuSecondsOf(`/proc/${pid}/stat`);
}

/**
 * User + system CPU seconds of one thread, `tid`, of process `pid`. A
 * process's main thread has the process's own id: `threadCpuSeconds(pid, pid)`
 * is what its JavaScript, and the GC work done on that thread, used.
 */
export function threadCpuSeconds(pid: number, tid: number): number {
  return cpuSecondsOf(`/proc/${pid}/task/${tid}/stat`);
}

function cpuSecondsOf(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // Field 2 (the command) is in parentheses and may hold spaces or parentheses itself: the fields after it start past the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command: field 3 (state) is fields[0], so utime (field 14) is fields[11] and stime (field 15) fields[12].
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) throw new Error(`${path} has no CPU times: ${stat.slice(0, 120)}`);
  return (user + system) / clockTicks();
}
