/** Small plants for tests: one line A1 at 30 units per hour, one early shift with a 10-minute break. */
import type { PlantConfig } from '../../../core/plant';

export interface TestPlantOptions {
  timeZone: string;
  stations: string[];
}

/** Line A1, 30/h, one shift 06:00–14:00 with a break 08:00–08:10 (470 planned minutes), every day. */
export function oneShiftPlant({ timeZone, stations }: TestPlantOptions): PlantConfig {
  return {
    name: { zh: '测试工厂', en: 'Test plant' },
    lines: [
      {
        id: 'A1',
        name: { zh: 'A1', en: 'A1' },
        timeZone,
        targetPerHour: 30,
        stations: stations.map((id) => ({ id, name: { zh: id, en: id } })),
        calendar: {
          dayStart: '06:00',
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          daysOff: [],
          workdays: [],
          shifts: [{ id: 'early', name: { zh: '早班', en: 'Early' }, start: '06:00', end: '14:00', breaks: [{ start: '08:00', end: '08:10' }] }],
        },
      },
    ],
  };
}
