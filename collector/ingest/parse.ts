/**
 * HTTP's side of batch decoding: the Content-Type picks the layout, the one
 * decoder (./decode.ts) does the rest. Throws {@link IngestError}; the route
 * maps it to its answer with `ingestProblem`.
 */
import { decodeBatch, type BatchFormat, type DecodedBatch } from './decode';
import { IngestError } from './errors';

/** The batch layout a Content-Type names: JSON (the default) or NDJSON; anything else is `unsupported_media_type`. */
export function batchFormatOf(contentType: string | undefined): BatchFormat {
  const type = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
  if (type === 'application/json') return 'json';
  throw new IngestError('unsupported_media_type', `Content-Type '${type.slice(0, 100)}' is not accepted: use application/json or application/x-ndjson`);
}

/** Decodes a request body (already read within the body limit). */
export function parseBatch(body: Buffer, contentType: string | undefined, maxEvents: number): DecodedBatch {
  return decodeBatch(body, { format: batchFormatOf(contentType), maxEvents, subject: 'body' });
}
