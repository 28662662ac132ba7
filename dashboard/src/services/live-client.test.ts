import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket, ManualTimers, lineFixture } from '../testing/fakes';
import { createLiveClient, reconnectDelay, type LiveClient, type LiveClientEvent } from './live-client';

const URL = 'ws://collector/api/v1/live?line=A1';

describe('reconnectDelay', () => {
  it('grows exponentially with equal jitter and stays under the cap', () => {
    expect(reconnectDelay(0, 500, 15_000, () => 0)).toBe(250);
    expect(reconnectDelay(0, 500, 15_000, () => 0.999)).toBe(500);
    expect(reconnectDelay(3, 500, 15_000, () => 0)).toBe(2000);
    expect(reconnectDelay(10, 500, 15_000, () => 0)).toBe(7500);
    expect(reconnectDelay(1000, 500, 15_000, () => 0.999)).toBeLessThanOrEqual(15_000);
  });
});

describe('createLiveClient', () => {
  let timers: ManualTimers;
  let events: LiveClientEvent[];
  let client: LiveClient;

  function start(extra: Partial<Parameters<typeof createLiveClient>[0]> = {}): void {
    client = createLiveClient({
      url: URL,
      WebSocket: FakeSocket,
      onEvent: (e) => events.push(e),
      timers,
      random: () => 0,
      ...extra,
    });
  }
  const lines = () => events.filter((e) => e.type === 'line');
  const statuses = () => events.filter((e) => e.type === 'status').map((e) => (e.type === 'status' ? e.status : ''));

  beforeEach(() => {
    FakeSocket.reset();
    timers = new ManualTimers();
    events = [];
  });
  afterEach(() => client.close());

  it('delivers the snapshot, then updates in sequence, with their arrival time', () => {
    start();
    const ws = FakeSocket.last;
    expect(ws.url).toBe(URL);
    ws.open();
    ws.receive({ type: 'snapshot', seq: 7, serverTime: 1, line: lineFixture({ unitsThisHour: 3 }) });
    timers.advance(1000);
    ws.receive({ type: 'update', seq: 8, serverTime: 2, line: lineFixture({ unitsThisHour: 4 }) });
    ws.receive({ type: 'heartbeat', seq: 9, serverTime: 3 });
    ws.receive({ type: 'update', seq: 10, serverTime: 4, line: lineFixture({ unitsThisHour: 5 }) });
    expect(lines().map((e) => (e.type === 'line' ? [e.kind, e.line.unitsThisHour, e.receivedAt] : null))).toEqual([
      ['snapshot', 3, timers.time - 1000],
      ['update', 4, timers.time],
      ['update', 5, timers.time],
    ]);
    expect(events.some((e) => e.type === 'gap')).toBe(false);
    expect(ws.sent).toEqual([]);
    expect(statuses()).toEqual(['connecting', 'open']);
  });

  it('ignores updates before the first snapshot', () => {
    start();
    const ws = FakeSocket.last;
    ws.open();
    ws.receive({ type: 'update', seq: 1, serverTime: 1, line: lineFixture() });
    expect(lines()).toEqual([]);
  });

  it('on a gap in seq asks for a snapshot and drops updates until it comes', () => {
    start();
    const ws = FakeSocket.last;
    ws.open();
    ws.receive({ type: 'snapshot', seq: 1, serverTime: 1, line: lineFixture({ unitsThisHour: 1 }) });
    ws.receive({ type: 'update', seq: 3, serverTime: 2, line: lineFixture({ unitsThisHour: 3 }) });
    expect(events).toContainEqual({ type: 'gap', expected: 2, got: 3 });
    expect(ws.sent).toEqual([{ type: 'resync' }]);
    ws.receive({ type: 'update', seq: 4, serverTime: 3, line: lineFixture({ unitsThisHour: 4 }) });
    ws.receive({ type: 'snapshot', seq: 4, serverTime: 4, line: lineFixture({ unitsThisHour: 9 }) });
    ws.receive({ type: 'update', seq: 5, serverTime: 5, line: lineFixture({ unitsThisHour: 10 }) });
    expect(lines().map((e) => (e.type === 'line' ? e.line.unitsThisHour : null))).toEqual([1, 9, 10]);
    expect(ws.sent).toEqual([{ type: 'resync' }]); // one request per gap, not one per message
  });

  it('reconnects when the resync snapshot never comes', () => {
    start({ resyncTimeoutMs: 10_000 });
    const ws = FakeSocket.last;
    ws.open();
    ws.receive({ type: 'snapshot', seq: 1, serverTime: 1, line: lineFixture() });
    ws.receive({ type: 'heartbeat', seq: 5, serverTime: 2 });
    timers.advance(5000);
    ws.receive({ type: 'heartbeat', seq: 6, serverTime: 3 });
    expect(FakeSocket.instances).toHaveLength(1);
    timers.advance(5001);
    ws.receive({ type: 'heartbeat', seq: 7, serverTime: 4 });
    expect(ws.closedWith).toBe(4001);
    timers.advance(250); // first back-off step with random() = 0
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('treats a silent link as dead after the heartbeat timeout and reconnects', () => {
    start({ heartbeatTimeoutMs: 15_000 });
    const ws = FakeSocket.last;
    ws.open();
    ws.receive({ type: 'snapshot', seq: 1, serverTime: 1, line: lineFixture() });
    timers.advance(14_000);
    ws.receive({ type: 'heartbeat', seq: 2, serverTime: 2 });
    timers.advance(14_000);
    expect(ws.closedWith).toBeNull(); // the heartbeat re-armed the watchdog
    timers.advance(1_001);
    expect(ws.closedWith).toBe(4000);
    expect(statuses().at(-1)).toBe('reconnecting');
    timers.advance(250);
    expect(FakeSocket.instances).toHaveLength(2);
    expect(statuses().at(-1)).toBe('connecting');
  });

  it('backs off exponentially up to the cap, and starts over after a snapshot', () => {
    start({ minDelayMs: 1000, maxDelayMs: 8000, random: () => 0.999999 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      FakeSocket.last.serverClose();
      const e = events.at(-1);
      delays.push(e?.type === 'status' ? (e.retryInMs ?? -1) : -1);
      timers.advance(delays.at(-1) ?? 0);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    const ws = FakeSocket.last;
    ws.open();
    ws.receive({ type: 'snapshot', seq: 1, serverTime: 1, line: lineFixture() });
    ws.serverClose();
    const e = events.at(-1);
    expect(e?.type === 'status' ? e.retryInMs : null).toBe(1000);
  });

  it('reports server errors and ignores malformed frames', () => {
    start();
    const ws = FakeSocket.last;
    ws.open();
    ws.receive('not json');
    ws.receive(JSON.stringify({ type: 'update', seq: 'x' }));
    ws.receive({ type: 'error', code: 'unknown_line', message: "line 'Z9' is not configured" });
    expect(events.filter((e) => e.type !== 'status')).toEqual([
      { type: 'error', code: 'unknown_line', message: "line 'Z9' is not configured" },
    ]);
  });

  it('close() stops for good: no reconnect, no timers left', () => {
    start();
    const ws = FakeSocket.last;
    ws.open();
    client.close();
    expect(ws.closedWith).toBe(1000);
    ws.serverClose();
    timers.advance(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(timers.pending).toBe(0);
    expect(client.status).toBe('stopped');
  });

  it('resync() asks the server for a snapshot', () => {
    start();
    const ws = FakeSocket.last;
    ws.open();
    ws.receive({ type: 'snapshot', seq: 1, serverTime: 1, line: lineFixture() });
    client.resync();
    expect(ws.sent).toEqual([{ type: 'resync' }]);
  });
});
