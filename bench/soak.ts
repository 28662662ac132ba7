/**
 * bench/soak: does a wall screen's memory stay flat over a day? The simulator
 * drives the real collector (real influxd) through the public ingest API at
 * 60× while headless Chromium shows /wall; the page's JS heap (after a forced
 * GC) is sampled every simulated hour for 24 simulated hours, and the final
 * heap is printed against the heap after the first of those hours (goal ≤
 * 1.1×), with the DOM node and listener counts as a second witness.
 *
 * Warm-up first. V8 compiles a page's hot functions to machine code once they
 * have run a few hundred to a few thousand times, so its compiled code grows
 * with *wall* time, not line time: on a real screen that is over within the
 * first real hour, but at 60× the first simulated hour is one real minute and
 * tier-up goes on for a quarter of the day (measured with --js-flags=--trace-opt:
 * new optimised functions until about 13 real minutes). Counting that as the
 * day's growth would hide a leak behind start-up or invent one, so the page
 * first runs until its compiled code (from a heap snapshot each simulated
 * hour) grew by less than 1 % in each of two hours running; then the day is
 * measured. The growth since page load is printed too, and heap snapshots
 * split the measured day into compiled code and everything else (the
 * application's objects, strings, DOM), each with its ratio.
 *
 * Main-thread busy time: Chromium's cumulative `TaskDuration` (seconds the
 * renderer's main thread spent in tasks) is read with every sample, and the
 * measured day prints it per real minute (goal ≤ 1 s a minute): a kiosk PC's
 * CPU spent on the wall is what the figure is about, not the heap. Task time
 * is wall-clock time, so on a loaded machine it includes the time the renderer
 * waited for a core; the main thread's CPU time (`ThreadTime`) is printed
 * beside it. At --speed 60 a real minute carries an hour of the line's events.
 *
 * Options: --hours N (24), --speed N (60), --max-warm-up N simulated hours
 * (24; 0 measures from page load), --kiosk N (0: /wall; N > 0: a kiosk
 * screen rotating between the wall and the plant overview every N real
 * seconds, its playlist from a kiosk file, so the rotation is soaked too).
 * Needs `npx vite build` first.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession } from 'playwright-core';
import { startStack } from '../collector/test/support/stack';
import { launchChromium } from '../dashboard/test/support/browser';
import { countOption, intOption } from './support/args';
import { heapSplit, type HeapSplit } from './support/heap-snapshot';

const HOURS = intOption('hours', 24);
const SPEED = intOption('speed', 60);
const MAX_WARM_UP = countOption('max-warm-up', 24);
/** Dwell of each kiosk view, real seconds; 0 shows /wall alone. */
const KIOSK = countOption('kiosk', 0);
/** Warm-up ends once compiled code grew by less than this share in each of the last SETTLED_HOURS hours. */
const SETTLED_GROWTH = 0.01;
const SETTLED_HOURS = 2;
const root = fileURLToPath(new URL('..', import.meta.url));

interface Sample {
  heap: number;
  nodes: number;
  listeners: number;
  /** Cumulative main-thread task time, seconds. */
  busy: number;
  /** Cumulative main-thread CPU time, seconds. */
  cpu: number;
  /** performance.now() of the sample, ms. */
  at: number;
}

