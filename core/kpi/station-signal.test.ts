import { describe, expect, it } from 'vitest';
import { signalsKey, stationSignals, type SourceLinkStatus } from './station-signal';

const source = (over: Partial<SourceLinkStatus>): SourceLinkStatus => ({ id: 'plc-1', state: 'connected', silentSince: null, stations: ['A1/S07'], ...over });

describe('stationSignals', () => {
  it('marks the stations of a silent source, on their own line only', () => {
    const signals = stationSignals([source({ state: 'silent', silentSince: 1000, stations: ['A1/S07', 'A1/S08', 'B2/S07'] })], 'A1');
    expect([...signals]).toEqual([
      ['S07', { source: 'plc-1', since: 1000 }],
      ['S08', { source: 'plc-1', since: 1000 }],
    ]);
  });

  it('ignores sources that deliver, and a collector shutting down', () => {
    expect(stationSignals([source({}), source({ state: 'closed', silentSince: 5 })], 'A1').size).toBe(0);
  });

  it('counts a source in back-off or gone offline (Sparkplug death) as lost too, by its silentSince', () => {
    const signals = stationSignals([source({ id: 'edge', state: 'offline', silentSince: 700 }), source({ id: 'plc-1', state: 'backoff', silentSince: 900 })], 'A1');
    // Two sources serve S07: the one silent longest names it.
    expect(signals.get('S07')).toEqual({ source: 'edge', since: 700 });
  });

  it('gives a key that changes when a source falls silent or comes back', () => {
    const silent = signalsKey(stationSignals([source({ state: 'silent', silentSince: 1000 })], 'A1'));
    expect(silent).toBe('S07=plc-1@1000');
    expect(signalsKey(stationSignals([source({})], 'A1'))).toBe('');
  });
});
