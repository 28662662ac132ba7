/**
 * WebSocket /api/v1/live: each client subscribes to one line, gets a snapshot,
 * then the line's broadcast stream (updates and heartbeats, numbered by `seq`).
 * A broadcast is serialised once; a client that cannot keep up is dropped
 * rather than allowed to grow the server's memory; dead sockets are found by
 * ping/pong and terminated.
 *
 * Housekeeping never holds an update back for long: a line whose update went
 * out within the last half heartbeat interval gets no heartbeat (the update
 * was its sign of life), and pings go out in slices spread over the interval
 * rather than to every socket at once (with thousands of screens, one write per
 * socket is what a broadcast costs, and a change arriving behind it waits).
 *
 * A broadcast is also framed once: the WebSocket frame (header and payload in
 * one buffer) is built for the line and the same bytes are written to each
 * socket, one write each, instead of `ws` framing the message again per socket
 * and writing header and payload as two chunks. This is safe beside `ws`'s own
 * writes (snapshots, pings, close) because this server never compresses and
 * never sends a Blob, the only cases in which `ws` queues a frame instead of
 * writing it at once: every frame reaches the socket whole, in call order.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { LiveClientMessage, LiveServerMessage } from '../../core/live';
import type { LineBoard } from './board';
import { textFrame } from './frame';

export interface LiveHubOptions {
  board: LineBoard;
  /** Wall clock, epoch ms. */
  clock: () => number;
  /** Heartbeat (and refresh) interval, ms. */
  heartbeatMs: number;
  /** Least time between two updates of one line, ms. @default 250 */
  minUpdateIntervalMs?: number;
  /** A client whose unsent data passes this many bytes is dropped. @default 1 MiB */
  maxBufferedBytes?: number;
  /** A quiet line still gets a full update this often (time-based numbers move on), ms. @default 30000 */
  refreshMs?: number;
  onClientCount?: (n: number) => void;
}

/** Pings go out in this many slices per heartbeat interval. */
const PING_SLICES = 10;

interface LineStream {
  seq: number;
  clients: Set<WebSocket>;
  pending: NodeJS.Timeout | null;
  /** When the last full update went out, wall-clock ms; 0 before the first. Opens the coalescing window. */
  windowFrom: number;
  /** When the last full update went out, wall-clock ms. */
  lastUpdateAt: number;
  /** What changes without an event (lost signals, the collector's intake) as the last full message said it (LineBoard.quietKey). */
  quiet: string;
}

