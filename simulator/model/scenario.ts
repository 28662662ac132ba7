/**
 * The scenario file: what line to simulate and how it misbehaves. One zod
 * schema, whose inferred type shares its name; every problem is reported with
 * the path of the field it concerns (`stations.3.cycle.cv: …`).
 * The fields are documented in docs/simulator.md.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_SHIFT_PATTERN, ShiftPattern } from '../../core/calendar';
import { IDENTIFIER_PATTERN } from '../../core/events';
import type { LineConfig } from '../../core/plant';
import { isTimeZone } from '../../core/time/zone';

const RFC3339_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const id = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, {
    error: `${what} must be 1–64 characters of letters, digits, '_', '.' or '-', starting with a letter or digit`,
  });
const positive = (what: string) =>
  z.number({ error: `${what} must be a number` }).positive({ error: `${what} must be greater than 0` }).finite();
const nonNegative = (what: string) =>
  z.number({ error: `${what} must be a number` }).min(0, { error: `${what} must be 0 or more` }).finite();
const fraction = (what: string) =>
  z.number({ error: `${what} must be a number` }).min(0, { error: `${what} must be between 0 and 1` }).max(1, {
    error: `${what} must be between 0 and 1`,
  });
/** A station's processing time per unit, seconds. */
export const CycleSpec = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('fixed'), seconds: positive('seconds') }),
    z.strictObject({
      kind: z.literal('normal'),
      meanSeconds: positive('meanSeconds'),
      /** Coefficient of variation (standard deviation / mean); draws are truncated below at 10 % of the mean. */
      cv: nonNegative('cv').max(1, { error: 'cv of a normal cycle time must be at most 1' }),
    }),
    z.strictObject({
      kind: z.literal('lognormal'),
      meanSeconds: positive('meanSeconds'),
      cv: nonNegative('cv').max(3, { error: 'cv of a lognormal cycle time must be at most 3' }),
    }),
    z.strictObject({
      kind: z.literal('empirical'),
      /** Observed cycle times; each draw picks one with equal probability. */
      samplesSeconds: z.array(positive('samplesSeconds item'), { error: 'samplesSeconds must be an array of seconds' }).min(1, {
        error: 'samplesSeconds needs at least one value',
      }),
    }),
  ],
  { error: "cycle.kind must be one of 'fixed', 'normal', 'lognormal', 'empirical'" },
);
export type CycleSpec = z.infer<typeof CycleSpec>;

/** Breakdowns: operation-dependent, the station ages only while it works. */
export const FailureSpec = z.strictObject({
  /** Mean operating time between failures, seconds (exponential). */
  mtbfSeconds: positive('mtbfSeconds'),
  /** Mean time to repair, seconds. */
  mttrSeconds: positive('mttrSeconds'),
  /** Distribution of repair times; exponential by default. */
  repair: z.enum(['exponential', 'lognormal', 'fixed'], { error: "repair must be 'exponential', 'lognormal' or 'fixed'" }).default('exponential'),
  /** Coefficient of variation of lognormal repair times. */
  repairCv: nonNegative('repairCv').default(0.5),
});
export type FailureSpec = z.infer<typeof FailureSpec>;

/** Short stops that do not raise a fault: they stretch the cycle (a performance loss, not downtime). */
export const MicroStopSpec = z.strictObject({
  /** Mean operating time between micro-stops, seconds (exponential). */
  meanBetweenSeconds: positive('meanBetweenSeconds'),
  /** Mean length of one micro-stop, seconds (exponential). */
  meanSeconds: positive('meanSeconds'),
});
export type MicroStopSpec = z.infer<typeof MicroStopSpec>;

const BufferCapacity = z.union([z.number().int().min(0).max(1_000_000), z.literal('unlimited')], {
  error: "buffer capacity must be a whole number from 0 to 1000000, or 'unlimited'",
});

/** Settings every station gets unless it says otherwise. */
export const StationDefaults = z.strictObject({
  cycle: CycleSpec.default({ kind: 'fixed', seconds: 100 }),
  failures: FailureSpec.nullable().default(null),
  microStops: MicroStopSpec.nullable().default(null),
  /** Share of cycles whose result is nok. */
  nokRate: fraction('nokRate').default(0),
  /** Time to change over to another model, seconds (station state `maintenance`). */
  changeoverSeconds: nonNegative('changeoverSeconds').default(0),
  /** Places in the buffer after each station; 0 = none, the station blocks until the next one takes the unit. */
  bufferCapacity: BufferCapacity.default(2),
});
export type StationDefaults = z.infer<typeof StationDefaults>;

export const StationSpec = z.strictObject({
  id: id('id'),
  cycle: CycleSpec.optional(),
  failures: FailureSpec.nullable().optional(),
  microStops: MicroStopSpec.nullable().optional(),
  nokRate: fraction('nokRate').optional(),
  changeoverSeconds: nonNegative('changeoverSeconds').optional(),
  /** Capacity of the buffer between this station and the next (ignored on the last station). */
  bufferAfter: BufferCapacity.optional(),
});
export type StationSpec = z.infer<typeof StationSpec>;

