/**
 * A screen for bench/live that costs its process as little as a WebSocket
 * client can: a raw TCP socket reading into one buffer shared by every screen
 * (`net` `onread`: no stream events, no allocation per read), the handshake,
 * and just enough framing to hand each text message's bytes to a callback and
 * answer pings. On a plant each screen is its own browser on its own machine;
 * here thousands share the bench's core, so what one screen spends on a
 * message is spent thousands of times over in one place, and would be timed
 * as if it were the server's.
 *
 * Not a general client: it trusts the server (no UTF-8 check, no extensions,
 * a 101 answer is taken as the handshake's success).
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Bytes a read may bring at most; a frame larger than this is assembled across reads. */
const READ_BUFFER_BYTES = 64 * 1024;
/** One read buffer for every screen: each read is handled to the end before the next can land. */
const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;

export interface LeanScreenOptions {
  /** ws://host:port/path?query */
  url: string;
  /** Each text message, as the bytes of its payload; valid only during the call (the buffer is reused). */
  onText: (payload: Buffer) => void;
}

/**
 * Parses a stream of server frames (unmasked). Feed it reads with `push`; it
 * keeps only an incomplete frame's bytes between reads.
 */
export class FrameReader {
  /** The bytes of an incomplete frame, copied, and how many bytes it needs at least before it is worth parsing. */
  private rest: Buffer[] = [];
  private restBytes = 0;
  private need = 0;

  constructor(private readonly onFrame: (opcode: number, fin: boolean, payload: Buffer) => void) {}

  /** `chunk` may be reused by the caller once this returns. */
  push(chunk: Buffer): void {
    let data = chunk;
    if (this.rest.length > 0) {
      // Copied: `chunk` is the shared read buffer, overwritten by the next read of any screen.
      this.rest.push(Buffer.from(chunk));
      this.restBytes += chunk.length;
      if (this.restBytes < this.need) return;
      data = Buffer.concat(this.rest, this.restBytes);
      this.rest = [];
      this.restBytes = 0;
    }
    let at = 0;
    for (;;) {
      const left = data.length - at;
      this.need = 14; // the longest header
      if (left < 2) break;
      const b0 = data[at] ?? 0;
      const b1 = data[at + 1] ?? 0;
      let length = b1 & 0x7f;
      let head = 2;
      if (length === 126) {
        if (left < 4) break;
        length = data.readUInt16BE(at + 2);
        head = 4;
      } else if (length === 127) {
        if (left < 10) break;
        length = Number(data.readBigUInt64BE(at + 2));
        head = 10;
      }
      if (b1 & 0x80) head += 4; // a masked frame: a server never sends one, but its length is still right
      this.need = head + length;
      if (left < head + length) break;
      this.onFrame(b0 & 0x0f, (b0 & 0x80) !== 0, data.subarray(at + head, at + head + length));
      at += head + length;
    }
    if (at < data.length) {
      this.rest = [Buffer.from(data.subarray(at))];
      this.restBytes = data.length - at;
    }
  }
}

/** A client frame (masked, as RFC 6455 requires of clients) with a payload of at most 125 bytes. */
function controlFrame(opcode: number, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(6 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | payload.length;
  randomFillSync(frame, 2, 4);
  for (let i = 0; i < payload.length; i += 1) frame[6 + i] = (payload[i] ?? 0) ^ (frame[2 + (i % 4)] ?? 0);
  return frame;
}

export class LeanScreen {
  private readonly socket: Socket;
  private handshake: Buffer | null = Buffer.alloc(0);
  private readonly frames: FrameReader;
  private fragments: Buffer[] | null = null;

  private constructor(options: LeanScreenOptions, onOpen: () => void, onError: (error: Error) => void) {
    const url = new URL(options.url);
    this.frames = new FrameReader((opcode, fin, payload) => {
      if (opcode === OPCODE_PING) this.socket.write(controlFrame(0xa, payload));
      else if (opcode === OPCODE_CLOSE) this.socket.end(controlFrame(OPCODE_CLOSE, payload.subarray(0, 2)));
      else if (opcode === OPCODE_TEXT && fin) options.onText(payload);
      else if (opcode === OPCODE_TEXT) this.fragments = [Buffer.from(payload)];
      else if (opcode === 0 && this.fragments) {
        this.fragments.push(Buffer.from(payload));
        if (fin) {
          options.onText(Buffer.concat(this.fragments));
          this.fragments = null;
        }
      }
    });
    this.socket = connect({
      host: url.hostname,
      port: Number(url.port),
      onread: {
        buffer: readBuffer,
        callback: (bytes: number, buffer: Uint8Array) => {
          this.onRead(Buffer.from(buffer.buffer, buffer.byteOffset, bytes), onOpen, onError);
          return true;
        },
      },
    });
    this.socket.setNoDelay(true);
    this.socket.once('error', onError);
    this.socket.on('error', () => this.socket.destroy());
    this.socket.once('connect', () => {
      this.socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  /** Connects and completes the handshake. */
  static open(options: LeanScreenOptions): Promise<LeanScreen> {
    return new Promise((resolve, reject) => {
      const screen: LeanScreen = new LeanScreen(options, () => resolve(screen), reject);
    });
  }

  terminate(): void {
    this.socket.destroy();
  }

  private onRead(chunk: Buffer, onOpen: () => void, onError: (error: Error) => void): void {
    if (this.handshake === null) {
      this.frames.push(chunk);
      return;
    }
    const head = Buffer.concat([this.handshake, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      this.handshake = head;
      return;
    }
    this.handshake = null;
    if (!head.subarray(0, 12).equals(Buffer.from('HTTP/1.1 101'))) {
      onError(new Error(`handshake refused: ${head.subarray(0, head.indexOf('\r\n')).toString()}`));
      this.socket.destroy();
      return;
    }
    onOpen();
    if (end + 4 < head.length) this.frames.push(head.subarray(end + 4));
  }
}
