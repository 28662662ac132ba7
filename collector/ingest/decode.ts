/**
 * The one batch decoder: bytes from any transport (an HTTP body, a WebSocket
 * frame, an MQTT payload) become the raw items of a batch, or an
 * {@link IngestError} that says why not. A JSON array (or one object), NDJSON,
 * or a framed batch `{"batch":"…","events":[…]}`. A line of NDJSON that does
 * not parse rejects that item only; JSON that does not parse rejects the batch.
 */
import { IngestError } from './errors';

/** How the bytes are laid out. `framed`: JSON that may be `{"batch", "events"}` (WebSocket). */
export type BatchFormat = 'json' | 'ndjson' | 'framed';

export interface DecodeOptions {
  format: BatchFormat;
  /** Most items in one batch. */
  maxEvents: number;
  /** Largest input, bytes; unset when the transport enforced it already (HTTP reads with a limit). */
  maxBytes?: number;
  /** What the bytes are called in messages: `body`, `frame`, `payload`. @default 'body' */
  subject?: string;
}

export interface DecodedBatch {
  /** Decoded items, `undefined` where an NDJSON line failed to parse. */
  items: unknown[];
  /** Parse failures by item index (NDJSON only). */
  failures: Map<number, string>;
  /** The sender's batch id of a framed batch, else `null`. */
  batch: string | null;
  /**
   * The bytes of the JSON array `items` were parsed from, exactly (JSON.parse of them gives `items`), when the
   * batch was one plain array; else `null` (NDJSON, a single object, a framed batch). The spool keeps them as
   * they are when validation changed no event (collector/spool/batch.ts `encodeBatchOfJson`).
   */
  json: Uint8Array | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Deepest nesting of arrays and objects accepted: events are flat, a batch adds one or two levels. */
export const MAX_NESTING_DEPTH = 8;

const BATCH_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Fails with `too_deep` when `text` nests arrays or objects deeper than
 * `maxDepth`, before JSON.parse builds the structure. Brackets inside strings do not count.
 */
export function checkNesting(text: string, maxDepth = MAX_NESTING_DEPTH, subject = 'body'): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) {
        throw new IngestError('too_deep', `the ${subject} nests arrays or objects deeper than ${maxDepth} levels; events are flat objects`);
      }
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
}

/** Decodes UTF-8 strictly: `invalid_utf8` for bytes that are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array, subject = 'body'): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new IngestError('invalid_utf8', `the ${subject} is not valid UTF-8`);
  }
}

/** Decodes one batch; throws {@link IngestError} when the batch as a whole cannot be read. */
export function decodeBatch(bytes: Uint8Array, options: DecodeOptions): DecodedBatch {
  const subject = options.subject ?? 'body';
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    throw new IngestError('body_too_large', `the ${subject} is ${bytes.length} bytes; the limit is ${options.maxBytes}: send smaller batches`);
  }
  const text = decodeUtf8(bytes, subject);
  if (options.format === 'ndjson') return decodeNdjson(text, options.maxEvents, subject);
  checkNesting(text, MAX_NESTING_DEPTH, subject);
  // An HTTP body keeps its historical code; a frame or payload says `empty_batch`.
  const empty = subject === 'body' ? 'empty_body' : 'empty_batch';
  if (text.trim() === '') throw new IngestError(empty, `the ${subject} is empty: send a JSON array of events`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new IngestError('invalid_json', `the ${subject} is not valid JSON: ${(error as Error).message}`);
  }
  let batch: string | null = null;
  let items: unknown[];
  let json: Uint8Array | null = null;
  if (Array.isArray(value)) {
    items = value;
    // The decoder above dropped a leading byte-order mark, which is no JSON whitespace: the array's bytes start after it.
    json = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  } else if (options.format === 'framed' && typeof value === 'object' && value !== null && 'events' in value) {
    const framed = value as { batch?: unknown; events?: unknown };
    if (framed.batch !== undefined) {
      if (typeof framed.batch !== 'string' || !BATCH_ID.test(framed.batch)) {
        throw new IngestError('invalid_batch_id', 'batch must be 1–128 printable ASCII characters without spaces');
      }
      batch = framed.batch;
    }
    const extra = Object.keys(framed).filter((k) => k !== 'batch' && k !== 'events');
    if (extra.length > 0) {
      throw new IngestError('invalid_frame', `unknown field(s) ${extra.map((k) => `'${k.slice(0, 64)}'`).join(', ')}: a frame has 'batch' and 'events'`, { batch });
    }
    if (!Array.isArray(framed.events)) throw new IngestError('invalid_frame', 'events must be an array of events', { batch });
    items = framed.events;
  } else items = [value];
  if (items.length === 0) throw new IngestError(empty, `the ${subject === 'body' ? 'batch' : subject} holds no events: send a JSON array of events`, { batch });
  if (items.length > options.maxEvents) {
    throw new IngestError('batch_too_large', `the ${subject} has ${items.length} events; the limit is ${options.maxEvents}: split it`, { batch });
  }
  return { items, failures: new Map(), batch, json };
}

function decodeNdjson(text: string, maxEvents: number, subject: string): DecodedBatch {
  const items: unknown[] = [];
  const failures = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (items.length >= maxEvents) {
      throw new IngestError('batch_too_large', `the ${subject} has more than ${maxEvents} events: split it`);
    }
    try {
      // Each line is checked on its own: a broken line must not change how the next one is read.
      checkNesting(line, MAX_NESTING_DEPTH, 'line');
      items.push(JSON.parse(line));
    } catch (error) {
      failures.set(items.length, error instanceof IngestError ? error.message : `line is not valid JSON: ${(error as Error).message}`);
      items.push(undefined);
    }
  }
  if (items.length === 0) throw new IngestError(subject === 'body' ? 'empty_body' : 'empty_batch', `the ${subject} holds no events: send one JSON object per line`);
  return { items, failures, batch: null, json: null };
}
