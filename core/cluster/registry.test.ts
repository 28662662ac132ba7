import { describe, expect, it } from 'vitest';
import { referencePlant } from '../plant';
import { chainLinks } from './chain';
import { referencePartnerRegistry } from './reference';
import { parseRegistry, registryPlantIssues } from './registry';

describe('partner registry', () => {
  it('accepts the demo registry, which fits the reference plant', () => {
    const parsed = parseRegistry(referencePartnerRegistry());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(registryPlantIssues(parsed.registry, referencePlant())).toEqual([]);
    expect(parsed.registry.partners.map((p) => p.id)).toEqual(expect.arrayContaining(['P-BATT-01', 'P-SEAT-01', 'P-EDRV-01', 'P-CHIP-01']));
  });

  it('fills defaults: target 1000 亿元 in 2027, deliveries from midnight', () => {
    const r = referencePartnerRegistry();
    const { targetYuan: _t, targetYear: _y, timeZone: _z, chainMasterEntity: _c, runRateMonths: _m, ...cluster } = r.cluster;
    const raw = { ...r, cluster, partners: [{ ...r.partners[0]!, inventoryPolicy: { minHours: 2, deliveryEveryHours: 2 } }] };
    const parsed = parseRegistry(raw);
    expect(parsed.ok && parsed.registry.cluster).toMatchObject({ targetYuan: 1e11, targetYear: 2027, timeZone: 'Asia/Shanghai', runRateMonths: 3 });
    expect(parsed.ok && parsed.registry.partners[0]?.inventoryPolicy?.firstDeliveryAt).toBe('00:00');
  });

  it('names the field of every problem', () => {
    const r = referencePartnerRegistry();
    const bad = {
      ...r,
      partners: [
        { ...r.partners[0]!, category: 'tyres' },
        { ...r.partners[1]!, id: r.partners[0]!.id },
        { ...r.partners[2]!, inventoryPolicy: { minHours: 2, deliveryEveryHours: 0 } },
        { ...r.partners[3]!, tier: 4 },
      ],
    };
    const parsed = parseRegistry(bad);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toEqual(
      expect.arrayContaining([
        { path: 'partners.2.inventoryPolicy.deliveryEveryHours', message: 'inventoryPolicy.deliveryEveryHours must be greater than 0 and at most 168' },
        { path: 'partners.3.tier', message: 'tier must be 1, 2 or 3' },
      ]),
    );
    // Cross-field checks run once every field is well-formed.
    const crossOnly = parseRegistry({ ...bad, partners: bad.partners.slice(0, 2) });
    expect(!crossOnly.ok && crossOnly.issues).toEqual([
      { path: 'partners.0.category', message: expect.stringContaining("category 'tyres' is not one of the registry's categories") as string },
      { path: 'partners.1.id', message: "partner id 'P-BATT-01' appears twice" },
    ]);
    const year = parseRegistry({ ...r, cluster: { ...r.cluster, baseline: { year: 2027, valueYuan: 1 } } });
    expect(!year.ok && year.issues).toEqual([{ path: 'cluster.baseline.year', message: 'cluster.baseline.year must be before cluster.targetYear' }]);
    expect(parseRegistry({ ...r, extra: 1 }).ok).toBe(false);
  });

  it('reports stations the plant does not have', () => {
    const r = referencePartnerRegistry();
    r.partners[0]!.stations = [{ line: 'A1', station: 'S99' }, { line: 'B7', station: 'S01' }];
    expect(registryPlantIssues(r, referencePlant())).toEqual([
      { path: 'partners.0.stations.0.station', message: "line A1 has no station 'S99'" },
      { path: 'partners.0.stations.1.line', message: "line 'B7' is not in the plant (lines: A1)" },
    ]);
  });
});

describe('chainLinks', () => {
  it('marks the links without a partner in the district as gaps', () => {
    const r = referencePartnerRegistry();
    const links = chainLinks(r.categories, r.partners);
    expect(links.filter((l) => l.gap).map((l) => [l.category, l.outOfDistrict])).toEqual([
      ['glass', ['P-GLAS-01']],
      ['adas-software', ['P-ADAS-01']],
      ['lidar', []],
    ]);
    expect(links.find((l) => l.category === 'battery')).toMatchObject({ inDistrict: ['P-BATT-01'], gap: false });
  });
});
