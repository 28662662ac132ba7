import { describe, expect, it } from 'vitest';
import { bufferChanges, drainedText } from './buffers';

const stations = ['S01', 'S02', 'S03', 'S04'];

describe('bufferChanges', () => {
  it('is the cycles of a station minus those of the next, in flow order', () => {
    const cycles: Record<string, number> = { S01: 10, S02: 12, S03: 12, S04: 15 };
    expect(bufferChanges(stations, (s) => cycles[s] ?? 0)).toEqual([
      { after: 'S01', change: -2 },
      { after: 'S02', change: 0 },
      { after: 'S03', change: -3 },
    ]);
  });
});

describe('drainedText', () => {
  // The buffer after S01 drained most, but it is before the constraint S02.
  const changes = [
    { after: 'S01', change: -5 },
    { after: 'S02', change: -1 },
    { after: 'S03', change: -3 },
  ];

  it('names only the buffers from the constraint on, most drained first, with a minus sign', () => {
    expect(drainedText(changes, 'S02')).toEqual({ zh: 'S03 之后 −3 台、S02 之后 −1 台', en: 'after S03 −3, after S02 −1' });
  });

  it('names none when only buffers before the constraint drained', () => {
    expect(drainedText([{ after: 'S01', change: -5 }, { after: 'S02', change: 2 }, { after: 'S03', change: 0 }], 'S02')).toBeNull();
  });

  it('names none after the last station, which no buffer follows', () => {
    expect(drainedText(changes, 'S04')).toBeNull();
  });

  it('names every buffer when no constraint is known, at most three', () => {
    expect(drainedText([...changes, { after: 'S04', change: -2 }], null)?.en).toBe('after S01 −5, after S03 −3, after S04 −2');
  });
});
