/** Command-line options of `npm run simulate`, parsed and checked with messages a person can act on. */
import { parseArgs } from 'node:util';
import { SHIPPED_SCENARIOS } from './model/scenario';

export interface CliOptions {
  scenario: string;
  seed: number;
  /** Simulated hours; Infinity runs until Ctrl-C. */
  hours: number;
  /** RFC 3339 instant, 'now', or null for the scenario's own start. */
  start: string | null;
  out: string | null;
  target: string | null;
  token: string | null;
  speed: number | 'max';
  runId: string | null;
  progress: boolean | null;
  /** How line events reach the collector: its ingest API, or tags of an OPC UA server the simulator runs. */
  via: 'http' | 'opcua';
  /** TCP port of that OPC UA server (`--via opcua`); 0 picks a free one. */
  opcuaPort: number;
  help: boolean;
}

export const HELP = `Taktline simulator: a discrete-event model of the final-assembly line.

Usage: npm run simulate -- [options]

Runs headless, as fast as the CPU allows, and prints a JSON summary of the run
on stdout (units, units per hour, per-station time in each state, failures,
ground-truth OEE). With --target it drives a running collector through its
ingest API instead, paced to the wall clock.

Options:
  --scenario <name|file>  scenario to run: ${SHIPPED_SCENARIOS.join(', ')},
                          or a .json/.yaml file (default: reference)
  --seed <N>              random seed, a whole number ≥ 0; the same seed and scenario
                          give byte-identical output (default: 1)
  --hours <H>             simulated hours to run (default: 24; with --target: until Ctrl-C)
  --start <time|now>      simulated start, RFC 3339 with offset (2027-03-01T06:00:00+08:00)
                          or 'now' (default: the scenario's start; with --target: now)
  --out <file>            also write every event as NDJSON to <file>
  --target <url>          collector base URL; events go to POST <url>/api/v1/events
  --token <token>         ingest token for --target (default: $TAKTLINE_TOKEN)
  --speed <S>             simulated seconds per wall second, 1 to 1000, or 'max'
                          (default: max headless; 1 with --target)
  --run-id <id>           prefix of event ids (default: <scenario>-<seed>-<start>)
  --via <http|opcua>      how the line's cycles, states and units reach the collector:
                          http (POST /api/v1/events, the default) or opcua: the simulator
                          runs an OPC UA server with each station's PLC tags for the
                          collector's OPC UA connector to read (orders, partners and output
                          still go over http; needs --target)
  --opcua-port <N>        port of that OPC UA server (default: 4840; 0 picks a free one)
  --progress, --no-progress
                          progress bar on stderr (default: on when stderr is a terminal)
  -h, --help              show this help

Exit status: 0 done; 1 the run failed (collector refused the token, file error);
2 bad option or bad scenario.
`;

/** A usage problem: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  readonly code = 'usage';
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Ten years of simulated time is more than any run needs. */
const MAX_HOURS = 24 * 366 * 10;

/** Parses `argv` (without node and the script); throws {@link UsageError}. */
export function parseCliArgs(argv: string[], env: Record<string, string | undefined> = {}): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        scenario: { type: 'string' },
        seed: { type: 'string' },
        hours: { type: 'string' },
        start: { type: 'string' },
        out: { type: 'string' },
        target: { type: 'string' },
        token: { type: 'string' },
        speed: { type: 'string' },
        'run-id': { type: 'string' },
        via: { type: 'string' },
        'opcua-port': { type: 'string' },
        progress: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const target = str('target') ?? null;
  if (target !== null && !/^https?:\/\/[^\s/]+/.test(target)) {
    throw new UsageError(`--target must be an http:// or https:// URL, got '${target}'`);
  }
  const seedText = str('seed') ?? '1';
  if (!/^\d{1,16}$/.test(seedText) || !Number.isSafeInteger(Number(seedText))) {
    throw new UsageError(`--seed must be a whole number ≥ 0, got '${seedText}'`);
  }
  const hoursText = str('hours');
  let hours = target !== null ? Infinity : 24;
  if (hoursText !== undefined) {
    hours = Number(hoursText);
    if (hoursText.trim() === '' || !Number.isFinite(hours) || hours <= 0 || hours > MAX_HOURS) {
      throw new UsageError(`--hours must be a number of simulated hours > 0 and ≤ ${MAX_HOURS}, got '${hoursText}'`);
    }
  }
  const start = str('start') ?? null;
  if (start !== null && start !== 'now' && (!RFC3339.test(start) || !Number.isFinite(Date.parse(start)))) {
    throw new UsageError(`--start must be 'now' or RFC 3339 with an offset, e.g. 2027-03-01T06:00:00+08:00; got '${start}'`);
  }
  const speedText = str('speed');
  let speed: number | 'max' = target !== null ? 1 : 'max';
  if (speedText !== undefined) {
    if (speedText === 'max') speed = 'max';
    else {
      speed = Number(speedText);
      if (speedText.trim() === '' || !Number.isFinite(speed) || speed < 1 || speed > 1000) {
        throw new UsageError(`--speed must be a number from 1 to 1000 or 'max', got '${speedText}'`);
      }
    }
  }
  const token = str('token') ?? env.TAKTLINE_TOKEN ?? null;
  if (target !== null && (token === null || token === '')) {
    throw new UsageError('--target needs an ingest token: give --token <token> or set TAKTLINE_TOKEN');
  }
  const runId = str('run-id') ?? null;
  if (runId !== null && !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,80}$/.test(runId)) {
    throw new UsageError(`--run-id must be 1–81 letters, digits, '_', '.', ':' or '-', got '${runId}'`);
  }
  const via = str('via') ?? 'http';
  if (via !== 'http' && via !== 'opcua') throw new UsageError(`--via must be 'http' or 'opcua', got '${via}'`);
  if (via === 'opcua' && target === null) {
    throw new UsageError('--via opcua needs --target: orders, partners and output still go to the collector over http');
  }
  const portText = str('opcua-port') ?? '4840';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) {
    throw new UsageError(`--opcua-port must be a TCP port from 0 to 65535, got '${portText}'`);
  }
  const out = str('out') ?? null;
  if (out === '') throw new UsageError('--out needs a file name');
  return {
    scenario: str('scenario') ?? 'reference',
    seed: Number(seedText),
    hours,
    start,
    out,
    target,
    token,
    speed,
    runId,
    progress: typeof values.progress === 'boolean' ? values.progress : null,
    via,
    opcuaPort: Number(portText),
    help: values.help === true,
  };
}
