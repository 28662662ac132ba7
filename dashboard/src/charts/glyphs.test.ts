import { describe, expect, it } from 'vitest';
import { loadOptionGlyphs, newGlyphs, optionText } from './glyphs';

describe('chart glyphs', () => {
  it('collects the text of an option, however deep, once per object', () => {
    const shared = { name: '计划' };
    expect(optionText({ series: [{ name: '产量', markLine: { label: { formatter: '目标 30/小时' } } }, shared, shared], x: 3 })).toBe(
      '产量目标 30/小时计划',
    );
  });

  it('asks for each non-ASCII character once', () => {
    const asked = new Set<string>();
    expect(newGlyphs('目标 30/小时', asked)).toBe('目标小时');
    expect(newGlyphs('小时目标 ok', asked)).toBe('');
    expect(newGlyphs('计划', asked)).toBe('计划');
  });

  it('loads the new glyphs in both weights through the FontFaceSet, and says so', async () => {
    const calls: [string, string][] = [];
    const fonts = { load: async (font: string, text: string) => (calls.push([font, text]), []) } as unknown as FontFaceSet;
    expect(await loadOptionGlyphs({ title: { text: '瓶颈工位' } }, fonts)).toBe(true);
    expect(calls.map(([font]) => font.split(' ')[0])).toEqual(['400', '700']);
    expect(calls[0]?.[1]).toBe('瓶颈工位');
    expect(await loadOptionGlyphs({ title: { text: '瓶颈' } }, fonts)).toBe(false);
  });
});
