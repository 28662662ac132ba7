import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from './range-input';

describe('custom range inputs on the line clock', () => {
  it("reads a datetime-local value in the line's zone, not the browser's", () => {
    expect(fromLocalInput('2027-03-01T06:00', 'Asia/Shanghai')).toBe(Date.parse('2027-03-01T06:00:00+08:00'));
    expect(fromLocalInput('2027-03-28T02:30', 'Europe/Berlin')).toBe(Date.parse('2027-03-28T03:30:00+02:00')); // in the DST gap
    expect(toLocalInput(Date.parse('2027-03-01T14:00:00+08:00'), 'Asia/Shanghai')).toBe('2027-03-01T14:00');
  });
  it('rejects what is not a local date and time', () => {
    expect(fromLocalInput('', 'Asia/Shanghai')).toBeNull();
    expect(fromLocalInput('2027-03-01 06:00', 'Asia/Shanghai')).toBeNull();
    expect(fromLocalInput('2027-03-01T24:00', 'Asia/Shanghai')).toBeNull();
  });
});
