import { describe, expect, it } from 'vitest';
import { lineClockFrom } from './line-clock';

describe('lineClockFrom', () => {
  it('is the wall clock in production', () => {
    let wall = 1_000;
    const clock = lineClockFrom({ clock: 'wall', demoStart: null, demoSpeed: 60 }, () => wall);
    wall = 5_000;
    expect(clock.now()).toBe(5_000);
    expect(clock.rate).toBe(1);
  });
  it('runs demo time from its configured start at its configured rate, whatever the events say', () => {
    let wall = 1_000_000;
    const clock = lineClockFrom({ clock: 'demo', demoStart: 50_000, demoSpeed: 60 }, () => wall);
    expect(clock.now()).toBe(50_000);
    wall += 2_000; // two wall seconds: two line minutes
    expect(clock.now()).toBe(50_000 + 120_000);
    expect(clock).toMatchObject({ mode: 'demo', rate: 60 });
  });
});
