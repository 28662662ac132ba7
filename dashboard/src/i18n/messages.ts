/**
 * The message catalogue: every label the dashboard shows, in each locale.
 * `en` is typed against the shape of `zhCN`, so a missing or extra key is a
 * compile error rather than a blank on a wall screen.
 */
import type { StationState } from '@core/events';
import { STATE_LABEL_ZH } from './state-labels';

/** Locales the dashboard speaks; zh-CN is the default. */
export type Locale = 'zh-CN' | 'en';

/** The locales in the order the switch offers them. */
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

/** Shape of a catalogue: plain strings, or functions for labels that carry values. */
export interface Messages {
  appName: string;
  /** The switch's label, written in its own language so anyone can find it. */
  languageName: string;
  switchLanguage: string;
  line: string;
  /** Link from the laptop view to the wall view. */
  wallView: string;
  loading: string;
  wall: {
    thisHour: string;
    /** `plan` is the hour's plan, already formatted. */
    ofPlan: (plan: string) => string;
    /** Units the plan expects by now, already formatted. */
    expectedByNow: (expected: string) => string;
    unitsPerHour: string;
    ofTarget: (target: string) => string;
    trailingHour: string;
    takt: string;
    taktTarget: (duration: string) => string;
    overTakt: string;
    noUnitYet: string;
    stations: string;
    bottleneck: string;
    trend: string;
    perHourUnit: string;
  };
  shift: {
    /** Shift name and its local times, e.g. "早班 06:00–14:00". */
    title: (name: string, from: string, to: string) => string;
    ended: string;
    /** Units this shift against the plan by now. */
    unitsVsDue: (units: string, due: string) => string;
    /** Units ahead (+) or behind (−) the plan, already signed. */
    gap: (gap: string) => string;
    forecast: (forecast: string, plan: string) => string;
    /** Units per hour needed for the rest of the shift to reach its plan. */
    catchUp: (rate: string) => string;
    /** The shift's largest downtime so far: station, what, how long (formatted). */
    /** The shift's largest downtime; the station's own reason (free text, any language) last, so a narrow line cuts only it. */
    topDowntime: (station: string, state: string, duration: string, reason: string) => string;
  };
  link: {
    live: string;
    connecting: string;
    /** Data older than it should be; `age` already formatted. */
    dataAge: (age: string) => string;
    linkLost: (age: string) => string;
    /** The collector refuses events (`why` from {@link intakeWhy}) for `age`: the numbers stopped there. */
    intakeStopped: (why: string, age: string) => string;
    intakeWhy: Record<'spool_full' | 'disk_full' | 'disk_error', string>;
    noData: string;
    /** The collector runs an explicit demo clock `rate`× faster than the wall clock. */
    demoClock: (rate: string) => string;
  };
  error: {
    unknownLine: (line: string) => string;
    /** Heads the list of lines the collector knows, after an unknown one. */
    knownLines: string;
    generic: (message: string) => string;
  };
  state: Record<StationState, string>;
  /** The plant overview (`/plant`): every line on one screen. */
  plant: {
    title: string;
    condition: Record<'running' | 'degraded' | 'down' | 'stopped' | 'no_data', string>;
    thisHour: string;
    shift: string;
    oee: string;
    openCalls: string;
    largestLoss: string;
    noLoss: string;
    noData: string;
    /** A loss of `units` (formatted) units. */
    lossUnits: (units: string) => string;
    noLines: string;
    /** Hover text of a card. */
    openWall: (line: string) => string;
  };
  /** The kiosk (`/kiosk?screen=…`) when it has no playlist to show. */
  kiosk: {
    /** No `screen` in the address. */
    noName: string;
    /** The collector's kiosk file does not name this screen. */
    unknownScreen: (screen: string) => string;
    /** The playlist cannot be fetched now; `detail` is the collector's own words. */
    unavailable: (detail: string) => string;
  };
  /** The fleet page (`/fleet`): every screen reporting to this collector. */
  fleet: {
    title: string;
    screen: string;
    view: string;
    build: string;
    lastSeen: string;
    dataAge: string;
    heap: string;
    reloads: string;
    status: Record<'ok' | 'stale' | 'silent', string>;
    /** Build differs from the one this page runs. */
    oldBuild: string;
    none: string;
    /** "12 秒前" / "12 s ago". */
    ago: (age: string) => string;
    summary: (total: string, silent: string, stale: string) => string;
  };
  /** Units for short durations. */
  duration: { h: string; min: string; s: string };
  /** The wall's honest words (issue 16, branch wall): a catch-up out of reach, a silent source, a takt overrun. */
  wallHonest: {
    /** The plan is out of reach even at the ideal rate: the most the line builds, the units short and the overtime (all formatted). */
    shortAtCapacity: (max: string, short: string, overtime: string) => string;
    /** Hover text of it: the ideal rate it assumes. */
    shortWhy: (rate: string) => string;
    /** A station whose plant-floor source delivers nothing. */
    signalLost: string;
    /** Hover text: station, source and for how long. */
    signalLostTitle: (station: string, source: string, age: string) => string;
    /** Over takt by a duration in words. */
    overBy: string;
    /** Left of the takt, a duration in words. */
    left: string;
  };
  /** The fleet page's admin sign-in (branch wall). */
  fleetAuth: {
    /** Nobody is signed in: who may see the list and how to get in. */
    signInNeeded: string;
    /** Someone is signed in who is not an admin. */
    notAdmin: string;
    token: string;
    person: string;
    pin: string;
    signIn: string;
    signOut: string;
    /** Or, for scripts: the admin token as a bearer header. */
    scripts: string;
    badCredentials: string;
    /** Locked after too many wrong PINs; `seconds` already formatted. */
    locked: (seconds: string) => string;
    failed: (code: string) => string;
  };
}

