/** Strings of the stop-review page, in both languages. */
import type { StopState } from '../../../core/reasons/stops';
import type { Locale } from './messages';
import { STATE_LABEL_ZH } from './state-labels';

export interface ReviewMessages {
  title: string;
  unclassifiedShare: string;
  noData: string;
  person: string;
  pin: string;
  signIn: string;
  none: string;
  /** The production day shown, and the switch between today and the day before. */
  day: { today: string; previous: string; label: string; nonePrevious: string };
  ongoing: string;
  unclassified: string;
  /** Beside the unclassified badge: the category the stop's state suggests. */
  suggests: (category: string) => string;
  /** Who is signed in, and the hint that a tap on a reason classifies the stop. */
  signedInAs: (person: string) => string;
  /** The button that shows the reasons of a stop already classified, and hides them again. */
  change: string;
  changeClose: string;
  /** The link back to the manager workspace. */
  manager: string;
  states: Record<StopState, string>;
  split: {
    open: string;
    title: string;
    first: string;
    second: string;
    at: string;
    slider: string;
    choose: string;
    submit: string;
    cancel: string;
    notATime: string;
    outside: (from: string, to: string) => string;
    sameReason: string;
    needReasons: string;
    done: (first: string, second: string) => string;
  };
  history: {
    open: string;
    close: string;
    title: string;
    empty: string;
    split: string;
    station: (sent: string) => string;
    splitSays: (first: string, at: string, second: string) => string;
    entry: (who: string, role: string, when: string) => string;
  };
  errors: {
    notSignedIn: string;
    editWindowClosed: (detail: string) => string;
    forbidden: (detail: string) => string;
    network: string;
    generic: (detail: string) => string;
  };
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
    day: { today: '今天', previous: '昨天', label: '生产日', nonePrevious: '昨天没有停机记录' },
    ongoing: '进行中',
    unclassified: '未分类',
    suggests: (category) => `推断：${category}`,
    signedInAs: (person) => `已登录：${person}。点一个原因即为该停机分类。`,
    change: '更改原因',
    changeClose: '收起原因',
    manager: '生产管理',
    states: { fault: STATE_LABEL_ZH.fault, maintenance: STATE_LABEL_ZH.maintenance, starved: STATE_LABEL_ZH.starved, blocked: STATE_LABEL_ZH.blocked, idle: STATE_LABEL_ZH.idle },
    split: {
      open: '拆分',
      title: '把此停机拆成两个原因',
      first: '拆分点之前的原因',
      second: '拆分点之后的原因',
      at: '拆分时刻（产线时间）',
      slider: '在停机时段内拖动',
      choose: '请选择原因',
      submit: '确认拆分',
      cancel: '取消',
      notATime: '拆分时刻须为“时:分”或“时:分:秒”',
      outside: (from, to) => `拆分时刻须在停机之内（${from} 之后、${to} 之前）`,
      sameReason: '两段原因相同，无需拆分',
      needReasons: '请为两段各选一个原因',
      done: (first, second) => `已拆分：${first} / ${second}`,
    },
    history: {
      open: '历史',
      close: '收起历史',
      title: '分类历史',
      empty: '还没有人分类此停机',
      split: '拆分',
      station: (sent) => `工位上报：${sent}`,
      splitSays: (first, at, second) => `${first}（至 ${at}）+ ${second}（${at} 起）`,
      entry: (who, role, when) => `${when} ${who}（${role}）`,
    },
    errors: {
      notSignedIn: '请先登录，再分类或拆分停机',
      editWindowClosed: (detail) => `已超过修改期限，不能再修改：${detail}`,
      forbidden: (detail) => `无权修改此停机：${detail}`,
      network: '连接不到采集服务，请稍后再试',
      generic: (detail) => `未能保存：${detail}`,
    },
  },
  en: {
    title: 'Stop review',
    unclassifiedShare: 'Unclassified stop time',
    noData: 'no data',
    person: 'Person id',
    pin: 'PIN',
    signIn: 'Sign in',
    none: 'No stop records today',
    day: { today: 'Today', previous: 'Yesterday', label: 'Production day', nonePrevious: 'No stop records yesterday' },
    ongoing: 'ongoing',
    unclassified: 'unclassified',
    suggests: (category) => `inferred: ${category}`,
    signedInAs: (person) => `Signed in as ${person}. Tap a reason to classify a stop.`,
    change: 'Change reason',
    changeClose: 'Hide reasons',
    manager: 'Manager workspace',
    states: { fault: 'Fault', maintenance: 'Maintenance', starved: 'Starved', blocked: 'Blocked', idle: 'Idle' },
    split: {
      open: 'Split',
      title: 'Split this stop into two reasons',
      first: 'Reason before the split',
      second: 'Reason from the split on',
      at: 'Split at (line time)',
      slider: 'Drag within the stop',
      choose: 'Choose a reason',
      submit: 'Split',
      cancel: 'Cancel',
      notATime: 'The split instant must be HH:MM or HH:MM:SS',
      outside: (from, to) => `The split instant must lie inside the stop (after ${from}, before ${to})`,
      sameReason: 'Both parts have the same reason: nothing to split',
      needReasons: 'Choose a reason for each part',
      done: (first, second) => `Split: ${first} / ${second}`,
    },
    history: {
      open: 'History',
      close: 'Hide history',
      title: 'Classification history',
      empty: 'Nobody has classified this stop yet',
      split: 'split',
      station: (sent) => `station sent: ${sent}`,
      splitSays: (first, at, second) => `${first} until ${at} + ${second} from ${at}`,
      entry: (who, role, when) => `${when} ${who} (${role})`,
    },
    errors: {
      notSignedIn: 'Sign in first to classify or split a stop',
      editWindowClosed: (detail) => `The edit window has closed: ${detail}`,
      forbidden: (detail) => `You may not change this stop: ${detail}`,
      network: 'Cannot reach the collector; try again shortly',
      generic: (detail) => `Not saved: ${detail}`,
    },
  },
};

