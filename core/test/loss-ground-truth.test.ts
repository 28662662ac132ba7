/**
 * Ground truth for loss accounting: every shipped simulator scenario, several
 * seeds, run in memory (simulator/sinks/memory.ts); the waterfall is computed
 * from the run's events only and held against what the simulator recorded
 * from its own state (summary.stations[].waits, secondsInState), never against
 * itself.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { momentaryBottleneck } from '../kpi/active-period';
import { stateTimeline } from '../kpi/states';
import { planUnits } from '../kpi/throughput';
import { computeLosses, type LossAnalysis } from '../loss/waterfall';
import type { StateEvent } from '../events';
import type { LossCause } from '../loss/types';
import type { OutputLossCause } from '../../simulator/model/output-losses';
import { Line } from '../../simulator/model/line';
import { loadScenario, scenarioLine, type Scenario } from '../../simulator/model/scenario';
import { summarize, type RunSummary } from '../../simulator/model/summary';
import { MemorySink } from '../../simulator/sinks/memory';

const HOURS = 8;
const SEEDS = [1, 2, 3];
const SCENARIOS = readdirSync(new URL('../../simulator/scenarios/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

interface Run {
  scenario: Scenario;
  summary: RunSummary;
  sink: MemorySink;
  from: number;
  to: number;
  analysis: LossAnalysis;
  /** The waterfall with the line's constraint configured as the scenario designed it (the station the ground truth is counted at). */
  atConstraint: LossAnalysis;
}

const runs = new Map<string, Run>();
function run(name: string, seed: number): Run {
  const key = `${name}/${seed}`;
  const cached = runs.get(key);
  if (cached) return cached;
  const scenario = loadScenario(name);
  const sink = new MemorySink();
  const from = Date.parse(scenario.start);
  const line = new Line({ scenario, seed, startMs: from, runId: `loss-${name}-${seed}`, emit: (e) => sink.write(e) });
  line.runUntil(HOURS * 3600);
  const summary = summarize(line, HOURS * 3600, seed);
  const to = from + HOURS * 3_600_000;
  const analysis = computeLosses({ line: scenarioLine(scenario), events: sink.events, from, to, now: to });
  const configured = { ...scenarioLine(scenario), constraintStation: summary.oee.constraint };
  const atConstraint = computeLosses({ line: configured, events: sink.events, from, to, now: to });
  const r = { scenario, summary, sink, from, to, analysis, atConstraint };
  runs.set(key, r);
  return r;
}

/** Units per second at the scenario's target. */
const rate = (s: Scenario) => s.targetPerHour / 3600;
const milli = (x: number) => Math.round(x * 1000);

/** Truth: planned seconds any station waited for `partner`'s parts, in units at the target rate. */
function partnerTruth(r: Run, partner: string): number {
  const seconds = r.summary.stations.flatMap((s) => s.waits).filter((w) => 'partner' in w.waitingFor && w.waitingFor.partner === partner);
  return seconds.reduce((a, w) => a + w.seconds, 0) * rate(r.scenario);
}

/**
 * A cause as the comparison groups it: the station that was down, the partner
 * whose parts ran out, quality, or the constraint's own speed and micro-stops
 * together (where a slow cycle ends and a micro-stop begins is the waterfall's
 * estimate from cycle times; the model knows it exactly). Null: not a loss of
 * its own (the flow's pace, and the waterfall's `unexplained` remainder).
 */
function measuredOwner(c: LossCause): string | null {
  if (c.partner !== undefined) return `partner ${c.partner}`;
  if (c.state === 'fault' || c.state === 'maintenance' || c.state === 'offline') return `down ${c.station ?? ''}`;
  if (c.kind === 'speed' || c.kind === 'microstop') return 'speed and micro-stops';
  if (c.kind === 'quality') return 'quality';
  if (c.kind === 'unexplained') return null;
  return `${c.kind} ${c.station ?? ''} ${c.state ?? ''}`;
}

