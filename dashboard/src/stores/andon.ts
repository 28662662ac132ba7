/**
 * Andon state for two screens. Thin: the requests live in
 * services/andon-api.ts, the decisions in components/andon/andon-model.ts.
 *
 * - {@link useAndonStore}: the station tablet. The kinds and reasons from the
 *   config, the station's active calls (asked once, then kept current by the
 *   live channel's `andon.open`, and by each action's answer at once), and
 *   what the last action made of it. A 401 signs the screen out.
 * - {@link useAndonReportStore}: the manager's call list for a range, one
 *   call's history, and the notification outbox.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AndonErrorView } from '../components/andon/andon-model';
import {
  actOnCall,
  fetchAndonConfig,
  fetchCall,
  fetchCalls,
  fetchDeliveries,
  raiseCall,
  type AndonAction,
  type AndonCallView,
  type AndonConfig,
  type ApiFetchLike,
  type AuditEntry,
  type CallsQuery,
  type DeliveriesAnswer,
  type DeliveryView,
  type FetchLike,
} from '../services/andon-api';
import { createLatestRequest } from '../services/latest-request';
import { refusalView, useSessionStore } from './session';

/** Whether a call still needs someone: open or acknowledged. */
const isActive = (c: AndonCallView) => c.status === 'open' || c.status === 'acknowledged';

/** `calls` with `call` put in its place (or added), and without it once it is closed. */
export function withCall(calls: readonly AndonCallView[], call: AndonCallView): AndonCallView[] {
  const rest = calls.filter((c) => c.id !== call.id);
  return isActive(call) ? [...rest, call] : rest;
}

export const useAndonStore = defineStore('andon', () => {
  const config = shallowRef<AndonConfig | null>(null);
  const line = ref<string | null>(null);
  const station = ref<string | null>(null);
  /** The station's open and acknowledged calls. */
  const calls = shallowRef<AndonCallView[]>([]);
  /** What is being sent: `raise:<kind>` or `<call id>:<action>`; null when idle. */
  const busy = ref<string | null>(null);
  const error = ref<AndonErrorView | null>(null);
  /** The call the last tap raised, so the screen can say so. */
  const lastRaised = shallowRef<AndonCallView | null>(null);

  let fetchFn: ApiFetchLike | undefined;
  let base = '';
  let clock: () => number = () => Date.now();
  const f = (): ApiFetchLike => fetchFn ?? globalThis.fetch.bind(globalThis);
  /** Live updates applied so far: a fetched list older than the latest of them is dropped. */
  let liveUpdates = 0;

  function configure(options: { fetch?: ApiFetchLike | undefined; base?: string | undefined; now?: (() => number) | undefined }): void {
    fetchFn = options.fetch;
    base = options.base ?? '';
    if (options.now) clock = options.now;
  }

  /** The error on show came from reading (the config, the calls), not from a person's tap. */
  let errorFromRead = false;
  function fail(err: unknown, fromRead = false): void {
    const e = refusalView(err, clock());
    if (e.code === 'not_signed_in') useSessionStore().expired();
    error.value = e;
    errorFromRead = fromRead;
  }
  /** The collector answered a read or spoke on the live channel: a read's failure is over (a refused tap stays until dismissed). */
  function answered(): void {
    if (!errorFromRead) return;
    error.value = null;
    errorFromRead = false;
  }

  /** Loads the kinds, priorities and resolution reasons. */
  async function loadConfig(): Promise<void> {
    try {
      config.value = await fetchAndonConfig(f(), base);
      answered();
    } catch (err) {
      fail(err, true);
    }
  }

  /** Shows `stationId` of `lineId` (null: the whole line) and asks for its active calls. */
  async function watchStation(lineId: string, stationId: string | null): Promise<void> {
    line.value = lineId;
    station.value = stationId;
    const since = liveUpdates;
    try {
      const answer = await fetchCalls({ line: lineId, station: stationId ?? undefined, status: 'active' }, f(), base);
      // The live channel spoke while the request was out: its word is newer.
      if (liveUpdates === since) calls.value = answer;
      answered();
    } catch (err) {
      fail(err, true);
    }
  }

  /** The live channel's open calls of the line: the newest word on this station's calls. */
  function applyLive(open: readonly AndonCallView[]): void {
    liveUpdates += 1;
    answered();
    calls.value = open.filter((c) => (station.value === null || c.station === station.value) && isActive(c));
  }

  /** Raises a call of `kind` at the station in one request; true when the collector took it. */
  async function raise(kind: string): Promise<boolean> {
    if (!line.value || busy.value) return false;
    busy.value = `raise:${kind}`;
    try {
      const call = await raiseCall({ line: line.value, station: station.value, kind }, f(), base);
      calls.value = withCall(calls.value, call);
      lastRaised.value = call;
      error.value = null;
      return true;
    } catch (err) {
      fail(err);
      return false;
    } finally {
      busy.value = null;
    }
  }

  /** Acknowledges, resolves or cancels a call; true when the collector took it. */
  async function act(call: string, action: AndonAction, details: { reason?: string; note?: string } = {}): Promise<boolean> {
    if (busy.value) return false;
    busy.value = `${call}:${action}`;
    try {
      const answer = await actOnCall({ call, action, ...details }, f(), base);
      calls.value = withCall(calls.value, answer); // reopen answers the new call; the old one stays closed
      error.value = null;
      return true;
    } catch (err) {
      fail(err);
      return false;
    } finally {
      busy.value = null;
    }
  }

  function clearError(): void {
    error.value = null;
  }

  return { config, line, station, calls, busy, error, lastRaised, configure, loadConfig, watchStation, applyLive, raise, act, clearError };
});

