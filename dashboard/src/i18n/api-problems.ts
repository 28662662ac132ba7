/**
 * A failed request in the page's language. The collector words its refusals
 * in English for integrators and logs; the codes a manager or a supervisor
 * meets when a part is down are said here in words they can act on (what is
 * safe, what to do), anything else in the collector's own words.
 */
import type { Locale } from './messages';

export interface ApiProblem {
  code: string;
  message: string;
}

const TEXTS: Record<Locale, Partial<Record<string, string>>> = {
  'zh-CN': {
    influx_unavailable: '数据库 InfluxDB 暂时连不上，历史数据无法读取。采集器仍在接收并缓存新数据，数据库恢复后自动写入，不会丢失。请稍后点“重试”。',
    influx_timeout: '数据库 InfluxDB 未能及时回答。请缩短时间范围，或稍后重试。',
    influx_query_failed: '数据库 InfluxDB 这次读取失败，采集器已记录原因。请稍后重试。',
    network: '连不上采集器：请检查网络或采集器是否在运行，然后重试。',
  },
  en: {
    influx_unavailable: 'InfluxDB cannot be reached, so history cannot be read. The collector still takes and keeps new data and writes it once the database is back: nothing is lost. Try again in a moment.',
    influx_timeout: 'InfluxDB did not answer in time. Ask for a shorter range, or try again later.',
    influx_query_failed: 'InfluxDB failed on this read; the collector logged why. Try again later.',
    network: 'Cannot reach the collector: check the network or whether the collector runs, then try again.',
  },
};

export function problemText(problem: ApiProblem, locale: Locale): string {
  // A range the endpoint does not answer: the limit in the page's language, from the collector's "… than N days …".
  if (problem.code === 'range_too_long' && locale === 'zh-CN') {
    const days = /(\d+) days/.exec(problem.message)?.[1];
    return days ? `这项数据的时间范围最长 ${days} 天：请选择更短的区间。` : '所选时间范围超出这项数据的上限：请选择更短的区间。';
  }
  return TEXTS[locale][problem.code] ?? problem.message;
}
