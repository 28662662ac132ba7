/**
 * Who is told of a call's step, and through which channel: the tier's role,
 * narrowed to the people who answer for the call's line and station, over the
 * tier's channels. E-mail goes to each such person with an address; a group
 * robot or webhook gets one message naming (and @-mentioning) them. Each
 * delivery's id is derived from the step and the channel (and person), so
 * planning the same step again after a restart yields the same ids and the
 * outbox sends nothing twice. Pure.
 */
import { answersFor, type PersonConfig } from '../people';
import { plantAndon, type PlantConfig } from '../plant';
import type { AndonCallEvent } from '../events';
import { tiersFor, type ChannelConfig } from './config';
import type { AndonCallView, Role } from './types';

export interface PlannedDelivery {
  id: string;
  channel: ChannelConfig;
  tier: number;
  role: Role;
  /** The people this step is for. */
  recipients: PersonConfig[];
  /** E-mail: the address; otherwise null (the channel's URL). */
  to: string | null;
  /** Mobiles to @-mention (group robots). */
  mobiles: string[];
  /** Where it goes, for display: an address or a host, never a secret. */
  target: string;
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}

export function planDeliveries(call: AndonCallView, step: Pick<AndonCallEvent, 'id' | 'tier'>, plant: PlantConfig): PlannedDelivery[] {
  const config = plantAndon(plant);
  const tierIndex = step.tier ?? 0;
  const tier = tiersFor(config, call.kind)[tierIndex];
  if (!tier) return [];
  const recipients = (plant.people ?? []).filter((p) => p.role === tier.role && answersFor(p, call.line, call.station));
  const mobiles = recipients.flatMap((p) => (p.notify.mobile ? [p.notify.mobile] : []));
  const planned: PlannedDelivery[] = [];
  for (const channelId of tier.channels) {
    const channel = config.channels.find((c) => c.id === channelId);
    if (!channel) continue;
    if (channel.kind === 'email') {
      for (const p of recipients) {
        if (!p.notify.email) continue;
        planned.push({ id: `${step.id}:${channel.id}:${p.id}`, channel, tier: tierIndex, role: tier.role, recipients: [p], to: p.notify.email, mobiles: [], target: p.notify.email });
      }
    } else {
      planned.push({ id: `${step.id}:${channel.id}`, channel, tier: tierIndex, role: tier.role, recipients, to: null, mobiles, target: host(channel.url) });
    }
  }
  return planned;
}
