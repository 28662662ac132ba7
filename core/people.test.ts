import { describe, expect, it } from 'vitest';
import { PlantConfig, referencePlant } from './plant';

const GOOD_HASH = 'scrypt$16384$8$1$oQqn5U18f+o02LKdc5Kcog==$MyG1oCJvKVWb9q+2n6tYeopEtAPCQ6zQut9jAI465Ng=';

function issue(patch: (p: Record<string, unknown>) => void): { path: string; message: string } | null {
  const plant = JSON.parse(JSON.stringify(referencePlant(5))) as Record<string, unknown>;
  patch(plant);
  const r = PlantConfig.safeParse(plant);
  if (r.success) return null;
  const i = r.error.issues[0];
  return { path: i?.path.join('.') ?? '', message: i?.message ?? '' };
}

describe('people and andon in the plant file', () => {
  it('the reference plant with its demo people validates', () => {
    expect(issue(() => undefined)).toBeNull();
  });
  it.each([
    ['a role that does not exist', (p: Record<string, unknown>) => (p.people = [{ id: 'x', name: 'X', role: 'boss' }]), 'people.0.role', 'role must be one of operator'],
    ['a PIN instead of its hash', (p: Record<string, unknown>) => (p.people = [{ id: 'x', name: 'X', role: 'operator', pinHash: '1234' }]), 'people.0.pinHash', 'never the PIN itself'],
    ['an unknown line', (p: Record<string, unknown>) => (p.people = [{ id: 'x', name: 'X', role: 'operator', lines: ['B7'] }]), 'people.0.lines.0', "line 'B7' is not one of the plant's lines"],
    ['a station on none of their lines', (p: Record<string, unknown>) => (p.people = [{ id: 'x', name: 'X', role: 'operator', stations: ['S99'] }]), 'people.0.stations.0', "station 'S99' is on none"],
    ['a person twice', (p: Record<string, unknown>) => (p.people = [{ id: 'x', name: 'X', role: 'operator', pinHash: GOOD_HASH }, { id: 'x', name: 'Y', role: 'admin' }]), 'people.1.id', 'listed twice'],
    ['a bad e-mail', (p: Record<string, unknown>) => (p.people = [{ id: 'x', name: 'X', role: 'operator', notify: { email: 'nope' } }]), 'people.0.notify.email', 'must be an e-mail address'],
    ['a tier naming no channel', (p: Record<string, unknown>) => (p.andon = { escalation: [{ role: 'team_leader', afterSeconds: 0, channels: ['ghost'] }] }), 'andon.escalation.0.channels.0', "channel 'ghost' is not in andon.channels"],
    ['a first tier not at 0 s', (p: Record<string, unknown>) => (p.andon = { escalation: [{ role: 'team_leader', afterSeconds: 30 }] }), 'andon.escalation', 'first tier must have afterSeconds: 0'],
    ['a rule for an unknown kind', (p: Record<string, unknown>) => (p.andon = { rules: [{ id: 'r', type: 'fault', afterSeconds: 60, kind: 'nope' }] }), 'andon.rules.0.kind', "kind 'nope' is not in andon.kinds"],
    ['a rule for an unknown station', (p: Record<string, unknown>) => (p.andon = { rules: [{ id: 'r', type: 'fault', afterSeconds: 60, stations: ['S42'] }] }), 'andon.rules.0.stations.0', "station 'S42' is not on the rule's line"],
    ['a silent factor that would fire on one late report', (p: Record<string, unknown>) => (p.andon = { rules: [{ id: 'r', type: 'silent', factor: 1 }] }), 'andon.rules.0.factor', 'at least 1.5'],
    ['a webhook with a short secret', (p: Record<string, unknown>) => (p.andon = { channels: [{ id: 'h', kind: 'webhook', url: 'https://x.example/h', secret: 'short' }] }), 'andon.channels.0.secret', 'at least 16 characters'],
  ])('refuses %s with the field and a reason', (_what, patch, path, message) => {
    const got = issue(patch);
    expect(got?.path).toBe(path);
    expect(got?.message).toContain(message);
  });
});
