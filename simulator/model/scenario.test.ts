import { describe, expect, it } from 'vitest';
import { DEFAULT_SHIFT_PATTERN } from '../../core/calendar';
import { stationSettings } from './line';
import { loadScenario, parseScenario, ScenarioError, SHIPPED_SCENARIOS } from './scenario';
import { designConstraint } from './summary';

const minimal = { name: 'x', start: '2027-03-01T06:00:00+08:00', targetPerHour: 30, stations: [{ id: 'S01' }, { id: 'S02' }] };

function problems(raw: unknown): string[] {
  try {
    parseScenario(raw);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseScenario', () => {
  it("takes 'default' for core's default shift pattern and null for around the clock", () => {
    expect(parseScenario({ ...minimal, calendar: 'default' }).calendar).toEqual(DEFAULT_SHIFT_PATTERN);
    expect(parseScenario(minimal).calendar).toBeNull();
  });

  it('fills in defaults and lets a station override them', () => {
    const s = parseScenario({ ...minimal, defaults: { nokRate: 0.01 }, stations: [{ id: 'S01', nokRate: 0 }, { id: 'S02' }] });
    expect(s.line).toBe('A1');
    expect(s.orders.initial).toBe(120_000);
    expect(stationSettings(s).map((st) => st.nokRate)).toEqual([0, 0.01]);
    expect(s.defaults.bufferCapacity).toBe(2);
  });

  it('names the field of every problem', () => {
    const found = problems({
      ...minimal,
      targetPerHour: -1,
      stations: [{ id: 'S01', cycle: { kind: 'weibull' } }, { id: 'S 2', failures: { mtbfSeconds: 0, mttrSeconds: 60 } }],
      calendar: { dayStart: '06:00', shifts: [{ id: 'day', name: { zh: '白班', en: 'Day' }, start: '25:00', end: '14:00' }] },
      surprise: true,
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^targetPerHour: targetPerHour must be greater than 0/),
        expect.stringMatching(/^stations\.0\.cycle(\.kind)?: cycle\.kind must be one of/),
        expect.stringMatching(/^stations\.1\.id: id must be 1–64 characters/),
        expect.stringMatching(/^stations\.1\.failures\.mtbfSeconds: mtbfSeconds must be greater than 0/),
        expect.stringMatching(/^calendar\.shifts\.0\.start: shift start must be a 24-hour local time/),
        "(top level): unknown field(s) 'surprise'",
      ]),
    );
  });

  it('checks what a schema alone cannot: duplicate ids, the constraint, breaks inside shifts', () => {
    const found = problems({
      ...minimal,
      stations: [{ id: 'S01' }, { id: 'S01' }],
      constraint: 'S09',
      calendar: { dayStart: '06:00', shifts: [{ id: 'day', name: { zh: '白班', en: 'Day' }, start: '06:00', end: '14:00', breaks: [{ start: '15:00', end: '15:10' }] }] },
    });
    expect(found).toHaveLength(3);
    expect(found).toEqual(
      expect.arrayContaining([
        "stations.1.id: station id 'S01' appears twice",
        "constraint: constraint 'S09' is not one of the stations",
        expect.stringMatching(/^calendar\.shifts\.0\.breaks\.0: break 15:00–15:10 must lie inside shift 'day'/),
      ]),
    );
  });

  it('lets a partner supply any station of the line, the first one by default', () => {
    const partner = { id: 'P-BATT-01', initialStock: 10, deliveryEveryHours: 2, lotSize: 20 };
    const s = parseScenario({ ...minimal, partners: [partner, { ...partner, id: 'P-SEAT-01', station: 'S02' }] });
    expect(s.partners.map((p) => [p.id, p.station])).toEqual([
      ['P-BATT-01', 'S01'],
      ['P-SEAT-01', 'S02'],
    ]);
    expect(problems({ ...minimal, partners: [{ ...partner, station: 'S07' }] })).toEqual([
      "partners.0.station: partner 'P-BATT-01' supplies station 'S07', which is not one of the stations (S01 … S02)",
    ]);
    expect(problems({ ...minimal, partners: [{ ...partner, station: 'S 7' }] })).toEqual([
      expect.stringMatching(/^partners\.0\.station: station must be 1–64 characters/),
    ]);
  });

  it('loads every shipped scenario, on line A1 with stations from S01…S20', () => {
    for (const name of SHIPPED_SCENARIOS) {
      const s = loadScenario(name);
      expect(s.name).toBe(name);
      expect(s.line).toBe('A1');
      expect(s.stations.length).toBeGreaterThanOrEqual(20);
      for (const st of s.stations) expect(st.id).toMatch(/^S(0[1-9]|1\d|20)$/);
    }
    expect(() => loadScenario('no-such-scenario')).toThrow(/not found/);
  });
});

describe('designConstraint', () => {
  it('takes the longest effective cycle, failures included, and explains why', () => {
    const s = parseScenario({
      ...minimal,
      stations: [
        { id: 'S01', cycle: { kind: 'fixed', seconds: 110 } },
        // Down a tenth of its working time: effective 110 s × 1.1 = 121 s.
        { id: 'S02', cycle: { kind: 'fixed', seconds: 110 }, failures: { mtbfSeconds: 3000, mttrSeconds: 300 } },
      ],
    });
    const c = designConstraint(s);
    expect(c.id).toBe('S02');
    expect(c.reason).toMatch(/121\.0 s/);
    expect(designConstraint({ ...s, constraint: 'S01' })).toEqual({ id: 'S01', reason: 'named in the scenario' });
  });
});
