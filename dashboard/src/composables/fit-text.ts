/**
 * `v-fit`: a one-line label that shrinks its type to fit its box instead of
 * being cut ("Bottlene", "Wire harn…"). The CSS size is the most it may
 * have; when the text is wider than the box, the element's font size is
 * scaled down by the ratio, to no less than `MIN_SCALE` of it. Re-fitted when
 * the box resizes (ResizeObserver) and when an update changes its text (the
 * labels of one render together, see {@link fitAll}).
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
    fitAll([...mountedLabels]);
  });
}

/** Fits `el`'s text into its width; returns the scale applied (1 = the CSS size). */
export function fitText(el: HTMLElement): number {
  return fitAll([el])[0] ?? 1;
}

/**
 * Fits several labels at once, reading all of them between writes, so the
 * page is laid out twice in all rather than twice per label (a wall whose
 * times in state change every second must not lay itself out once per card).
 * Returns each label's scale.
 */
export function fitAll(els: readonly HTMLElement[]): number[] {
  for (const el of els) el.style.fontSize = '';
  const measured = els.map((el) => ({ el, width: el.clientWidth, needed: el.scrollWidth, scale: 1, base: 0 }));
  for (const m of measured) fitted.set(m.el, { text: m.el.textContent ?? '', width: m.width });
  const over = measured.filter((m) => m.width > 0 && m.needed > m.width + 0.5);
  for (const m of over) m.base = parseFloat(getComputedStyle(m.el).fontSize);
  const scaled = over.filter((m) => Number.isFinite(m.base) && m.base > 0);
  // Text width is nearly proportional to its size; a second pass catches rounding of glyph advances.
  for (const m of scaled) {
    m.scale = Math.max(MIN_SCALE, (m.width / m.needed) * 0.98);
    m.el.style.fontSize = `${m.base * m.scale}px`;
  }
  const again = scaled.filter((m) => m.scale > MIN_SCALE).map((m) => ({ m, scroll: m.el.scrollWidth, client: m.el.clientWidth }));
  for (const { m, scroll, client } of again) {
    if (scroll <= client + 0.5) continue;
    m.scale = Math.max(MIN_SCALE, m.scale * (client / scroll) * 0.98);
    m.el.style.fontSize = `${m.base * m.scale}px`;
  }
  return measured.map((m) => m.scale);
}

/** Labels whose text changed in this render, fitted together once Vue has patched them all. */
const pending = new Set<HTMLElement>();
function queueFit(el: HTMLElement): void {
  if (pending.size === 0) queueMicrotask(() => {
    const els = [...pending].filter((e) => e.isConnected);
    pending.clear();
    fitAll(els);
  });
  pending.add(el);
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
    // Only a changed text needs a new fit (a changed width is the ResizeObserver's): no layout is read
    // for the labels a render did not change, and the changed ones are fitted together.
    const last = fitted.get(el);
    if (!last || last.text !== (el.textContent ?? '')) queueFit(el);
  },
  unmounted(el) {
    mountedLabels.delete(el);
    observers.get(el)?.disconnect();
    observers.delete(el);
  },
};