/** Strings of the station tablet's stop list (components/station/StationStops.vue), in both languages. */
export interface StationStopsMessages {
  title: string;
  none: string;
  loading: string;
  suggested: string;
  categories: string;
  choose: string;
  ongoing: string;
  minutes: string;
  states: Record<StopState, string>;
  fromStation: (sent: string) => string;
  inferred: (category: string, partner: string | undefined) => string;
  prefilled: (label: string) => string;
  classified: (station: string, time: string, label: string, name: string) => string;
  errors: {
    notSignedIn: string;
    editWindowClosed: (detail: string) => string;
    alreadyClassified: (name: string, label: string) => string;
    forbidden: (detail: string) => string;
    unknownStop: string;
    network: string;
    generic: (detail: string) => string;
  };
  loadFailed: (detail: string) => string;
  dismiss: string;
}

export const STATION_STOPS_CATALOGUES: Record<Locale, StationStopsMessages> = {
  'zh-CN': {
    title: '待分类停机',
    none: '本工位今天没有待分类的停机',
    loading: '加载中…',
    suggested: '建议',
    categories: '原因类别',
    choose: '选择原因',
    ongoing: '进行中',
    minutes: '分钟',
    states: REVIEW_CATALOGUES['zh-CN'].states,
    fromStation: (sent) => `工位上报：${sent}`,
    inferred: (category, partner) => (partner ? `推断：${category}（${partner} 缺料）` : `推断：${category}`),
    prefilled: (label) => `已预填：${label}，点按确认`,
    classified: (station, time, label, name) => `${station} ${time} 已分类为“${label}”（${name}）`,
    errors: {
      notSignedIn: '请先登录，再分类停机',
      editWindowClosed: (detail) => `已超过修改期限，不能再分类：${detail}`,
      alreadyClassified: (name, label) => `此停机已由 ${name} 分类为“${label}”，如需修改请找班组长或主管`,
      forbidden: (detail) => `无权分类此停机：${detail}`,
      unknownStop: '找不到此停机记录（可能已被合并或太短），列表已刷新',
      network: '连接不到采集服务，请稍后再试',
      generic: (detail) => `未能分类：${detail}`,
    },
    loadFailed: (detail) => `无法加载停机记录：${detail}`,
    dismiss: '关闭',
  },
  en: {
    title: 'Stops to classify',
    none: 'No stops to classify at this station today',
    loading: 'Loading…',
    suggested: 'Suggested',
    categories: 'Category',
    choose: 'Choose a reason',
    ongoing: 'ongoing',
    minutes: 'min',
    states: REVIEW_CATALOGUES.en.states,
    fromStation: (sent) => `Station sent: ${sent}`,
    inferred: (category, partner) => (partner ? `Inferred: ${category} (waiting for ${partner})` : `Inferred: ${category}`),
    prefilled: (label) => `Pre-filled: ${label} — tap to confirm`,
    classified: (station, time, label, name) => `${station} ${time} classified as “${label}” (${name})`,
    errors: {
      notSignedIn: 'Sign in first to classify a stop',
      editWindowClosed: (detail) => `The edit window has closed: ${detail}`,
      alreadyClassified: (name, label) => `${name} has already classified this stop as “${label}”; ask a supervisor to change it`,
      forbidden: (detail) => `You may not classify this stop: ${detail}`,
      unknownStop: 'This stop record is gone (merged, or too short); the list is fresh again',
      network: 'Cannot reach the collector; try again shortly',
      generic: (detail) => `Not classified: ${detail}`,
    },
    loadFailed: (detail) => `Cannot load the stops: ${detail}`,
    dismiss: 'Dismiss',
  },
};