/** Simplified Chinese, the default. */
export const zhCN: Messages = {
  appName: '节拍线',
  languageName: '中文',
  switchLanguage: '切换语言',
  line: '产线',
  wallView: '大屏',
  loading: '正在连接…',
  wall: {
    thisHour: '本小时产量',
    ofPlan: (plan) => `计划 ${plan}`,
    expectedByNow: (expected) => `此刻应完成 ${expected}`,
    unitsPerHour: '小时产量',
    ofTarget: (target) => `目标 ${target}/小时`,
    trailingHour: '最近 60 分钟',
    takt: '节拍倒计时',
    taktTarget: (duration) => `节拍目标 ${duration}`,
    overTakt: '超出节拍',
    noUnitYet: '尚无下线',
    stations: '工位状态',
    bottleneck: '瓶颈',
    trend: '小时产量趋势',
    perHourUnit: '台/小时',
  },
  shift: {
    title: (name, from, to) => `${name} ${from}–${to}`,
    ended: '已结束',
    unitsVsDue: (units, due) => `本班 ${units} / 应完成 ${due}`,
    gap: (gap) => `差额 ${gap}`,
    forecast: (forecast, plan) => `预计 ${forecast} / 计划 ${plan}`,
    catchUp: (rate) => `追赶需 ${rate} 台/小时`,
    topDowntime: (station, state, duration, reason) => `停机最多 ${station} ${state} ${duration}${reason ? ` ${reason}` : ''}`,
  },
  link: {
    live: '实时',
    connecting: '连接中',
    dataAge: (age) => `数据 ${age}前`,
    linkLost: (age) => `连接中断 ${age}`,
    intakeStopped: (why, age) => `采集暂停：${why} ${age}`,
    intakeWhy: { spool_full: '待写缓存已满', disk_full: '磁盘已满', disk_error: '磁盘故障' },
    noData: '暂无数据',
    demoClock: (rate) => `演示：产线时钟 ${rate}× 速度`,
  },
  error: {
    unknownLine: (line) => `未知产线：${line}`,
    knownLines: '本厂的产线：',
    generic: (message) => `错误：${message}`,
  },
  state: { ...STATE_LABEL_ZH },
  plant: {
    title: '全厂总览',
    condition: { running: '运行', degraded: '部分停顿', down: '停机', stopped: '全线停止', no_data: '无数据' },
    thisHour: '本小时',
    shift: '本班',
    oee: '本班 OEE',
    openCalls: '未关闭呼叫',
    largestLoss: '最大损失',
    noLoss: '无损失',
    noData: '无数据',
    lossUnits: (units) => `${units} 台`,
    noLines: '本厂没有配置产线',
    openWall: (line) => `打开 ${line} 的大屏`,
  },
  kiosk: {
    noName: '地址中缺少屏幕名称：请使用 /kiosk?screen=名称',
    unknownScreen: (screen) => `未知屏幕：${screen}（收集器的屏幕配置文件 TAKTLINE_KIOSK_FILE 中没有它）`,
    unavailable: (detail) => `暂时无法获取播放列表：${detail}`,
  },
  fleet: {
    title: '屏幕管理',
    screen: '屏幕',
    view: '显示内容',
    build: '版本',
    lastSeen: '最后上报',
    dataAge: '数据时效',
    heap: '内存',
    reloads: '重新加载',
    status: { ok: '正常', stale: '数据过期', silent: '失联' },
    oldBuild: '旧版本',
    none: '还没有屏幕上报（大屏地址加 ?screen=名称 即可上报）',
    ago: (age) => `${age}前`,
    summary: (total, silent, stale) => `共 ${total} 块屏幕 · 失联 ${silent} · 数据过期 ${stale}`,
  },
  duration: { h: '小时', min: '分', s: '秒' },
  wallHonest: {
    shortAtCapacity: (max, short, overtime) => `满产最多 ${max} · 将缺 ${short} 台或加班 ${overtime}`,
    shortWhy: (rate) => `按产线最高 ${rate} 台/小时算到班末：计划追不回来`,
    signalLost: '信号中断',
    signalLostTitle: (station, source, age) => `${station} 信号中断 ${age}（数据源 ${source} 无数据，状态为最后收到的）`,
    overBy: '超时',
    left: '剩余',
  },
  fleetAuth: {
    signInNeeded: '屏幕列表仅限管理员查看：请用管理员的个人令牌，或工号和 PIN 登录。',
    notAdmin: '当前登录的账号不是管理员：请退出，再用管理员账号登录。',
    token: '个人令牌',
    person: '工号',
    pin: 'PIN',
    signIn: '登录',
    signOut: '退出登录',
    scripts: '脚本访问：请求头加 Authorization: Bearer <TAKTLINE_ADMIN_TOKEN>',
    badCredentials: '令牌或 PIN 不对',
    locked: (seconds) => `错误次数过多，请 ${seconds} 后再试`,
    failed: (code) => `登录失败（${code}）`,
  },
};

