/**
 * The reference line's shift pattern: continuous three-shift operation
 * (四班三运转: four crews rotate over three shifts, seven days a week), the
 * usual answer of a Chinese final-assembly shop whose order book (120,000+
 * vehicles) runs far ahead of capacity.
 *
 * | shift | time | breaks | planned |
 * | --- | --- | --- | --- |
 * | 早班 early | 06:00–14:00 | 08:00–08:10, 10:30–11:00 lunch, 12:30–12:40 | 430 min |
 * | 中班 late | 14:00–22:00 | 16:00–16:10, 18:00–18:30 dinner, 20:00–20:10 | 430 min |
 * | 夜班 night | 22:00–06:00 | 00:00–00:30 night meal, 02:00–02:10, 04:00–04:10 | 430 min |
 *
 * The production day starts at 06:00: 1290 planned minutes (21.5 h) a day,
 * 645 units at 30 units per hour. No holidays are preset: statutory holidays
 * (e.g. 2027-05-01) and make-up working days (调休) belong in the plant file.
 */
import type { ShiftPattern } from './schema';

/** Default shift pattern of a line whose config names none. */
export const DEFAULT_SHIFT_PATTERN: ShiftPattern = {
  dayStart: '06:00',
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  daysOff: [],
  workdays: [],
  shifts: [
    {
      id: 'early',
      name: { zh: '早班', en: 'Early shift' },
      start: '06:00',
      end: '14:00',
      breaks: [
        { start: '08:00', end: '08:10' },
        { start: '10:30', end: '11:00', name: { zh: '午餐', en: 'Lunch' } },
        { start: '12:30', end: '12:40' },
      ],
    },
    {
      id: 'late',
      name: { zh: '中班', en: 'Late shift' },
      start: '14:00',
      end: '22:00',
      breaks: [
        { start: '16:00', end: '16:10' },
        { start: '18:00', end: '18:30', name: { zh: '晚餐', en: 'Dinner' } },
        { start: '20:00', end: '20:10' },
      ],
    },
    {
      id: 'night',
      name: { zh: '夜班', en: 'Night shift' },
      start: '22:00',
      end: '06:00',
      breaks: [
        { start: '00:00', end: '00:30', name: { zh: '夜宵', en: 'Night meal' } },
        { start: '02:00', end: '02:10' },
        { start: '04:00', end: '04:10' },
      ],
    },
  ],
};
