/**
 * The supply-chain registry: the cluster's goal, the links of the chain
 * (categories) and the partners that supply the line. One schema, validated
 * wherever a registry enters (file at start, admin API), with errors that
 * name the field. Pure: no I/O.
 */
import { z } from 'zod';
import { IDENTIFIER_PATTERN } from '../events';
import type { PlantConfig } from '../plant';
import { isTimeZone } from '../time/zone';

const CLOCK_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

const id = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, {
    error: `${what} must be 1–64 characters of letters, digits, '_', '.' or '-', starting with a letter or digit`,
  });

const LocalizedName = z.strictObject(
  {
    zh: z.string({ error: 'name.zh must be a string' }).min(1, { error: 'name.zh must not be empty' }).max(80),
    en: z.string({ error: 'name.en must be a string' }).min(1, { error: 'name.en must not be empty' }).max(80),
  },
  { error: 'name must be an object { zh, en }' },
);

const positive = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .refine(Number.isFinite, { error: `${what} must be a finite number` })
    .refine((n) => n > 0 && n <= max, { error: `${what} must be greater than 0 and at most ${max}` });

const nonNegative = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .refine(Number.isFinite, { error: `${what} must be a finite number` })
    .refine((n) => n >= 0 && n <= max, { error: `${what} must be between 0 and ${max}` });

const year = (what: string) =>
  z.number({ error: `${what} must be a number` }).int({ error: `${what} must be a whole year` }).min(1990).max(2200);

/** A station whose parts a partner supplies: it starves when the partner's parts run out. */
export const SuppliedStation = z.strictObject({
  line: id('line'),
  station: id('station'),
});
export type SuppliedStation = z.infer<typeof SuppliedStation>;

/**
 * How a partner keeps the line stocked. Deliveries are due every
 * `deliveryEveryHours` from `firstDeliveryAt` each local day (the schedule
 * restarts at that time every day), in the time zone of the first line it
 * supplies.
 */
export const InventoryPolicy = z.strictObject({
  /** Below this many hours of line-side stock (at the line's target rate) the partner needs attention. */
  minHours: nonNegative('inventoryPolicy.minHours', 1000),
  /** Hours between scheduled deliveries. */
  deliveryEveryHours: positive('inventoryPolicy.deliveryEveryHours', 168),
  /** Local time of the day's first scheduled delivery, `HH:MM`. */
  firstDeliveryAt: z
    .string({ error: "inventoryPolicy.firstDeliveryAt must be a string 'HH:MM'" })
    .regex(CLOCK_PATTERN, { error: "inventoryPolicy.firstDeliveryAt must be a 24-hour local time 'HH:MM', e.g. '00:00'" })
    .default('00:00'),
});
export type InventoryPolicy = z.infer<typeof InventoryPolicy>;

export const PartnerConfig = z.strictObject({
  id: id('partner id'),
  name: LocalizedName,
  /** One of the registry's `categories` ids. */
  category: id('category'),
  /** 1 = supplies the line directly; 2, 3 = supplies a supplier. */
  tier: z.number({ error: 'tier must be 1, 2 or 3' }).int({ error: 'tier must be 1, 2 or 3' }).min(1, { error: 'tier must be 1, 2 or 3' }).max(3, { error: 'tier must be 1, 2 or 3' }),
  /** Whether the partner produces inside the district (counts for the cluster's chain). */
  inDistrict: z.boolean({ error: 'inDistrict must be true or false' }),
  /** Stations that consume its parts and starve without them. */
  stations: z.array(SuppliedStation).max(100).default([]),
  /** Line-side stock policy; absent for partners without line-side stock (e.g. software). */
  inventoryPolicy: InventoryPolicy.optional(),
});
export type PartnerConfig = z.infer<typeof PartnerConfig>;

/** A link of the vehicle's value chain that the cluster wants supplied from inside the district. */
export const ChainCategory = z.strictObject({
  id: id('category id'),
  name: LocalizedName,
});
export type ChainCategory = z.infer<typeof ChainCategory>;

