import { describe, expect, it } from 'vitest';
import { monthBefore } from './market';

describe('monthBefore', () => {
  it('steps back across year ends', () => {
    expect(monthBefore('2027-03', 1)).toBe('2027-02');
    expect(monthBefore('2027-03', 3)).toBe('2026-12');
    expect(monthBefore('2027-01', 12)).toBe('2026-01');
    expect(monthBefore('2027-01', 13)).toBe('2025-12');
  });
});
