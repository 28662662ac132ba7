/**
 * What one spool record holds: the events of one acknowledged batch and when
 * they arrived. Events are stored after validation (`ts` in epoch ms), so the
 * InfluxDB writer and a restart trust them as they are.
 */
import type { StationEvent } from '../../core/events';

export interface SpooledBatch {
  /** When the collector received the batch, epoch ms. */
  at: number;
  events: StationEvent[];
}

export function encodeBatch(batch: SpooledBatch): Buffer {
  return Buffer.from(JSON.stringify(batch), 'utf8');
}

/**
 * The same record as {@link encodeBatch} of `{ at, events }`, from bytes of a JSON array that encodes `events`
 * exactly (a request's own, when validation changed no event): they are kept as they are, not written out again.
 * {@link decodeBatch} reads both alike; only whitespace, escapes and key order may differ from `encodeBatch`'s.
 */
export function encodeBatchOfJson(at: number, events: Uint8Array): Buffer {
  const head = Buffer.from(`{"at":${JSON.stringify(at)},"events":`, 'utf8');
  const payload = Buffer.allocUnsafe(head.length + events.length + 1);
  head.copy(payload, 0);
  payload.set(events, head.length);
  payload[payload.length - 1] = 0x7d; // }
  return payload;
}

/** Decodes a record's payload; null when it is not a batch (a record from another version, or damage the checksum missed). */
export function decodeBatch(payload: Buffer): SpooledBatch | null {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { at, events } = value as Partial<SpooledBatch>;
  if (typeof at !== 'number' || !Array.isArray(events)) return null;
  return { at, events };
}