/** The cluster's output goal. Money in yuan: 1000 亿元 = 1e11. */
export const ClusterGoalConfig = z.strictObject({
  name: LocalizedName,
  /** Output the cluster aims at in `targetYear`, yuan. */
  targetYuan: positive('cluster.targetYuan', 1e15).default(1e11),
  targetYear: year('cluster.targetYear').default(2027),
  /** Output of a past full year, the start of the growth path. */
  baseline: z.strictObject({
    year: year('cluster.baseline.year'),
    valueYuan: positive('cluster.baseline.valueYuan', 1e15),
  }),
  /** Months and years are counted in this IANA time zone. */
  timeZone: z.string({ error: 'cluster.timeZone must be a string' }).refine(isTimeZone, {
    error: 'cluster.timeZone must be an IANA time zone such as Asia/Shanghai',
  }).default('Asia/Shanghai'),
  /** The `output` entity that is this plant (the chain master, 链主). */
  chainMasterEntity: id('cluster.chainMasterEntity').default('PLANT-A1'),
  /** Complete months averaged for the current run rate. */
  runRateMonths: z.number().int().min(1).max(12).default(3),
});
export type ClusterGoalConfig = z.infer<typeof ClusterGoalConfig>;

export const PartnerRegistry = z
  .strictObject({
    version: z.literal(1, { error: 'version must be 1' }).default(1),
    cluster: ClusterGoalConfig,
    categories: z.array(ChainCategory).max(200),
    partners: z.array(PartnerConfig).max(2000),
  })
  .superRefine((r, ctx) => {
    if (r.cluster.baseline.year >= r.cluster.targetYear) {
      ctx.addIssue({ code: 'custom', path: ['cluster', 'baseline', 'year'], message: 'cluster.baseline.year must be before cluster.targetYear' });
    }
    const categories = new Set<string>();
    r.categories.forEach((c, i) => {
      if (categories.has(c.id)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'id'], message: `category id '${c.id}' appears twice` });
      categories.add(c.id);
    });
    const partners = new Set<string>();
    r.partners.forEach((p, i) => {
      if (partners.has(p.id)) ctx.addIssue({ code: 'custom', path: ['partners', i, 'id'], message: `partner id '${p.id}' appears twice` });
      partners.add(p.id);
      if (!categories.has(p.category)) {
        ctx.addIssue({ code: 'custom', path: ['partners', i, 'category'], message: `category '${p.category}' is not one of the registry's categories (${[...categories].join(', ')})` });
      }
    });
  });
export type PartnerRegistry = z.infer<typeof PartnerRegistry>;
export type PartnerRegistryInput = z.input<typeof PartnerRegistry>;

/** A registry problem, named by its path, e.g. `partners.2.stations.0.station`. */
export interface RegistryIssue {
  path: string;
  message: string;
}

/** Validates a registry; the issues name the field. */
export function parseRegistry(raw: unknown): { ok: true; registry: PartnerRegistry } | { ok: false; issues: RegistryIssue[] } {
  const parsed = PartnerRegistry.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
    };
  }
  return { ok: true, registry: parsed.data };
}

/** Stations a registry names that the plant does not have. */
export function registryPlantIssues(registry: PartnerRegistry, plant: PlantConfig): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  registry.partners.forEach((p, i) => {
    p.stations.forEach((s, j) => {
      const line = plant.lines.find((l) => l.id === s.line);
      if (!line) {
        issues.push({ path: `partners.${i}.stations.${j}.line`, message: `line '${s.line}' is not in the plant (lines: ${plant.lines.map((l) => l.id).join(', ')})` });
      } else if (!line.stations.some((st) => st.id === s.station)) {
        issues.push({ path: `partners.${i}.stations.${j}.station`, message: `line ${s.line} has no station '${s.station}'` });
      }
    });
  });
  return issues;
}
