/**
 * WebSocket /api/v1/live against the real collector: a snapshot first, then
 * numbered updates when stored events change the line, heartbeats in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LiveServerMessage } from '../../core/live';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { heartbeatMs: 300 } });
});
afterAll(async () => {
  await stack.stop();
});

/** Opens a live socket and collects what it receives. */
async function connect(query: string) {
  const ws = new WebSocket(`${stack.baseUrl.replace('http', 'ws')}/api/v1/live${query}`);
  const messages: LiveServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as LiveServerMessage);
    for (const w of waiters.splice(0)) w();
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  async function next(predicate: (m: LiveServerMessage) => boolean, timeoutMs = 5000): Promise<LiveServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(messages.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
  return { ws, messages, next };
}

describe('live channel', () => {
  it('sends a snapshot, then an update with the next seq when a unit is stored', async () => {
    const client = await connect('?line=A1');
    const snapshot = await client.next((m) => m.type === 'snapshot');
    if (snapshot.type !== 'snapshot') throw new Error('unreachable');
    expect(snapshot.line.line).toBe('A1');
    expect(snapshot.line.taktTarget).toBe(120);
    expect(snapshot.line.stations).toHaveLength(20);
    const before = snapshot.line.unitsPerHour;

    const ts = Date.now() - 1000;
    await stack.postEvents([
      { type: 'unit', ts, line: 'A1', unit: 'LIVE0001' },
      { type: 'state', ts, line: 'A1', station: 'S07', state: 'fault', reason: 'torque tool' },
    ]);
    const update = await client.next((m) => m.type === 'update' && m.line.unitsPerHour === before + 1);
    if (update.type !== 'update') throw new Error('unreachable');
    expect(update.line.stations.find((s) => s.id === 'S07')).toMatchObject({ state: 'fault', reason: 'torque tool', since: ts });
    expect(update.line.receivedAt).not.toBeNull();

    // Every broadcast after the snapshot numbers on by one: nothing missed.
    const stream = client.messages.filter((m) => m.type !== 'snapshot' && m.type !== 'error') as { seq: number }[];
    stream.forEach((m, i) => expect(m.seq).toBe(snapshot.seq + i + 1));
    client.ws.close();
  });

  it('sends heartbeats on a quiet line', async () => {
    const client = await connect('?line=A1');
    await client.next((m) => m.type === 'heartbeat', 3000);
    client.ws.close();
  });

  it('answers a resync with a fresh snapshot', async () => {
    const client = await connect('?line=A1');
    await client.next((m) => m.type === 'snapshot');
    client.ws.send(JSON.stringify({ type: 'resync' }));
    await client.next((m) => m.type === 'snapshot' && client.messages.indexOf(m) > 0);
    client.ws.close();
  });

  it('restores the line from InfluxDB after a restart, with the shift numbers', async () => {
    const first = await connect('?line=A1');
    const before = await first.next((m) => m.type === 'snapshot');
    first.ws.close();
    if (before.type !== 'snapshot') throw new Error('unreachable');
    expect(before.line.unitsPerHour).toBeGreaterThan(0);

    await stack.stopCollector();
    await stack.startCollector();
    const second = await connect('?line=A1');
    const after = await second.next((m) => m.type === 'snapshot');
    if (after.type !== 'snapshot') throw new Error('unreachable');
    expect(after.line.unitsPerHour).toBe(before.line.unitsPerHour);
    expect(after.line.stations.find((s) => s.id === 'S07')).toMatchObject({ state: 'fault' });
    expect(after.line.shift).not.toBeNull();
    expect(after.line.shift?.units).toBe(before.line.shift?.units);
    expect(after.line.kpis?.bottleneck.why.en.length).toBeGreaterThan(0);
    second.ws.close();
  });

  it('says so when the line is unknown or a message is malformed', async () => {
    const client = await connect('?line=Q7');
    const error = await client.next((m) => m.type === 'error');
    expect(error).toMatchObject({ type: 'error', code: 'unknown_line', message: expect.stringContaining('A1') });
    client.ws.send('not json');
    await client.next((m) => m.type === 'error' && m.code === 'bad_message');
    client.ws.close();
  });
});
