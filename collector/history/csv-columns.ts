/**
 * What a CSV export looks like to the person who opens it: times in the
 * line's local time with its UTC offset (`2027-03-01T06:00:00+08:00`, never
 * UTC a plant manager must convert), numbers rounded as the dashboard shows
 * them (shares as percentages with one decimal), and, when the dashboard asks
 * with `lang=zh-CN|en`, a header row in that language. Without `lang` the
 * header keeps the stable machine names, for scripts.
 */
import { formatLocal } from '../../core/time/civil';
import { HttpProblem } from '../http/problem';

export type CsvLang = 'zh-CN' | 'en';

/** Header names per column key and language. */
const HEADERS: Record<CsvLang, Record<string, string>> = {
  'zh-CN': {
    start: '开始',
    end: '结束',
    time: '时间',
    line: '产线',
    planned_seconds: '计划时间（秒）',
    plan: '计划产量',
    units: '产量',
    good_units: '合格数',
    units_per_hour: '小时产量',
    target: '目标（台/小时）',
    station: '工位',
    count: '循环数',
    mean_s: '平均（秒）',
    min_s: '最短（秒）',
    p10_s: 'P10（秒）',
    p50_s: '中位数（秒）',
    p90_s: 'P90（秒）',
    max_s: '最长（秒）',
    within_takt: '节拍内',
    takt_compliance_pct: '节拍达成率（%）',
    state: '状态',
    reason: '原因',
    seconds: '时长（秒）',
    occurrences: '次数',
    share_pct: '占比（%）',
    cumulative_share_pct: '累计占比（%）',
    unit: '车辆',
    model: '车型',
    result: '结果',
    id: '事件编号',
    cycleTime: '循环时间（秒）',
  },
  en: {
    start: 'Start',
    end: 'End',
    time: 'Time',
    line: 'Line',
    planned_seconds: 'Planned time (s)',
    plan: 'Plan (units)',
    units: 'Units',
    good_units: 'Good units',
    units_per_hour: 'Units per hour',
    target: 'Target (units/h)',
    station: 'Station',
    count: 'Cycles',
    mean_s: 'Mean (s)',
    min_s: 'Min (s)',
    p10_s: 'P10 (s)',
    p50_s: 'Median (s)',
    p90_s: 'P90 (s)',
    max_s: 'Max (s)',
    within_takt: 'Within takt',
    takt_compliance_pct: 'Takt compliance (%)',
    state: 'State',
    reason: 'Reason',
    seconds: 'Duration (s)',
    occurrences: 'Occurrences',
    share_pct: 'Share (%)',
    cumulative_share_pct: 'Cumulative share (%)',
    unit: 'Unit',
    model: 'Model',
    result: 'Result',
    id: 'Event id',
    cycleTime: 'Cycle time (s)',
  },
};

/** The `lang` query parameter: null (machine names) when absent; 400 when it names no language. */
export function csvLang(url: URL): CsvLang | null {
  const raw = url.searchParams.get('lang');
  if (raw === null || raw === '') return null;
  if (raw === 'zh-CN' || raw === 'en') return raw;
  throw new HttpProblem(400, 'invalid_parameter', `lang must be 'zh-CN' or 'en'; got '${raw.slice(0, 40)}'`);
}

/** The header row: each key's name in `lang`, or the key itself. */
export function csvHeader(columns: readonly string[], lang: CsvLang | null): string[] {
  if (!lang) return [...columns];
  const names = HEADERS[lang];
  return columns.map((c) => names[c] ?? c);
}

/** An instant in the line's local time with its offset, e.g. `2027-03-01T06:00:00+08:00`. */
export function csvTime(ts: number, timeZone: string): string {
  return formatLocal(ts, timeZone);
}

/** `value` rounded to `digits` decimals, as the dashboard shows it; null stays empty. */
export function csvRound(value: number | null | undefined, digits = 0): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A fraction as a percentage with one decimal (0.3220240392540789 → 32.2). */
export function csvPercent(fraction: number | null | undefined): number | null {
  return fraction === null || fraction === undefined ? null : csvRound(fraction * 100, 1);
}
