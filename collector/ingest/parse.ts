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

export function parseBatch(body: Buffer, contentType: string | undefined, maxEvents: number): ParsedBatch {
  const type = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  const ndjson = type === 'application/x-ndjson' || type === 'application/ndjson';
  if (!ndjson && type !== 'application/json') {
    throw new HttpProblem(415, 'unsupported_media_type', `Content-Type '${type}' is not accepted: use application/json or application/x-ndjson`);
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpProblem(400, 'invalid_utf8', 'the body is not valid UTF-8');
  }
  if (ndjson) return parseNdjson(text, maxEvents);
  if (text.trim() === '') throw new HttpProblem(400, 'empty_body', 'the body is empty: send a JSON array of events');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpProblem(400, 'invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  const items = Array.isArray(value) ? value : [value];
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
      items.push(JSON.parse(line));
    } catch (error) {
      failures.set(items.length, `line is not valid JSON: ${(error as Error).message}`);
      items.push(undefined);
    }
  }
  if (items.length === 0) throw new HttpProblem(400, 'empty_body', 'the body holds no events: send one JSON object per line');
  return { items, failures };
}
