import { describe, expect, it } from 'vitest';
import { catalogueText, preloadGlyphs, uiGlyphs } from './glyph-preload';

describe('uiGlyphs', () => {
  it('holds the literal text of message functions, e.g. the link-lost badge', () => {
    const glyphs = uiGlyphs();
    for (const ch of '连接中断实时暂无数据故障缺料待堵') expect(glyphs).toContain(ch);
    expect(new Set(glyphs).size).toBe(glyphs.length);
  });
  it('walks nested catalogues and calls functions with sample arguments', () => {
    expect(catalogueText({ a: 'x', b: { c: (v: string) => `中${v}` } })).toBe('x中0');
  });
});

describe('preloadGlyphs', () => {
  it('asks the font set for each weight and counts the faces', async () => {
    const asked: string[] = [];
    const fonts = { load: (font: string) => (asked.push(font), Promise.resolve([{}, {}])) } as unknown as FontFaceSet;
    expect(await preloadGlyphs(fonts, '中')).toBe(4);
    expect(asked).toEqual(['400 16px "Noto Sans SC"', '700 16px "Noto Sans SC"']);
  });
});
