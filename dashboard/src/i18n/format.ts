/**
 * Numbers, money, durations and clock times in the locale's style. Pure: the
 * locale and the line's time zone are parameters, never the browser's own.
 */
import type { Locale, Messages } from './messages';

const numberFormats = new Map<string, Intl.NumberFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: Locale, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f;
}

/** A count or rate, grouped the locale's way, with at most `digits` decimals. */
export function formatNumber(value: number, locale: Locale, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return numberFormat(locale, digits).format(value);
}

const WAN = 1e4;
const YI = 1e8;

/**
 * An amount in yuan. Chinese counts in 万 (10⁴) and 亿 (10⁸): 1000 亿元, not
 * 100 billion; English uses short scale with the CN¥ sign.
 */
export function formatYuan(yuan: number, locale: Locale): string {
  if (!Number.isFinite(yuan)) return '–';
  const abs = Math.abs(yuan);
  if (locale === 'zh-CN') {
    if (abs >= YI) return `${formatNumber(yuan / YI, locale, abs >= 100 * YI ? 0 : 2)} 亿元`;
    if (abs >= WAN) return `${formatNumber(yuan / WAN, locale, abs >= 100 * WAN ? 0 : 2)} 万元`;
    return `${formatNumber(yuan, locale)} 元`;
  }
  const scales: [number, string][] = [
    [1e12, ' trillion'],
    [1e9, ' billion'],
    [1e6, ' million'],
  ];
  for (const [scale, word] of scales) {
    if (abs >= scale) return `CN¥${formatNumber(yuan / scale, locale, abs >= 100 * scale ? 0 : 2)}${word}`;
  }
  return `CN¥${formatNumber(yuan, locale)}`;
}

/**
 * A duration as a clock face, `m:ss` under an hour and `h:mm:ss` above: the
 * same in every language and readable from across the hall.
 */
export function formatClockDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * A duration in words, never clock-like: "16分30秒" / "16 min 30 s",
 * "1小时04分" / "1 h 04 min", "45秒" / "45 s". A wall next to a clock must
 * not show "16:30" for sixteen minutes.
 */
export function formatDuration(seconds: number, locale: Locale): string {
  if (!Number.isFinite(seconds)) return '–';
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const zh = locale === 'zh-CN';
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  if (h > 0) return zh ? `${h}小时${mm}分` : `${h} h ${mm} min`;
  if (m > 0) return zh ? `${m}分${ss}秒` : `${m} min ${ss} s`;
  return zh ? `${s}秒` : `${s} s`;
}

/** A short age in words, e.g. "12 秒" / "12 s", "3 分" / "3 min", "2 小时" / "2 h". */
export function formatAge(seconds: number, messages: Messages): string {
  const total = Math.max(0, Math.floor(seconds));
  const { h, min, s } = messages.duration;
  if (total < 60) return `${total} ${s}`;
  if (total < 3600) return `${Math.floor(total / 60)} ${min}`;
  return `${Math.floor(total / 3600)} ${h}`;
}

/** Wall-clock time `HH:mm:ss` of `ts` in the line's time zone. */
export function formatTimeOfDay(ts: number, timeZone: string, locale: Locale, withSeconds = true): string {
  const key = `${locale}|${timeZone}|${withSeconds}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
    });
    timeFormats.set(key, f);
  }
  return f.format(ts);
}

/** Date of `ts` in the line's time zone, e.g. "2025年3月4日 星期二" / "Tue, Mar 4, 2025". */
export function formatDate(ts: number, timeZone: string, locale: Locale): string {
  const key = `date|${locale}|${timeZone}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' });
    timeFormats.set(key, f);
  }
  return f.format(ts);
}
