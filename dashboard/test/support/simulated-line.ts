/**
 * Real-looking history for the manager workspace's browser test and
 * screenshots: the simulator's reference line (breakdowns, micro-stops,
 * starved and blocked stations) run in-process over an interval, posted
 * through the public ingest API, and waited for until the KPI endpoint
 * counts every unit (ingest answers once events are durable in the spool;
 * InfluxDB has them a moment later).
 */
import type { StationEvent } from '../../../core/events';
import { Line } from '../../../simulator/model/line';
import { loadScenario } from '../../../simulator/model/scenario';
import type { Stack } from '../../../collector/test/support/stack';

/** Events of the reference scenario's line A1 over `[from, to)`, seeded. */
export function simulateLine(options: { from: number; to: number; seed: number; scenario?: string }): StationEvent[] {
  const scenario = loadScenario(options.scenario ?? 'reference');
  const events: StationEvent[] = [];
  const line = new Line({ scenario, seed: options.seed, startMs: options.from, runId: `mgr-${options.seed}-${options.from}`, emit: (e) => events.push(e) });
  line.runUntil((options.to - options.from) / 1000);
  return events.filter((e) => e.ts < options.to);
}

/** Posts `events` in batches; throws on any rejection. */
export async function postAll(stack: Stack, events: readonly unknown[], batch = 5000): Promise<void> {
  for (let i = 0; i < events.length; i += batch) {
    const { status, body } = await stack.postEvents(events.slice(i, i + batch));
    const rejected = (body as { rejected?: unknown[] }).rejected ?? [];
    if (status !== 200 || rejected.length > 0) throw new Error(`ingest answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

/** Units inside `[from, to)`. */
export function unitsIn(events: readonly StationEvent[], from: number, to: number): number {
  return events.filter((e) => e.type === 'unit' && e.ts >= from && e.ts < to).length;
}

/**
 * Polls `GET /api/v1/kpi?from&to` until it counts `expected` units: the
 * events have reached InfluxDB. Throws with the last count after `timeoutMs`.
 */
export async function waitForUnits(stack: Stack, from: number, to: number, expected: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const res = await fetch(`${stack.baseUrl}/api/v1/kpi?line=A1&from=${from}&to=${to}`);
    const body = (await res.json()) as { inputs?: { counts?: { units?: number } } };
    last = body.inputs?.counts?.units ?? body;
    if (last === expected) return;
    if (Date.now() > deadline) throw new Error(`InfluxDB holds ${JSON.stringify(last)} units in [${from}, ${to}), expected ${expected}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
