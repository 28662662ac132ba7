/**
 * A plant of `n` lines for the overview's tests and screenshots: the
 * reference calendar (three shifts, every day), five stations each, and the
 * longest names a plant is likely to give them in both languages.
 */
import type { PlantConfig } from '../../../core/plant';

const NAMES: [string, string, string][] = [
  ['A1', '总装 A1 线', 'Final assembly A1'],
  ['A2', '总装 A2 线（新能源）', 'Final assembly A2 (new energy)'],
  ['B1', '焊装 B1 线', 'Body-in-white welding B1'],
  ['C1', '涂装 C1 线', 'Paint shop C1'],
  ['D1', '电池包 D1 线', 'Battery pack assembly D1'],
  ['E1', '电驱 E1 线', 'E-drive assembly E1'],
  ['F1', '冲压 F1 线', 'Press shop F1'],
  ['G1', '内饰 G1 线', 'Interior trim G1'],
  ['H1', '底盘 H1 线', 'Chassis marriage H1'],
  ['J1', '检测 J1 线', 'End-of-line testing J1'],
  ['K1', '返修 K1 线', 'Rework and repair K1'],
  ['L1', '座椅 L1 线', 'Seat assembly L1'],
];

/** Line ids of {@link plantOfLines}: A1, A2, B1, …. */
export function plantLineIds(n: number): string[] {
  return NAMES.slice(0, n).map(([id]) => id);
}

export function plantOfLines(n: number): PlantConfig {
  if (n < 1 || n > NAMES.length) throw new Error(`1 to ${NAMES.length} lines`);
  return {
    name: { zh: '智能工厂', en: 'Smart factory' },
    lines: NAMES.slice(0, n).map(([id, zh, en]) => ({
      id,
      name: { zh, en },
      timeZone: 'Asia/Shanghai',
      targetPerHour: 30,
      stations: ['S01', 'S02', 'S03', 'S04', 'S05'].map((id) => ({ id, name: { zh: id, en: id } })),
    })),
  };
}
