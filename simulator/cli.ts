/**
 * `npm run simulate`: the simulator's entry point. Wires the scenario, the line
 * model, the sinks and the pacing together; prints the run's summary as JSON on
 * stdout and everything else (progress, retries, errors) on stderr.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELP, parseCliArgs, UsageError, type CliOptions } from './args';
import { Line } from './model/line';
import { loadScenario, ScenarioError, type Scenario } from './model/scenario';
import { summarize } from './model/summary';
import { runPaced, wallClockNow } from './pacing';
import { HttpSink, HttpSinkError } from './sinks/http';
import { OpcuaPlcServer, OpcuaSink } from './sinks/opcua';
import { CountingSink } from './sinks/memory';
import { parseResponders, Responders } from './responders';
import { NdjsonFileSink, TeeSink } from './sinks/ndjson';
import type { EventSink } from './sinks/sink';

const BAR_WIDTH = 24;

function progressLine(simSeconds: number, endSeconds: number, events: number): string {
  const hours = simSeconds / 3600;
  const count = events >= 1e6 ? `${(events / 1e6).toFixed(1)} M` : String(events);
  if (!Number.isFinite(endSeconds)) return `\r  ${hours.toFixed(1)} h simulated, ${count} events `;
  const share = Math.min(1, simSeconds / endSeconds);
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  return `\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${hours.toFixed(0)}/${(endSeconds / 3600).toFixed(0)} h  ${count} events `;
}

async function openSinks(options: CliOptions, scenario: Scenario): Promise<{ sink: EventSink; http: HttpSink | null }> {
  const sinks: EventSink[] = [];
  if (options.out !== null) sinks.push(new NdjsonFileSink(options.out));
  const http = options.target !== null ? new HttpSink({ target: options.target, token: options.token ?? '' }) : null;
  if (http && options.via === 'opcua') {
    // The line's PLCs as one OPC UA server; the collector's OPC UA connector reads their tags.
    const stations = scenario.stations.map((s) => s.id);
    const plc = await OpcuaPlcServer.start({ line: scenario.line, stations, port: options.opcuaPort, pkiDir: join(tmpdir(), 'taktline-simulator-pki') });
    process.stderr.write(`simulate: OPC UA server for line ${scenario.line} (${stations.length} stations) at ${plc.endpoint}\n`);
    sinks.push(new OpcuaSink(plc, stations.at(-1) ?? '', http));
  } else if (http) sinks.push(http);
  const sink = sinks.length === 0 ? new CountingSink() : sinks.length === 1 ? (sinks[0] as EventSink) : new TeeSink(sinks);
  return { sink, http };
}

/** Runs the command line; resolves with the exit status. */
export async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  let scenario: Scenario;
  try {
    options = parseCliArgs(argv, process.env);
    if (options.help) {
      process.stdout.write(HELP);
      return 0;
    }
    scenario = loadScenario(options.scenario);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ScenarioError) {
      process.stderr.write(`simulate: ${error.message}\n${error instanceof UsageError ? 'Run with --help to see the options.\n' : ''}`);
      return 2;
    }
    throw error;
  }

  const useWallClock = options.start === 'now' || (options.start === null && options.target !== null);
  const startMs = useWallClock ? wallClockNow() : Date.parse(options.start ?? scenario.start);
  const runId = options.runId ?? `${scenario.name}-${options.seed}-${startMs.toString(36)}`;
  let sinks: { sink: EventSink; http: HttpSink | null };
  try {
    sinks = await openSinks(options, scenario);
  } catch (error) {
    const what = options.via === 'opcua' ? `cannot start the OPC UA server on port ${options.opcuaPort} or write ${options.out ?? 'the output'}` : `cannot write ${options.out}`;
    process.stderr.write(`simulate: ${what}: ${(error as Error).message}\n`);
    return 1;
  }
  const { sink, http } = sinks;
  // People answering andon calls through the collector's API (the demo sets them): TAKTLINE_SIM_RESPONDERS=person:PIN[,person:PIN].
  let responders: Responders | null = null;
  const respondersText = process.env.TAKTLINE_SIM_RESPONDERS?.trim();
  if (respondersText && options.target !== null) {
    try {
      responders = new Responders({ target: options.target.replace(/\/+$/, ''), line: scenario.line, ...parseResponders(respondersText) });
    } catch (error) {
      process.stderr.write(`simulate: TAKTLINE_SIM_RESPONDERS: ${(error as Error).message}\n`);
      await sink.close();
      return 2;
    }
    responders.start();
  }
  const line = new Line({
    scenario,
    seed: options.seed,
    startMs,
    runId,
    emit: (e) => {
      responders?.observe(e);
      sink.write(e);
    },
  });
  const endSeconds = options.hours * 3600;
  const showProgress = options.progress ?? process.stderr.isTTY === true;

  let stopRequested = false;
  const onSignal = () => {
    if (stopRequested) process.exit(130);
    stopRequested = true;
    process.stderr.write('\nsimulate: stopping; delivering what is queued (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (http) {
    process.stderr.write(`simulate: ${scenario.name}, seed ${options.seed}, ${options.speed === 'max' ? 'as fast as possible' : `${options.speed}× real time`}, to ${options.target}\n`);
  }

  let reached: number;
  try {
    reached = await runPaced(line, {
      speed: options.speed,
      endSeconds,
      sink,
      shouldStop: () => stopRequested || http?.error != null,
      onProgress: showProgress ? (t) => process.stderr.write(progressLine(t, endSeconds, line.events)) : undefined,
    });
    if (showProgress) process.stderr.write('\n');
    await sink.close();
  } catch (error) {
    if (showProgress) process.stderr.write('\n');
    if (error instanceof HttpSinkError) {
      process.stderr.write(`simulate: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await responders?.stop();
  }

  process.stdout.write(`${JSON.stringify(summarize(line, reached, options.seed), null, 2)}\n`);
  if (http) {
    const s = http.stats;
    process.stderr.write(`simulate: collector accepted ${s.accepted}, duplicates ${s.duplicates}, rejected ${s.rejected}, retries ${s.retries}\n`);
    if (responders) process.stderr.write(`simulate: andon calls acknowledged ${responders.stats.acknowledge}, resolved ${responders.stats.resolve}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`simulate: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
