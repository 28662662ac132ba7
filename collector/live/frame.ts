/**
 * WebSocket framing for a broadcast: one frame built once per message and
 * written as it is to every socket (see hub.ts).
 */

/**
 * A final, unmasked text frame holding `payload` (RFC 6455 §5.2: a server
 * never masks), header and payload in one buffer.
 */
export function textFrame(payload: Buffer): Buffer {
  const head = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + payload.length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (head === 2) {
    frame[1] = payload.length;
  } else if (head === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(payload.length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  payload.copy(frame, head);
  return frame;
}
