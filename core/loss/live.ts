/**
 * The wall's view of losses (LineLive.losses): the momentary bottleneck and
 * the shift's largest loss so far, from the same analysis as the waterfall.
 */
import { momentaryBottleneck, type PartnerOf, partnerFromReason } from '../kpi/active-period';
import type { LossAnalysis } from './waterfall';
import type { LossCause, LossLive, LossTerm } from './types';

/**
 * The largest loss by owner: every term charged to one partner counts
 * together (starved or blocked behind it), other terms by kind and station,
 * whatever their state or reason. `unexplained` is not a cause and is left out.
 */
export function largestLoss(losses: readonly LossTerm[]): { cause: LossCause; units: number } | null {
  const byOwner = new Map<string, { cause: LossCause; units: number }>();
  for (const l of losses) {
    if (l.cause.kind === 'unexplained') continue;
    const cause: LossCause =
      l.cause.partner !== undefined
        ? { kind: 'starved', partner: l.cause.partner, ...(l.cause.station !== undefined ? { station: l.cause.station } : {}) }
        : { kind: l.cause.kind, ...(l.cause.station !== undefined ? { station: l.cause.station } : {}) };
    const key = l.cause.partner !== undefined ? `p|${l.cause.partner}` : `${l.cause.kind}|${l.cause.station ?? ''}`;
    const entry = byOwner.get(key) ?? { cause, units: 0 };
    entry.units = Math.round((entry.units + l.units) * 1000) / 1000;
    byOwner.set(key, entry);
  }
  const best = [...byOwner.values()].sort((a, b) => b.units - a.units)[0];
  return best && best.units > 0 ? best : null;
}

/** LossLive from a shift's analysis (computed up to now). */
export function lossLive(analysis: LossAnalysis, partnerOf: PartnerOf = partnerFromReason): LossLive {
  const m = momentaryBottleneck(analysis.timelines, analysis.asOf, partnerOf);
  return {
    bottleneck: { station: m.station, shifting: m.shifting, why: m.why },
    largestLoss: analysis.report.status === 'no_data' ? null : largestLoss(analysis.report.losses),
  };
}
