/**
 * MTTA (raise → acknowledge) and MTTR (raise → resolve) of andon calls, per
 * kind, station and tier. One definition, used by /api/v1/kpi and the
 * manager workspace. Cancelled calls count for neither; a call still open
 * counts only in `calls`. No calls: `seconds` is null ("no data"), never 0.
 */
import type { AndonCallView } from './types';

export interface AndonStat {
  /** Mean seconds; null when no call contributes. */
  seconds: number | null;
  /** Calls the mean is over. */
  calls: number;
}

export interface AndonKpiGroup {
  mtta: AndonStat;
  mttr: AndonStat;
  /** Calls raised in the interval (not cancelled). */
  calls: number;
}

export interface AndonKpis extends AndonKpiGroup {
  byKind: (AndonKpiGroup & { kind: string })[];
  byStation: (AndonKpiGroup & { station: string | null })[];
  /** By the tier a call had reached when it was acknowledged (or is at, while open). */
  byTier: (AndonKpiGroup & { tier: number })[];
}

/** The tier a call had reached at its acknowledgement (its current tier while unacknowledged). */
export function tierAtAcknowledgement(call: AndonCallView): number {
  if (call.acknowledgedAt === null) return call.tier;
  let tier = 0;
  for (const x of call.escalations) if (x.at <= call.acknowledgedAt) tier = Math.max(tier, x.tier);
  return tier;
}

function stat(values: number[]): AndonStat {
  if (values.length === 0) return { seconds: null, calls: 0 };
  const sum = values.reduce((a, b) => a + b, 0);
  return { seconds: Math.round((sum / values.length / 1000) * 10) / 10, calls: values.length };
}

function group(calls: readonly AndonCallView[]): AndonKpiGroup {
  const ack: number[] = [];
  const res: number[] = [];
  for (const c of calls) {
    if (c.acknowledgedAt !== null) ack.push(c.acknowledgedAt - c.raisedAt);
    if (c.resolvedAt !== null) res.push(c.resolvedAt - c.raisedAt);
  }
  return { mtta: stat(ack), mttr: stat(res), calls: calls.length };
}

function by<K>(calls: readonly AndonCallView[], key: (c: AndonCallView) => K): Map<K, AndonCallView[]> {
  const groups = new Map<K, AndonCallView[]>();
  for (const c of calls) {
    const k = key(c);
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  return groups;
}

/** MTTA and MTTR over `calls` (those raised in the interval asked for). */
export function andonKpis(calls: readonly AndonCallView[]): AndonKpis {
  const counted = calls.filter((c) => c.status !== 'cancelled');
  return {
    ...group(counted),
    byKind: [...by(counted, (c) => c.kind)].map(([kind, cs]) => ({ kind, ...group(cs) })).sort((a, b) => a.kind.localeCompare(b.kind)),
    byStation: [...by(counted, (c) => c.station)]
      .map(([station, cs]) => ({ station, ...group(cs) }))
      .sort((a, b) => (a.station ?? '').localeCompare(b.station ?? '')),
    byTier: [...by(counted, tierAtAcknowledgement)].map(([tier, cs]) => ({ tier, ...group(cs) })).sort((a, b) => a.tier - b.tier),
  };
}
