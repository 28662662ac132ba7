/** Strings of the stop-review page, in both languages. */
import type { StopState } from '../../../core/reasons/stops';
import type { Locale } from './messages';

export interface ReviewMessages {
  title: string;
  unclassifiedShare: string;
  noData: string;
  person: string;
  pin: string;
  signIn: string;
  none: string;
  ongoing: string;
  minutes: string;
  unclassified: string;
  states: Record<StopState, string>;
}

export const REVIEW_CATALOGUES: Record<Locale, ReviewMessages> = {
  'zh-CN': {
    title: '停机原因审核',
    unclassifiedShare: '未分类停机占比',
    noData: '无数据',
    person: '工号',
    pin: 'PIN',
    signIn: '登录',
    none: '今天没有停机记录',
    ongoing: '进行中',
    minutes: '分钟',
    unclassified: '未分类',
    states: { fault: '故障', maintenance: '维修', starved: '缺料等待', blocked: '堵塞', idle: '空闲' },
  },
  en: {
    title: 'Stop review',
    unclassifiedShare: 'Unclassified stop time',
    noData: 'no data',
    person: 'Person id',
    pin: 'PIN',
    signIn: 'Sign in',
    none: 'No stop records today',
    ongoing: 'ongoing',
    minutes: 'min',
    unclassified: 'unclassified',
    states: { fault: 'Fault', maintenance: 'Maintenance', starved: 'Starved', blocked: 'Blocked', idle: 'Idle' },
  },
};
