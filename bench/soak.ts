/**
 * bench/soak: does a wall screen's memory stay flat? The simulator drives the
 * real collector (real influxd) through the public ingest API at 60× for 24
 * simulated hours while headless Chromium shows /wall; the page's JS heap
 * (after a forced GC) is sampled every simulated hour. Printed: every sample,
 * and the final heap against the heap after the first hour (goal ≤ 1.1×),
 * with the DOM node and listener counts as a second witness. Heap snapshots
 * after the first hour and at the end split the heap into V8's compiled code
 * (which grows while the page warms up: at 60× the first simulated hour is one
 * real minute) and everything else (the application's objects), each ratio printed.
 * Options: --hours N (24), --speed N (60). Needs `npx vite build` first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStack } from '../collector/test/support/stack';
import { launchChromium } from '../dashboard/test/support/browser';
import { intOption } from './support/args';
import { heapSplit, type HeapSplit } from './support/heap-snapshot';

const HOURS = intOption('hours', 24);
const SPEED = intOption('speed', 60);
const root = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<void> {
  if (!existsSync(`${root}dist/dashboard/index.html`)) throw new Error('build the dashboard first: npx vite build');
  // The demo's setting: the simulated line runs ahead of the wall clock and the live numbers follow it.
  const stack = await startStack({ config: { clock: 'events', maxFutureSeconds: 365 * 86_400 } });
  const browser = await launchChromium();
  const sim = spawn(
    process.execPath,
    ['--import', 'tsx', 'simulator/cli.ts', '--scenario', 'reference', '--seed', '11', '--target', stack.baseUrl, '--token', stack.ingestToken, '--speed', String(SPEED), '--hours', String(HOURS), '--no-progress'],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let simErrors = '';
  sim.stderr?.on('data', (c: Buffer) => (simErrors = (simErrors + c.toString()).slice(-2000)));
  const simDone = new Promise<number>((resolve) => sim.once('exit', (code) => resolve(code ?? 1)));
  try {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${stack.baseUrl}/wall?line=A1`);
    await page.getByTestId('this-hour-value').waitFor();

    const sample = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? Number.NaN;
      return { heap: m('JSHeapUsedSize'), nodes: m('Nodes'), listeners: m('JSEventListeners') };
    };
    const mib = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;
    console.log(`bench/soak: /wall at 1920×1080, reference line at ${SPEED}× for ${HOURS} simulated hours (${((HOURS * 60) / SPEED).toFixed(0)} real minutes)`);
    const samples: { hour: number; heap: number; nodes: number; listeners: number }[] = [];
    let firstSplit: HeapSplit | null = null;
    const start = await sample();
    console.log(`hour  0  heap ${mib(start.heap).padStart(10)}  nodes ${start.nodes}  listeners ${start.listeners}`);
    const hourMs = (3_600_000 / SPEED);
    for (let hour = 1; hour <= HOURS; hour += 1) {
      await new Promise((r) => setTimeout(r, hourMs));
      const s = { hour, ...(await sample()) };
      samples.push(s);
      console.log(`hour ${String(hour).padStart(2)}  heap ${mib(s.heap).padStart(10)}  nodes ${s.nodes}  listeners ${s.listeners}`);
      if (hour === 1) firstSplit = await heapSplit(cdp);
    }
    const lastSplit = await heapSplit(cdp);
    const code = await Promise.race([simDone, new Promise<number>((r) => setTimeout(() => r(0), 5000))]);
    if (code !== 0) console.log(`simulator exited with ${code}: ${simErrors}`);
    const first = samples[0];
    const last = samples.at(-1);
    if (!first || !last) throw new Error('no samples');
    const units = await page.getByTestId('this-hour-value').textContent();
    console.log(`page errors: ${errors.length}${errors.length ? ` (${errors.slice(0, 3).join('; ')})` : ''}; this hour on screen at the end: ${units}`);
    if (firstSplit) {
      console.log(
        `heap snapshots, hour 1 → end: compiled code ${mib(firstSplit.code)} → ${mib(lastSplit.code)} (${(lastSplit.code / firstSplit.code).toFixed(2)}×), ` +
          `everything else ${mib(firstSplit.other)} → ${mib(lastSplit.other)} (${(lastSplit.other / firstSplit.other).toFixed(2)}×)`,
      );
    }
    console.log(
      `summary: final heap ${mib(last.heap)} = ${(last.heap / first.heap).toFixed(2)}× the heap after the first hour (${mib(first.heap)}; goal ≤ 1.1×); ` +
        `DOM nodes ${first.nodes} → ${last.nodes}, listeners ${first.listeners} → ${last.listeners}`,
    );
  } finally {
    sim.kill('SIGTERM');
    await browser.close();
    await stack.stop();
  }
}

void main();
