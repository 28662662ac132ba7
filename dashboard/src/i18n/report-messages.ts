/**
 * Words of the shift report page, in each locale; `en` is typed against the
 * same interface, so a missing label is a compile error.
 */
import type { Locale } from './messages';

export interface ReportMessages {
  title: string;
  loading: string;
  error: (message: string) => string;
  noData: string;
  noDataHint: string;
  draft: string;
  print: string;
  shift: string;
  line: string;
  asOf: string;
  output: { title: string; hour: string; plan: string; units: string; good: string; gap: string; total: string };
  oee: { title: string; availability: string; performance: string; quality: string; oee: string };
  losses: { title: string; cause: string; owner: string; units: string; duration: string; reason: string; other: (n: number, units: string) => string; plan: string; good: string; none: string };
  andon: { title: string; calls: string; mtta: string; mttr: string; open: string; none: string; noneOpen: string; raised: string; station: string; kind: string; status: Record<'open' | 'acknowledged' | 'resolved' | 'cancelled', string> };
  supply: { title: string; partner: string; station: string; alert: string; starved: string; back: string; lost: string; none: string; stillShort: string; noAlert: string };
  backlog: { title: string; orders: string; backlog: string; days: string };
  handover: {
    title: string;
    version: (n: number) => string;
    versions: string;
    state: {
      draft: string;
      signed: (who: string, at: string) => string;
      acknowledged: (who: string, at: string) => string;
      superseded: (n: number) => string;
    };
    corrects: (n: number, who: string, at: string, reason: string) => string;
    written: (who: string, at: string) => string;
    ackNote: string;
    noNotes: string;
    noVersion: (n: number) => string;
    notesLabel: string;
    save: string;
    sign: string;
    signHint: string;
    acknowledge: string;
    ackNoteLabel: string;
    correct: string;
    reasonLabel: string;
    correctHint: string;
    signIn: string;
    person: string;
    pin: string;
    signedInAs: (name: string, role: string) => string;
    signOut: string;
    onlySupervisors: string;
    refused: (message: string) => string;
    /** The collector's refusals by code, in the page's language (the API's English words otherwise). */
    codes: Partial<Record<string, string>>;
  };
  /** The manager workspace's list of stored reports (components/manager/ReportList.vue). */
  list: {
    title: string;
    shift: string;
    state: string;
    versions: string;
    pdfs: string;
    page: string;
    none: string;
    error: (m: string) => string;
    states: Record<'draft' | 'signed' | 'acknowledged' | 'superseded' | 'none', string>;
    occasion: Record<'shift_end' | 'signed' | 'demand', string>;
  };
}

const zhCN: ReportMessages = {
  title: '班次报告',
  loading: '正在生成报告…',
  error: (m) => `无法生成报告：${m}`,
  noData: '无数据',
  noDataHint: '该班次没有此产线的任何数据：不显示任何数字。',
  draft: '草稿：班次尚未结束，数字截至',
  print: '打印',
  shift: '班次',
  line: '产线',
  asOf: '截至',
  output: { title: '按小时产量与计划', hour: '小时', plan: '计划', units: '产量', good: '合格', gap: '差额', total: '合计' },
  oee: { title: 'OEE 及其因子', availability: '可用率', performance: '性能', quality: '质量', oee: 'OEE' },
  losses: { title: '损失瀑布（主要损失及原因）', cause: '原因', owner: '责任方', units: '损失台数', duration: '时长', reason: '停机原因', other: (n, units) => `其余 ${n} 项原因 共 ${units} 台`, plan: '计划', good: '合格', none: '无损失' },
  andon: {
    title: '安灯呼叫',
    calls: '呼叫数',
    mtta: '平均响应时间 (MTTA)',
    mttr: '平均解决时间 (MTTR)',
    open: '班末仍未关闭',
    none: '本班次无安灯呼叫',
    noneOpen: '无未关闭的呼叫',
    raised: '发起时间',
    station: '工位',
    kind: '类型',
    status: { open: '未响应', acknowledged: '处理中', resolved: '已解决', cancelled: '已取消' },
  },
  supply: { title: '供应商风险与缺料', partner: '供应商', station: '工位', alert: '预警', starved: '开始缺料', back: '恢复供应', lost: '损失台数', none: '本班次无缺料', stillShort: '仍缺料', noAlert: '无预警' },
  backlog: { title: '订单积压', orders: '订单总数', backlog: '积压', days: '清完所需天数' },
  handover: {
    title: '主管备注与交接',
    version: (n) => `第 ${n} 版`,
    versions: '版本',
    state: {
      draft: '草稿：尚未签字',
      signed: (who, at) => `已签字：${who}，${at}`,
      acknowledged: (who, at) => `已确认接班：${who}，${at}`,
      superseded: (n) => `已被第 ${n} 版取代`,
    },
    corrects: (n, who, at, reason) => `更正第 ${n} 版：${who}，${at}。原因：${reason}`,
    written: (who, at) => `备注：${who}，${at}`,
    ackNote: '接班备注',
    noNotes: '无备注',
    noVersion: (n) => `该报告没有第 ${n} 版`,
    notesLabel: '交接备注（下一班必须知道的事）',
    save: '保存备注',
    sign: '签字交班',
    signHint: '签字后本版报告不可再修改；如需修改请提交更正（生成新版本）。',
    acknowledge: '确认接班',
    ackNoteLabel: '接班备注（可选）',
    correct: '提交更正',
    reasonLabel: '更正原因',
    correctHint: '已签字的报告不可修改：更正会生成新版本，并链接到本版。',
    signIn: '登录',
    person: '工号',
    pin: 'PIN',
    signedInAs: (name, role) => `已登录：${name}（${role}）`,
    signOut: '退出',
    onlySupervisors: '只有主管可以填写备注、签字和确认接班。',
    refused: (m) => `未执行：${m}`,
    codes: {
      report_signed: '本版已签字，不可再修改；请提交更正（生成新版本）。',
      report_superseded: '本版已被新版本取代，请在最新版本上操作。',
      not_signed: '本版尚未签字：交班主管先签字。',
      already_acknowledged: '本版已确认接班。',
      signer_cannot_acknowledge: '签字的主管不能自己确认接班：由接班主管确认。',
      forbidden: '您的角色不能执行此操作。',
      not_your_line: '您不负责这条产线。',
      not_signed_in: '请先登录。',
      shift_not_ended: '班次尚未结束，不能交接。',
      bad_credentials: '工号或 PIN 不正确。',
      locked: '尝试次数过多，已暂时锁定。',
    },
  },
  list: {
    title: '班次报告与交接',
    shift: '班次',
    state: '交接状态',
    versions: '版本',
    pdfs: 'PDF',
    page: '报告页面',
    none: '尚无已生成的班次报告',
    error: (m) => `无法读取班次报告：${m}`,
    states: { draft: '草稿', signed: '已签字', acknowledged: '已确认接班', superseded: '已取代', none: '—' },
    occasion: { shift_end: '班末', signed: '签字', demand: '按需' },
  },
};

