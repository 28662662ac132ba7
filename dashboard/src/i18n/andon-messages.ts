/**
 * Labels of the andon screens (station tablet, wall panel, the manager's
 * call list), in each locale. Kept apart from the other catalogues so each
 * changes alone; `en` is typed against the same interface, so a missing label
 * is a compile error. Kinds and resolution reasons come with their own
 * `{zh, en}` labels from `GET /api/v1/andon/config`; the defaults below only
 * cover a call whose kind the config no longer lists.
 */
import type { AndonPriority, AndonStatus, Role } from '@core/andon/types';
import type { Locale } from './messages';

export interface AndonMessages {
  /** Units of a duration, and how they join: "3分20秒" / "3 min 20 s". */
  duration: { h: string; min: string; s: string; join: string };
  role: Record<Role, string>;
  status: Record<AndonStatus, string>;
  priority: Record<AndonPriority, string>;
  /** Labels of the default kinds, for a call whose kind the config does not list. */
  kind: Record<string, string>;
  action: { acknowledge: string; resolve: string; cancel: string; reopen: string };
  /** "Tier 2: maintenance" (tier 0 = first responders, shown as 1). */
  tier: (tier: number, role: string) => string;
  raisedBy: (name: string) => string;
  acknowledgedBy: (name: string) => string;
  notAcknowledged: string;
  /** The next escalation of an open call: role, and the time until it, formatted. */
  nextTier: (role: string, duration: string) => string;
  /** "open for 3 min 20 s" */
  openFor: (duration: string) => string;
  station: {
    title: (station: string, line: string) => string;
    /** The whole line's calls (no station in the URL). */
    lineTitle: (line: string) => string;
    lineOpenCalls: string;
    lineNoOpenCalls: string;
    missingParams: string;
    unknownStation: (station: string, line: string) => string;
    pickPerson: string;
    noPeople: string;
    pinFor: (name: string) => string;
    pinDigits: (n: number) => string;
    back: string;
    clear: string;
    erase: string;
    signIn: string;
    signOut: string;
    signedInAs: (name: string, role: string) => string;
    raiseTitle: string;
    raiseHint: string;
    mayNotRaise: string;
    raised: (kind: string) => string;
    /** The collector refuses events (`why` from the wall's `link.intakeWhy`) for `age`: nothing done here is saved now. */
    intakeStopped: (why: string, age: string) => string;
    openCalls: string;
    noOpenCalls: string;
    resolveTitle: string;
    reason: string;
    note: string;
    confirmResolve: string;
    dismiss: string;
    working: string;
  };
  errors: {
    /** Wrong PIN; `left` tries before the lock, null when the collector did not say. */
    badPin: (left: number | null) => string;
    badCredentials: string;
    /** Locked out; `duration` already formatted, null when the collector did not say. */
    locked: (duration: string | null) => string;
    notSignedIn: string;
    forbidden: (message: string) => string;
    invalidTransition: (message: string) => string;
    network: string;
    generic: (message: string) => string;
  };
  wall: {
    title: string;
    more: (n: number) => string;
    /** The strip's tag on a station with a call. */
    stripTag: string;
    /** Sound asked for (`?sound=1`) but the browser holds it until someone touches the screen. */
    soundBlocked: string;
  };
  manager: {
    title: string;
    filterKind: string;
    filterStation: string;
    filterStatus: string;
    all: string;
    active: string;
    noCalls: string;
    mtta: string;
    mttr: string;
    mttaHint: string;
    mttrHint: string;
    /** "over 12 calls" */
    overCalls: (n: number) => string;
    /** The table shows the newest `shown` of `total` calls. */
    newestShown: (shown: number, total: number) => string;
    /** The button that shows `n` more rows. */
    showMore: (n: number) => string;
    /** A count of calls in a table cell: "2 个呼叫" / "2 calls". */
    calls: (n: number) => string;
    noData: string;
    byKind: string;
    columns: { raisedAt: string; station: string; kind: string; status: string; tier: string; acknowledged: string; resolved: string; reason: string };
    timeline: string;
    timelinePick: string;
    step: { raised: string; escalated: (role: string) => string; acknowledged: string; resolved: string; cancelled: string; reopened: string; pending: (role: string) => string };
    /** "+3 min 20 s" after the raise */
    after: (duration: string) => string;
    deliveries: string;
    channelFailing: (channel: string, error: string) => string;
    channelsOk: string;
    deliveryStatus: { pending: string; sent: string; failed: string };
    attempts: (n: number) => string;
    noDeliveries: string;
    lineStation: string;
  };
}