function truthOwner(c: OutputLossCause): string | null {
  switch (c.kind) {
    case 'downtime':
      return `down ${c.station}`;
    case 'starved':
      return `partner ${c.partner}`;
    case 'microstop':
      return 'speed and micro-stops';
    case 'pace':
      return null;
  }
}

/** Units per cause: measured (the waterfall at the designed constraint) and true (the simulator's wait chains). */
function perCause(r: Run): Map<string, { measured: number; truth: number }> {
  const out = new Map<string, { measured: number; truth: number }>();
  const add = (owner: string | null, field: 'measured' | 'truth', units: number) => {
    if (owner === null) return;
    const e = out.get(owner) ?? { measured: 0, truth: 0 };
    e[field] += units;
    out.set(owner, e);
  };
  for (const l of r.atConstraint.report.losses) add(measuredOwner(l.cause), 'measured', l.units);
  const truth = r.summary.lostTime.constraint;
  for (const c of truth.causes) add(truthOwner(c.cause), 'truth', c.units);
  add('speed and micro-stops', 'truth', truth.speed.units);
  add('quality', 'truth', r.summary.units - r.summary.goodUnits);
  return out;
}

/** Tolerance per cause: 5 % of the true units, and never tighter than 1 % of the plan (about 2 units of a shift). */
const tolerance = (truth: number, plan: number) => Math.max(0.05 * Math.abs(truth), 0.01 * plan);

const cases = SCENARIOS.flatMap((s) => SEEDS.map((seed) => [s, seed] as const));