/** English. */
export const en: Messages = {
  appName: 'Taktline',
  languageName: 'English',
  switchLanguage: 'Switch language',
  line: 'Line',
  wallView: 'Wall view',
  loading: 'Connecting…',
  wall: {
    thisHour: 'This hour',
    ofPlan: (plan) => `plan ${plan}`,
    expectedByNow: (expected) => `${expected} due by now`,
    unitsPerHour: 'Units per hour',
    ofTarget: (target) => `target ${target}/h`,
    trailingHour: 'last 60 minutes',
    takt: 'Takt countdown',
    taktTarget: (duration) => `takt target ${duration}`,
    overTakt: 'over takt',
    noUnitYet: 'no unit yet',
    stations: 'Stations',
    bottleneck: 'Bottleneck',
    trend: 'Units per hour, trend',
    perHourUnit: 'units/h',
  },
  shift: {
    title: (name, from, to) => `${name} ${from}–${to}`,
    ended: 'ended',
    unitsVsDue: (units, due) => `${units} built, ${due} due`,
    gap: (gap) => `gap ${gap}`,
    forecast: (forecast, plan) => `forecast ${forecast} of ${plan}`,
    catchUp: (rate) => `${rate}/h to catch up`,
    topDowntime: (station, state, duration, reason) => `most downtime: ${station} ${state} ${duration}${reason ? ` ${reason}` : ''}`,
  },
  link: {
    live: 'Live',
    connecting: 'Connecting',
    dataAge: (age) => `data ${age} old`,
    linkLost: (age) => `link down ${age}`,
    intakeStopped: (why, age) => `intake stopped: ${why} ${age}`,
    intakeWhy: { spool_full: 'write buffer full', disk_full: 'disk full', disk_error: 'disk error' },
    noData: 'no data yet',
    demoClock: (rate) => `Demo: line clock ${rate}× real time`,
  },
  error: {
    unknownLine: (line) => `Unknown line: ${line}`,
    knownLines: 'The lines of this plant:',
    generic: (message) => `Error: ${message}`,
  },
  state: {
    running: 'Running',
    idle: 'Idle',
    starved: 'Starved',
    blocked: 'Blocked',
    fault: 'Fault',
    maintenance: 'Maint.',
    offline: 'Offline',
  },
  plant: {
    title: 'Plant overview',
    condition: { running: 'Running', degraded: 'Partly stopped', down: 'Down', stopped: 'Stopped', no_data: 'No data' },
    thisHour: 'This hour',
    shift: 'This shift',
    oee: 'Shift OEE',
    openCalls: 'Open calls',
    largestLoss: 'Largest loss',
    noLoss: 'no loss',
    noData: 'no data',
    lossUnits: (units) => `${units} units`,
    noLines: 'No lines are configured',
    openWall: (line) => `Open the wall of ${line}`,
  },
  kiosk: {
    noName: 'The address names no screen: use /kiosk?screen=<name>',
    unknownScreen: (screen) => `Unknown screen: ${screen} (the collector's kiosk file, TAKTLINE_KIOSK_FILE, does not name it)`,
    unavailable: (detail) => `Cannot fetch the playlist now: ${detail}`,
  },
  fleet: {
    title: 'Screens',
    screen: 'Screen',
    view: 'Showing',
    build: 'Build',
    lastSeen: 'Last seen',
    dataAge: 'Data age',
    heap: 'Heap',
    reloads: 'Reloads',
    status: { ok: 'OK', stale: 'Stale data', silent: 'Silent' },
    oldBuild: 'old build',
    none: 'No screen has reported yet (add ?screen=name to a wall address)',
    ago: (age) => `${age} ago`,
    summary: (total, silent, stale) => `${total} screens · ${silent} silent · ${stale} with stale data`,
  },
  duration: { h: 'h', min: 'min', s: 's' },
  wallHonest: {
    shortAtCapacity: (max, short, overtime) => `at most ${max} at full rate: ${short} short, or ${overtime} overtime`,
    shortWhy: (rate) => `At the line's top rate of ${rate}/h until the end of the shift: the plan cannot be caught up`,
    signalLost: 'Signal lost',
    signalLostTitle: (station, source, age) => `${station} signal lost ${age} (source ${source} sends nothing; the state is the last one heard)`,
    overBy: 'over by',
    left: 'left',
  },
  fleetAuth: {
    signInNeeded: 'The screen list is for admins: sign in with an admin\'s personal token, or their person id and PIN.',
    notAdmin: 'The person signed in is not an admin: sign out, then sign in as an admin.',
    token: 'Personal token',
    person: 'Person id',
    pin: 'PIN',
    signIn: 'Sign in',
    signOut: 'Sign out',
    scripts: 'For scripts: send Authorization: Bearer <TAKTLINE_ADMIN_TOKEN>',
    badCredentials: 'Wrong token or PIN',
    locked: (seconds) => `Too many wrong tries: try again in ${seconds}`,
    failed: (code) => `Sign-in failed (${code})`,
  },
};

/** Catalogue by locale. */
export const CATALOGUES: Readonly<Record<Locale, Messages>> = { 'zh-CN': zhCN, en };

/** Whether a string names a locale the dashboard speaks. */
export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en';
}
