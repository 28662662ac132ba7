/**
 * Quality losses by defect code and station (docs/reasons.md): rejected
 * units at the end of the line by their `defect`, and rejects stations
 * reported on their cycles. Pure.
 */
import type { CycleEvent, UnitEvent } from '../events';
import type { QualityByDefect } from '../loss/types';

export function qualityByDefect(units: readonly UnitEvent[], cycles: Iterable<readonly CycleEvent[]>): QualityByDefect[] {
  const out = new Map<string, QualityByDefect>();
  const add = (defect: string | null, station: string | null) => {
    const key = `${defect ?? ''}\u0000${station ?? ''}`;
    const row = out.get(key) ?? { defect, station, units: 0 };
    row.units += 1;
    out.set(key, row);
  };
  for (const u of units) if (u.result === 'nok') add(u.defect ?? null, null);
  for (const list of cycles) for (const c of list) if (c.result === 'nok') add(c.defect ?? null, c.station);
  return [...out.values()].sort((a, b) => b.units - a.units || String(a.defect).localeCompare(String(b.defect)) || String(a.station).localeCompare(String(b.station)));
}