export class LiveHub {
  // No compression: a broadcast's one frame is written as it is to every socket (see the file's comment).
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  /** The TCP socket under each WebSocket, as the upgrade handed it over: where a broadcast's frame is written. */
  private readonly socketOf = new WeakMap<WebSocket, Duplex>();
  private readonly streams = new Map<string, LineStream>();
  private readonly lineOf = new WeakMap<WebSocket, string>();
  private readonly alive = new WeakSet<WebSocket>();
  /** Each socket's ping slice, 0 … PING_SLICES − 1, dealt round-robin at connection. */
  private readonly pingSlice = new WeakMap<WebSocket, number>();
  private nextSlice = 0;
  private pingTurn = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly options: LiveHubOptions) {
    this.wss.on('connection', (ws, req) => this.onConnection(ws, req));
    this.heartbeat = setInterval(() => this.tick(), options.heartbeatMs);
    // Each socket is pinged once every heartbeat interval, in its own slice of it; a socket that has not
    // answered the previous ping by the next one is dead, so it is terminated within two intervals of going silent.
    this.pinger = setInterval(() => this.ping(), options.heartbeatMs / PING_SLICES);
  }

  /** Takes over an HTTP upgrade request for /api/v1/live. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.socketOf.set(ws, socket);
      this.wss.emit('connection', ws, req);
    });
  }

  /**
   * Lines whose numbers changed get an update: at once after a quiet period
   * (leading edge), otherwise when the line's window since its last update
   * closes (a burst becomes one trailing update). Heartbeats do not count:
   * they carry no numbers, so one just before a change must not hold it back.
   */
  linesChanged(lines: Iterable<string>): void {
    for (const line of lines) {
      const stream = this.streams.get(line);
      if (!stream || stream.clients.size === 0 || stream.pending) continue;
      const wait = Math.max(0, stream.windowFrom + (this.options.minUpdateIntervalMs ?? 250) - this.options.clock());
      stream.pending = setTimeout(() => {
        stream.pending = null;
        this.broadcast(line, stream, true);
      }, wait);
    }
  }

  clientCount(): number {
    return this.wss.clients.size;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    clearInterval(this.pinger);
    for (const stream of this.streams.values()) if (stream.pending) clearTimeout(stream.pending);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    ws.on('error', () => ws.terminate());
    this.alive.add(ws);
    this.pingSlice.set(ws, this.nextSlice);
    this.nextSlice = (this.nextSlice + 1) % PING_SLICES;
    ws.on('pong', () => this.alive.add(ws));
    ws.on('close', () => {
      this.unsubscribe(ws);
      this.options.onClientCount?.(this.wss.clients.size);
    });
    ws.on('message', (data, isBinary) => this.onMessage(ws, isBinary ? null : data.toString()));
    this.options.onClientCount?.(this.wss.clients.size);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const requested = url.searchParams.get('line');
    const lines = this.options.board.lineIds();
    const line = requested ?? (lines.length === 1 ? lines[0] : undefined);
    if (line === undefined) {
      this.sendError(ws, 'line_required', `add ?line=<id> to the URL; lines: ${lines.join(', ')}`);
      return;
    }
    this.subscribe(ws, line);
  }

  private onMessage(ws: WebSocket, text: string | null): void {
    let message: LiveClientMessage | null;
    try {
      message = text === null ? null : (JSON.parse(text) as LiveClientMessage);
    } catch {
      message = null;
    }
    if (message?.type === 'resync') {
      const line = this.lineOf.get(ws);
      if (line !== undefined) this.sendSnapshot(ws, line);
      else this.sendError(ws, 'not_subscribed', "send {\"type\":\"subscribe\",\"line\":\"<id>\"} first");
    } else if (message?.type === 'subscribe' && typeof message.line === 'string') {
      this.subscribe(ws, message.line);
    } else {
      this.sendError(ws, 'bad_message', 'messages are JSON: {"type":"subscribe","line":"<id>"} or {"type":"resync"}');
    }
  }

  private subscribe(ws: WebSocket, line: string): void {
    if (!this.options.board.has(line)) {
      this.sendError(ws, 'unknown_line', `line '${line.slice(0, 64)}' is not configured; lines: ${this.options.board.lineIds().join(', ')}`);
      return;
    }
    this.unsubscribe(ws);
    let stream = this.streams.get(line);
    if (!stream) {
      stream = { seq: 0, clients: new Set(), pending: null, windowFrom: 0, lastUpdateAt: this.options.clock(), quiet: this.options.board.quietKey(line) };
      this.streams.set(line, stream);
    }
    stream.clients.add(ws);
    this.lineOf.set(ws, line);
    this.sendSnapshot(ws, line);
  }

  private unsubscribe(ws: WebSocket): void {
    const line = this.lineOf.get(ws);
    if (line === undefined) return;
    this.streams.get(line)?.clients.delete(ws);
    this.lineOf.delete(ws);
  }

  private sendSnapshot(ws: WebSocket, line: string): void {
    const view = this.options.board.view(line);
    const stream = this.streams.get(line);
    if (!view || !stream) return;
    this.send(ws, JSON.stringify({ type: 'snapshot', seq: stream.seq, serverTime: this.options.clock(), line: view } satisfies LiveServerMessage));
  }

  private sendError(ws: WebSocket, code: string, message: string): void {
    this.send(ws, JSON.stringify({ type: 'error', code, message } satisfies LiveServerMessage));
  }

  /** Sends an update (`full`) or a heartbeat to a line's clients; both advance `seq`. */
  private broadcast(line: string, stream: LineStream, full: boolean): void {
    if (stream.clients.size === 0) return;
    const serverTime = this.options.clock();
    stream.seq += 1;
    let message: LiveServerMessage;
    if (full) {
      const view = this.options.board.view(line);
      if (!view) return;
      message = { type: 'update', seq: stream.seq, serverTime, line: view };
      stream.quiet = this.options.board.quietKey(line);
      stream.lastUpdateAt = serverTime;
      stream.windowFrom = serverTime;
    } else {
      message = { type: 'heartbeat', seq: stream.seq, serverTime };
    }
    // Serialised, UTF-8 encoded and framed once for every client of the line.
    const payload = Buffer.from(JSON.stringify(message));
    const frame = textFrame(payload);
    for (const ws of stream.clients) {
      if (!this.mayWrite(ws)) continue;
      const socket = this.socketOf.get(ws);
      // Every client came through handleUpgrade, so its socket is known; `ws.send` is only the safe side.
      if (socket) socket.write(frame);
      else ws.send(payload, { binary: false });
    }
  }

  /** Sends a text message to one socket. */
  private send(ws: WebSocket, text: string): void {
    if (this.mayWrite(ws)) ws.send(text, { binary: false });
  }

  /**
   * Whether `ws` takes another message: it is open (after a close frame, `ws` says CLOSING and nothing may
   * follow), and has not fallen too far behind. `bufferedAmount` counts what waits in the socket, the
   * broadcast frames written to it directly included.
   */
  private mayWrite(ws: WebSocket): boolean {
    if (ws.readyState !== WebSocket.OPEN) return false;
    if (ws.bufferedAmount > (this.options.maxBufferedBytes ?? 1024 * 1024)) {
      // A screen that cannot keep up gets a fresh snapshot when it reconnects.
      ws.terminate();
      return false;
    }
    return true;
  }

  private tick(): void {
    for (const [line, stream] of this.streams) {
      if (stream.clients.size === 0) {
        if (!stream.pending) this.streams.delete(line);
        continue;
      }
      if (stream.pending) continue;
      const stale = this.options.clock() - stream.lastUpdateAt >= (this.options.refreshMs ?? 30_000);
      // A source that fell silent (or came back), or a spool that stopped (or resumed) taking events, sends no event: the view changes on the next heartbeat.
      const quietMoved = this.options.board.quietKey(line) !== stream.quiet;
      const full = stale || quietMoved;
      // An update this recent already told the screens the link is alive (and the server's time): a
      // screen then hears something at least every 1.5 intervals.
      if (!full && this.options.clock() - stream.lastUpdateAt < this.options.heartbeatMs / 2) continue;
      this.broadcast(line, stream, full);
    }
  }

  private ping(): void {
    const turn = this.pingTurn;
    this.pingTurn = (turn + 1) % PING_SLICES;
    for (const ws of this.wss.clients) {
      if (this.pingSlice.get(ws) !== turn) continue;
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }
}