/**
 * Shift calendar: core's ShiftPattern (the same schema a plant file uses), the
 * string 'default' for core's DEFAULT_SHIFT_PATTERN (what a collector assumes
 * for a line whose config names none), or null for planned around the clock.
 */
export const CalendarSpec = z.preprocess((v) => (v === 'default' ? DEFAULT_SHIFT_PATTERN : v), ShiftPattern.nullable());
export type CalendarSpec = z.infer<typeof CalendarSpec>;

export const ModelSpec = z.strictObject({
  id: id('id'),
  /** Share of the production plan, any positive weight. */
  share: positive('share'),
  /** Multiplies every station's cycle time for this model. */
  cycleFactor: positive('cycleFactor').default(1),
});
export type ModelSpec = z.infer<typeof ModelSpec>;

export const DisruptionSpec = z.strictObject({
  /** Hours after the start of the run. */
  fromHours: nonNegative('fromHours'),
  toHours: positive('toHours'),
  note: z.string().max(200).optional(),
});

export const PartnerSpec = z.strictObject({
  id: id('id'),
  /**
   * Station that uses this partner's parts: it takes one part before it starts work on each unit and
   * is `starved` while the stock is empty. Default: the first station (parts kitted at body load).
   */
  station: id('station').optional(),
  /** Parts in stock at the line at the start. */
  initialStock: z.number().int().min(0),
  /** A delivery is due every so many hours, from the start of the run. */
  deliveryEveryHours: positive('deliveryEveryHours'),
  /** Parts per delivery; each unit takes one part at the partner's `station`. */
  lotSize: z.number().int().positive(),
  /** A delivery never fills the stock above this many parts (kanban); unlimited if absent. */
  maxStock: z.number().int().positive().optional(),
  /** Mean lateness of a normal delivery, seconds (exponential); 0 = always on time. */
  meanDelaySeconds: nonNegative('meanDelaySeconds').default(0),
  /** Below this many hours of stock at the target rate the partner is `at_risk`. */
  riskHours: positive('riskHours').default(2),
  /** Periods with no deliveries: the ones due inside arrive when the disruption ends. */
  disruptions: z.array(DisruptionSpec).default([]),
  /** A `partner` status report is sent this often, minutes. */
  statusEveryMinutes: positive('statusEveryMinutes').default(15),
  /** Share of the partner's deliveries before the run that came on time (seeds onTimeRate). */
  onTimeRate: fraction('onTimeRate').default(0.97),
});
export type PartnerSpec = z.infer<typeof PartnerSpec>;

export const OrdersSpec = z.strictObject({
  /** Cumulative orders booked at the start. */
  initial: z.number().int().min(0).default(120_000),
  /** Mean new orders per hour (Poisson). */
  perHour: nonNegative('perHour').default(32),
  /** An `orders` snapshot is sent this often, minutes. */
  everyMinutes: positive('everyMinutes').default(15),
});

export const OutputSpec = z.strictObject({
  /** An `output` report per entity is sent this often, hours. */
  everyHours: positive('everyHours').default(1),
  /** Entity id of this plant in the cluster. */
  plantEntity: id('plantEntity').default('PLANT-A1'),
  /** Output value of one good unit, yuan. */
  unitValueYuan: nonNegative('unitValueYuan').default(200_000),
  /** Other cluster members and their mean output rate, yuan per hour. */
  entities: z.array(z.strictObject({ id: id('id'), yuanPerHour: nonNegative('yuanPerHour') })).default([]),
});

