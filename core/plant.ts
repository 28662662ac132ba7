/**
 * The plant's configuration: lines, their stations in flow order, targets and
 * time zones. One schema, validated wherever a config enters (file, API).
 */
import { z } from 'zod';
import { AndonConfig, DEFAULT_ANDON_CONFIG } from './andon/config';
import { ShiftPattern } from './calendar/schema';
import { ConnectorsConfig, unknownConnectorStations } from './connectors';
import { IDENTIFIER_PATTERN } from './events';
import { PeopleConfig, type PersonConfig } from './people';
import { DEFAULT_DEFECTS, DEFAULT_REASONS, DefectsConfig, ReasonsConfig } from './reasons/config';
import { isTimeZone } from './time/zone';

const id = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, {
    error: `${what} must be 1–64 characters of letters, digits, '_', '.' or '-'`,
  });

const LocalizedName = z.strictObject({
  zh: z.string().min(1).max(80),
  en: z.string().min(1).max(80),
});

export const StationConfig = z.strictObject({
  id: id('station id'),
  name: LocalizedName,
});
export type StationConfig = z.infer<typeof StationConfig>;

export const LineConfig = z.strictObject({
  id: id('line id'),
  name: LocalizedName,
  /** IANA time zone of the shop floor, e.g. Asia/Shanghai. */
  timeZone: z.string().refine(isTimeZone, { error: 'timeZone must be an IANA time zone such as Asia/Shanghai' }),
  /** Units per hour the line is planned to build. */
  targetPerHour: z.number().positive({ error: 'targetPerHour must be a positive number of units per hour' }).max(3600),
  /** Stations in flow order; the last one completes units. */
  stations: z.array(StationConfig).min(1, { error: 'a line needs at least one station' }).max(500),
  /** Shifts, breaks and days off in the line's `timeZone`; default: DEFAULT_SHIFT_PATTERN (core/calendar/reference.ts). */
  calendar: ShiftPattern.optional(),
  /**
   * The station whose downtime counts for OEE availability (the designed
   * constraint). Unset: the bottleneck detected from the data.
   */
  constraintStation: id('constraintStation').optional(),
}).refine((l) => l.constraintStation === undefined || l.stations.some((s) => s.id === l.constraintStation), {
  error: 'constraintStation must be one of the line\'s stations',
  path: ['constraintStation'],
});
export type LineConfig = z.infer<typeof LineConfig>;

export const PlantConfig = z
  .strictObject({
    name: LocalizedName,
    lines: z.array(LineConfig).min(1, { error: 'a plant needs at least one line' }),
    /** People who sign in, act on andon calls and are notified (core/people.ts, docs/andon.md). */
    people: PeopleConfig.optional(),
    /** Andon kinds, escalation, channels and rules (core/andon/config.ts, docs/andon.md). */
    andon: AndonConfig.optional(),
    /** PLC connectivity (OPC UA, Sparkplug B) with a tag map per station; see docs/connectors.md. */
    connectors: ConnectorsConfig.optional(),
    /** The stop-reason tree, threshold and edit window (core/reasons/config.ts, docs/reasons.md). */
    reasons: ReasonsConfig.optional(),
    /** Defect codes `unit` and `cycle` events may carry (core/reasons/config.ts, docs/reasons.md). */
    defects: DefectsConfig.optional(),
  })
  .superRefine((plant, ctx) => {
    checkPeopleAndAndon(plant, ctx);
    if (!plant.connectors) return;
    for (const problem of unknownConnectorStations(plant.connectors, plant.lines)) ctx.addIssue({ code: 'custom', ...problem });
  });
export type PlantConfig = z.infer<typeof PlantConfig>;

/** People and andon rules must name lines, stations and people the plant has (a reason per field). */
function checkPeopleAndAndon(plant: { lines: LineConfig[]; people?: PersonConfig[] | undefined; andon?: AndonConfig | undefined }, ctx: z.RefinementCtx): void {
  const lines = new Map(plant.lines.map((l) => [l.id, new Set(l.stations.map((s) => s.id))]));
  const seen = new Set<string>();
  plant.people?.forEach((p, i) => {
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `person '${p.id}' is listed twice` });
    seen.add(p.id);
    p.lines.forEach((l, j) => {
      if (!lines.has(l)) ctx.addIssue({ code: 'custom', path: ['people', i, 'lines', j], message: `line '${l}' is not one of the plant's lines (${[...lines.keys()].join(', ')})` });
    });
    const theirs = p.lines.length > 0 ? p.lines : [...lines.keys()];
    p.stations.forEach((s, j) => {
      if (!theirs.some((l) => lines.get(l)?.has(s))) ctx.addIssue({ code: 'custom', path: ['people', i, 'stations', j], message: `station '${s}' is on none of this person's lines` });
    });
  });
  plant.andon?.rules.forEach((r, i) => {
    if (r.line !== undefined && !lines.has(r.line)) {
      ctx.addIssue({ code: 'custom', path: ['andon', 'rules', i, 'line'], message: `line '${r.line}' is not one of the plant's lines` });
    }
    if ('stations' in r) {
      r.stations.forEach((s, j) => {
        const on = r.line !== undefined ? [r.line] : [...lines.keys()];
        if (!on.some((l) => lines.get(l)?.has(s))) ctx.addIssue({ code: 'custom', path: ['andon', 'rules', i, 'stations', j], message: `station '${s}' is not on the rule's line(s)` });
      });
    }
  });
}

