/**
 * GET /api/v1/losses and LineLive.losses through the real parts: a simulated
 * partner shortage posted to a collector on a real influxd, read back from
 * InfluxDB. The route answers what core/loss computes from the same events in
 * memory, and holds against the simulator's ground truth; the wall names the
 * starved station and the partner while the shortage lasts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import type { LossReport } from '../../core/loss/types';
import { lossReport } from '../../core/loss/waterfall';
import type { PlantConfig } from '../../core/plant';
import { zoneOffsetMs } from '../../core/time/zone';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine, type Scenario } from '../../simulator/model/scenario';
import { summarize, type RunSummary } from '../../simulator/model/summary';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const scenario = loadScenario('partner-shortage');
const line = scenarioLine(scenario);

/** The scenario's start time of day on a recent day with the same weekday, at least `hours` ago. */
function recentStart(s: Scenario, hours: number): number {
  const original = Date.parse(s.start);
  const moved = original + Math.floor((Date.now() - hours * HOUR - original) / WEEK) * WEEK;
  return moved + zoneOffsetMs(original, s.timeZone) - zoneOffsetMs(moved, s.timeZone);
}

function simulate(seed: number, startMs: number, hours: number): { events: StationEvent[]; summary: RunSummary } {
  const events: StationEvent[] = [];
  const sim = new Line({ scenario, seed, startMs, runId: `losses-${seed}-${startMs}`, emit: (e) => events.push(e) });
  sim.runUntil(hours * 3600);
  return { events, summary: summarize(sim, hours * 3600, seed) };
}

let stack: Stack;
const shift = { from: 0, to: 0, events: [] as StationEvent[], summary: null as RunSummary | null };
let liveFrom = 0;