async function sample(cdp: CDPSession): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? Number.NaN;
  return { heap: m('JSHeapUsedSize'), nodes: m('Nodes'), listeners: m('JSEventListeners'), busy: m('TaskDuration'), cpu: m('ThreadTime'), at: performance.now() };
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MiB`;
const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
const line = (label: string, s: Sample, extra = '') =>
  `${label.padEnd(14)} heap ${mib(s.heap).padStart(10)}  nodes ${s.nodes}  listeners ${s.listeners}${extra}`;

/** True when each of the last `SETTLED_HOURS` hourly steps of `code` grew by less than SETTLED_GROWTH. */
function settled(code: readonly number[]): boolean {
  if (code.length <= SETTLED_HOURS) return false;
  const recent = code.slice(-SETTLED_HOURS - 1);
  return recent.slice(1).every((c, i) => c < (recent[i] ?? 0) * (1 + SETTLED_GROWTH));
}

async function main(): Promise<void> {
  if (!existsSync(`${root}dist/dashboard/index.html`)) throw new Error('build the dashboard first: npx vite build');
  // The demo's setting: an explicit demo clock running SPEED× the wall clock, as fast as the simulated line.
  let kioskFile = '';
  if (KIOSK > 0) {
    kioskFile = join(mkdtempSync(join(tmpdir(), 'taktline-soak-')), 'kiosk.json');
    const playlist = [
      { view: 'wall', line: 'A1', seconds: Math.max(5, KIOSK) },
      { view: 'plant', seconds: Math.max(5, KIOSK) },
    ];
    writeFileSync(kioskFile, JSON.stringify({ refreshSeconds: 30, screens: { soak: { playlist } } }));
  }
  const stack = await startStack({ config: { clock: 'demo', demoSpeed: SPEED, kioskFile } });
  const browser = await launchChromium();
  const simHours = MAX_WARM_UP + HOURS + 1;
  const sim = spawn(
    process.execPath,
    ['--import', 'tsx', 'simulator/cli.ts', '--scenario', 'reference', '--seed', '11', '--target', stack.baseUrl, '--token', stack.ingestToken, '--speed', String(SPEED), '--hours', String(simHours), '--no-progress'],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let simErrors = '';
  sim.stderr?.on('data', (c: Buffer) => (simErrors = (simErrors + c.toString()).slice(-2000)));
  let simExit: number | null = null;
  sim.once('exit', (code) => (simExit = code ?? 1));
  try {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${stack.baseUrl}${KIOSK > 0 ? '/kiosk?screen=soak' : '/wall?line=A1'}`);
    await page.getByTestId('this-hour-value').waitFor();

    const hourMs = 3_600_000 / SPEED;
    // Samples fall on the simulated hour however long a snapshot takes.
    const t0 = performance.now();
    let hoursRun = 0;
    const nextHour = async () => {
      hoursRun += 1;
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + hoursRun * hourMs - performance.now())));
      if (simExit !== null) throw new Error(`simulator exited early with ${simExit}: ${simErrors}`);
    };

    console.log(
      `bench/soak: ${KIOSK > 0 ? `a kiosk rotating /wall and /plant every ${Math.max(5, KIOSK)} s` : '/wall'} at 1920×1080, reference line at ${SPEED}×: warm-up of up to ${MAX_WARM_UP} simulated hours, then ${HOURS} measured ` +
        `(at most ${(((MAX_WARM_UP + HOURS) * 60) / SPEED).toFixed(0)} real minutes)`,
    );
    const loaded = await sample(cdp);
    console.log(line('page loaded', loaded));

    // Warm-up: until V8 has compiled what the page runs.
    const warmCode: number[] = [];
    let afterFirstHour: Sample | null = null;
    while (hoursRun < MAX_WARM_UP && !settled(warmCode)) {
      await nextHour();
      const split = await heapSplit(cdp);
      const s = await sample(cdp);
      afterFirstHour ??= s;
      warmCode.push(split.code);
      console.log(line(`warm-up h ${hoursRun}`, s, `  compiled code ${mib(split.code)}`));
    }
    const warmUpHours = hoursRun;
    if (MAX_WARM_UP > 0) {
      console.log(
        settled(warmCode)
          ? `warm-up over after ${warmUpHours} simulated hours (${((warmUpHours * 60) / SPEED).toFixed(0)} real minutes): compiled code grew < ${SETTLED_GROWTH * 100} % in each of the last ${SETTLED_HOURS} hours`
          : `compiled code still growing after ${warmUpHours} simulated hours of warm-up; measuring anyway`,
      );
    }

    // The measured day.
    const day: Sample[] = [];
    let firstSplit: HeapSplit | null = null;
    for (let hour = 1; hour <= HOURS; hour += 1) {
      await nextHour();
      const s = await sample(cdp);
      day.push(s);
      afterFirstHour ??= s;
      console.log(line(`hour ${hour}`, s));
      if (hour === 1) firstSplit = await heapSplit(cdp);
    }
    const lastSplit = await heapSplit(cdp);
    const first = day[0];
    const last = day.at(-1);
    if (!first || !last || !afterFirstHour) throw new Error('no samples');
    const units = KIOSK > 0 ? await page.getByTestId('kiosk').getAttribute('data-view') : await page.getByTestId('this-hour-value').textContent();
    console.log(`page errors: ${errors.length}${errors.length ? ` (${errors.slice(0, 3).join('; ')})` : ''}; ${KIOSK > 0 ? `kiosk view at the end: ${units}` : `this hour on screen at the end: ${units}`}`);
    if (firstSplit) {
      console.log(
        `heap snapshots, measured hour 1 → end: compiled code ${mib(firstSplit.code)} → ${mib(lastSplit.code)} (${ratio(firstSplit.code, lastSplit.code)}), ` +
          `everything else ${mib(firstSplit.other)} → ${mib(lastSplit.other)} (${ratio(firstSplit.other, lastSplit.other)})`,
      );
    }
    if (warmUpHours > 0) {
      console.log(
        `since page load (warm-up included, ${warmUpHours + HOURS} simulated hours): ${mib(loaded.heap)} at load, ${mib(afterFirstHour.heap)} after the first hour, ` +
          `${mib(last.heap)} at the end = ${ratio(afterFirstHour.heap, last.heap)} the heap after the first hour`,
      );
    }
    // Busy seconds per real minute over each measured hour (the GC forced by sampling counts against the page; it is small).
    const perMinute = (pick: (s: Sample) => number) =>
      day.slice(1).map((s, i) => {
        const prev = day[i] as Sample;
        return (pick(s) - pick(prev)) / ((s.at - prev.at) / 60_000);
      });
    const busyPerMinute = perMinute((s) => s.busy);
    const cpuPerMinute = perMinute((s) => s.cpu);
    const sortedBusy = [...busyPerMinute].sort((a, b) => a - b);
    const meanBusy = busyPerMinute.reduce((a, b) => a + b, 0) / Math.max(1, busyPerMinute.length);
    if (busyPerMinute.length === 0) {
      // One measured sample has no span to divide by: say so rather than print 0 s.
      console.log('main-thread busy per real minute: not measured (it is taken between measured hours: --hours 2 or more)');
    } else {
      console.log(
        `main-thread busy per real minute over the measured day: mean ${meanBusy.toFixed(2)} s, ` +
          `max ${(sortedBusy.at(-1) ?? Number.NaN).toFixed(2)} s (goal ≤ 1 s a minute); main-thread CPU mean ` +
          `${(cpuPerMinute.reduce((a, b) => a + b, 0) / cpuPerMinute.length).toFixed(2)} s, max ${Math.max(...cpuPerMinute).toFixed(2)} s (${SPEED}× the line's pace)`,
      );
    }
    console.log(
      `summary: final heap ${mib(last.heap)} = ${ratio(first.heap, last.heap)} the heap after the first measured hour (${mib(first.heap)}; goal ≤ 1.1×); ` +
        `DOM nodes ${first.nodes} → ${last.nodes}, listeners ${first.listeners} → ${last.listeners}`,
    );
  } finally {
    sim.kill('SIGTERM');
    await browser.close();
    await stack.stop();
  }
}

void main();
