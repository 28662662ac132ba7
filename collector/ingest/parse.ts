/**
 * Turns a request body into the raw items of a batch: a JSON array (or one
 * object), or NDJSON. A line of NDJSON that does not parse rejects that item
 * only; a JSON body that does not parse rejects the request.
 */
import { HttpProblem } from '../http/problem';

export interface ParsedBatch {
  /** Decoded items, `undefined` where a line failed to parse. */
  items: unknown[];
  /** Parse failures by item index. */
  failures: Map<number, string>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Deepest nesting of arrays and objects accepted in a body: events are flat, a batch adds one or two levels. */
export const MAX_NESTING_DEPTH = 8;

/**
 * Fails with 400 when `text` nests arrays or objects deeper than `maxDepth`,
 * before JSON.parse builds the structure. Brackets inside strings do not count.
 */
export function checkNesting(text: string, maxDepth = MAX_NESTING_DEPTH): void {
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
        throw new HttpProblem(400, 'too_deep', `the body nests arrays or objects deeper than ${maxDepth} levels; events are flat objects`);
      }
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
}

/** Decodes UTF-8 strictly: 400 for bytes that are not valid UTF-8. */
export function decodeUtf8(body: Buffer | Uint8Array): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new HttpProblem(400, 'invalid_utf8', 'the body is not valid UTF-8');
  }
}

export function parseBatch(body: Buffer, contentType: string | undefined, maxEvents: number): ParsedBatch {
  const type = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  const ndjson = type === 'application/x-ndjson' || type === 'application/ndjson';
  if (!ndjson && type !== 'application/json') {
    throw new HttpProblem(415, 'unsupported_media_type', `Content-Type '${type}' is not accepted: use application/json or application/x-ndjson`);
  }
  const text = decodeUtf8(body);
  if (ndjson) return parseNdjson(text, maxEvents);
  checkNesting(text);
  if (text.trim() === '') throw new HttpProblem(400, 'empty_body', 'the body is empty: send a JSON array of events');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpProblem(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) throw new HttpProblem(400, 'empty_body', 'the batch holds no events: send a JSON array of events');
  if (items.length > maxEvents) {
    throw new HttpProblem(413, 'batch_too_large', `the batch has ${items.length} events; the limit is ${maxEvents}: split it`);
  }
  return { items, failures: new Map() };
}

function parseNdjson(text: string, maxEvents: number): ParsedBatch {
  const items: unknown[] = [];
  const failures = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (items.length >= maxEvents) {
      throw new HttpProblem(413, 'batch_too_large', `the batch has more than ${maxEvents} events: split it`);
    }
    try {
      // Each line is checked on its own: a broken line must not change how the next one is read.
      checkNesting(line);
      items.push(JSON.parse(line));
    } catch (error) {
      failures.set(items.length, error instanceof HttpProblem ? error.message : `line is not valid JSON: ${(error as Error).message}`);
      items.push(undefined);
    }
  }
  if (items.length === 0) throw new HttpProblem(400, 'empty_body', 'the body holds no events: send one JSON object per line');
  return { items, failures };
}
