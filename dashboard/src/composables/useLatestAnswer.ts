/**
 * The answer a setup store shows for its current selection (the manager's
 * history, the loss report, supply): the newest answer, whether one is in
 * flight, and the last error as the API worded it. A newer load supersedes
 * an older one (aborted, its answer ignored: {@link createLatestRequest}), so
 * quick clicks never show another selection's numbers. The store says what a
 * failed load does to the answer shown: keep it (a refresh of the same
 * selection) or drop it.
 */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { FetchLike } from '../services/api-json';
import { createLatestRequest } from '../services/latest-request';

export interface UseLatestAnswerOptions<Q, T> {
  /** What the current selection asks for; null when there is nothing to ask (no line chosen yet). */
  query: () => Q | null;
  /** Asks the collector (a function of services/). */
  fetchAnswer: (query: Q, fetch: FetchLike, base: string, signal: AbortSignal | undefined) => Promise<T>;
  /** What a failed load does to the answer on screen: 'keep' it beside the error, or 'drop' it. */
  onError: 'keep' | 'drop';
}

export interface UseLatestAnswerReturn<T> {
  /** The newest answer; null while none has arrived (or a store dropped it). */
  data: ShallowRef<T | null>;
  loading: Ref<boolean>;
  error: Ref<{ code: string; message: string } | null>;
  /** Injects the fetch function and API base (tests, or a dashboard served apart from its collector). */
  configure(options: { fetch?: FetchLike | undefined; base?: string | undefined }): void;
  /** (Re)loads the current selection. Resolves when it has landed, failed, or been superseded. */
  load(): Promise<void>;
  /** Stops any request in flight; its answer will not count. */
  cancel(): void;
}

export function useLatestAnswer<Q, T>(options: UseLatestAnswerOptions<Q, T>): UseLatestAnswerReturn<T> {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const error = ref<{ code: string; message: string } | null>(null);
  let fetchFn: FetchLike | undefined;
  let base = '';
  const latest = createLatestRequest();

  function configure(o: { fetch?: FetchLike | undefined; base?: string | undefined }): void {
    fetchFn = o.fetch;
    base = o.base ?? '';
  }

  async function load(): Promise<void> {
    const query = options.query();
    if (query === null) return;
    loading.value = true;
    const outcome = await latest.run((signal) => options.fetchAnswer(query, fetchFn ?? globalThis.fetch, base, signal));
    if (outcome.kind === 'superseded') return;
    loading.value = false;
    if (outcome.kind === 'ok') {
      data.value = outcome.value;
      error.value = null;
    } else {
      if (options.onError === 'drop') data.value = null;
      error.value = outcome.error;
    }
  }

  function cancel(): void {
    latest.cancel();
    loading.value = false;
  }

  return { data, loading, error, configure, load, cancel };
}
