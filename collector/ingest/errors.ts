/**
 * The one error of ingest, whatever the transport: a stable code, a message a
 * person can act on, and whether sending the same batch again can succeed
 * (and after how long). HTTP, WebSocket, MQTT and OPC UA each map it to their
 * own answer; nothing in ingest knows about status codes or PUBACKs.
 */
import { HttpProblem } from '../http/problem';

/** Why a batch as a whole was not taken. */
export type IngestErrorCode =
  | 'unsupported_media_type'
  | 'unsupported_frame'
  | 'invalid_utf8'
  | 'invalid_json'
  | 'too_deep'
  | 'empty_body'
  | 'empty_batch'
  | 'body_too_large'
  | 'batch_too_large'
  /** One batch larger than the spool's whole quota (the spool branch raises it): split it, waiting cannot help. */
  | 'batch_exceeds_spool'
  | 'invalid_frame'
  | 'invalid_batch_id'
  | 'spool_full'
  | 'spool_unavailable';

export interface IngestErrorOptions {
  /** Seconds to wait before resending; unset when resending the same batch cannot help. */
  retryAfterSeconds?: number;
  /** The sender's batch id, when the decoder read it before failing (a WebSocket error answer names it). */
  batch?: string | null;
}

export class IngestError extends Error {
  /** Seconds to wait before resending; `null` when resending the same batch cannot help. */
  readonly retryAfterSeconds: number | null;
  readonly batch: string | null;

  constructor(
    readonly code: IngestErrorCode,
    message: string,
    options: IngestErrorOptions = {},
  ) {
    super(message);
    this.name = 'IngestError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
    this.batch = options.batch ?? null;
  }

  /** Whether the same batch, sent again later, can succeed (the collector was the problem, not the batch). */
  get retryable(): boolean {
    return this.retryAfterSeconds !== null;
  }
}

/** HTTP's answer to an ingest error: 503 + Retry-After when retryable, 413 / 415 by code, else 400. */
export function ingestProblem(error: IngestError): HttpProblem {
  if (error.retryAfterSeconds !== null) {
    return new HttpProblem(503, error.code, error.message, { 'retry-after': String(error.retryAfterSeconds) });
  }
  const status = error.code === 'body_too_large' || error.code === 'batch_too_large' || error.code === 'batch_exceeds_spool' ? 413 : error.code === 'unsupported_media_type' ? 415 : 400;
  return new HttpProblem(status, error.code, error.message);
}
