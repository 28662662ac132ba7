/**
 * `useLive`: a line's live numbers as refs, over the Vue-free live client.
 * Reconnects on its own, keeps a bounded trend, ticks a local clock so
 * countdowns move between messages, and closes everything when its scope ends.
 */
import type { LineLive } from '@core/live';
import { computed, onScopeDispose, ref, shallowRef, toValue, watch, type ComputedRef, type MaybeRefOrGetter, type Ref, type ShallowRef } from 'vue';
import {
  createLiveClient,
  type LinkStatus,
  type LiveClient,
  type LiveClientEvent,
  type LiveClientOptions,
  type LiveClientTimers,
  type WebSocketConstructorLike,
} from '../services/live-client';
import { liveUrl } from '../services/lines-api';
import { appendBounded, type SeriesLimits, type SeriesPoint } from '../model/bounded-series';
import type { LiveInput } from '../model/wall-model';

export interface UseLiveOptions {
  /** Line id, e.g. `A1`; a ref or getter reconnects when it changes. */
  line: MaybeRefOrGetter<string>;
  /** Live WebSocket URL for a line. @default same host as the page, `/api/v1/live?line=…` */
  url?: (line: string) => string;
  /** @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructorLike;
  /** Timers and local clock. @default the global timers and Date.now */
  timers?: LiveClientTimers;
  /** Jitter source for reconnect delays. @default Math.random */
  random?: () => number;
  /** How often `now` advances between messages, ms; under half a second so a countdown in seconds never skips. @default 250 */
  tickMs?: number;
  /** History kept for the units-per-hour trend. @default { maxPoints: 360, maxAgeMs: 3_600_000 } */
  trendLimits?: SeriesLimits;
  /** Reconnect and watchdog tuning passed to the live client. @default DEFAULT_LIVE_CLIENT */
  client?: Pick<LiveClientOptions, 'minDelayMs' | 'maxDelayMs' | 'heartbeatTimeoutMs' | 'resyncTimeoutMs'>;
  /**
   * The last hour of the units-per-hour trend, asked once per connection so a
   * screen that (re)loads does not start with an empty chart; asked on the first snapshot of each line.
   * @default GET /api/v1/history/uph on the page's host
   */
  loadTrend?: (line: string, now: number) => Promise<readonly SeriesPoint[]>;
}

export interface UseLiveReturn {
  /** The latest line state; null before the first snapshot. */
  line: ShallowRef<LineLive | null>;
  status: Ref<LinkStatus>;
  /** The server's last error message (e.g. unknown line); cleared by the next snapshot. */
  error: Ref<{ code: string; message: string } | null>;
  /** Local clock, ms, advancing every `tickMs`. */
  now: Ref<number>;
  /** Everything {@link wallModel} needs. */
  input: ComputedRef<LiveInput>;
  /** Units per hour over the line's clock, bounded by length and age. */
  trend: ShallowRef<readonly SeriesPoint[]>;
  /** Asks for a fresh snapshot. */
  resync: () => void;
  /** Closes the link; it stays closed. */
  close: () => void;
}

/** Defaults for {@link UseLiveOptions}. */
export const DEFAULT_USE_LIVE = {
  tickMs: 250,
  trendLimits: { maxPoints: 360, maxAgeMs: 3_600_000 },
} as const;

const realTimers: LiveClientTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** The trailing-hour trend from the collector's history API; empty when it cannot be had. */
export async function fetchTrend(line: string, now: number, fetchFn: typeof fetch = globalThis.fetch): Promise<SeriesPoint[]> {
  const params = new URLSearchParams({ line, from: String(Math.round(now - 3_600_000)), to: String(Math.round(now) + 1), now: String(Math.round(now)) });
  const res = await fetchFn(`/api/v1/history/uph?${params.toString()}`);
  if (!res.ok) return [];
  const body = (await res.json()) as { points?: { ts: number; unitsPerHour: number }[] };
  return (body.points ?? []).filter((p) => p.ts <= now).map((p) => ({ t: p.ts, v: p.unitsPerHour }));
}

