import { describe, expect, it } from 'vitest';
import { lineFixture } from '../testing/fakes';
import { parseLiveMessage } from './live-message';

describe('parseLiveMessage', () => {
  it('accepts each server message type', () => {
    const line = lineFixture();
    expect(parseLiveMessage(JSON.stringify({ type: 'snapshot', seq: 0, serverTime: 5, line }))).toEqual({ type: 'snapshot', seq: 0, serverTime: 5, line });
    expect(parseLiveMessage(JSON.stringify({ type: 'update', seq: 1, serverTime: 5, line }))?.type).toBe('update');
    expect(parseLiveMessage('{"type":"heartbeat","seq":2,"serverTime":6}')).toEqual({ type: 'heartbeat', seq: 2, serverTime: 6 });
    expect(parseLiveMessage('{"type":"error","code":"unknown_line","message":"no"}')).toEqual({ type: 'error', code: 'unknown_line', message: 'no' });
  });

  it('turns missing or malformed shift and kpis into null, keeping the rest', () => {
    const { shift: _s, kpis: _k, ...older } = lineFixture();
    const parsed = parseLiveMessage(JSON.stringify({ type: 'update', seq: 1, serverTime: 5, line: { ...older, kpis: { bottleneck: 'S01' } } }));
    expect(parsed?.type === 'update' && parsed.line.kpis).toBeNull();
    expect(parsed?.type === 'update' && parsed.line.shift).toBeNull();
    expect(parsed?.type === 'update' && parsed.line.unitsPerHour).toBe(28);
  });

  it('rejects frames the view could not trust', () => {
    const line = lineFixture();
    const bad = [
      'nope',
      '[]',
      '{"type":"heartbeat","seq":"1","serverTime":6}',
      JSON.stringify({ type: 'update', seq: 1, serverTime: 5, line: { ...line, unitsPerHour: null } }),
      JSON.stringify({ type: 'update', seq: 1, serverTime: 5, line: { ...line, targetPerHour: 0 } }),
      JSON.stringify({ type: 'update', seq: 1, serverTime: 5, line: { ...line, stations: [{ ...line.stations[0], state: 'exploded' }] } }),
      JSON.stringify({ type: 'mystery', seq: 1 }),
    ];
    for (const frame of bad) expect(parseLiveMessage(frame), frame).toBeNull();
    expect(parseLiveMessage(new ArrayBuffer(2))).toBeNull();
  });
});
