import { describe, expect, it } from 'vitest';
import { makeVin, vinCheckDigit } from './vin';

describe('VIN', () => {
  it('computes the check digit of a published example', () => {
    // The worked example from the US check-digit rules: 1M8GDM9A_KP042788 → check digit X.
    expect(vinCheckDigit('1M8GDM9A0KP042788')).toBe('X');
  });

  it('builds 17-character VINs whose check digit verifies', () => {
    const vin = makeVin('LTK', 'suv-7', 2027, 'A', 42);
    expect(vin).toMatch(/^LTKSUV7X.VA000042$/);
    expect(vin).toHaveLength(17);
    expect(vin[8]).toBe(vinCheckDigit(vin));
  });
});
