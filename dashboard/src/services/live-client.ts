/**
 * The live link to the collector (WebSocket /api/v1/live). Knows nothing of
 * Vue: it takes a WebSocket constructor, a URL and a callback.
 *
 * Every (re)connect starts with a full snapshot; updates and heartbeats carry a
 * `seq` that grows by one per message. A gap means something was lost, so the
 * client asks for a fresh snapshot (`{type:'resync'}`) and ignores updates until
 * it arrives. A link that says nothing for `heartbeatTimeoutMs` is treated as
 * dead (a pulled cable never sends a close frame): the client drops it and
 * reconnects with capped, jittered exponential back-off.
 */
import type { LineLive, LiveClientMessage } from '@core/live';
import { parseLiveMessage } from './live-message';

/** The part of the WebSocket API the client uses; the browser's WebSocket fits it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: the browser's, or a fake in tests. */
export type WebSocketConstructorLike = new (url: string) => WebSocketLike;

/** Timers and clock the client uses; injectable so tests drive time. */
export interface LiveClientTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Local clock, epoch ms. */
  now(): number;
}

/** Where the link stands. */
export type LinkStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** What the client reports to its owner. */
export type LiveClientEvent =
  | { type: 'status'; status: LinkStatus; /** ms until the next attempt, when reconnecting */ retryInMs?: number }
  | { type: 'line'; kind: 'snapshot' | 'update'; seq: number; serverTime: number; line: LineLive; receivedAt: number }
  | { type: 'heartbeat'; seq: number; serverTime: number; receivedAt: number }
  | { type: 'gap'; expected: number; got: number }
  | { type: 'error'; code: string; message: string };

export interface LiveClientOptions {
  url: string;
  WebSocket: WebSocketConstructorLike;
  onEvent: (event: LiveClientEvent) => void;
  /** First reconnect delay, ms. @default 500 */
  minDelayMs?: number;
  /** Longest reconnect delay, ms. @default 15000 */
  maxDelayMs?: number;
  /** No message for this long → the link is dead, ms. The server beats every ~5 s. @default 15000 */
  heartbeatTimeoutMs?: number;
  /** After a resync request, wait this long for the snapshot before reconnecting, ms. @default 10000 */
  resyncTimeoutMs?: number;
  /** @default the global timers and Date.now */
  timers?: LiveClientTimers;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

/** Defaults for {@link LiveClientOptions}. */
export const DEFAULT_LIVE_CLIENT = {
  minDelayMs: 500,
  maxDelayMs: 15_000,
  heartbeatTimeoutMs: 15_000,
  resyncTimeoutMs: 10_000,
} as const;

export interface LiveClient {
  /** Asks the server for a fresh snapshot. */
  resync(): void;
  /** Closes the link for good; no more reconnects or events. */
  close(): void;
  readonly status: LinkStatus;
}

/** WebSocket.OPEN; spelled out because fakes and Node have no global WebSocket. */
const OPEN = 1;

/**
 * Reconnect delay before attempt `attempt` (0-based): exponential, capped, with
 * "equal jitter" so a hall of screens restarting together does not reconnect in
 * lockstep. Returns ms in [cap/2, cap).
 */
export function reconnectDelay(attempt: number, minDelayMs: number, maxDelayMs: number, random: () => number): number {
  const cap = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (cap / 2) * random());
}

