/**
 * The fleet of screens: each wall or kiosk reports now and then what it
 * runs (name, dashboard build, data age, heap, reloads); IT sees every screen
 * with when it was last heard from, and which are silent or stale. In memory:
 * a collector restart empties it, and screens fill it again within a report
 * interval. Bounded, and keyed by a Map (names come from clients).
 */
import { z } from 'zod';
import { ScreenName } from './kiosk-file';

/** One report, as a screen sends it (POST /api/v1/screens/report). */
export const ScreenReport = z
  .object({
    screen: ScreenName,
    build: z.string().min(1).max(64),
    /** What it shows now, e.g. `wall:A1`, `plant`. */
    view: z.string().max(80).default(''),
    /** Seconds since its newest data was received; null when it has none. */
    dataAgeSeconds: z.number().min(0).max(1e9).nullable(),
    heapBytes: z.number().int().min(0).max(1e13).nullable(),
    /** Reloads of the page on this screen since its browser storage was cleared (the first load is not one). */
    reloads: z.number().int().min(0).max(1e9),
  })
  .strict();
export type ScreenReport = z.infer<typeof ScreenReport>;

export type ScreenStatus = 'ok' | 'stale' | 'silent';

export interface ScreenEntry extends ScreenReport {
  lastSeen: number;
  status: ScreenStatus;
  /** Why it is not ok, in both languages; null when ok. */
  warning: { zh: string; en: string } | null;
}

export interface FleetThresholds {
  silentAfterSeconds: number;
  staleAfterSeconds: number;
}

/** Most screens remembered; a report past it evicts the longest silent one. */
export const MAX_SCREENS = 1000;

export class Fleet {
  private readonly screens = new Map<string, ScreenReport & { lastSeen: number }>();

  constructor(private readonly clock: () => number) {}

  report(r: ScreenReport): void {
    if (!this.screens.has(r.screen) && this.screens.size >= MAX_SCREENS) {
      let oldest: string | null = null;
      let oldestAt = Infinity;
      for (const [name, s] of this.screens) if (s.lastSeen < oldestAt) [oldest, oldestAt] = [name, s.lastSeen];
      if (oldest !== null) this.screens.delete(oldest);
    }
    this.screens.set(r.screen, { ...r, lastSeen: this.clock() });
  }

  /** Every screen, silent and stale ones first, then by name. */
  list(t: FleetThresholds): ScreenEntry[] {
    const now = this.clock();
    const rank: Record<ScreenStatus, number> = { silent: 0, stale: 1, ok: 2 };
    return [...this.screens.values()]
      .map((s) => {
        const silentFor = (now - s.lastSeen) / 1000;
        const status: ScreenStatus =
          silentFor > t.silentAfterSeconds ? 'silent' : s.dataAgeSeconds === null || s.dataAgeSeconds > t.staleAfterSeconds ? 'stale' : 'ok';
        const warning =
          status === 'silent'
            ? { zh: `${Math.round(silentFor)} 秒未上报`, en: `not heard from for ${Math.round(silentFor)} s` }
            : status === 'stale'
              ? s.dataAgeSeconds === null
                ? { zh: '没有数据', en: 'has no data' }
                : { zh: `数据已 ${Math.round(s.dataAgeSeconds)} 秒未更新`, en: `data ${Math.round(s.dataAgeSeconds)} s old` }
              : null;
        return { ...s, status, warning };
      })
      .sort((a, b) => rank[a.status] - rank[b.status] || a.screen.localeCompare(b.screen));
  }

  /** Screens by status, for /metrics. */
  counts(t: FleetThresholds): Record<ScreenStatus, number> {
    const counts: Record<ScreenStatus, number> = { ok: 0, stale: 0, silent: 0 };
    for (const s of this.list(t)) counts[s.status] += 1;
    return counts;
  }

  /** Prometheus text for the fleet. */
  renderMetrics(t: FleetThresholds): string {
    const c = this.counts(t);
    return [
      '# HELP taktline_screens Wall and kiosk screens known to the collector, by status (silent: no report within silentAfterSeconds; stale: data older than staleAfterSeconds).',
      '# TYPE taktline_screens gauge',
      ...(['ok', 'stale', 'silent'] as const).map((s) => `taktline_screens{status="${s}"} ${c[s]}`),
      '',
    ].join('\n');
  }
}
