import type { Locale } from './messages';

/** A `{ zh, en }` name in the given locale. */
export function nameIn(name: { zh: string; en: string }, locale: Locale): string {
  return locale === 'zh-CN' ? name.zh : name.en;
}
