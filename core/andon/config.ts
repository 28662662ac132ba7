/**
 * The plant file's `andon` section: kinds of call, escalation tiers, the
 * reasons a call is resolved with, notification channels and the rules the
 * collector evaluates. Validated with a reason per field; defaults in one
 * place (DEFAULT_ANDON_CONFIG). docs/andon.md explains every field.
 */
import { z } from 'zod';
import { ANDON_PRIORITIES, IDENTIFIER_PATTERN } from '../events';
import { ROLES } from './roles';

const id = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, {
    error: `${what} must be 1–64 characters of letters, digits, '_', '.' or '-'`,
  });
const Label = z.strictObject({ zh: z.string().min(1).max(80), en: z.string().min(1).max(80) });
const httpUrl = (what: string) =>
  z.string({ error: `${what} must be a string` }).refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { error: `${what} must be an http:// or https:// URL` },
  );

export const EscalationTier = z.strictObject({
  /** Who is called at this tier: every person of this role answering for the call's line and station. */
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
  /** Seconds after the call was raised, without acknowledgement, when this tier is reached. */
  afterSeconds: z.number().int({ error: 'afterSeconds must be a whole number of seconds' }).min(0).max(7 * 86_400),
  /** Channel ids to notify at this tier. */
  channels: z.array(id('channel id')).max(20).default([]),
});
export type EscalationTier = z.infer<typeof EscalationTier>;

const Tiers = z
  .array(EscalationTier)
  .min(1, { error: 'an escalation needs at least one tier' })
  .max(10)
  .refine((t) => t[0]?.afterSeconds === 0, { error: 'the first tier must have afterSeconds: 0 (it is called when the call is raised)' })
  .refine((t) => t.every((x, i) => i === 0 || x.afterSeconds > (t[i - 1]?.afterSeconds ?? 0)), {
    error: 'afterSeconds must grow from tier to tier',
  });

export const AndonKind = z.strictObject({
  id: id('kind id'),
  label: Label,
  priority: z.enum(ANDON_PRIORITIES).default('normal'),
  /** Tiers for this kind; absent: the section's `escalation`. */
  escalation: Tiers.optional(),
});
export type AndonKind = z.infer<typeof AndonKind>;

const ResolutionReason = z.strictObject({ id: id('reason id'), label: Label });

const secret = (what: string) => z.string({ error: `${what} must be a string` }).min(16, { error: `${what} must be at least 16 characters` }).max(512);

export const ChannelConfig = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ id: id('channel id'), kind: z.literal('webhook'), url: httpUrl('url'), secret: secret('secret') }),
    z.strictObject({
      id: id('channel id'),
      kind: z.literal('wecom'),
      /** The group robot's webhook URL, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… */
      url: httpUrl('url'),
      msgtype: z.enum(['markdown', 'text']).default('markdown'),
    }),
    z.strictObject({
      id: id('channel id'),
      kind: z.literal('dingtalk'),
      /** The group robot's webhook URL, https://oapi.dingtalk.com/robot/send?access_token=… */
      url: httpUrl('url'),
      /** The robot's signing secret (SEC…); absent: the robot checks keywords or IPs instead. */
      secret: z.string().min(8).max(512).optional(),
      msgtype: z.enum(['markdown', 'text']).default('markdown'),
    }),
    z.strictObject({
      id: id('channel id'),
      kind: z.literal('email'),
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65_535).default(587),
      /** TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
      secure: z.boolean().default(false),
      user: z.string().max(255).optional(),
      pass: z.string().max(512).optional(),
      from: z.string().min(3).max(255),
    }),
  ],
  { error: "channel kind must be 'webhook', 'wecom', 'dingtalk' or 'email'" },
);
export type ChannelConfig = z.infer<typeof ChannelConfig>;

const ruleBase = {
  id: id('rule id'),
  /** The line the rule watches; absent: every line. */
  line: id('line').optional(),
  /** The kind of call the rule raises. */
  kind: id('kind').optional(),
  priority: z.enum(ANDON_PRIORITIES).optional(),
};
const seconds = (what: string, max: number) => z.number({ error: `${what} must be a number of seconds` }).int({ error: `${what} must be whole seconds` }).min(1).max(max);

export const AndonRule = z.discriminatedUnion(
  'type',
  [
    /** A station in `fault` longer than afterSeconds. */
    z.strictObject({ ...ruleBase, type: z.literal('fault'), stations: z.array(id('station')).default([]), afterSeconds: seconds('afterSeconds', 86_400) }),
    /** A material-risk alert (core/cluster/material-risk.ts) naming a station of the line. */
    z.strictObject({ ...ruleBase, type: z.literal('material_risk'), level: z.enum(['critical', 'warning']).default('critical') }),
    /** A running station that has sent nothing for factor × its expected report interval. */
    z.strictObject({
      ...ruleBase,
      type: z.literal('silent'),
      stations: z.array(id('station')).default([]),
      factor: z.number().min(1.5, { error: 'factor must be at least 1.5 (a station one report late is not silent)' }).max(1000).default(3),
      /** Seconds between two reports of a station; absent: the line's takt (3600 / targetPerHour). */
      expectedIntervalSeconds: seconds('expectedIntervalSeconds', 86_400).optional(),
    }),
    /** Units per hour below ratio × target for `minutes` of planned production time. */
    z.strictObject({
      ...ruleBase,
      type: z.literal('under_target'),
      minutes: z.number().int().min(1).max(24 * 60),
      ratio: z.number().gt(0).max(1).default(1),
    }),
  ],
  { error: "rule type must be 'fault', 'material_risk', 'silent' or 'under_target'" },
);
export type AndonRule = z.infer<typeof AndonRule>;

