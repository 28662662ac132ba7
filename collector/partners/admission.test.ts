import { describe, expect, it } from 'vitest';
import { referencePartnerRegistry } from '../../core/cluster/reference';
import type { StationEvent } from '../../core/events';
import { NameAdmission } from './admission';

const partner = (name: string): StationEvent => ({ type: 'partner', ts: 0, partner: name, status: 'ok' });
const output = (name: string): StationEvent => ({ type: 'output', ts: 0, entity: name, period: '2027-03', value: 1 });

function admission(limit: number, registry = referencePartnerRegistry()): { a: NameAdmission; use: (r: typeof registry) => void } {
  let current = registry;
  return { a: new NameAdmission(limit, () => current), use: (r) => (current = r) };
}

describe('NameAdmission', () => {
  it('passes registered partners, the chain master and partners as entities, and events without such names', () => {
    const { a } = admission(0);
    expect(a.check(partner('P-BATT-01'))).toBeNull();
    expect(a.check(output('PLANT-A1'))).toBeNull();
    expect(a.check(output('P-SEAT-01'))).toBeNull();
    expect(a.check({ type: 'unit', ts: 0, line: 'A1', unit: 'V1' })).toBeNull();
  });

  it('refuses an unregistered name by default, the chain master as a partner included, saying where to register it', () => {
    const { a } = admission(0);
    expect(a.check(partner('P-NEW'))).toMatchObject({ code: 'unknown_partner', field: 'partner' });
    expect(a.check(partner('PLANT-A1'))).toMatchObject({ code: 'unknown_partner' });
    const entity = a.check(output('constructor'));
    expect(entity).toMatchObject({ code: 'unknown_entity', field: 'entity' });
    expect(entity?.reason).toMatch(/TAKTLINE_PARTNERS_FILE.*PUT \/api\/v1\/partners.*TAKTLINE_MAX_UNREGISTERED_NAMES/);
    expect(entity?.reason).toContain('PLANT-A1');
  });

  it('lets in at most `limit` distinct unregistered names, repeats of them always', () => {
    const { a } = admission(2);
    expect(a.check(partner('N1'))).toBeNull();
    expect(a.check(output('N1'))).toBeNull();
    expect(a.check(partner('N1'))).toBeNull();
    expect(a.check(partner('N2'))?.reason).toMatch(/the 2 unregistered names TAKTLINE_MAX_UNREGISTERED_NAMES allows are taken/);
    expect(a.unregisteredCount()).toBe(2);
  });

  it('counts names stored by earlier runs, registered ones excepted', () => {
    const { a } = admission(2);
    a.seed('partner', ['P-BATT-01', 'OLD-1']);
    expect(a.unregisteredCount()).toBe(1);
    expect(a.check(partner('OLD-1'))).toBeNull();
    expect(a.check(partner('NEW-1'))).toBeNull();
    expect(a.check(partner('NEW-2'))).not.toBeNull();
  });

  it('follows the registry: a partner registered later passes', () => {
    const { a, use } = admission(0);
    expect(a.check(partner('P-LATE'))).not.toBeNull();
    const registry = referencePartnerRegistry();
    registry.partners.push({ ...registry.partners[0]!, id: 'P-LATE' });
    use(registry);
    expect(a.check(partner('P-LATE'))).toBeNull();
  });
});
