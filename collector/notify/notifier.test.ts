import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AndonCallView } from '../../core/andon/types';
import type { AndonCallEvent } from '../../core/events';
import { referencePlant, type PlantConfig } from '../../core/plant';
import { DEFAULT_ANDON_SETTINGS } from '../andon/settings';
import { OutboxNotifier } from './notifier';

let url = '';
let status = 200;
let received = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received += 1;
    res.writeHead(status);
    res.end();
  });
});
const dir = mkdtempSync(join(tmpdir(), 'taktline-notifier-'));
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/h`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const T0 = 1_800_000_000_000;
function plant(): PlantConfig {
  const p = referencePlant(3);
  p.andon = {
    kinds: [{ id: 'help', label: { zh: '求助', en: 'Help' }, priority: 'normal' }],
    escalation: [{ role: 'team_leader', afterSeconds: 0, channels: ['hook'] }],
    resolutionReasons: [{ id: 'other', label: { zh: '其他', en: 'Other' } }],
    channels: [{ id: 'hook', kind: 'webhook', url, secret: '0123456789abcdef' }],
    rules: [],
  };
  return p;
}
const call = { id: 'c-1', line: 'A1', station: 'S01', kind: 'help', priority: 'normal', status: 'open', raisedAt: T0, raisedBy: { kind: 'person', id: 'p', name: 'P' }, note: null, tier: 0, tierRole: 'team_leader', escalations: [{ tier: 0, role: 'team_leader', at: T0 }], acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null, resolution: null, cancelledAt: null, cancelledBy: null, reopens: null } satisfies AndonCallView;
const step = (id: string): AndonCallEvent => ({ type: 'andon_call', ts: T0, id, call: 'c-1', action: 'raise', line: 'A1', actorKind: 'person', actorId: 'p', actorName: 'P', tier: 0, role: 'team_leader' });
const until = async (check: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('OutboxNotifier', () => {
  it('a step planned before the outbox opens is queued and sent once it does', async () => {
    received = 0;
    status = 200;
    const n = new OutboxNotifier({ plant: plant(), outboxPath: join(dir, 'a.ndjson'), settings: DEFAULT_ANDON_SETTINGS.notify, clock: () => T0, pollMs: 10 });
    n.step(call, step('c-1.raise'));
    await n.open();
    await until(() => received === 1);
    await n.settled();
    expect(n.deliveries({ call: 'c-1' })).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
    await n.close();
  });

  it('backs off by doubling from the minimum, gives up after maxAttempts, and says the channel is failing', async () => {
    received = 0;
    status = 503;
    let now = T0;
    const settings = { ...DEFAULT_ANDON_SETTINGS.notify, retryMinMs: 1000, retryMaxMs: 3000, maxAttempts: 4, failingAfter: 3 };
    const n = new OutboxNotifier({ plant: plant(), outboxPath: join(dir, 'b.ndjson'), settings, clock: () => now, pollMs: 10, log: () => undefined });
    await n.open();
    n.step(call, step('c-1.raise'));
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await until(() => received === attempt);
      await n.settled();
      const d = n.deliveries({ call: 'c-1' })[0];
      if (d?.nextAttemptAt && d.lastAttemptAt) gaps.push(d.nextAttemptAt - d.lastAttemptAt);
      await new Promise((r) => setTimeout(r, 50));
      expect(received).toBe(attempt); // nothing before its time
      now += 3000;
    }
    expect(gaps).toEqual([1000, 2000, 3000]);
    expect(n.deliveries({ call: 'c-1' })[0]).toMatchObject({ status: 'failed', attempts: 4, lastError: expect.stringContaining('answered 503') });
    expect(n.channels()).toEqual([expect.objectContaining({ id: 'hook', failing: true, consecutiveFailures: 4 })]);
    await n.close();
  });
});
