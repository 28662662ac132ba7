/**
 * The handover part of the report page: the version shown (`?version=N`, else
 * the one in force), who is signed in (the session store), and the steps a
 * supervisor takes on it. Refusals keep the collector's code and words.
 */
import { computed, ref, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import type { HandoverVersion } from '@core/report/handover';
import { ApiError } from '../services/api-json';
import { postHandoverStep, type HandoverStep, type HandoverView } from '../services/handover-api';
import type { ShiftReport } from '../services/report-api';
import { useSessionStore } from '../stores/session';

export interface UseHandoverOptions {
  report: ShallowRef<ShiftReport | null>;
  /** The version the URL asks for; null: the one in force. @default from location.search */
  version?: number | null;
  /** @default globalThis.fetch */
  fetch?: Parameters<typeof postHandoverStep>[4];
}

export interface UseHandoverReturn {
  view: ShallowRef<HandoverView | null>;
  /** The version shown. */
  shown: ComputedRef<HandoverVersion | null>;
  busy: Ref<boolean>;
  problem: Ref<{ code: string; message: string } | null>;
  take: (step: HandoverStep) => Promise<boolean>;
}

function versionFromUrl(): number | null {
  const raw = typeof globalThis.location === 'undefined' ? null : new URLSearchParams(globalThis.location.search).get('version');
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
}

export function useHandover(options: UseHandoverOptions): UseHandoverReturn {
  const session = useSessionStore();
  const view = shallowRef<HandoverView | null>(null);
  const busy = ref(false);
  const problem = ref<{ code: string; message: string } | null>(null);
  const asked = options.version === undefined ? versionFromUrl() : options.version;
  // After a step the page follows the version in force (a correction moves it on).
  const follow = ref(asked === null);
  watch(options.report, (r) => (view.value = r?.handover ?? null), { immediate: true });
  const shown = computed(() => {
    const v = view.value;
    if (!v) return null;
    const n = follow.value ? v.current : asked;
    return v.versions.find((x) => x.version === n) ?? null;
  });
  async function take(step: HandoverStep): Promise<boolean> {
    const r = options.report.value;
    const v = shown.value;
    if (!r || !v) return false;
    busy.value = true;
    try {
      view.value = await postHandoverStep(r.line, r.shift.key, v.version, step, options.fetch ?? ((url, init) => globalThis.fetch(url, init)));
      if (step.action === 'corrections') follow.value = true;
      problem.value = null;
      return true;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('network', String(err), null, true);
      if (e.code === 'not_signed_in') session.expired();
      problem.value = { code: e.code, message: e.message };
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { view, shown, busy, problem, take };
}
