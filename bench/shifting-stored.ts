/**
 * The shifting bottleneck of a long range through InfluxDB, both ways in the same run, alternating:
 * raw (the range's state events read, then core's
 * `shiftingOfStates`: what `longParts` did before the stored pieces) against stored
 * (`longShifting`: the `shifting_hour` pieces plus raw state timelines at their edges), over a
 * data directory that bench/history.ts loaded and the collector rolled (its pieces included).
 * Checks both answer the same shares and planned time.
 *
 * Usage: npx tsx bench/shifting-stored.ts --data-dir DIR [--samples 3] [--ranges week,month,quarter] [--stored-only]
 * (--stored-only: no raw path, e.g. for a year, whose state read alone exceeds InfluxDB's 30 s query timeout.)
 */
import { lineCalendar, plannedIntervals } from '../core/calendar/calendar';
import { shiftingOfStates } from '../core/kpi/line-kpis';
import { startLocalInfluxd } from '../collector/influx/local-influxd';
import { connectInflux } from '../collector/influx/store';
import { longShifting } from '../collector/history/long-range';
import { referencePlant } from '../core/plant';
import { intOption } from './support/args';

const SAMPLES = intOption('samples', 3);
const di = process.argv.indexOf('--data-dir');
const DATA_DIR = di >= 0 ? process.argv[di + 1] : undefined;
const ri = process.argv.indexOf('--ranges');
const RANGES = (ri >= 0 ? (process.argv[ri + 1] ?? '') : 'week,month,quarter').split(',');
const STORED_ONLY = process.argv.includes('--stored-only');
const DAY = 86_400_000;
const LENGTH: Record<string, number> = { week: 7 * DAY, month: 30 * DAY, quarter: 91 * DAY, year: 365 * DAY };

async function main(): Promise<void> {
  if (!DATA_DIR) throw new Error('--data-dir DIR: a directory bench/history.ts loaded (its collector rolled the pieces)');
  const influxd = await startLocalInfluxd({ dataDir: DATA_DIR });
  try {
    const store = await connectInflux({ url: influxd.url, token: '', org: 'taktline', bucket: 'taktline' });
    const line = referencePlant(20).lines[0];
    if (!line) throw new Error('no line');
    const now = Date.now();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    for (const name of RANGES) {
      const length = LENGTH[name];
      if (length === undefined) throw new Error(`--ranges takes ${Object.keys(LENGTH).join(', ')}`);
      // Edges between hours, ending a day before now (closed).
      const to = now - DAY - 17 * 60_000 - 123;
      const from = to - length + 41 * 60_000;
      const planned = plannedIntervals(lineCalendar(line), from, to);
      const raw: number[] = [];
      const stored: number[] = [];
      let same = true;
      for (let s = 0; s < SAMPLES; s += 1) {
        let t = performance.now();
        const a = STORED_ONLY
          ? null
          : await store.reads.lineEvents(line, from, to, ['state']).then((states) => shiftingOfStates({ line, events: states.events, from, to, now, initialStates: states.initialStates }));
        raw.push(performance.now() - t);
        t = performance.now();
        const b = await longShifting(store.reads, line, from, to, now, planned);
        stored.push(performance.now() - t);
        if (a) same &&= JSON.stringify(a.stations) === JSON.stringify(b.stations) && a.plannedMs === b.plannedMs;
      }
      if (STORED_ONLY) {
        console.log(`${name.padEnd(8)} stored pieces + raw edges median ${median(stored).toFixed(0)} ms (raw path not run)`);
        continue;
      }
      console.log(
        `${name.padEnd(8)} raw states + shiftingOfStates median ${median(raw).toFixed(0)} ms; stored pieces + raw edges median ${median(stored).toFixed(0)} ms; ratio ${(median(stored) / median(raw)).toFixed(3)}; same: ${same ? 'yes' : 'NO'}`,
      );
      if (!same) process.exitCode = 1;
    }
  } finally {
    await influxd.stop();
  }
}

void main();