export const andonZhCN: AndonMessages = {
  duration: { h: '小时', min: '分', s: '秒', join: '' },
  role: { operator: '操作工', team_leader: '班组长', maintenance: '维修', supervisor: '主管', manager: '厂长', admin: '管理员' },
  status: { open: '待响应', acknowledged: '已响应', resolved: '已解决', cancelled: '已取消' },
  priority: { low: '低', normal: '普通', high: '高', critical: '紧急' },
  kind: { maintenance: '设备维修', material: '物料', quality: '质量', help: '求助', safety: '安全' },
  action: { acknowledge: '响应', resolve: '解决', cancel: '撤销呼叫', reopen: '重新打开' },
  tier: (tier, role) => `第${tier + 1}级 ${role}`,
  raisedBy: (name) => `${name} 呼叫`,
  acknowledgedBy: (name) => `${name} 已响应`,
  notAcknowledged: '无人响应',
  nextTier: (role, d) => `${d}后升级至${role}`,
  openFor: (d) => `已等待 ${d}`,
  station: {
    title: (station, line) => `${line} 线 ${station} 工位`,
    lineTitle: (line) => `${line} 线 · 全线呼叫`,
    lineOpenCalls: '全线未关闭的呼叫',
    lineNoOpenCalls: '全线没有未关闭的呼叫',
    missingParams: '网址需指明产线（和工位），例如 /station?line=A1&station=S07',
    unknownStation: (station, line) => `${line} 线没有工位 ${station}：请检查网址`,
    pickPerson: '请选择您的姓名',
    noPeople: '本线没有可登录的人员，请联系管理员',
    pinFor: (name) => `${name}，请输入 PIN`,
    pinDigits: (n) => `已输入 ${n} 位`,
    back: '返回',
    clear: '清空',
    erase: '删除',
    signIn: '登录',
    signOut: '退出登录',
    signedInAs: (name, role) => `${name}（${role}）`,
    raiseTitle: '一键呼叫',
    raiseHint: '点一下即发出呼叫',
    mayNotRaise: '您的角色不能发起呼叫',
    raised: (kind) => `已呼叫：${kind}`,
    intakeStopped: (why, age) => `采集服务暂停保存（${why}，${age}）：呼叫、停机分类和缺陷代码此刻都无法保存，请稍后再试，并通知维护人员`,
    openCalls: '本工位未关闭的呼叫',
    noOpenCalls: '本工位没有未关闭的呼叫',
    resolveTitle: '解决呼叫',
    reason: '原因',
    note: '处理说明（可选）',
    confirmResolve: '确认解决',
    dismiss: '返回',
    working: '处理中…',
  },
  errors: {
    badPin: (left) => (left === null ? 'PIN 不正确' : left > 0 ? `PIN 不正确，还可再试 ${left} 次` : 'PIN 不正确，已无重试机会'),
    badCredentials: '姓名或 PIN 不正确',
    locked: (d) => (d === null ? '错误次数过多，已暂时锁定' : `错误次数过多，已锁定，${d}后可再试`),
    notSignedIn: '登录已过期，请重新登录',
    forbidden: (message) => `没有权限：${message}`,
    invalidTransition: (message) => `无法执行：${message}`,
    network: '无法连接采集服务，请稍后再试',
    generic: (message) => `出错了：${message}`,
  },
  wall: {
    title: '安灯呼叫',
    more: (n) => `另有 ${n} 个`,
    stripTag: '呼叫',
    soundBlocked: '点一下屏幕以开启提示音',
  },
  manager: {
    title: '安灯呼叫',
    filterKind: '类型',
    filterStation: '工位',
    filterStatus: '状态',
    all: '全部',
    active: '未关闭',
    noCalls: '该时段没有呼叫',
    mtta: '平均响应时间 MTTA',
    mttr: '平均解决时间 MTTR',
    mttaHint: '从呼叫到响应',
    mttrHint: '从呼叫到解决',
    overCalls: (n) => `共 ${n} 个呼叫`,
    newestShown: (shown, total) => `显示最新 ${shown} 个，共 ${total} 个`,
    showMore: (n) => `再显示 ${n} 个`,
    calls: (n) => `${n} 个呼叫`,
    noData: '无数据',
    byKind: '按类型',
    columns: { raisedAt: '呼叫时间', station: '工位', kind: '类型', status: '状态', tier: '级别', acknowledged: '响应', resolved: '解决', reason: '原因' },
    timeline: '升级过程',
    timelinePick: '点选一个呼叫查看其升级过程',
    step: {
      raised: '发起呼叫',
      escalated: (role) => `升级至${role}`,
      acknowledged: '已响应',
      resolved: '已解决',
      cancelled: '已撤销',
      reopened: '重新打开',
      pending: (role) => `若仍无人响应，将升级至${role}`,
    },
    after: (d) => `+${d}`,
    deliveries: '通知发送',
    channelFailing: (channel, error) => `通知渠道 ${channel} 持续失败：${error}`,
    channelsOk: '所有通知渠道正常',
    deliveryStatus: { pending: '待发送', sent: '已发送', failed: '失败' },
    attempts: (n) => `尝试 ${n} 次`,
    noDeliveries: '暂无通知',
    lineStation: '全线',
  },
};

