import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from './closest-name';

describe('closestName', () => {
  it('finds the known name behind a misspelling, ignoring case', () => {
    expect(closestName('cycletime', ['type', 'ts', 'cycleTime', 'unit'])).toBe('cycleTime');
    expect(closestName('staton', ['line', 'station', 'state'])).toBe('station');
    expect(closestName('reson', ['state', 'reason'])).toBe('reason');
  });

  it('suggests nothing when no name is near enough to be a typo', () => {
    expect(closestName('colour', ['type', 'ts', 'line', 'unit', 'model', 'result'])).toBeNull();
    expect(closestName('x', ['ts', 'id'])).toBeNull();
  });

  it('counts edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