const en: ReportMessages = {
  title: 'Shift report',
  loading: 'Building the report…',
  error: (m) => `Cannot build the report: ${m}`,
  noData: 'no data',
  noDataHint: 'The shift holds no data of this line: no figure is shown.',
  draft: 'Draft: the shift has not ended; figures as of',
  print: 'Print',
  shift: 'Shift',
  line: 'Line',
  asOf: 'as of',
  output: { title: 'Output against plan by hour', hour: 'Hour', plan: 'Plan', units: 'Units', good: 'Good', gap: 'Gap', total: 'Total' },
  oee: { title: 'OEE and its factors', availability: 'Availability', performance: 'Performance', quality: 'Quality', oee: 'OEE' },
  losses: { title: 'Loss waterfall (top losses and their reasons)', cause: 'Cause', owner: 'Owner', units: 'Units lost', duration: 'Duration', reason: 'Stop reason', other: (n, units) => `${n} other causes, ${units} units in all`, plan: 'Plan', good: 'Good', none: 'Nothing lost' },
  andon: {
    title: 'Andon calls',
    calls: 'Calls',
    mtta: 'Mean time to acknowledge (MTTA)',
    mttr: 'Mean time to resolve (MTTR)',
    open: 'Still open at the end of the shift',
    none: 'No andon call in this shift',
    noneOpen: 'No call left open',
    raised: 'Raised',
    station: 'Station',
    kind: 'Kind',
    status: { open: 'open', acknowledged: 'acknowledged', resolved: 'resolved', cancelled: 'cancelled' },
  },
  supply: { title: 'Partner risks and shortages', partner: 'Partner', station: 'Station', alert: 'Alert', starved: 'Starved from', back: 'Supply back', lost: 'Units lost', none: 'No shortage in this shift', stillShort: 'still short', noAlert: 'no alert' },
  backlog: { title: 'Orders backlog', orders: 'Orders', backlog: 'Backlog', days: 'Days to clear' },
  handover: {
    title: "Supervisors' notes and handover",
    version: (n) => `version ${n}`,
    versions: 'Versions',
    state: {
      draft: 'Draft: not signed yet',
      signed: (who, at) => `Signed by ${who} at ${at}`,
      acknowledged: (who, at) => `Acknowledged by ${who} at ${at}`,
      superseded: (n) => `Superseded by version ${n}`,
    },
    corrects: (n, who, at, reason) => `Corrects version ${n}: ${who}, ${at}. Reason: ${reason}`,
    written: (who, at) => `Notes by ${who} at ${at}`,
    ackNote: 'Incoming remark',
    noNotes: 'No notes',
    noVersion: (n) => `The report has no version ${n}`,
    notesLabel: 'Handover notes (what the next shift must know)',
    save: 'Save notes',
    sign: 'Sign and hand over',
    signHint: 'Once signed, this version cannot be changed; a correction makes a new version.',
    acknowledge: 'Acknowledge handover',
    ackNoteLabel: 'Remark (optional)',
    correct: 'Make a correction',
    reasonLabel: 'Reason for the correction',
    correctHint: 'A signed report cannot be changed: a correction makes a new version that links this one.',
    signIn: 'Sign in',
    person: 'Person id',
    pin: 'PIN',
    signedInAs: (name, role) => `Signed in: ${name} (${role})`,
    signOut: 'Sign out',
    onlySupervisors: 'Only supervisors write notes, sign and acknowledge.',
    refused: (m) => `Not done: ${m}`,
    codes: {},
  },
  list: {
    title: 'Shift reports and handover',
    shift: 'Shift',
    state: 'Handover',
    versions: 'Versions',
    pdfs: 'PDF',
    page: 'Report page',
    none: 'No shift report rendered yet',
    error: (m) => `Cannot read the shift reports: ${m}`,
    states: { draft: 'draft', signed: 'signed', acknowledged: 'acknowledged', superseded: 'superseded', none: '—' },
    occasion: { shift_end: 'shift end', signed: 'signed', demand: 'on demand' },
  },
};

export const REPORT_CATALOGUES: Readonly<Record<Locale, ReportMessages>> = { 'zh-CN': zhCN, en };

/** A fraction 0–1 as a percentage with one decimal; null is "no data", never 0 % or 100 %. */
export function formatShare(value: number | null, locale: Locale): string {
  if (value === null || !Number.isFinite(value)) return REPORT_CATALOGUES[locale].noData;
  return `${(value * 100).toFixed(1)} %`;
}