export const Scenario = z
  .strictObject({
    name: id('name'),
    description: z.string().max(500).default(''),
    line: id('line').default('A1'),
    timeZone: z.string().refine(isTimeZone, { error: 'timeZone must be an IANA time zone such as Asia/Shanghai' }).default('Asia/Shanghai'),
    /** Default simulated start, RFC 3339 with offset. */
    start: z.string().regex(RFC3339_PATTERN, { error: 'start must be RFC 3339 with an offset, e.g. 2027-03-01T06:00:00+08:00' }).refine((s) => Number.isFinite(Date.parse(s)), {
      error: 'start is not a real date',
    }),
    /** Planned units per hour; the ideal takt is 3600 / targetPerHour seconds. */
    targetPerHour: positive('targetPerHour').max(3600),
    /** The first station launches a new unit at most this often, seconds (a paced line); none if absent. */
    releaseEverySeconds: positive('releaseEverySeconds').optional(),
    /** Station whose downtime counts for OEE; by default the bottleneck by design (see docs). */
    constraint: id('constraint').optional(),
    /** Repair crews shared by the line; stations beyond that wait in `fault`. Default: one per station. */
    repairCrews: z.number().int().positive().optional(),
    /** Start with a unit in every station (a line mid-shift) instead of an empty line. */
    startFull: z.boolean().default(true),
    vin: z
      .strictObject({
        /** World manufacturer identifier, 3 characters. */
        wmi: z.string().regex(/^[A-HJ-NPR-Z0-9]{3}$/, { error: 'wmi must be 3 VIN characters (no I, O or Q)' }).default('LTK'),
        plant: z.string().regex(/^[A-HJ-NPR-Z0-9]$/, { error: 'plant must be 1 VIN character' }).default('A'),
        serialStart: z.number().int().min(0).max(999_999).default(1),
      })
      .prefault({}),
    defaults: StationDefaults.prefault({}),
    stations: z.array(StationSpec).min(1, { error: 'stations needs at least one station' }).max(500),
    calendar: CalendarSpec.default(null),
    models: z.array(ModelSpec).min(1).default([{ id: 'STD', share: 1, cycleFactor: 1 }]),
    /** Units of one model built in a row before the plan picks the next model. */
    lotSize: z.number().int().positive().default(1),
    partners: z.array(PartnerSpec).default([]),
    orders: OrdersSpec.prefault({}),
    output: OutputSpec.prefault({}),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.stations.forEach((st, i) => {
      if (seen.has(st.id)) ctx.addIssue({ code: 'custom', path: ['stations', i, 'id'], message: `station id '${st.id}' appears twice` });
      seen.add(st.id);
    });
    if (s.constraint !== undefined && !seen.has(s.constraint)) {
      ctx.addIssue({ code: 'custom', path: ['constraint'], message: `constraint '${s.constraint}' is not one of the stations` });
    }
    const partners = new Set<string>();
    const stationRange = s.stations.length === 1 ? `${s.stations[0]?.id}` : `${s.stations[0]?.id} … ${s.stations.at(-1)?.id}`;
    s.partners.forEach((p, i) => {
      if (partners.has(p.id)) ctx.addIssue({ code: 'custom', path: ['partners', i, 'id'], message: `partner id '${p.id}' appears twice` });
      partners.add(p.id);
      // A malformed id already has its own problem; only a well-formed one is looked up.
      if (p.station !== undefined && IDENTIFIER_PATTERN.test(p.station) && !seen.has(p.station)) {
        ctx.addIssue({
          code: 'custom',
          path: ['partners', i, 'station'],
          message: `partner '${p.id}' supplies station '${p.station}', which is not one of the stations (${stationRange})`,
        });
      }
      p.disruptions.forEach((d, j) => {
        if (d.toHours <= d.fromHours) {
          ctx.addIssue({ code: 'custom', path: ['partners', i, 'disruptions', j, 'toHours'], message: 'toHours must be after fromHours' });
        }
      });
    });
  })
  // Every partner supplies a station once parsed: the first one unless it names another (today's kitting at body load).
  .transform((s) => ({ ...s, partners: s.partners.map((p) => ({ ...p, station: p.station ?? (s.stations[0] as StationSpec).id })) }));
export type Scenario = z.infer<typeof Scenario>;
/** A partner as the line uses it: `station` filled in. */
export type ScenarioPartner = Scenario['partners'][number];


/** A scenario that cannot be used; `problems` lists one line per field. */
export class ScenarioError extends Error {
  constructor(
    readonly code: 'scenario_not_found' | 'scenario_unreadable' | 'scenario_invalid',
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message);
    this.name = 'ScenarioError';
  }
}

/** Validates a decoded scenario; throws {@link ScenarioError} naming each bad field. */
export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  const result = Scenario.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(top level)';
    const message =
      issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}` : issue.message;
    return `${path}: ${message}`;
  });
  throw new ScenarioError('scenario_invalid', `${source} is not a valid scenario:`, problems);
}

/** Names of the scenarios shipped in simulator/scenarios/. */
export const SHIPPED_SCENARIOS = ['reference', 'bottleneck', 'breakdowns', 'partner-shortage', 'night-shift'] as const;

/** Path of a shipped scenario, or `nameOrPath` itself when it is not one. */
export function scenarioPath(nameOrPath: string): string {
  if ((SHIPPED_SCENARIOS as readonly string[]).includes(nameOrPath)) {
    return new URL(`../scenarios/${nameOrPath}.json`, import.meta.url).pathname;
  }
  return nameOrPath;
}

/** Reads and validates a scenario by shipped name or file path (.json, .yaml, .yml). */
export function loadScenario(nameOrPath: string): Scenario {
  const path = scenarioPath(nameOrPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ScenarioError(
      'scenario_not_found',
      `scenario '${nameOrPath}' not found: give a file path or one of ${SHIPPED_SCENARIOS.join(', ')}`,
    );
  }
  let raw: unknown;
  try {
    raw = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ScenarioError('scenario_unreadable', `${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  return parseScenario(raw, path);
}

/**
 * The collector's configuration of a scenario's line, as tests and benchmarks give it: the same id, stations
 * (named by their ids), target, time zone and calendar; no constraint station (the bottleneck is found).
 */
export function scenarioLine(scenario: Scenario): LineConfig {
  return {
    id: scenario.line,
    name: { zh: scenario.name, en: scenario.name },
    timeZone: scenario.timeZone,
    targetPerHour: scenario.targetPerHour,
    stations: scenario.stations.map((s) => ({ id: s.id, name: { zh: s.id, en: s.id } })),
    ...(scenario.calendar ? { calendar: scenario.calendar } : {}),
  };
}