export const andonEn: AndonMessages = {
  duration: { h: 'h', min: 'min', s: 's', join: ' ' },
  role: { operator: 'Operator', team_leader: 'Team leader', maintenance: 'Maintenance', supervisor: 'Supervisor', manager: 'Plant manager', admin: 'Admin' },
  status: { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', cancelled: 'Cancelled' },
  priority: { low: 'Low', normal: 'Normal', high: 'High', critical: 'Critical' },
  kind: { maintenance: 'Maintenance', material: 'Material', quality: 'Quality', help: 'Help', safety: 'Safety' },
  action: { acknowledge: 'Acknowledge', resolve: 'Resolve', cancel: 'Cancel call', reopen: 'Reopen' },
  tier: (tier, role) => `Tier ${tier + 1} ${role}`,
  raisedBy: (name) => `raised by ${name}`,
  acknowledgedBy: (name) => `acknowledged by ${name}`,
  notAcknowledged: 'not acknowledged',
  nextTier: (role, d) => `to ${role} in ${d}`,
  openFor: (d) => `waiting ${d}`,
  station: {
    title: (station, line) => `Line ${line} · station ${station}`,
    lineTitle: (line) => `Line ${line} · all calls`,
    lineOpenCalls: 'Open calls on the line',
    lineNoOpenCalls: 'No open calls on the line',
    missingParams: 'The address must name a line (and a station), e.g. /station?line=A1&station=S07',
    unknownStation: (station, line) => `Line ${line} has no station ${station}: check the address`,
    pickPerson: 'Tap your name',
    noPeople: 'Nobody can sign in on this line: ask an administrator',
    pinFor: (name) => `${name}, enter your PIN`,
    pinDigits: (n) => `${n} digits entered`,
    back: 'Back',
    clear: 'Clear',
    erase: 'Delete',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedInAs: (name, role) => `${name} (${role})`,
    raiseTitle: 'Call in one tap',
    raiseHint: 'One tap raises the call',
    mayNotRaise: 'Your role may not raise calls',
    raised: (kind) => `Called: ${kind}`,
    intakeStopped: (why, age) => `The collector is not storing anything (${why}, ${age}): calls, stop reasons and defect codes cannot be saved now; try again later and tell maintenance`,
    openCalls: 'Open calls at this station',
    noOpenCalls: 'No open calls at this station',
    resolveTitle: 'Resolve the call',
    reason: 'Reason',
    note: 'What was done (optional)',
    confirmResolve: 'Resolve',
    dismiss: 'Back',
    working: 'Working…',
  },
  errors: {
    badPin: (left) => (left === null ? 'Wrong PIN' : left > 0 ? `Wrong PIN: ${left} ${left === 1 ? 'try' : 'tries'} left` : 'Wrong PIN: no tries left'),
    badCredentials: 'Wrong name or PIN',
    locked: (d) => (d === null ? 'Too many wrong PINs: locked for a while' : `Too many wrong PINs: locked, try again in ${d}`),
    notSignedIn: 'Your session has ended: sign in again',
    forbidden: (message) => `Not allowed: ${message}`,
    invalidTransition: (message) => `Cannot do that: ${message}`,
    network: 'Cannot reach the collector: try again in a moment',
    generic: (message) => `Something went wrong: ${message}`,
  },
  wall: {
    title: 'Andon calls',
    more: (n) => `+${n} more`,
    stripTag: 'Call',
    soundBlocked: 'Tap the screen to turn the chime on',
  },
  manager: {
    title: 'Andon calls',
    filterKind: 'Kind',
    filterStation: 'Station',
    filterStatus: 'Status',
    all: 'All',
    active: 'Not closed',
    noCalls: 'No calls in this interval',
    mtta: 'Mean time to acknowledge (MTTA)',
    mttr: 'Mean time to resolve (MTTR)',
    mttaHint: 'raise → acknowledge',
    mttrHint: 'raise → resolve',
    overCalls: (n) => `over ${n} ${n === 1 ? 'call' : 'calls'}`,
    newestShown: (shown, total) => `showing the newest ${shown} of ${total}`,
    showMore: (n) => `Show ${n} more`,
    calls: (n) => `${n} ${n === 1 ? 'call' : 'calls'}`,
    noData: 'no data',
    byKind: 'By kind',
    columns: { raisedAt: 'Raised', station: 'Station', kind: 'Kind', status: 'Status', tier: 'Tier', acknowledged: 'Acknowledged', resolved: 'Resolved', reason: 'Reason' },
    timeline: 'Escalation',
    timelinePick: 'Pick a call to see how it escalated',
    step: {
      raised: 'Raised',
      escalated: (role) => `Escalated to ${role}`,
      acknowledged: 'Acknowledged',
      resolved: 'Resolved',
      cancelled: 'Cancelled',
      reopened: 'Reopened',
      pending: (role) => `escalates to ${role} unless acknowledged`,
    },
    after: (d) => `+${d}`,
    deliveries: 'Notifications',
    channelFailing: (channel, error) => `Channel ${channel} keeps failing: ${error}`,
    channelsOk: 'All notification channels are working',
    deliveryStatus: { pending: 'Pending', sent: 'Sent', failed: 'Failed' },
    attempts: (n) => `${n} ${n === 1 ? 'attempt' : 'attempts'}`,
    noDeliveries: 'No notifications yet',
    lineStation: 'Whole line',
  },
};

export const ANDON_CATALOGUES: Record<Locale, AndonMessages> = { 'zh-CN': andonZhCN, en: andonEn };