beforeAll(async () => {
  const plant: PlantConfig = { name: { zh: 'p', en: 'p' }, lines: [line] };
  // A whole shortage shift a week ago, for the route; five hours of this week's, for the wall (the collector's clock stands at the last event, mid-shortage).
  shift.from = recentStart(scenario, 8) - WEEK;
  shift.to = shift.from + 8 * HOUR;
  const past = simulate(2, shift.from, 8);
  shift.events = past.events;
  shift.summary = past.summary;
  liveFrom = recentStart(scenario, 8);
  const live = simulate(3, liveFrom, 5);
  // Where the line's own events end (partner and order snapshots carry no line).
  const liveEnd = Math.max(...live.events.filter((e) => 'line' in e).map((e) => e.ts));
  // Partner snapshots the simulator stamped after that are accepted too (a day's tolerance), as before.
  stack = await startStack({ clock: () => liveEnd, config: { plant, maxAgeSeconds: 30 * 86_400, maxFutureSeconds: 86_400, kpiRefreshMs: 1000 } });
  for (const events of [past.events, live.events]) {
    for (let i = 0; i < events.length; i += 5000) {
      const { status, body } = await stack.postEvents(events.slice(i, i + 5000));
      expect(status).toBe(200);
      expect(body).toMatchObject({ rejected: [] });
    }
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

async function losses(query: string): Promise<{ status: number; body: LossReport & { error?: { code: string } } }> {
  const res = await fetch(`${stack.baseUrl}/api/v1/losses?${query}`);
  return { status: res.status, body: (await res.json()) as LossReport & { error?: { code: string } } };
}

describe('GET /api/v1/losses', () => {
  it('answers what core computes from the same events, and the partner is the largest loss', async () => {
    const { status, body } = await losses(`line=A1&from=${shift.from}&to=${shift.to}&now=${shift.to}`);
    expect(status).toBe(200);
    const expected = lossReport({ line, events: shift.events, from: shift.from, to: shift.to, now: shift.to });
    // `reasons` is the stop-reason part the collector adds from people's classifications (docs/reasons.md), not core/loss's.
    const { reasons, ...computed } = body;
    expect(reasons).toMatchObject({ unclassified: expect.any(Number) });
    expect({ ...computed, range: { ...body.range, label: 'custom' } }).toEqual(expected);
    expect(body.range.label).toBe('custom');
    const milli = (x: number) => Math.round(x * 1000);
    expect(body.losses.reduce((a, l) => a + milli(l.units), 0)).toBe(milli(body.planUnits) - milli(body.goodUnits));
    expect(body.goodUnits).toBe(shift.summary?.goodUnits);
    const truth = (shift.summary?.stations ?? []).flatMap((s) => s.waits).filter((w) => 'partner' in w.waitingFor && w.waitingFor.partner === 'P-BATT-01');
    const truthUnits = (truth.reduce((a, w) => a + w.seconds, 0) * scenario.targetPerHour) / 3600;
    const charged = body.losses.filter((l) => l.cause.partner === 'P-BATT-01').reduce((a, l) => a + l.units, 0);
    expect(Math.abs(charged - truthUnits)).toBeLessThanOrEqual(0.05 * truthUnits);
    expect(body.losses[0]?.cause).toMatchObject({ kind: 'starved', partner: 'P-BATT-01', station: 'S07' });
    // The partner reports stored in InfluxDB date the alert before the station starved.
    const [episode] = body.shortages;
    expect(episode?.alertAt).not.toBeNull();
    expect(episode?.alertAt as number).toBeLessThan(episode?.starvedFrom as number);
  });

  it('/api/v1/kpi names the bottleneck /api/v1/losses charts: the starved station S07, over the shift and during the shortage', async () => {
    const shiftQuery = `line=A1&from=${shift.from}&to=${shift.to}&now=${shift.to}`;
    const { body } = await losses(shiftQuery);
    const [episode] = body.shortages;
    expect(episode).toMatchObject({ partner: 'P-BATT-01', station: 'S07' });
    const episodeQuery = `line=A1&from=${episode?.starvedFrom}&to=${episode?.supplyBackAt}&now=${shift.to}`;
    for (const query of [shiftQuery, episodeQuery]) {
      const kpi = (await (await fetch(`${stack.baseUrl}/api/v1/kpi?${query}`)).json()) as { bottleneck: { station: string | null; ranking: { station: string }[] } };
      const report = (await losses(query)).body;
      const [top] = [...report.bottleneck.stations].sort((a, b) => b.soleShare + b.shiftingShare - (a.soleShare + a.shiftingShare));
      expect(kpi.bottleneck.station, query).toBe('S07');
      expect(top?.station, query).toBe('S07');
      // S06, blocked behind the shortage for hours, ranks below it.
      expect(kpi.bottleneck.ranking.findIndex((c) => c.station === 'S06'), query).toBeGreaterThan(0);
    }
  });

  it('says no data for an interval without events, never a loss-free plan', async () => {
    const from = shift.from - WEEK;
    const { status, body } = await losses(`line=A1&from=${from}&to=${from + 8 * HOUR}&now=${from + 8 * HOUR}`);
    expect(status).toBe(200);
    expect(body.status).toBe('no_data');
    expect(body.goodUnits).toBe(0);
    expect(body.losses.map((l) => l.cause.kind)).toEqual(['no_data']);
  });

  it('refuses a malformed interval with a reason', async () => {
    const bad = await losses(`line=A1&from=${shift.to}&to=${shift.from}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('invalid_parameter');
    expect((await losses('line=NOPE&range=shift:current')).status).toBe(404);
    for (const query of ['line=A1&range=fortnight', 'line=A1&from=abc&to=1', `line=A1&from=${shift.from}&to=${shift.from + 401 * 86_400_000}`, "line=A1'%20OR%201=1&range=day:today", 'line=A1']) {
      const { status, body } = await losses(query);
      expect(status, query).toBeGreaterThanOrEqual(400);
      expect(status, query).toBeLessThan(500);
      expect(body.error?.code, query).toMatch(/^[a-z_]+$/);
    }
  });
});

describe('GET /api/v1/partners', () => {
  it("keeps the shortage in the partner's history after its status is ok again, with the alert by the material-risk rules", async () => {
    const now = shift.to + 2 * HOUR;
    const res = await fetch(`${stack.baseUrl}/api/v1/partners?now=${now}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { partners: { id: string; status: { status: string } | null; shortages?: { station: string; alertAt: number | null; starvedFrom: number; supplyBackAt: number | null; unitsLost: number }[] }[] };
    const battery = body.partners.find((p) => p.id === 'P-BATT-01');
    expect(battery?.status?.status).toBe('ok');
    const [episode] = battery?.shortages ?? [];
    expect(episode).toMatchObject({ station: 'S07' });
    expect(episode?.supplyBackAt).not.toBeNull();
    expect(episode?.alertAt as number).toBeLessThan(episode?.starvedFrom as number);
    expect(episode?.unitsLost).toBeGreaterThan(50);
  });
});

describe('LineLive.losses', () => {
  it('names the starved station as the bottleneck and the partner as the largest loss during the shortage', async () => {
    const deadline = Date.now() + 20_000;
    let view = stack.app().board.view('A1');
    while (view?.losses?.largestLoss?.cause.partner === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      view = stack.app().board.view('A1');
    }
    expect(view?.now).toBeGreaterThan(liveFrom + 4 * HOUR);
    expect(view?.losses?.bottleneck.station).toBe('S07');
    expect(view?.losses?.bottleneck.why.zh).toContain('P-BATT-01');
    expect(view?.losses?.largestLoss?.cause).toMatchObject({ partner: 'P-BATT-01' });
    // The wall's bottleneck tag (kpis.bottleneck) follows it, not the stations blocked behind the shortage.
    expect(view?.kpis?.bottleneck.station).toBe('S07');
  });
});
