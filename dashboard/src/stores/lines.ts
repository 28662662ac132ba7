/**
 * The lines this collector owns (`GET /api/v1/lines`), for the line picker
 * and the default line. Thin: the request lives in services/lines-api.ts.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { fetchLines, type FetchLike, type LineSummary } from '../services/lines-api';

export const useLinesStore = defineStore('lines', () => {
  const lines = shallowRef<LineSummary[]>([]);
  const error = ref<string | null>(null);
  const loaded = ref(false);

  /** Loads the list once; later calls reuse it. */
  async function load(fetchFn?: FetchLike): Promise<void> {
    if (loaded.value) return;
    try {
      lines.value = await fetchLines(fetchFn);
      error.value = null;
      loaded.value = true;
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    }
  }

  return { lines, error, loaded, load };
});
