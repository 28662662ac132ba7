/**
 * What this screen is and how it is doing, for its fleet reports: its name
 * (`?screen=hall-3`), what it shows, and the data age of each line on screen.
 * Thin: the views write it, useScreenReport reads it.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

export const useScreenStore = defineStore('screen', () => {
  const name = ref<string | null>(typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('screen'));
  /** What the screen shows now, e.g. `wall:A1`, `plant`. */
  const view = ref('');
  /** Data age of each line on screen, s (null: no data yet). */
  const ages = shallowRef(new Map<string, number | null>());
  /** A newer dashboard build is served: reload at the next quiet moment. */
  const newBuild = ref<string | null>(null);

  /** The oldest data on screen, s; null when a line on screen has none, or nothing is on screen. */
  const dataAgeSeconds = computed<number | null>(() => {
    if (ages.value.size === 0) return null;
    let worst = 0;
    for (const a of ages.value.values()) {
      if (a === null) return null;
      worst = Math.max(worst, a);
    }
    return worst;
  });

  function reportAge(line: string, age: number | null): void {
    if (ages.value.get(line) === age) return;
    const next = new Map(ages.value);
    next.set(line, age);
    ages.value = next;
  }
  function forget(line: string): void {
    if (!ages.value.has(line)) return;
    const next = new Map(ages.value);
    next.delete(line);
    ages.value = next;
  }
  return { name, view, ages, newBuild, dataAgeSeconds, reportAge, forget };
});
