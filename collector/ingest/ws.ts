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
import { HttpProblem } from '../http/problem';
import type { Ingestor } from './ingest';
import { checkNesting, decodeUtf8 } from './parse';

export interface IngestSocketsOptions {
  ingestor: Ingestor;
  tokens: TokenSet;
  /** Largest frame, bytes (the HTTP body limit). */
  maxPayloadBytes: number;
  maxBatchEvents: number;
  /** Batches of one connection being made durable at once; past it the socket stops reading. @default 32 */
  maxInFlight?: number;
}

const BATCH_ID = /^[\x21-\x7e]{1,128}$/;

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
      if (isBinary) throw new HttpProblem(400, 'unsupported_frame', 'send batches as text frames of JSON');
      const text = decodeUtf8(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
      checkNesting(text);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new HttpProblem(400, 'invalid_json', `the frame is not valid JSON: ${(error as Error).message}`);
      }
      let items: unknown[];
      if (Array.isArray(value)) items = value;
      else if (typeof value === 'object' && value !== null && 'events' in value) {
        const framed = value as { batch?: unknown; events?: unknown };
        if (framed.batch !== undefined) {
          if (typeof framed.batch !== 'string' || !BATCH_ID.test(framed.batch)) {
            throw new HttpProblem(400, 'invalid_batch_id', 'batch must be 1–128 printable ASCII characters without spaces');
          }
          batch = framed.batch;
        }
        const extra = Object.keys(framed).filter((k) => k !== 'batch' && k !== 'events');
        if (extra.length > 0) throw new HttpProblem(400, 'invalid_frame', `unknown field(s) ${extra.map((k) => `'${k}'`).join(', ')}: a frame has 'batch' and 'events'`);
        if (!Array.isArray(framed.events)) throw new HttpProblem(400, 'invalid_frame', 'events must be an array of events');
        items = framed.events;
      } else items = [value];
      if (items.length === 0) throw new HttpProblem(400, 'empty_batch', 'the batch holds no events');
      if (items.length > this.options.maxBatchEvents) {
        throw new HttpProblem(413, 'batch_too_large', `the batch has ${items.length} events; the limit is ${this.options.maxBatchEvents}: split it`);
      }
      const result = await this.options.ingestor.ingest(items);
      send(ws, { type: 'ack', batch, accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected, ids: result.ids });
    } catch (error) {
      if (error instanceof HttpProblem) {
        const retry = error.headers['retry-after'];
        send(ws, { type: 'error', batch, code: error.code, message: error.message, ...(retry ? { retryAfterSeconds: Number(retry) } : {}) });
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
