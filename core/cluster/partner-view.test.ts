import { describe, expect, it } from 'vitest';
import { referencePlant } from '../plant';
import type { ShortageEpisode } from '../loss/types';
import type { PartnerStatusReport } from './material-risk';
import { partnerViews } from './partner-view';
import { referencePartnerRegistry } from './reference';

describe('partnerViews', () => {
  it("keeps a partner's shortage episodes after its status is ok again, newest first", () => {
    const registry = referencePartnerRegistry();
    const ok: PartnerStatusReport = { partner: 'P-BATT-01', ts: 5_000, status: 'ok', inventoryHours: 6.3, onTimeRate: 0.97, note: null };
    const episode = (starvedFrom: number): ShortageEpisode => ({ partner: 'P-BATT-01', station: 'S07', alertAt: starvedFrom - 100, starvedFrom, supplyBackAt: starvedFrom + 500, unitsLost: 41 });
    const views = partnerViews(registry, new Map([['P-BATT-01', ok]]), [], referencePlant(), [episode(1_000), episode(3_000)]);
    const battery = views.find((v) => v.id === 'P-BATT-01');
    expect(battery?.status?.status).toBe('ok');
    expect(battery?.shortages?.map((e) => e.starvedFrom)).toEqual([3_000, 1_000]);
    expect(views.find((v) => v.id === 'P-SEAT-01')?.shortages).toEqual([]);
  });
});
