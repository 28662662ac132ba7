import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { LOCALE_STORAGE_KEY, useLocaleStore } from './locale';

describe('useLocaleStore', () => {
  beforeEach(() => {
    localStorage.clear();
    history.replaceState(null, '', '/wall?line=A1');
    setActivePinia(createPinia());
  });

  it('speaks zh-CN by default', () => {
    const store = useLocaleStore();
    expect(store.locale).toBe('zh-CN');
    expect(store.messages.wall.thisHour).toBe('本小时产量');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('switches to English and remembers it on this screen', () => {
    useLocaleStore().toggle();
    expect(useLocaleStore().messages.wall.thisHour).toBe('This hour');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    setActivePinia(createPinia()); // a reload
    expect(useLocaleStore().locale).toBe('en');
  });

  it('takes ?lang= from the URL and ignores junk', () => {
    history.replaceState(null, '', '/wall?line=A1&lang=en');
    expect(useLocaleStore().locale).toBe('en');
    setActivePinia(createPinia());
    history.replaceState(null, '', '/wall?lang=xx');
    localStorage.setItem(LOCALE_STORAGE_KEY, 'klingon');
    expect(useLocaleStore().locale).toBe('zh-CN');
  });
});
