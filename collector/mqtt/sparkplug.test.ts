/**
 * The Sparkplug silence watchdog as logic, on a clock the test turns: a born
 * source is silent once it sends nothing for longer than its learned
 * interval allows, its silentSince is its last message, and it delivers
 * again when it speaks; a source that never published, or one that died, is
 * not "silent". (Against a real Mosquitto: collector/test/sparkplug.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { referenceStationTags } from '../../core/connectors';
import type { SourceStatus } from '../connectors/source-status';
import { Metrics } from '../metrics';
import { SparkplugHost, encodeSparkplug } from './sparkplug';

function host(silence = { factor: 3, minMs: 5000, maxMs: 60_000 }) {
  let now = Date.parse('2027-03-01T08:00:00+08:00');
  const logs: string[] = [];
  let seq = 0;
  const h = new SparkplugHost({
    sources: [
      { group: 'G', node: 'N', stations: [referenceStationTags('A1', 'S01', { completesUnit: false, address: (n) => `S01/${n}` })] },
      { group: 'G', node: 'N', device: 'D', stations: [referenceStationTags('A1', 'S02', { completesUnit: false, address: (n) => n })] },
    ],
    metrics: new Metrics(),
    publish: () => undefined,
    log: (m) => logs.push(m),
    clock: () => now,
    silence,
  });
  const send = (type: string, device?: string) => {
    const payload = encodeSparkplug({ timestamp: now, ...(type === 'NDEATH' ? {} : { seq: type === 'NBIRTH' ? (seq = 0) : (seq = (seq + 1) % 256) }), metrics: type.endsWith('BIRTH') || type === 'NDEATH' ? [{ name: 'bdSeq', type: 'UInt64', value: 0 }] : [] });
    h.handle(`spBv1.0/G/${type}/N${device ? `/${device}` : ''}`, payload);
  };
  const status = (id: string): SourceStatus => {
    const found = h.statusSources().map((s) => s.status()).find((s) => s.id === id);
    if (!found) throw new Error(id);
    return found;
  };
  return { send, status, logs, advance: (ms: number) => (now += ms), now: () => now };
}

describe('Sparkplug silence', () => {
  it('marks a born node silent after 3 × its longest recent gap, since its last message, until it speaks again', () => {
    const t = host();
    t.send('NBIRTH');
    for (let i = 0; i < 4; i += 1) {
      t.advance(2000);
      t.send('NDATA');
    }
    const last = t.now();
    t.advance(6000); // 3 × 2 s: still expected
    expect(t.status('G/N')).toMatchObject({ state: 'connected', connected: true, silentSince: null });
    t.advance(1);
    const silent = t.status('G/N');
    expect(silent).toMatchObject({ state: 'silent', connected: false, silentSince: last, lastErrorAt: t.now() });
    expect(silent.lastError).toMatch(/nothing from G\/N for 6 s \(expected within 6 s\)/);
    expect(t.logs.filter((l) => /shown silent/.test(l))).toHaveLength(1);
    t.status('G/N');
    expect(t.logs.filter((l) => /shown silent/.test(l))).toHaveLength(1); // logged once per silence
    t.send('NDATA');
    expect(t.status('G/N')).toMatchObject({ state: 'connected', silentSince: null });
    expect(t.logs.at(-1)).toMatch(/publishing again after 6 s of silence/);
  });

  it('waits at least minMs, and at most maxMs before the interval is known', () => {
    const t = host();
    t.send('NBIRTH');
    t.advance(100);
    t.send('NDATA');
    t.advance(100);
    t.send('NDATA'); // two gaps of 0.1 s: 3 × 0.1 s is under the 5 s floor
    t.advance(5000);
    expect(t.status('G/N').state).toBe('connected');
    t.advance(1);
    expect(t.status('G/N').state).toBe('silent');

    const fresh = host();
    fresh.send('NBIRTH'); // no gap known yet
    fresh.advance(60_000);
    expect(fresh.status('G/N').state).toBe('connected');
    fresh.advance(1);
    expect(fresh.status('G/N').state).toBe('silent');
  });

  it('watches a device by its own messages; its node is alive while any of them arrive', () => {
    const t = host();
    t.send('NBIRTH');
    t.send('DBIRTH', 'D');
    for (let i = 0; i < 3; i += 1) {
      t.advance(1000);
      t.send('DDATA', 'D');
    }
    t.advance(10_000);
    expect(t.status('G/N/D').state).toBe('silent');
    expect(t.status('G/N').state).toBe('silent');
    t.send('NDATA'); // the node speaks, the device does not
    expect(t.status('G/N').state).toBe('connected');
    expect(t.status('G/N/D').state).toBe('silent');
  });

  it('never calls a source silent that was never born or that died (offline says more)', () => {
    const t = host();
    t.advance(120_000);
    expect(t.status('G/N')).toMatchObject({ state: 'offline', lastError: 'no birth certificate yet' });
    t.send('NBIRTH');
    t.advance(1000);
    t.send('NDATA');
    t.send('NDEATH');
    t.advance(120_000);
    expect(t.status('G/N').state).toBe('offline');
    // Born again after a long death: the dead time is not taken for its cadence.
    t.send('NBIRTH');
    t.advance(1000);
    t.send('NDATA');
    t.advance(1000);
    t.send('NDATA');
    t.advance(5001);
    expect(t.status('G/N').state).toBe('silent');
  });
});
