/**
 * The screen's language: a `ref` locale and the typed catalogue it selects.
 * zh-CN unless this screen was switched before (remembered in localStorage)
 * or the URL asks for one (`?lang=en`, handy for kiosks set up remotely).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { CATALOGUES, LOCALES, isLocale, type Locale, type Messages } from '../i18n/messages';

/** localStorage key under which a screen remembers its language. */
export const LOCALE_STORAGE_KEY = 'taktline.locale';

/** The default language of the UI. */
export const DEFAULT_LOCALE: Locale = 'zh-CN';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled (privacy mode, sandboxed kiosk browser)
  }
}

function initialLocale(): Locale {
  const fromUrl = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('lang');
  if (isLocale(fromUrl)) return fromUrl;
  const saved = storage()?.getItem(LOCALE_STORAGE_KEY);
  return isLocale(saved) ? saved : DEFAULT_LOCALE;
}

export const useLocaleStore = defineStore('locale', () => {
  const locale = ref<Locale>(initialLocale());
  /** The catalogue for the current locale; templates read labels from here. */
  const messages = computed<Messages>(() => CATALOGUES[locale.value]);

  /** Switches the language and remembers it on this screen. */
  function setLocale(next: Locale): void {
    locale.value = next;
    try {
      storage()?.setItem(LOCALE_STORAGE_KEY, next);
    } catch {
      // A full or read-only storage only costs the memory of the choice.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = next;
  }

  /** Moves to the next locale in {@link LOCALES}. */
  function toggle(): void {
    const i = LOCALES.indexOf(locale.value);
    setLocale(LOCALES[(i + 1) % LOCALES.length] ?? DEFAULT_LOCALE);
  }

  if (typeof document !== 'undefined') document.documentElement.lang = locale.value;
  return { locale, messages, setLocale, toggle };
});