describe('loss waterfall against the simulator ground truth', () => {
  it('covers every shipped scenario', () => {
    expect(SCENARIOS).toEqual(['bottleneck', 'breakdowns', 'night-shift', 'partner-shortage', 'reference']);
  });

  it.each(cases)('%s, seed %i: plan → causes → good units adds up exactly', (name, seed) => {
    const { analysis, summary, scenario } = run(name, seed);
    const report = analysis.report;
    expect(report.status).toBe('ok');
    expect(report.goodUnits).toBe(summary.goodUnits);
    expect(Math.abs(report.planUnits - planUnits(scenario.targetPerHour, summary.oee.plannedSeconds))).toBeLessThanOrEqual(0.0005);
    const sum = report.losses.reduce((a, l) => a + milli(l.units), 0);
    expect(sum).toBe(milli(report.planUnits) - milli(report.goodUnits));
    // Quality loss is exactly the nok units the simulator built.
    const quality = report.losses.find((l) => l.cause.kind === 'quality')?.units ?? 0;
    expect(quality).toBe(summary.units - summary.goodUnits);
  });

  it.each(cases)('%s, seed %i: units lost per cause within 5 percent of the ground truth at the constraint', (name, seed) => {
    const r = run(name, seed);
    expect(r.summary.lostTime.constraint.station).toBe(r.summary.oee.constraint);
    const plan = r.atConstraint.report.planUnits;
    const rows = [...perCause(r)].map(([owner, v]) => ({ owner, ...v, off: Math.abs(v.measured - v.truth) }));
    for (const row of rows) expect({ ...row, ok: row.off <= tolerance(row.truth, plan) }).toMatchObject({ owner: row.owner, ok: true });
    // The losses that matter are there, not only tiny ones: every cause of 5 units or more is found by both.
    for (const row of rows.filter((x) => x.truth >= 5)) expect(row.measured).toBeGreaterThan(0);
  });

  it.each(SEEDS)('breakdowns, seed %i: a breakdown the buffers absorb costs no unit, though the station was down', (seed) => {
    const r = run('breakdowns', seed);
    const rows = perCause(r);
    // Stations that were down for more than 5 units' worth but never stopped the constraint: the truth charges them nothing, and so must the waterfall.
    const absorbed = r.summary.stations.filter((st) => {
      const downUnits = (st.secondsInState.fault + st.secondsInState.maintenance) * rate(r.scenario);
      return downUnits > 5 && (rows.get(`down ${st.id}`)?.truth ?? 0) < 0.5;
    });
    expect(absorbed.length).toBeGreaterThan(0);
    for (const st of absorbed) expect(rows.get(`down ${st.id}`)?.measured ?? 0).toBeLessThan(0.5);
  });

  it.each(cases)('%s, seed %i: no station is charged more downtime than it was down', (name, seed) => {
    const { analysis, summary, scenario } = run(name, seed);
    for (const st of summary.stations) {
      const charged = analysis.report.losses
        .filter((l) => l.cause.kind === 'downtime' && l.cause.station === st.id)
        .reduce((a, l) => a + l.units, 0);
      const truth = (st.secondsInState.fault + st.secondsInState.maintenance) * rate(scenario);
      expect(charged).toBeLessThanOrEqual(truth * 1.05 + 0.01);
    }
  });

  it.each(SEEDS)('partner-shortage, seed %i: the partner is the largest loss, within 5 % of the time its station waited for parts', (seed) => {
    const r = run('partner-shortage', seed);
    const byOwner = new Map<string, number>();
    for (const l of r.analysis.report.losses) {
      const owner = l.cause.partner ?? `${l.cause.kind}/${l.cause.station ?? ''}`;
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + l.units);
    }
    const charged = byOwner.get('P-BATT-01') ?? 0;
    const truth = partnerTruth(r, 'P-BATT-01');
    expect(truth).toBeGreaterThan(50);
    expect(Math.abs(charged - truth)).toBeLessThanOrEqual(0.05 * truth);
    const [largest] = [...byOwner.entries()].sort((a, b) => b[1] - a[1]);
    expect(largest?.[0]).toBe('P-BATT-01');
  });

  it.each(SEEDS)('partner-shortage, seed %i: during the shortage the bottleneck is the starved station S07, not the stations blocked behind it', (seed) => {
    const r = run('partner-shortage', seed);
    const [episode] = r.analysis.report.shortages;
    expect(episode).toMatchObject({ partner: 'P-BATT-01', station: 'S07' });
    if (!episode) return;
    expect(episode.alertAt).not.toBeNull();
    expect(episode.alertAt as number).toBeLessThan(episode.starvedFrom);
    expect(episode.supplyBackAt).not.toBeNull();
    const end = episode.supplyBackAt as number;
    let s07 = 0;
    let total = 0;
    for (const span of r.analysis.report.bottleneck.timeline) {
      const ms = Math.max(0, Math.min(span.to, end) - Math.max(span.from, episode.starvedFrom));
      total += ms;
      // In a shifting overlap both stations are the bottleneck (Roser).
      if (span.station === 'S07' || span.with === 'S07') s07 += ms;
    }
    expect(s07 / total).toBeGreaterThan(0.95);
    // The station blocked behind the shortage is never the bottleneck in it.
    expect(r.analysis.report.bottleneck.timeline.some((sp) => sp.station === 'S06' && sp.from >= episode.starvedFrom && sp.to <= end)).toBe(false);
    // The wall's momentary bottleneck an hour into the episode, from the events up to then.
    const at = episode.starvedFrom + 3_600_000;
    const states = r.sink.events.filter((e): e is StateEvent => e.type === 'state' && e.ts <= at);
    const timelines = new Map(
      r.scenario.stations.map((s) => [s.id, stateTimeline(states.filter((e) => e.station === s.id), r.from, at)] as const),
    );
    const live = momentaryBottleneck(timelines, at);
    expect(live.station).toBe('S07');
    expect(live.why.en).toContain('P-BATT-01');
  });

  it.each(SEEDS)('bottleneck, seed %i: the designed bottleneck S09 has the largest bottleneck share and the speed loss', (seed) => {
    const r = run('bottleneck', seed);
    const shares = [...r.analysis.report.bottleneck.stations].sort((a, b) => b.soleShare + b.shiftingShare - (a.soleShare + a.shiftingShare));
    expect(shares[0]?.station).toBe(r.scenario.constraint);
    const speed = r.analysis.report.losses.filter((l) => l.cause.kind === 'speed');
    expect(speed.sort((a, b) => b.units - a.units)[0]?.cause.station).toBe(r.scenario.constraint);
  });
});
