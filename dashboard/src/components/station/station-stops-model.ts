/**
 * The station tablet's stop list as plain data (no Vue): which records still
 * wait for a person, newest first, and the words for a refusal.
 */
import type { StopRecord } from '../../../../core/reasons/stops';
import type { StationStopsMessages } from '../../i18n/review-messages';
import { ApiError } from '../../services/api-json';

/** How often the tablet asks for its stops again, ms. */
export const STATION_STOPS_REFRESH_MS = 30_000;

/** Records no person has classified yet (unclassified, or pre-filled by the station), newest first. */
export function waitingStops(records: readonly StopRecord[]): StopRecord[] {
  return records.filter((r) => r.history.length === 0).sort((a, b) => b.from - a.from || a.station.localeCompare(b.station));
}

/**
 * What the tablet says when a tap did not classify: the collector's code in
 * the page's language, with the collector's reason. `now` is the record as
 * the collector lists it after the refusal (null: it is gone).
 */
export function refusalText(err: unknown, m: StationStopsMessages, now: StopRecord | null | undefined, label: (code: string) => string): string {
  if (!(err instanceof ApiError)) return m.errors.generic(String(err));
  switch (err.code) {
    case 'not_signed_in':
      return m.errors.notSignedIn;
    case 'edit_window_closed':
      return m.errors.editWindowClosed(err.message);
    case 'forbidden': {
      const by = now?.current?.source === 'person' ? now.current.by : undefined;
      if (now && by) return m.errors.alreadyClassified(by.name, now.current?.parts.map((p) => label(p.reason)).join(' / ') ?? '');
      return m.errors.forbidden(err.message);
    }
    case 'unknown_stop':
      return m.errors.unknownStop;
    case 'network':
      return m.errors.network;
    default:
      return m.errors.generic(err.message);
  }
}
