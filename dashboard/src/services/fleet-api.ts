/**
 * The kiosk and fleet endpoints, Vue-free: a screen's playlist, its reports,
 * the fleet list, and the build the collector serves now (/version.json).
 */
import { getJson, type FetchLike } from './api-json';

export type KioskItem = { view: 'wall'; line: string; seconds: number; lang?: 'zh-CN' | 'en' } | { view: 'plant'; seconds: number; lang?: 'zh-CN' | 'en' };

export interface KioskPlaylist {
  screen: string;
  refreshSeconds: number;
  playlist: KioskItem[];
}

export interface ScreenReport {
  screen: string;
  build: string;
  view: string;
  dataAgeSeconds: number | null;
  heapBytes: number | null;
  reloads: number;
}

export interface ScreenEntry extends ScreenReport {
  lastSeen: number;
  status: 'ok' | 'stale' | 'silent';
  warning: { zh: string; en: string } | null;
}

export interface FleetList {
  silentAfterSeconds: number;
  staleAfterSeconds: number;
  screens: ScreenEntry[];
}

const isItem = (v: unknown): v is KioskItem => {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.seconds === 'number' && o.seconds > 0 && (o.view === 'plant' || (o.view === 'wall' && typeof o.line === 'string'));
};

/** The playlist of `screen`; throws with the collector's reason (e.g. unknown screen, with the known ones). */
export async function fetchKiosk(screen: string, fetchFn: FetchLike = globalThis.fetch): Promise<KioskPlaylist> {
  const body = (await getJson(fetchFn, `/api/v1/kiosk?screen=${encodeURIComponent(screen)}`)) as Partial<KioskPlaylist>;
  const playlist = Array.isArray(body.playlist) ? body.playlist.filter(isItem) : [];
  if (playlist.length === 0) throw new Error(`screen '${screen}' has an empty playlist`);
  return { screen, refreshSeconds: typeof body.refreshSeconds === 'number' ? body.refreshSeconds : 30, playlist };
}

export async function fetchFleet(fetchFn: FetchLike = globalThis.fetch): Promise<FleetList> {
  const body = (await getJson(fetchFn, '/api/v1/screens')) as unknown as FleetList;
  if (!Array.isArray(body.screens)) throw new Error('the collector answered /api/v1/screens without a screen list');
  return body;
}

/** The build the collector serves now; null when it cannot be asked. */
export async function fetchServedBuild(fetchFn: typeof fetch = globalThis.fetch): Promise<string | null> {
  try {
    const res = await fetchFn(`/version.json?t=${Date.now()}`, { cache: 'no-store' });
    if (!res.ok) return null;
    const body = (await res.json()) as { build?: unknown };
    return typeof body.build === 'string' ? body.build : null;
  } catch {
    return null;
  }
}
