/**
 * The shipped scenarios against the protocol and the demo plant: every event
 * passes core's validation for referencePlant(20), ids are unique, the same
 * seed repeats byte for byte, and the summary can be rebuilt from the events.
 */
import { describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { lineCalendar, plannedSeconds } from '../../core/calendar';
import { referencePartnerRegistry } from '../../core/cluster/reference';
import { referencePlant } from '../../core/plant';
import { validateEvent } from '../../core/validate';
import { ShiftCalendar } from '../model/calendar';
import { loadScenario, SHIPPED_SCENARIOS } from '../model/scenario';
import { runScenario } from './helpers';

const plant = referencePlant(20);

describe.each(SHIPPED_SCENARIOS)('scenario %s', (name) => {
  const scenario = loadScenario(name);
  const hours = 30;
  const { events, summary } = runScenario(scenario, 7, hours, true);

  it('emits only events that core accepts for the demo plant, with unique ids', () => {
    expect(events.length).toBe(summary.events);
    const ids = new Set<string>();
    for (const event of events) {
      const verdict = validateEvent(event, { now: event.ts, maxFutureMs: 0, maxAgeMs: 1, plant });
      if (!verdict.ok) throw new Error(`${JSON.stringify(event)}: ${verdict.rejection.reason}`);
      ids.add(event.id ?? '');
    }
    expect(ids.size).toBe(events.length);
    for (const type of ['cycle', 'state', 'unit', 'orders', 'output'] as const) {
      expect(events.some((e) => e.type === type), type).toBe(true);
    }
  });

  it('has a summary whose OEE and unit counts follow from its events', () => {
    const startMs = Date.parse(scenario.start);
    const endMs = startMs + hours * 3_600_000;
    const units = events.filter((e) => e.type === 'unit' && e.ts >= startMs && e.ts < endMs);
    expect(summary.units).toBe(units.length);
    expect(summary.goodUnits).toBe(units.filter((e) => e.type === 'unit' && e.result === 'ok').length);
    // Downtime at the constraint, rebuilt from its state events (to the millisecond of their stamps).
    const states = events.filter((e): e is Extract<StationEvent, { type: 'state' }> => e.type === 'state' && e.station === summary.oee.constraint);
    let downMs = 0;
    states.forEach((e, i) => {
      const until = states[i + 1]?.ts ?? endMs;
      if (e.state === 'fault' || e.state === 'maintenance') downMs += until - e.ts;
    });
    expect(Math.abs(downMs / 1000 - summary.oee.downtimeSeconds)).toBeLessThan(0.01 * states.length + 0.001);
    for (const st of summary.stations) {
      const total = Object.values(st.secondsInState).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(hours * 3600, 1);
    }
    const { availability, performance, quality, oee } = summary.oee;
    expect(oee).toBeCloseTo(availability * performance * quality, 5);
    const planned = summary.oee.plannedSeconds;
    expect(availability).toBeCloseTo((planned - summary.oee.downtimeSeconds) / planned, 5);
    expect(performance).toBeCloseTo((120 * summary.units) / (planned - summary.oee.downtimeSeconds), 5);
  });

  it('does no work outside planned time', () => {
    const cal = new ShiftCalendar(scenario.calendar, scenario.timeZone, Date.parse(scenario.start));
    for (const e of events) {
      if (e.type !== 'cycle') continue;
      const t = (e.ts - Date.parse(scenario.start)) / 1000;
      // A cycle ends inside planned time, or exactly where planned time ends (to the stamp's millisecond).
      const seg = cal.segmentAt(t);
      const justEnded = cal.segmentAt(Math.max(0, t - 0.001)).kind === 'work';
      expect(seg.kind === 'work' || justEnded, `${e.station} finished a cycle at ${new Date(e.ts).toISOString()} (${seg.kind})`).toBe(true);
    }
  });
});

describe('the demo collector plans the same time', () => {
  it.each(['reference', 'bottleneck', 'breakdowns', 'partner-shortage'])('%s: planned seconds = core plannedSeconds for referencePlant(20)', (name) => {
    const scenario = loadScenario(name);
    const line = plant.lines[0];
    if (!line) throw new Error('referencePlant has no line');
    const startMs = Date.parse(scenario.start);
    const { summary } = runScenario(scenario, 1, 50);
    expect(summary.oee.plannedSeconds).toBe(plannedSeconds(lineCalendar(line), startMs, startMs + 50 * 3_600_000));
    expect(summary.oee.plannedSeconds).toBeLessThan(50 * 3600); // breaks are not planned
  });
});

describe('the demo partner registry names the stations the scenarios supply', () => {
  it.each(SHIPPED_SCENARIOS)('%s', (name) => {
    const scenario = loadScenario(name);
    const registry = referencePartnerRegistry();
    expect(scenario.partners.length).toBeGreaterThan(0);
    for (const p of scenario.partners) {
      const entry = registry.partners.find((r) => r.id === p.id);
      expect(entry?.stations, p.id).toEqual([{ line: scenario.line, station: p.station }]);
    }
  });
});

describe('determinism', () => {
  const scenario = loadScenario('reference');
  it('the same seed gives identical events and summary; another seed does not', () => {
    const a = runScenario(scenario, 42, 6, true);
    const b = runScenario(scenario, 42, 6, true);
    const c = runScenario(scenario, 43, 6, true);
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    expect(JSON.stringify(c.events.map(({ id: _id, ...e }) => e))).not.toBe(JSON.stringify(a.events.map(({ id: _id, ...e }) => e)));
  });
});

describe('what the scenarios are for', () => {
  it('night-shift: units only between 22:00 and 06:00 local time, across midnight', () => {
    const { events } = runScenario(loadScenario('night-shift'), 3, 24, true);
    const hours = events
      .filter((e) => e.type === 'unit')
      .map((e) => new Date(e.ts + 8 * 3_600_000).getUTCHours());
    expect(hours.length).toBeGreaterThan(150);
    expect(hours.every((h) => h >= 22 || h < 6)).toBe(true);
    expect(hours.some((h) => h === 23) && hours.some((h) => h === 0)).toBe(true);
  });

  it('partner-shortage: S07 (battery pack) starves for packs, the stations before it block, the partner goes late, then down', () => {
    const { events, summary } = runScenario(loadScenario('partner-shortage'), 3, 10, true);
    const waiting = events.filter((e) => e.type === 'state' && e.reason === 'waiting for parts from P-BATT-01');
    expect(waiting.length).toBeGreaterThan(0);
    expect(new Set(waiting.map((e) => (e.type === 'state' ? e.station : '')))).toEqual(new Set(['S07']));
    const statuses = events.filter((e) => e.type === 'partner' && e.partner === 'P-BATT-01').map((e) => (e.type === 'partner' ? e.status : ''));
    expect(statuses).toContain('late');
    expect(statuses).toContain('down');
    const byId = new Map(summary.stations.map((s) => [s.id, s.secondsInState]));
    expect(byId.get('S07')?.starved).toBeGreaterThan(3600);
    // Body load keeps launching until the line before S07 is full, then blocks; it never waits for parts.
    for (const id of ['S01', 'S06']) expect(byId.get(id)?.blocked, id).toBeGreaterThan(3600);
    expect(byId.get('S01')?.starved).toBeLessThan(60);
  });

  it('bottleneck: S09 is the busiest station; upstream blocks, downstream starves', () => {
    const { summary } = runScenario(loadScenario('bottleneck'), 3, 24);
    const byId = new Map(summary.stations.map((s) => [s.id, s]));
    const s09 = byId.get('S09');
    expect(s09).toBeDefined();
    for (const s of summary.stations) expect(s.utilization).toBeLessThanOrEqual(s09?.utilization ?? 0);
    expect(byId.get('S08')?.secondsInState.blocked).toBeGreaterThan(byId.get('S08')?.secondsInState.starved ?? Infinity);
    expect(byId.get('S10')?.secondsInState.starved).toBeGreaterThan(byId.get('S10')?.secondsInState.blocked ?? Infinity);
    expect(summary.unitsPerPlannedHour).toBeLessThan(28.2); // 3600 / 128 s
  });

  it('orders grow from 120,000', () => {
    const { events } = runScenario(loadScenario('reference'), 3, 8, true);
    const totals = events.filter((e) => e.type === 'orders').map((e) => (e.type === 'orders' ? e.total : 0));
    expect(totals[0]).toBe(120_000);
    expect(totals.at(-1)).toBeGreaterThan(120_000);
    expect([...totals].sort((a, b) => a - b)).toEqual(totals);
  });
});
