import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type Delivery } from './outbox';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function path(): string {
  const dir = mkdtempSync(join(tmpdir(), 'taktline-outbox-'));
  dirs.push(dir);
  return join(dir, 'andon-outbox.ndjson');
}
const T0 = 1_800_000_000_000;
const delivery = (id: string): Delivery => ({
  id, call: 'c1', line: 'A1', channel: 'hook', channelKind: 'webhook', target: 'h.example', status: 'pending', attempts: 0, lastError: null,
  lastAttemptAt: null, nextAttemptAt: T0, createdAt: T0, sentAt: null, payload: { title: 't', markdown: 'm', text: 'x', to: null, mobiles: [], webhook: {} },
});

describe('outbox', () => {
  it('keeps deliveries and their attempts across a reopen; a known id is never queued twice', async () => {
    const file = path();
    const a = await Outbox.open(file, T0, 86_400_000);
    expect(await a.enqueue([delivery('d1'), delivery('d2')])).toHaveLength(2);
    await a.record('d1', { at: T0 + 1, status: 'sent', error: null, next: null });
    await a.record('d2', { at: T0 + 1, status: 'pending', error: 'refused', next: T0 + 2000 });
    await a.close();
    const b = await Outbox.open(file, T0 + 10, 86_400_000);
    expect(b.get('d1')).toMatchObject({ status: 'sent', attempts: 1, sentAt: T0 + 1 });
    expect(b.get('d2')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'refused', nextAttemptAt: T0 + 2000 });
    expect(await b.enqueue([delivery('d1'), delivery('d3')])).toEqual([expect.objectContaining({ id: 'd3' })]);
    await b.close();
  });

  it('ignores a torn last line and compacts: sent deliveries older than the retention are dropped', async () => {
    const file = path();
    const a = await Outbox.open(file, T0, 1000);
    await a.enqueue([delivery('old'), delivery('open')]);
    await a.record('old', { at: T0, status: 'sent', error: null, next: null });
    await a.close();
    appendFileSync(file, '{"t":"a","id":"open","at":');
    const b = await Outbox.open(file, T0 + 5000, 1000);
    expect(b.has('old')).toBe(false);
    expect(b.get('open')).toMatchObject({ status: 'pending', attempts: 0 });
    await b.close();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('compacts while open: old sent deliveries leave memory and the file, later appends land in the new file', async () => {
    const file = path();
    const a = await Outbox.open(file, T0, 1000);
    await a.enqueue([delivery('old'), delivery('open')]);
    await a.record('old', { at: T0, status: 'sent', error: null, next: null });
    await a.compact(T0 + 5000, 1000);
    expect(a.has('old')).toBe(false);
    await a.enqueue([delivery('new')]);
    await a.close();
    const b = await Outbox.open(file, T0 + 5000, 1000);
    expect([...b.all()].map((d) => d.id).sort()).toEqual(['new', 'open']);
    await b.close();
  });
});
