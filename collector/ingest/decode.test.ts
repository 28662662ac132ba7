import { describe, expect, it } from 'vitest';
import { decodeBatch, type DecodeOptions } from './decode';
import { IngestError, ingestProblem } from './errors';

const json: DecodeOptions = { format: 'json', maxEvents: 3 };
const bytes = (text: string) => Buffer.from(text);

function failure(run: () => unknown): IngestError {
  try {
    run();
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected an IngestError');
}

describe('decodeBatch', () => {
  it('reads an array, one object, NDJSON and a framed batch', () => {
    expect(decodeBatch(bytes('[{"a":1},{"a":2}]'), json).items).toEqual([{ a: 1 }, { a: 2 }]);
    expect(decodeBatch(bytes('{"a":1}'), json).items).toEqual([{ a: 1 }]);
    const nd = decodeBatch(bytes('{"a":1}\n{bad\n\n{"a":3}\n'), { ...json, format: 'ndjson' });
    expect(nd.items).toEqual([{ a: 1 }, undefined, { a: 3 }]);
    expect(nd.failures.get(1)).toMatch(/not valid JSON/);
    const framed = decodeBatch(bytes('{"batch":"b-1","events":[{"a":1}]}'), { ...json, format: 'framed', subject: 'frame' });
    expect(framed).toMatchObject({ batch: 'b-1', items: [{ a: 1 }] });
    // Without the framed layout an object with `events` is just one item.
    expect(decodeBatch(bytes('{"events":[]}'), json).items).toEqual([{ events: [] }]);
  });

  it("keeps a plain array's own bytes (after a byte-order mark), and none for one object, NDJSON or a framed batch", () => {
    const text = ' [ {"a":1,"u":"\\u0041é"},\n{"a":2} ]\n';
    const plain = decodeBatch(bytes(text), json);
    expect(Buffer.from(plain.json ?? []).toString()).toBe(text);
    expect(JSON.parse(Buffer.from(plain.json ?? []).toString())).toEqual(plain.items);
    const marked = decodeBatch(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(text)]), json);
    expect(Buffer.from(marked.json ?? []).toString()).toBe(text);
    expect(decodeBatch(bytes('[{"a":1}]'), { ...json, format: 'framed' }).json).not.toBeNull();
    expect(decodeBatch(bytes('{"a":1}'), json).json).toBeNull();
    expect(decodeBatch(bytes('{"a":1}\n'), { ...json, format: 'ndjson' }).json).toBeNull();
    expect(decodeBatch(bytes('{"batch":"b-1","events":[{"a":1}]}'), { ...json, format: 'framed' }).json).toBeNull();
  });

  it.each([
    [Buffer.from([0x5b, 0xff, 0x5d]), json, 'invalid_utf8'],
    [bytes('[{'), json, 'invalid_json'],
    [bytes('   '), json, 'empty_body'],
    [bytes('[]'), { ...json, subject: 'payload' }, 'empty_batch'],
    [bytes('[1,2,3,4]'), json, 'batch_too_large'],
    [bytes('[1]'), { ...json, maxBytes: 2 }, 'body_too_large'],
    [bytes('['.repeat(9) + ']'.repeat(9)), json, 'too_deep'],
    [bytes('{"batch":"has space","events":[1]}'), { ...json, format: 'framed' }, 'invalid_batch_id'],
    [bytes('{"batch":"b","events":[1],"x":1}'), { ...json, format: 'framed' }, 'invalid_frame'],
  ] as const)('rejects %s with %s, not retryable', (input, options, code) => {
    const error = failure(() => decodeBatch(input, options));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.retryAfterSeconds).toBeNull();
  });

  it('names the batch id in an error found after reading it', () => {
    const error = failure(() => decodeBatch(bytes('{"batch":"b-9","events":[1,2,3,4]}'), { ...json, format: 'framed' }));
    expect(error).toMatchObject({ code: 'batch_too_large', batch: 'b-9' });
  });
});

describe('ingestProblem', () => {
  it('maps the one ingest error to HTTP: 503 + Retry-After when retryable, 413, 415, else 400', () => {
    expect(ingestProblem(new IngestError('spool_full', 'x', { retryAfterSeconds: 7 }))).toMatchObject({ status: 503, code: 'spool_full', headers: { 'retry-after': '7' } });
    expect(ingestProblem(new IngestError('batch_too_large', 'x')).status).toBe(413);
    expect(ingestProblem(new IngestError('batch_exceeds_spool', 'x')).status).toBe(413);
    expect(ingestProblem(new IngestError('unsupported_media_type', 'x')).status).toBe(415);
    expect(ingestProblem(new IngestError('invalid_json', 'x')).status).toBe(400);
  });
});
