/**
 * How one record sits in a spool segment: an 8-byte header (payload length,
 * then CRC-32 of the payload, both unsigned 32-bit little-endian) followed by
 * the payload. A crash can leave a torn tail; the checksum and the length tell
 * it apart from a whole record, so it is truncated, never misread.
 */
import { crc32 } from 'node:zlib';

/** Header size, bytes. */
export const RECORD_HEADER_BYTES = 8;
/** Largest payload a record may hold, bytes (a batch is capped far below this by the body limit). */
export const MAX_RECORD_PAYLOAD_BYTES = 512 * 1024 * 1024;

/** Frames a payload as one record. */
export function encodeRecord(payload: Buffer): Buffer {
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(crc32(payload), 4);
  payload.copy(record, RECORD_HEADER_BYTES);
  return record;
}

/** One decoded record; offsets are relative to the buffer given to {@link decodeRecords} plus `base`. */
export interface DecodedRecord {
  offset: number;
  /** Offset just past the record: where the next one starts. */
  end: number;
  payload: Buffer;
}

/** What is wrong at the end of a decoded buffer, if anything. */
export type DecodeStop =
  /** The buffer ended exactly at a record boundary. */
  | 'clean'
  /** The buffer ends inside a record: more bytes needed, or a torn tail. */
  | 'incomplete'
  /** A header or checksum does not hold: the bytes from here on are not a record. */
  | 'corrupt';

export interface DecodeResult {
  records: DecodedRecord[];
  /** Bytes of `buf` taken by whole, valid records. */
  consumed: number;
  stop: DecodeStop;
  /** For `incomplete`: how many bytes the record starting at `consumed` needs in all. */
  needed: number;
}

/**
 * Decodes whole records from `buf`, stopping at the first incomplete or
 * corrupt one. `base` is added to every offset (the buffer's position in the spool).
 */
export function decodeRecords(buf: Buffer, base = 0, maxRecords = Number.POSITIVE_INFINITY): DecodeResult {
  const records: DecodedRecord[] = [];
  let pos = 0;
  while (records.length < maxRecords) {
    if (pos === buf.length) return { records, consumed: pos, stop: 'clean', needed: 0 };
    if (buf.length - pos < RECORD_HEADER_BYTES) return { records, consumed: pos, stop: 'incomplete', needed: RECORD_HEADER_BYTES };
    const length = buf.readUInt32LE(pos);
    const checksum = buf.readUInt32LE(pos + 4);
    // A zero length is what a preallocated or zero-filled tail looks like: never a record we wrote.
    if (length === 0 || length > MAX_RECORD_PAYLOAD_BYTES) return { records, consumed: pos, stop: 'corrupt', needed: 0 };
    const end = pos + RECORD_HEADER_BYTES + length;
    if (end > buf.length) return { records, consumed: pos, stop: 'incomplete', needed: RECORD_HEADER_BYTES + length };
    const payload = buf.subarray(pos + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== checksum) return { records, consumed: pos, stop: 'corrupt', needed: 0 };
    records.push({ offset: base + pos, end: base + end, payload });
    pos = end;
  }
  return { records, consumed: pos, stop: 'clean', needed: 0 };
}
