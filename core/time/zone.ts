/** Time-zone arithmetic on epoch milliseconds, with Intl only (no I/O, no clock). */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True for an IANA time zone name this runtime knows, e.g. `Asia/Shanghai`. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Offsets already computed, per zone, by 15-minute block of UTC time. Every
 * offset change since 1970 falls on a quarter hour of UTC (a zone's offsets
 * are whole quarter hours and changes happen on a local quarter hour), so one
 * block has one offset. Intl's formatToParts costs microseconds per call and
 * a year of hour buckets asks hundreds of thousands of times.
 */
const offsetCache = new Map<string, Map<number, number>>();
const BLOCK_MS = 15 * 60_000;
/** Blocks remembered per zone before the cache starts over (about 3 years of quarter hours). */
const MAX_CACHED_BLOCKS = 100_000;

/** Offset of `timeZone` from UTC at instant `ts`, in milliseconds (east positive). */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  if (!Number.isFinite(ts)) return offsetAt(ts, timeZone);
  const block = Math.floor(ts / BLOCK_MS);
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  let offset = zone.get(block);
  if (offset === undefined) {
    offset = offsetAt(block * BLOCK_MS, timeZone);
    if (zone.size >= MAX_CACHED_BLOCKS) zone.clear();
    zone.set(block, offset);
  }
  return offset;
}

/** The offset as Intl gives it, uncached (exported for the test that holds the cache to it). */
export function offsetAt(ts: number, timeZone: string): number {
  const parts = Object.create(null) as Record<string, number>;
  for (const p of formatter(timeZone).formatToParts(new Date(ts))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  const wholeSeconds = Math.floor(ts / 1000) * 1000;
  return asUtc - wholeSeconds;
}

/** Start of the local clock hour that contains `ts`, as epoch ms. */
export function startOfLocalHour(ts: number, timeZone: string): number {
  const offset = zoneOffsetMs(ts, timeZone);
  const local = ts + offset;
  const flooredLocal = local - (((local % 3_600_000) + 3_600_000) % 3_600_000);
  return flooredLocal - offset;
}