/** The kind a rule raises when it names none. */
export const RULE_DEFAULT_KIND: Record<AndonRule['type'], string> = {
  fault: 'maintenance',
  material_risk: 'material',
  silent: 'maintenance',
  under_target: 'help',
};

export const DEFAULT_ANDON_KINDS: AndonKind[] = [
  { id: 'maintenance', label: { zh: '设备维修', en: 'Maintenance' }, priority: 'high' },
  { id: 'material', label: { zh: '物料', en: 'Material' }, priority: 'high' },
  { id: 'quality', label: { zh: '质量', en: 'Quality' }, priority: 'high' },
  { id: 'help', label: { zh: '求助', en: 'Help' }, priority: 'normal' },
  { id: 'safety', label: { zh: '安全', en: 'Safety' }, priority: 'critical' },
];
export const DEFAULT_ESCALATION: EscalationTier[] = [
  { role: 'team_leader', afterSeconds: 0, channels: [] },
  { role: 'maintenance', afterSeconds: 180, channels: [] },
  { role: 'manager', afterSeconds: 600, channels: [] },
];
export const DEFAULT_RESOLUTION_REASONS = [
  { id: 'repaired', label: { zh: '已维修', en: 'Repaired' } },
  { id: 'part_replaced', label: { zh: '更换零件', en: 'Part replaced' } },
  { id: 'adjusted', label: { zh: '已调整', en: 'Adjusted' } },
  { id: 'material_delivered', label: { zh: '物料已送达', en: 'Material delivered' } },
  { id: 'quality_contained', label: { zh: '质量问题已隔离', en: 'Quality issue contained' } },
  { id: 'false_alarm', label: { zh: '误报', en: 'False alarm' } },
  { id: 'other', label: { zh: '其他', en: 'Other' } },
];

export const AndonConfig = z
  .strictObject({
    kinds: z.array(AndonKind).min(1).max(50).default(DEFAULT_ANDON_KINDS),
    escalation: Tiers.default(DEFAULT_ESCALATION),
    resolutionReasons: z.array(ResolutionReason).min(1).max(100).default(DEFAULT_RESOLUTION_REASONS),
    channels: z.array(ChannelConfig).max(100).default([]),
    rules: z.array(AndonRule).max(500).default([]),
  })
  .superRefine((c, ctx) => {
    const kinds = new Set(c.kinds.map((k) => k.id));
    const channels = new Set(c.channels.map((ch) => ch.id));
    const unique = (ids: string[], what: string, path: string) => {
      const seen = new Set<string>();
      ids.forEach((x, i) => {
        if (seen.has(x)) ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `${what} '${x}' is listed twice` });
        seen.add(x);
      });
    };
    unique(c.kinds.map((k) => k.id), 'kind', 'kinds');
    unique(c.channels.map((k) => k.id), 'channel', 'channels');
    unique(c.rules.map((k) => k.id), 'rule', 'rules');
    const checkTiers = (tiers: EscalationTier[], path: (string | number)[]) =>
      tiers.forEach((t, i) =>
        t.channels.forEach((ch, j) => {
          if (!channels.has(ch)) ctx.addIssue({ code: 'custom', path: [...path, i, 'channels', j], message: `channel '${ch}' is not in andon.channels` });
        }),
      );
    checkTiers(c.escalation, ['escalation']);
    c.kinds.forEach((k, i) => k.escalation && checkTiers(k.escalation, ['kinds', i, 'escalation']));
    c.rules.forEach((r, i) => {
      const kind = r.kind ?? RULE_DEFAULT_KIND[r.type];
      if (!kinds.has(kind)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'kind'], message: `kind '${kind}' is not in andon.kinds (${[...kinds].join(', ')})` });
    });
  });
export type AndonConfig = z.infer<typeof AndonConfig>;

/** The section with every default applied, for a plant file without one. */
export const DEFAULT_ANDON_CONFIG: AndonConfig = AndonConfig.parse({});

/** The tiers a call of this kind escalates through. */
export function tiersFor(config: AndonConfig, kind: string): EscalationTier[] {
  return config.kinds.find((k) => k.id === kind)?.escalation ?? config.escalation;
}

/** The kind a rule raises. */
export function ruleKind(rule: AndonRule): string {
  return rule.kind ?? RULE_DEFAULT_KIND[rule.type];
}
