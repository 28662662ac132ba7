/**
 * Which stations have lost their signal: a plant-floor source (OPC UA server,
 * Sparkplug edge node) that serves them delivers nothing. The wall must show
 * such a station as "signal lost", never as the last state it heard. Pure:
 * the collector passes its sources' status as /api/v1/health lists it.
 */
import type { StationSignalLost } from '../live';

/** What this needs of a source's status (collector/connectors/source-status.ts `SourceStatus` has it). */
export interface SourceLinkStatus {
  id: string;
  /** `closed` only while the collector shuts down: not a lost signal. */
  state: string;
  /** Since when nothing arrives, epoch ms (server wall clock); null while the source delivers. */
  silentSince: number | null;
  /** `line/station` the source serves. */
  stations: readonly string[];
}

/**
 * The stations of `line` whose signal is lost, each with the source silent
 * longest among those serving it (the earliest `silentSince`).
 */
export function stationSignals(sources: readonly SourceLinkStatus[], line: string): Map<string, StationSignalLost> {
  const out = new Map<string, StationSignalLost>();
  const prefix = `${line}/`;
  for (const source of sources) {
    if (source.silentSince === null || source.state === 'closed') continue;
    for (const key of source.stations) {
      if (!key.startsWith(prefix)) continue;
      const station = key.slice(prefix.length);
      const held = out.get(station);
      if (!held || source.silentSince < held.since) out.set(station, { source: source.id, since: source.silentSince });
    }
  }
  return out;
}

/** A short key of the signals, so a change of them (a source falling silent or coming back) is noticed without events. */
export function signalsKey(signals: ReadonlyMap<string, StationSignalLost>): string {
  return [...signals].map(([station, s]) => `${station}=${s.source}@${s.since}`).sort().join(',');
}
