/**
 * WebSocket /api/v1/ingest: for stations and gateways that keep a connection
 * open. Each text frame is a batch; the answer to it (an `ack` or an `error`)
 * comes only once its events are durable in the spool, names the batch and
 * lists the ids now safe, so a station can drop its copies by id.
 *
 * Frames: `{"batch":"b-17","events":[…]}`, or a bare array of events, or one
 * event. Answers: `{"type":"ack","batch":"b-17","accepted":2,"duplicates":0,
 * "rejected":[…],"ids":[…]}` or `{"type":"error","batch":"b-17","code":"spool_full",
 * "message":"…","retryAfterSeconds":5}`. See docs/api.md.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { bearerToken, type TokenSet } from '../http/auth';
import { decodeBatch } from './decode';
import { IngestError } from './errors';
import type { Ingestor } from './ingest';

export interface IngestSocketsOptions {
  ingestor: Ingestor;
  tokens: TokenSet;
  /** Largest frame, bytes (the HTTP body limit). */
  maxPayloadBytes: number;
  maxBatchEvents: number;
  /** Batches of one connection being made durable at once; past it the socket stops reading. @default 32 */
  maxInFlight?: number;
}

export class IngestSockets {
  private readonly wss: WebSocketServer;
  constructor(private readonly options: IngestSocketsOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false });
  }

  /** Takes over an upgrade for /api/v1/ingest; refuses it with 401/403 without a valid ingest token. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const token = bearerToken(req);
    if (token === null || !this.options.tokens.has(token)) {
      const [status, code, message] =
        token === null
          ? ['401 Unauthorized', 'unauthorized', "send 'Authorization: Bearer <ingest token>'"]
          : ['403 Forbidden', 'forbidden', 'the token is not a valid ingest token for this collector'];
      const body = JSON.stringify({ error: { code, message } });
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
    const maxInFlight = this.options.maxInFlight ?? 32;
    let inFlight = 0;
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      inFlight += 1;
      // Back-pressure: stop reading this socket while too many of its batches wait for the disk.
      if (inFlight >= maxInFlight) ws.pause();
      void this.onFrame(ws, data, isBinary).finally(() => {
        inFlight -= 1;
        if (ws.isPaused && inFlight < maxInFlight) ws.resume();
      });
    });
  }

  private async onFrame(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let batch: string | null = null;
    try {
      if (isBinary) throw new IngestError('unsupported_frame', 'send batches as text frames of JSON');
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const decoded = decodeBatch(bytes, { format: 'framed', maxEvents: this.options.maxBatchEvents, subject: 'frame' });
      batch = decoded.batch;
      const result = await this.options.ingestor.ingest(decoded.items, decoded.failures, decoded.json);
      send(ws, { type: 'ack', batch, accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected, ids: result.ids });
    } catch (error) {
      if (error instanceof IngestError) {
        send(ws, { type: 'error', batch: batch ?? error.batch, code: error.code, message: error.message, ...(error.retryAfterSeconds !== null ? { retryAfterSeconds: error.retryAfterSeconds } : {}) });
        return;
      }
      console.error('collector: unexpected error on /api/v1/ingest', error);
      send(ws, { type: 'error', batch, code: 'internal_error', message: 'the collector failed on this batch; see its log' });
    }
  }

  /** Closes every ingest connection. */
  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function send(ws: WebSocket, message: unknown): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}
