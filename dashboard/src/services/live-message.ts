/**
 * Checks what arrives on the live WebSocket before anything trusts its type.
 * Hand-written rather than a zod schema: the wall screen's bundle stays small,
 * and the check only needs to guarantee what the view reads.
 */
import { STATION_STATES, type StationState } from '@core/vocabulary';
import type { LineLive, LiveServerMessage, StationLive } from '@core/live';

/** Station states the dashboard knows how to draw: the protocol's own list. */
export const KNOWN_STATION_STATES: readonly StationState[] = STATION_STATES;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull = (v: unknown): v is number | null => v === null || isNum(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isName = (v: unknown): v is { zh: string; en: string } => isObj(v) && isStr(v.zh) && isStr(v.en);
const isState = (v: unknown): v is StationState => (KNOWN_STATION_STATES as readonly unknown[]).includes(v);

function isStation(v: unknown): v is StationLive {
  return (
    isObj(v) &&
    isStr(v.id) &&
    isName(v.name) &&
    isState(v.state) &&
    isNumOrNull(v.since) &&
    (v.reason === null || isStr(v.reason)) &&
    isNumOrNull(v.lastCycleTime)
  );
}

/** The shift fields the wall reads; anything else in `shift` is passed through untouched. */
function isShift(v: unknown): v is NonNullable<LineLive['shift']> {
  return (
    isObj(v) &&
    isObj(v.shift) &&
    isName(v.shift.name) &&
    isNum(v.shift.start) &&
    isNum(v.shift.end) &&
    (v.status === 'running' || v.status === 'ended') &&
    isNum(v.hourStart) &&
    isNum(v.hourPlan) &&
    isNum(v.hourPlanByNow) &&
    isNum(v.units) &&
    isNum(v.planByNow) &&
    isNum(v.planTotal) &&
    isNumOrNull(v.forecast)
  );
}

function isKpis(v: unknown): v is NonNullable<LineLive['kpis']> {
  return isObj(v) && isObj(v.bottleneck) && (v.bottleneck.station === null || isStr(v.bottleneck.station)) && isName(v.bottleneck.why);
}

/**
 * The line of a snapshot or update, or null when a field the dashboard reads
 * is missing or mistyped. `shift` and `kpis` are newer and optional in
 * practice: absent or malformed, they become null and the wall falls back to
 * what it can compute itself.
 */
export function toLineLive(v: unknown): LineLive | null {
  if (!isLineCore(v)) return null;
  return { ...v, shift: isShift(v.shift) ? v.shift : null, kpis: isKpis(v.kpis) ? v.kpis : null };
}

function isLineCore(v: unknown): v is Omit<LineLive, 'shift' | 'kpis'> & { shift?: unknown; kpis?: unknown } {
  return (
    isObj(v) &&
    isStr(v.line) &&
    isName(v.name) &&
    isStr(v.timeZone) &&
    isNum(v.targetPerHour) &&
    v.targetPerHour > 0 &&
    isNum(v.taktTarget) &&
    isNum(v.unitsThisHour) &&
    isNum(v.hourStart) &&
    isNum(v.unitsPerHour) &&
    isNumOrNull(v.lastUnitAt) &&
    isNum(v.unitsTotal) &&
    Array.isArray(v.stations) &&
    v.stations.every(isStation) &&
    isNumOrNull(v.dataAt) &&
    isNum(v.now) &&
    isNumOrNull(v.receivedAt)
  );
}

/** Parses one text frame; null when it is not a well-formed server message. */
export function parseLiveMessage(text: unknown): LiveServerMessage | null {
  if (typeof text !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(v)) return null;
  switch (v.type) {
    case 'snapshot':
    case 'update': {
      const line = toLineLive(v.line);
      return isNum(v.seq) && isNum(v.serverTime) && line ? { type: v.type, seq: v.seq, serverTime: v.serverTime, line } : null;
    }
    case 'heartbeat':
      return isNum(v.seq) && isNum(v.serverTime) ? { type: 'heartbeat', seq: v.seq, serverTime: v.serverTime } : null;
    case 'error':
      return isStr(v.code) ? { type: 'error', code: v.code, message: isStr(v.message) ? v.message : v.code } : null;
    default:
      return null;
  }
}
