/**
 * `v-fit`: a one-line label that shrinks its type to fit its box instead of
 * being cut ("Bottlene", "Wire harn…"). The CSS size is the most it may
 * have; when the text is wider than the box, the element's font size is
 * scaled down by the ratio, to no less than `MIN_SCALE` of it. Re-fitted when
 * the box resizes (ResizeObserver) and when the component updates.
 */
import type { Directive } from 'vue';

/** The smallest share of its CSS size a label may shrink to. */
export const MIN_SCALE = 0.45;

const observers = new WeakMap<HTMLElement, ResizeObserver>();
/** The text and width each label was last fitted for: an update that changed neither needs no new fit. */
const fitted = new WeakMap<HTMLElement, { text: string; width: number }>();
/** Labels on screen, refitted when a font subset arrives (its glyphs are wider or narrower than the fallback's). */
const mountedLabels = new Set<HTMLElement>();
let listening = false;

function refitOnFontLoad(): void {
  if (listening || typeof document === 'undefined' || !document.fonts?.addEventListener) return;
  listening = true;
  document.fonts.addEventListener('loadingdone', () => {
    for (const el of mountedLabels) fitText(el);
  });
}

/** Fits `el`'s text into its width; returns the scale applied (1 = the CSS size). */
export function fitText(el: HTMLElement): number {
  el.style.fontSize = '';
  fitted.set(el, { text: el.textContent ?? '', width: el.clientWidth });
  const width = el.clientWidth;
  const needed = el.scrollWidth;
  if (width <= 0 || needed <= width + 0.5) return 1;
  const base = parseFloat(getComputedStyle(el).fontSize);
  if (!Number.isFinite(base) || base <= 0) return 1;
  // Text width is nearly proportional to its size; a second pass catches rounding of glyph advances.
  let scale = Math.max(MIN_SCALE, (width / needed) * 0.98);
  el.style.fontSize = `${base * scale}px`;
  if (el.scrollWidth > el.clientWidth + 0.5 && scale > MIN_SCALE) {
    scale = Math.max(MIN_SCALE, scale * (el.clientWidth / el.scrollWidth) * 0.98);
    el.style.fontSize = `${base * scale}px`;
  }
  return scale;
}

export const vFit: Directive<HTMLElement> = {
  mounted(el) {
    mountedLabels.add(el);
    refitOnFontLoad();
    fitText(el);
    if (typeof ResizeObserver === 'undefined') return;
    let lastWidth = el.clientWidth;
    const observer = new ResizeObserver(() => {
      // Changing the font size can change the height, never the width: refit on width changes only.
      if (el.clientWidth === lastWidth) return;
      lastWidth = el.clientWidth;
      fitText(el);
    });
    observer.observe(el);
    observers.set(el, observer);
  },
  updated(el) {
    const last = fitted.get(el);
    // Reading the width only adds no layout of its own: nothing was written since Vue's patch.
    if (!last || last.text !== (el.textContent ?? '') || last.width !== el.clientWidth) fitText(el);
  },
  unmounted(el) {
    mountedLabels.delete(el);
    observers.get(el)?.disconnect();
    observers.delete(el);
  },
};