export const useAndonReportStore = defineStore('andon-report', () => {
  const calls = shallowRef<AndonCallView[]>([]);
  const loading = ref(false);
  const error = ref<AndonErrorView | null>(null);
  /** The call whose timeline is shown. */
  const detail = shallowRef<{ call: AndonCallView; history: AuditEntry[]; deliveries: DeliveryView[] | null } | null>(null);
  const detailError = ref<AndonErrorView | null>(null);
  const deliveries = shallowRef<DeliveriesAnswer | null>(null);
  const deliveriesError = ref<AndonErrorView | null>(null);
  /** Kinds and reasons, for labels. */
  const config = shallowRef<AndonConfig | null>(null);

  // GETs only: the manager's section reads, it never acts.
  let fetchFn: FetchLike | undefined;
  let base = '';
  const f = (): FetchLike => fetchFn ?? globalThis.fetch.bind(globalThis);
  const latest = createLatestRequest();
  const latestDetail = createLatestRequest();

  function configure(options: { fetch?: FetchLike | undefined; base?: string | undefined }): void {
    fetchFn = options.fetch;
    base = options.base ?? '';
  }

  /** Loads the kinds and resolution reasons once; without them labels fall back to the catalogue. */
  async function loadConfig(): Promise<void> {
    if (config.value) return;
    try {
      config.value = await fetchAndonConfig(f(), base);
    } catch {
      // Labels fall back to the catalogue's defaults and the ids.
    }
  }

  /** Loads every call of `q` (any status) and the line's outbox; a newer load supersedes an older one. */
  async function load(q: Omit<CallsQuery, 'status'>): Promise<void> {
    loading.value = true;
    const [outcome] = await Promise.all([latest.run((signal) => fetchCalls({ ...q, status: 'all' }, f(), base, signal)), loadDeliveries(q.line)]);
    if (outcome.kind === 'superseded') return;
    loading.value = false;
    if (outcome.kind === 'ok') {
      calls.value = outcome.value;
      error.value = null;
    } else {
      calls.value = [];
      error.value = outcome.error;
    }
  }

  async function loadDeliveries(lineId: string): Promise<void> {
    try {
      deliveries.value = await fetchDeliveries(lineId, f(), base);
      deliveriesError.value = null;
    } catch (err) {
      deliveriesError.value = refusalView(err, Date.now());
    }
  }

  /** Shows one call's timeline; null hides it. */
  async function open(id: string | null): Promise<void> {
    if (id === null) {
      latestDetail.cancel();
      detail.value = null;
      return;
    }
    const outcome = await latestDetail.run((signal) => fetchCall(id, f(), base, signal));
    if (outcome.kind === 'superseded') return;
    if (outcome.kind === 'ok') {
      detail.value = outcome.value;
      detailError.value = null;
    } else detailError.value = outcome.error;
  }

  function cancel(): void {
    latest.cancel();
    latestDetail.cancel();
    loading.value = false;
  }

  return { calls, loading, error, detail, detailError, deliveries, deliveriesError, config, configure, loadConfig, load, loadDeliveries, open, cancel };
});