/** The plant's reason tree, with the default tree when the file has none. */
export function plantReasons(plant: PlantConfig): ReasonsConfig {
  return plant.reasons ?? DEFAULT_REASONS;
}

/** The plant's defect catalogue, with the default one when the file has none. */
export function plantDefects(plant: PlantConfig): DefectsConfig {
  return plant.defects ?? DEFAULT_DEFECTS;
}

/** The plant's andon section, with defaults when the file has none. */
export function plantAndon(plant: PlantConfig): AndonConfig {
  return plant.andon ?? DEFAULT_ANDON_CONFIG;
}


/**
 * The demo's people, one per role, and their PINs. Demo data only: the plant
 * file of a real plant holds hashes made with `npm run hash-pin`, never a PIN.
 */
export const DEMO_PEOPLE: { id: string; name: string; role: PersonConfig['role']; pin: string; pinHash: string; stations?: string[] }[] = [
  { id: 'wang.fang', name: '王芳', role: 'operator', pin: '1111', stations: ['S05', 'S06', 'S07'], pinHash: 'scrypt$16384$8$1$oQqn5U18f+o02LKdc5Kcog==$MyG1oCJvKVWb9q+2n6tYeopEtAPCQ6zQut9jAI465Ng=' },
  { id: 'li.wei', name: '李伟', role: 'team_leader', pin: '2222', pinHash: 'scrypt$16384$8$1$0bhvVyqAlE/zzH5MXMGPGg==$8BhFsa1US4GhclXsLLz0XgkZafypSl5ajSfSwkLwZe8=' },
  { id: 'zhao.qiang', name: '赵强', role: 'maintenance', pin: '3333', pinHash: 'scrypt$16384$8$1$/F43QaJsAI0RVdL8Iqdhtg==$PBbtKGLCLrm0rZGUaHu83hparxtrojdhG2/gYJYo60c=' },
  { id: 'chen.jing', name: '陈静', role: 'supervisor', pin: '4444', pinHash: 'scrypt$16384$8$1$+ESluyHxGDVRj7xC7C83RQ==$pX/inhHYPhjlgUGja9kf5wnTYbi0YY8yd5jWOOpI52s=' },
  { id: 'liu.yang', name: '刘洋', role: 'manager', pin: '5555', pinHash: 'scrypt$16384$8$1$yVdNgqLhUQJ5n5eVK6RS3g==$d1pWGFYkyd3SUv/y7NVyuF5PjPa5IXYFhUUN/+17KNo=' },
  { id: 'admin', name: '系统管理员', role: 'admin', pin: '6666', pinHash: 'scrypt$16384$8$1$hZ/tTzuEWVEdg2/VvkqX9A==$XXVz+ohaO5ua8FP0J5xfgyeuhNUQthuWtqR2csv4HFI=' },
];

/** The demo plant: line A1 of the reference final-assembly shop, 30 units per hour, with the demo's people. */
export function referencePlant(stationCount = 20, targetPerHour = 30): PlantConfig {
  const stationNames: [string, string][] = [
    ['车身上线', 'Body load'],
    ['线束安装', 'Wire harness'],
    ['仪表板', 'Cockpit'],
    ['顶棚', 'Headliner'],
    ['玻璃安装', 'Glazing'],
    ['底盘合装', 'Marriage'],
    ['电池包', 'Battery pack'],
    ['电驱', 'E-drive'],
    ['悬架', 'Suspension'],
    ['管路', 'Piping'],
    ['座椅', 'Seats'],
    ['车门', 'Doors'],
    ['车轮', 'Wheels'],
    ['加注', 'Fluid fill'],
    ['电检', 'E-test'],
    ['四轮定位', 'Alignment'],
    ['灯光检测', 'Headlamp aim'],
    ['转毂', 'Roll test'],
    ['淋雨', 'Water test'],
    ['终检', 'Final inspection'],
  ];
  const stations = Array.from({ length: stationCount }, (_, i) => {
    const [zh, en] = stationNames[i % stationNames.length] ?? ['工位', 'Station'];
    const n = String(i + 1).padStart(2, '0');
    return { id: `S${n}`, name: { zh, en } };
  });
  return {
    name: { zh: '智能工厂总装车间', en: 'Smart factory final assembly' },
    lines: [{ id: 'A1', name: { zh: '总装 A1 线', en: 'Final assembly A1' }, timeZone: 'Asia/Shanghai', targetPerHour, stations }],
    people: DEMO_PEOPLE.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      lines: ['A1'],
      stations: (p.stations ?? []).filter((s) => stations.some((x) => x.id === s)),
      pinHash: p.pinHash,
      notify: {},
    })),
    reasons: DEFAULT_REASONS,
    defects: DEFAULT_DEFECTS,
  };
}

/** Checks andon rules (e.g. from `PUT /api/v1/andon/rules`) against the plant: kinds, lines and stations must exist. */
export function checkAndonRules(plant: PlantConfig, rules: unknown): { ok: true; rules: AndonConfig['rules'] } | { ok: false; field: string; message: string } {
  const andon = plantAndon(plant);
  const parsed = PlantConfig.safeParse({ ...plant, andon: { ...andon, rules } });
  if (parsed.success) return { ok: true, rules: plantAndon(parsed.data).rules };
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  const field = path[0] === 'andon' ? path.slice(1).join('.') : path.join('.');
  return { ok: false, field, message: issue?.message ?? 'invalid rules' };
}
