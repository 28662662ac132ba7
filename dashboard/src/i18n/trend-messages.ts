/** Labels of the manager workspace's day / week trend (TrendChart.vue), in each locale. */
import type { Locale } from './messages';

export interface TrendMessages {
  titleDay: string;
  titleWeek: string;
  units: string;
  plan: string;
  oee: string;
  /** A bucket with no data or no planned time: a gap, never 100 %. */
  noData: string;
  goodUnits: string;
  availability: string;
  performance: string;
  quality: string;
  /** The label of a week bucket from its first day's label. */
  weekOf: (day: string) => string;
  loading: string;
  error: (message: string) => string;
}

export const TREND_CATALOGUES: Readonly<Record<Locale, TrendMessages>> = {
  'zh-CN': {
    titleDay: '每日产量 vs 计划 · OEE',
    titleWeek: '每周产量 vs 计划 · OEE',
    units: '产量',
    plan: '计划',
    oee: 'OEE',
    noData: '无数据',
    goodUnits: '合格品',
    availability: '时间开动率',
    performance: '性能开动率',
    quality: '合格品率',
    weekOf: (day) => `${day} 起一周`,
    loading: '加载中…',
    error: (message) => `趋势加载失败：${message}`,
  },
  en: {
    titleDay: 'Daily output vs plan · OEE',
    titleWeek: 'Weekly output vs plan · OEE',
    units: 'Units',
    plan: 'Plan',
    oee: 'OEE',
    noData: 'No data',
    goodUnits: 'Good units',
    availability: 'Availability',
    performance: 'Performance',
    quality: 'Quality',
    weekOf: (day) => `week of ${day}`,
    loading: 'Loading…',
    error: (message) => `Trend could not be loaded: ${message}`,
  },
};
