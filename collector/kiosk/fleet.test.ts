import { describe, expect, it } from 'vitest';
import { Fleet, MAX_SCREENS, ScreenReport } from './fleet';

const T = { silentAfterSeconds: 90, staleAfterSeconds: 120 };
const report = (screen: string, over: Partial<ScreenReport> = {}): ScreenReport => ({ screen, build: 'b1', view: 'wall:A1', dataAgeSeconds: 2, heapBytes: 1e7, reloads: 1, ...over });

describe('Fleet', () => {
  it('says which screens are silent or stale, and counts them for /metrics', () => {
    let now = 0;
    const fleet = new Fleet(() => now);
    fleet.report(report('hall-1'));
    fleet.report(report('hall-2', { dataAgeSeconds: 600 }));
    now = 60_000;
    fleet.report(report('hall-3'));
    now = 100_000; // hall-1 and hall-2 last seen 100 s ago
    const list = fleet.list(T);
    expect(list.map((s) => [s.screen, s.status])).toEqual([
      ['hall-1', 'silent'],
      ['hall-2', 'silent'],
      ['hall-3', 'ok'],
    ]);
    fleet.report(report('hall-2', { dataAgeSeconds: 600 }));
    expect(fleet.counts(T)).toEqual({ ok: 1, stale: 1, silent: 1 });
    expect(fleet.renderMetrics(T)).toContain('taktline_screens{status="stale"} 1');
    expect(fleet.list(T).find((s) => s.screen === 'hall-2')?.warning?.en).toBe('data 600 s old');
  });

  it('stays bounded, forgetting the longest silent screen first', () => {
    let now = 0;
    const fleet = new Fleet(() => now);
    for (let i = 0; i < MAX_SCREENS + 5; i += 1) {
      now += 1;
      fleet.report(report(`s-${i}`));
    }
    const names = fleet.list(T).map((s) => s.screen);
    expect(names).toHaveLength(MAX_SCREENS);
    expect(names).not.toContain('s-0');
  });

  it('rejects a report that does not name a screen properly', () => {
    expect(ScreenReport.safeParse(report('../etc')).success).toBe(false);
    expect(ScreenReport.safeParse({ ...report('ok'), extra: 1 }).success).toBe(false);
  });
});