/** Strings of the station tablet's nok units (components/station/StationDefects.vue), in both languages. */
export interface StationDefectsMessages {
  title: string;
  lineEnd: string;
  none: string;
  coded: (unit: string, label: string, name: string) => string;
  sentBy: string;
  errors: {
    notSignedIn: string;
    alreadyCoded: (detail: string) => string;
    notNok: (detail: string) => string;
    forbidden: (detail: string) => string;
    network: string;
    generic: (detail: string) => string;
  };
  loadFailed: (detail: string) => string;
  dismiss: string;
}

export const STATION_DEFECTS_CATALOGUES: Record<Locale, StationDefectsMessages> = {
  'zh-CN': {
    title: '不合格品缺陷代码',
    lineEnd: '下线',
    none: '今天没有待填缺陷代码的不合格品',
    coded: (unit, label, name) => `${unit} 已记为“${label}”（${name}）`,
    sentBy: '工位上报',
    errors: {
      notSignedIn: '请先登录，再填写缺陷代码',
      alreadyCoded: (detail) => `已有缺陷代码：${detail}`,
      notNok: (detail) => `只有不合格品可填缺陷代码：${detail}`,
      forbidden: (detail) => `无权填写：${detail}`,
      network: '连接不到采集服务，请稍后再试',
      generic: (detail) => `未能记录：${detail}`,
    },
    loadFailed: (detail) => `无法加载不合格品：${detail}`,
    dismiss: '关闭',
  },
  en: {
    title: 'Defect codes of nok units',
    lineEnd: 'end of line',
    none: 'No nok units waiting for a defect code today',
    coded: (unit, label, name) => `${unit} coded as “${label}” (${name})`,
    sentBy: 'sent by the station',
    errors: {
      notSignedIn: 'Sign in first to give a defect code',
      alreadyCoded: (detail) => `It has a code already: ${detail}`,
      notNok: (detail) => `Only a nok unit takes a defect code: ${detail}`,
      forbidden: (detail) => `You may not code it: ${detail}`,
      network: 'Cannot reach the collector; try again shortly',
      generic: (detail) => `Not recorded: ${detail}`,
    },
    loadFailed: (detail) => `Cannot load the nok units: ${detail}`,
    dismiss: 'Dismiss',
  },
};

/** Strings of the manager's stop-reason and defect panels (ReliabilityTable's reasons, ReasonsTrend, QualityDefects), in both languages. */
export interface ManagerReasonsMessages {
  byReasonTitle: string;
  byReason: string;
  byCategory: string;
  reason: string;
  category: string;
  stops: string;
  stopTime: string;
  unclassified: string;
  noInferred: string;
  noStops: string;
  mtbfNote: string;
  trendTitle: string;
  share: string;
  perShift: string;
  perDay: string;
  noData: string;
  records: (n: number, open: number) => string;
  defectsTitle: string;
  defect: string;
  station: string;
  lineEnd: string;
  units: string;
  noDefect: string;
  noNok: string;
}

export const MANAGER_REASONS_CATALOGUES: Record<Locale, ManagerReasonsMessages> = {
  'zh-CN': {
    byReasonTitle: '按停机原因的 MTBF / MTTR',
    byReason: '按原因',
    byCategory: '按类别',
    reason: '原因',
    category: '类别',
    stops: '停机次数',
    stopTime: '停机时长',
    unclassified: '未分类',
    noInferred: '未分类（无推断）',
    noStops: '本区间没有停机记录',
    mtbfNote: 'MTBF = 各工位可用时间之和 ÷ 停机次数；MTTR = 停机时长 ÷ 停机次数（只计停机记录，不含短停）',
    trendTitle: '未分类停机占比',
    share: '占比',
    perShift: '按班次',
    perDay: '按天',
    noData: '无数据',
    records: (n, open) => `${n} 次停机，${open} 次未分类`,
    defectsTitle: '质量损失：按缺陷与工位',
    defect: '缺陷',
    station: '工位',
    lineEnd: '下线',
    units: '不合格数',
    noDefect: '未填缺陷',
    noNok: '本区间没有不合格品',
  },
  en: {
    byReasonTitle: 'MTBF / MTTR by stop reason',
    byReason: 'By reason',
    byCategory: 'By category',
    reason: 'Reason',
    category: 'Category',
    stops: 'Stops',
    stopTime: 'Stop time',
    unclassified: 'Unclassified',
    noInferred: 'Unclassified (nothing inferred)',
    noStops: 'No stop records in this range',
    mtbfNote: 'MTBF = the stations\' uptime, summed ÷ stops; MTTR = stop time ÷ stops (stop records only, no micro-stops)',
    trendTitle: 'Unclassified stop time',
    share: 'Share',
    perShift: 'per shift',
    perDay: 'per day',
    noData: 'no data',
    records: (n, open) => `${n} stops, ${open} unclassified`,
    defectsTitle: 'Quality losses by defect and station',
    defect: 'Defect',
    station: 'Station',
    lineEnd: 'end of line',
    units: 'Nok units',
    noDefect: 'no defect code',
    noNok: 'No nok units in this range',
  },
};
