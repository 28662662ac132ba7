/** The events bench/ingest sends, the same in the bench and in its sender process. */
import type { StationEvent } from '../../core/events';

const STATIONS = Array.from({ length: 20 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);

/** `count` cycle events of line A1 over 20 stations from `start` (epoch ms), ids `prefix-i`. */
export function benchEvents(prefix: string, count: number, start: number): StationEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'cycle',
    ts: start + Math.floor(i / 20) * 10,
    line: 'A1',
    station: STATIONS[i % 20] ?? 'S01',
    cycleTime: 100 + (i % 37),
    result: 'ok',
    unit: `LVIN${String(i).padStart(8, '0')}`,
    id: `${prefix}-${i}`,
  }));
}
