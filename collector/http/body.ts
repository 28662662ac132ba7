/** Reading request bodies with a hard size limit. */
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './problem';

/** Reads the whole body, failing with 413 as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new HttpProblem(413, 'body_too_large', `the body is ${declared} bytes; the limit is ${limit} bytes: send smaller batches`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new HttpProblem(413, 'body_too_large', `the body passed the limit of ${limit} bytes: send smaller batches`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