export function useLive(options: UseLiveOptions): UseLiveReturn {
  const timers = options.timers ?? realTimers;
  const loadTrend = options.loadTrend ?? ((line: string, at: number) => fetchTrend(line, at));
  const tickMs = options.tickMs ?? DEFAULT_USE_LIVE.tickMs;
  const trendLimits = options.trendLimits ?? DEFAULT_USE_LIVE.trendLimits;
  const urlFor = options.url ?? ((line: string) => liveUrl(line, globalThis.location));

  const line = shallowRef<LineLive | null>(null);
  const status = ref<LinkStatus>('connecting');
  const error = ref<{ code: string; message: string } | null>(null);
  const now = ref(timers.now());
  const trend = shallowRef<readonly SeriesPoint[]>([]);
  const lineArrivedAt = ref<number | null>(null);
  const lineServerTime = ref<number | null>(null);
  const lastMessageAt = ref<number | null>(null);
  const linkSince = ref(timers.now());

  let client: LiveClient | null = null;
  let tickHandle: unknown = null;
  let disposed = false;
  /** The line whose trend history was asked for on this connection; null until its first snapshot. */
  let trendSeededFor: string | null = null;
  let currentLine: string | null = null;

  /** Puts the history before the live points, bounded as always; live points win where they overlap. */
  async function seedTrend(lineId: string, at: number): Promise<void> {
    let history: readonly SeriesPoint[];
    try {
      history = await loadTrend(lineId, at);
    } catch {
      return; // the trend fills from live updates as before
    }
    if (disposed || currentLine !== lineId) return;
    const live = trend.value;
    const earliest = live[0]?.t ?? Number.POSITIVE_INFINITY;
    let merged: SeriesPoint[] = [];
    for (const p of history) if (p.t < earliest) merged = appendBounded(merged, p, trendLimits);
    for (const p of live) merged = appendBounded(merged, p, trendLimits);
    trend.value = merged;
  }

  function onEvent(e: LiveClientEvent): void {
    switch (e.type) {
      case 'status':
        if (e.status !== 'open' && status.value === 'open') linkSince.value = timers.now();
        status.value = e.status;
        break;
      case 'line':
        if (e.kind === 'snapshot') error.value = null;
        line.value = e.line;
        lineArrivedAt.value = e.receivedAt;
        lineServerTime.value = e.serverTime;
        lastMessageAt.value = e.receivedAt;
        trend.value = appendBounded(trend.value, { t: e.line.now, v: e.line.unitsPerHour }, trendLimits);
        now.value = e.receivedAt;
        if (e.kind === 'snapshot' && currentLine !== null && trendSeededFor !== currentLine) {
          trendSeededFor = currentLine;
          void seedTrend(currentLine, e.line.now);
        }
        break;
      case 'heartbeat':
        lastMessageAt.value = e.receivedAt;
        break;
      case 'error':
        error.value = { code: e.code, message: e.message };
        break;
      case 'gap':
        break; // the client already asked for a snapshot
    }
  }

  function start(lineId: string): void {
    client?.close();
    line.value = null;
    trend.value = [];
    currentLine = lineId;
    trendSeededFor = null;
    lineArrivedAt.value = lineServerTime.value = lastMessageAt.value = null;
    linkSince.value = timers.now();
    const WebSocketCtor = options.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructorLike);
    client = createLiveClient({
      url: urlFor(lineId),
      WebSocket: WebSocketCtor,
      onEvent,
      timers,
      ...(options.random ? { random: options.random } : {}),
      ...options.client,
    });
  }

  function tick(): void {
    now.value = timers.now();
    tickHandle = timers.setTimeout(tick, tickMs);
  }

  function close(): void {
    disposed = true;
    client?.close();
    client = null;
    if (tickHandle !== null) timers.clearTimeout(tickHandle);
    tickHandle = null;
  }

  watch(
    () => toValue(options.line),
    (id) => {
      if (!disposed) start(id);
    },
    { immediate: true },
  );
  tick();
  onScopeDispose(close);

  const input = computed<LiveInput>(() => ({
    line: line.value,
    lineArrivedAt: lineArrivedAt.value,
    lineServerTime: lineServerTime.value,
    lastMessageAt: lastMessageAt.value,
    linkSince: linkSince.value,
    status: status.value,
  }));

  return { line, status, error, now, input, trend, resync: () => client?.resync(), close };
}