const defaultTimers: LiveClientTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** Opens the live link and keeps it open until {@link LiveClient.close}. */
export function createLiveClient(options: LiveClientOptions): LiveClient {
  const cfg = {
    minDelayMs: options.minDelayMs ?? DEFAULT_LIVE_CLIENT.minDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_LIVE_CLIENT.maxDelayMs,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_LIVE_CLIENT.heartbeatTimeoutMs,
    resyncTimeoutMs: options.resyncTimeoutMs ?? DEFAULT_LIVE_CLIENT.resyncTimeoutMs,
  };
  const timers = options.timers ?? defaultTimers;
  const random = options.random ?? Math.random;
  const emit = options.onEvent;

  let socket: WebSocketLike | null = null;
  let status: LinkStatus = 'connecting';
  let attempt = 0;
  let expectedSeq: number | null = null;
  let awaitingSnapshot = true;
  /** Local time of the pending resync request, or null. */
  let resyncSince: number | null = null;
  let watchdog: unknown = null;
  let retryTimer: unknown = null;

  function setStatus(next: LinkStatus, retryInMs?: number): void {
    status = next;
    emit(retryInMs === undefined ? { type: 'status', status: next } : { type: 'status', status: next, retryInMs });
  }

  function armWatchdog(): void {
    if (watchdog !== null) timers.clearTimeout(watchdog);
    watchdog = timers.setTimeout(() => {
      watchdog = null;
      drop(4000, 'heartbeat timeout');
    }, cfg.heartbeatTimeoutMs);
  }

  function connect(): void {
    retryTimer = null;
    expectedSeq = null;
    awaitingSnapshot = true;
    resyncSince = null;
    setStatus('connecting');
    let ws: WebSocketLike;
    try {
      ws = new options.WebSocket(options.url);
    } catch {
      scheduleReconnect(); // e.g. a malformed URL; keep trying rather than go blank
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      setStatus('open');
    };
    ws.onmessage = (ev) => {
      if (socket === ws) receive(ev.data);
    };
    ws.onerror = () => {
      // A close event follows every error; reconnecting happens there.
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      clearWatchdog();
      scheduleReconnect();
    };
    armWatchdog(); // also bounds how long a connect may hang
  }

  function receive(data: unknown): void {
    const msg = parseLiveMessage(data);
    if (!msg) return; // not ours or malformed: ignored, and does not count as a sign of life
    armWatchdog();
    if (msg.type === 'error') {
      emit({ type: 'error', code: msg.code, message: msg.message });
      return;
    }
    const receivedAt = timers.now();
    if (msg.type === 'snapshot') {
      expectedSeq = msg.seq + 1;
      awaitingSnapshot = false;
      resyncSince = null;
      attempt = 0; // a snapshot means the link works: back-off starts over next time
      emit({ type: 'line', kind: 'snapshot', seq: msg.seq, serverTime: msg.serverTime, line: msg.line, receivedAt });
      return;
    }
    if (expectedSeq !== null && msg.seq !== expectedSeq) {
      emit({ type: 'gap', expected: expectedSeq, got: msg.seq });
      requestSnapshot();
    }
    expectedSeq = msg.seq + 1;
    if (awaitingSnapshot && resyncSince !== null && receivedAt - resyncSince > cfg.resyncTimeoutMs) {
      drop(4001, 'resync timeout');
      return;
    }
    if (msg.type === 'heartbeat') {
      emit({ type: 'heartbeat', seq: msg.seq, serverTime: msg.serverTime, receivedAt });
    } else if (!awaitingSnapshot) {
      emit({ type: 'line', kind: 'update', seq: msg.seq, serverTime: msg.serverTime, line: msg.line, receivedAt });
    }
  }

  function requestSnapshot(): void {
    awaitingSnapshot = true;
    resyncSince ??= timers.now();
    send({ type: 'resync' });
  }

  function send(message: LiveClientMessage): void {
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  /** Abandons the current socket without waiting for its close handshake. */
  function drop(code: number, reason: string): void {
    const ws = socket;
    socket = null;
    clearWatchdog();
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close(code, reason);
      } catch {
        // closing a socket that never opened may throw; it is gone either way
      }
    }
    if (status !== 'stopped') scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (status === 'stopped' || retryTimer !== null) return;
    const delay = reconnectDelay(attempt, cfg.minDelayMs, cfg.maxDelayMs, random);
    attempt += 1;
    setStatus('reconnecting', delay);
    retryTimer = timers.setTimeout(connect, delay);
  }

  function clearWatchdog(): void {
    if (watchdog !== null) timers.clearTimeout(watchdog);
    watchdog = null;
  }

  connect();

  return {
    resync: () => {
      if (status === 'stopped') return;
      requestSnapshot();
    },
    close: () => {
      if (status === 'stopped') return;
      setStatus('stopped');
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      drop(1000, 'closed by client');
    },
    get status() {
      return status;
    },
  };
}

