/**
 * The plant file's reason tree (`reasons`) and defect catalogue (`defects`):
 * categories, the stop reasons under them and the defect codes, each with a
 * code and a zh-CN and English label (docs/reasons.md). Validated with a
 * reason per field; defaults when the plant file has none.
 */
import { z } from 'zod';
import { IDENTIFIER_PATTERN } from '../events';

const code = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, { error: `${what} must be 1–64 characters of letters, digits, '_', '.' or '-'` });

const Label = z.strictObject({
  zh: z.string({ error: 'label.zh must be a string' }).min(1, { error: 'label.zh must not be empty' }).max(80, { error: 'label.zh must be at most 80 characters' }),
  en: z.string({ error: 'label.en must be a string' }).min(1, { error: 'label.en must not be empty' }).max(80, { error: 'label.en must be at most 80 characters' }),
});

export const ReasonCategory = z.strictObject({ id: code('category id'), label: Label });
export type ReasonCategory = z.infer<typeof ReasonCategory>;

export const StopReason = z.strictObject({
  code: code('reason code'),
  /** One of the tree's categories. */
  category: code('category'),
  label: Label,
});
export type StopReason = z.infer<typeof StopReason>;

export const DEFAULT_REASON_CATEGORIES: ReasonCategory[] = [
  { id: 'machine', label: { zh: '设备', en: 'Machine' } },
  { id: 'material', label: { zh: '物料', en: 'Material' } },
  { id: 'method', label: { zh: '方法', en: 'Method' } },
  { id: 'people', label: { zh: '人员', en: 'People' } },
  { id: 'environment', label: { zh: '环境', en: 'Environment' } },
  { id: 'planned', label: { zh: '计划停机', en: 'Planned' } },
];

export const ReasonsConfig = z
  .strictObject({
    categories: z.array(ReasonCategory).min(1, { error: 'categories: give at least one category' }).max(50).default(DEFAULT_REASON_CATEGORIES),
    reasons: z.array(StopReason).max(500, { error: 'reasons: at most 500 reasons' }),
    /** A stop at least this long (planned seconds) is a stop record; shorter ones are micro-stops. @default 120 */
    thresholdSeconds: z.number({ error: 'thresholdSeconds must be a number' }).int({ error: 'thresholdSeconds must be whole seconds' }).min(1).max(86_400).default(120),
    /** How long after a stop ends a supervisor may still change its classification, hours. @default 24 */
    editWindowHours: z.number({ error: 'editWindowHours must be a number' }).positive({ error: 'editWindowHours must be positive' }).max(24 * 31).default(24),
  })
  .superRefine((tree, ctx) => {
    const categories = new Set<string>();
    tree.categories.forEach((c, i) => {
      if (categories.has(c.id)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'id'], message: `category '${c.id}' is listed twice` });
      categories.add(c.id);
    });
    const codes = new Set<string>();
    tree.reasons.forEach((r, i) => {
      if (codes.has(r.code)) ctx.addIssue({ code: 'custom', path: ['reasons', i, 'code'], message: `reason code '${r.code}' is listed twice` });
      codes.add(r.code);
      if (!categories.has(r.category)) {
        ctx.addIssue({ code: 'custom', path: ['reasons', i, 'category'], message: `category '${r.category}' is not one of the tree's categories (${[...categories].join(', ')})` });
      }
    });
  });
export type ReasonsConfig = z.infer<typeof ReasonsConfig>;

export const DefectCode = z.strictObject({ code: code('defect code'), label: Label });
export type DefectCode = z.infer<typeof DefectCode>;

export const DefectsConfig = z.array(DefectCode).max(1000, { error: 'defects: at most 1000 codes' }).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((d, i) => {
    if (seen.has(d.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: `defect code '${d.code}' is listed twice` });
    seen.add(d.code);
  });
});
export type DefectsConfig = z.infer<typeof DefectsConfig>;

/** The default tree: the 6M-style categories and a few reasons under each (the demo plant's). */
export const DEFAULT_REASONS: ReasonsConfig = {
  categories: DEFAULT_REASON_CATEGORIES,
  thresholdSeconds: 120,
  editWindowHours: 24,
  reasons: [
    { code: 'breakdown', category: 'machine', label: { zh: '设备故障', en: 'Breakdown' } },
    { code: 'tooling', category: 'machine', label: { zh: '工装夹具', en: 'Tooling' } },
    { code: 'robot', category: 'machine', label: { zh: '机器人报警', en: 'Robot alarm' } },
    { code: 'parts_shortage', category: 'material', label: { zh: '缺料', en: 'Parts shortage' } },
    { code: 'wrong_parts', category: 'material', label: { zh: '错料', en: 'Wrong parts' } },
    { code: 'quality_hold', category: 'method', label: { zh: '质量停线', en: 'Quality hold' } },
    { code: 'changeover', category: 'method', label: { zh: '换型', en: 'Changeover' } },
    { code: 'no_operator', category: 'people', label: { zh: '缺员', en: 'No operator' } },
    { code: 'training', category: 'people', label: { zh: '培训', en: 'Training' } },
    { code: 'power', category: 'environment', label: { zh: '停电', en: 'Power' } },
    { code: 'air', category: 'environment', label: { zh: '气源', en: 'Compressed air' } },
    { code: 'planned_maintenance', category: 'planned', label: { zh: '计划保养', en: 'Planned maintenance' } },
    { code: 'meeting', category: 'planned', label: { zh: '班前会', en: 'Meeting' } },
  ],
};

/** The demo plant's defect catalogue. */
export const DEFAULT_DEFECTS: DefectsConfig = [
  { code: 'scratch', label: { zh: '划伤', en: 'Scratch' } },
  { code: 'gap_flush', label: { zh: '间隙面差', en: 'Gap and flush' } },
  { code: 'torque', label: { zh: '扭矩不合格', en: 'Torque out of spec' } },
  { code: 'leak', label: { zh: '淋雨渗漏', en: 'Water leak' } },
  { code: 'electrical', label: { zh: '电检故障', en: 'Electrical fault' } },
  { code: 'missing_part', label: { zh: '漏装', en: 'Missing part' } },
];
