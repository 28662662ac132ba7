/**
 * Canvas text does not make the browser fetch a unicode-range font subset:
 * a chart whose Chinese labels appear nowhere else on the page draws boxes
 * (seen on the wall: "目标" in the trend chart). So before a chart draws, the
 * characters of its option are loaded through the FontFaceSet, once each.
 */
import { CHART_FONT } from './options';

/** Every distinct character of the strings in `value` (an ECharts option), in first-seen order. */
export function optionText(value: unknown, seen: Set<unknown> = new Set()): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || seen.has(value)) return '';
  seen.add(value);
  let text = '';
  for (const v of Array.isArray(value) ? value : Object.values(value as Record<string, unknown>)) text += optionText(v, seen);
  return text;
}

/** Characters asked for already: a wall screen's charset is small and fixed, so this stays small. */
const requested = new Set<string>();

/** The characters of `text` not asked for yet, outside ASCII (the page's own text loads those). */
export function newGlyphs(text: string, asked: Set<string> = requested): string {
  let out = '';
  for (const ch of new Set(text)) {
    if (ch.charCodeAt(0) < 0x80 || asked.has(ch)) continue;
    asked.add(ch);
    out += ch;
  }
  return out;
}

/**
 * Loads the chart font's glyphs for an option's text; resolves true when
 * anything new was loaded (the chart should draw again).
 */
export async function loadOptionGlyphs(option: unknown, fonts: FontFaceSet | undefined = globalThis.document?.fonts): Promise<boolean> {
  if (!fonts?.load) return false;
  const glyphs = newGlyphs(optionText(option));
  if (!glyphs) return false;
  try {
    await Promise.all([fonts.load(`400 16px ${CHART_FONT}`, glyphs), fonts.load(`700 16px ${CHART_FONT}`, glyphs)]);
    return true;
  } catch {
    return false;
  }
}
