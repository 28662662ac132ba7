/**
 * Escalation: a call that nobody acknowledged climbs to the next tier once
 * its delay has passed. Pure: `now` is a parameter, so tests run on fake or
 * scaled time.
 */
import type { EscalationTier } from './config';
import type { AndonCallView } from './types';

/** The next tier the call must reach at `now`, or null. One step at a time: each is recorded. */
export function dueEscalation(call: AndonCallView, tiers: readonly EscalationTier[], now: number): { tier: number; role: EscalationTier['role'] } | null {
  if (call.status !== 'open') return null;
  const next = call.tier + 1;
  const tier = tiers[next];
  if (!tier) return null;
  if (now < call.raisedAt + tier.afterSeconds * 1000) return null;
  return { tier: next, role: tier.role };
}

/** When the next escalation of an open call is due, epoch ms; null when none is. */
export function nextEscalationAt(call: AndonCallView, tiers: readonly EscalationTier[]): number | null {
  if (call.status !== 'open') return null;
  const tier = tiers[call.tier + 1];
  return tier ? call.raisedAt + tier.afterSeconds * 1000 : null;
}
