/**
 * The self-hosted font is split by unicode range, and the browser fetches a
 * subset only when text on screen needs it. A string that first appears when
 * the collector is gone (the badge's "连接中断") would then draw boxes: its
 * subset lives on the collector that just died. So once the page is up, every
 * glyph any screen string can contain is loaded, in both weights, while the
 * collector still answers. Vue-free; the FontFaceSet is a parameter.
 */
import { CATALOGUES } from '../i18n/messages';
import { MANAGER_CATALOGUES } from '../i18n/manager-messages';
import { SUPPLY_CATALOGUES } from '../i18n/supply-messages';

/** The UI's font family, as styles.css names it. */
export const UI_FONT = '"Noto Sans SC"';
/** The weights the UI uses (main.ts imports exactly these). */
export const UI_WEIGHTS = [400, 700] as const;

/** Sample arguments for message functions: digits and a word, so every template's literal text comes out. */
const SAMPLE_ARGS = ['0', '1', '2', '3'];

/**
 * The characters of every string in a catalogue (message functions are
 * called with sample arguments), digits and common signs included, each once.
 */
export function catalogueText(value: unknown, seen: Set<unknown> = new Set()): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'function') {
    try {
      return catalogueText((value as (...args: unknown[]) => unknown)(...SAMPLE_ARGS), seen);
    } catch {
      return '';
    }
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return '';
  seen.add(value);
  let text = '';
  for (const v of Array.isArray(value) ? value : Object.values(value as Record<string, unknown>)) text += catalogueText(v, seen);
  return text;
}

/** Every distinct character the screens' own strings can show, plus digits and signs. */
export function uiGlyphs(extra = ''): string {
  const all = catalogueText([CATALOGUES, MANAGER_CATALOGUES, SUPPLY_CATALOGUES]) + extra + '0123456789+−-–/·:.,%×…';
  return [...new Set(all)].join('');
}

/** Loads the glyphs of `text` in each UI weight; resolves with how many font faces are loaded for it. */
export async function preloadGlyphs(fonts: FontFaceSet | undefined, text: string): Promise<number> {
  if (!fonts?.load || !text) return 0;
  try {
    const loaded = await Promise.all(UI_WEIGHTS.map((w) => fonts.load(`${w} 16px ${UI_FONT}`, text)));
    return loaded.reduce((n, faces) => n + faces.length, 0);
  } catch {
    return 0; // offline already, or a browser without the API: nothing more to do here
  }
}
