/**
 * The bench's lean screen reads what a real `ws` server sends: messages of
 * every length form (7-bit, 16-bit, 64-bit), frames cut anywhere between
 * reads, and pings, which it must answer or the collector drops it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { textFrame } from '../../collector/live/frame';
import { seededRandom } from '../../core/test/support/seeded-random';
import { FrameReader, LeanScreen } from './lean-screen';

let server: Server | null = null;
let wss: WebSocketServer | null = null;

afterEach(async () => {
  const [w, s] = [wss, server];
  for (const ws of w?.clients ?? []) ws.terminate();
  if (w) await new Promise((r) => w.close(r));
  if (s) await new Promise((r) => s.close(r));
  server = null;
  wss = null;
});

async function startServer(): Promise<{ url: string; connection: Promise<WebSocket> }> {
  const s = createServer();
  server = s;
  const w = new WebSocketServer({ server: s, perMessageDeflate: false });
  wss = w;
  const connection = new Promise<WebSocket>((resolve) => w.once('connection', resolve));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `ws://127.0.0.1:${(s.address() as AddressInfo).port}/`, connection };
}

describe('FrameReader', () => {
  it('gives back each payload whole, however the stream is cut', () => {
    const payloads = [5, 125, 126, 4800, 65_535, 65_536, 70_000].map((n, i) => Buffer.alloc(n, 97 + i));
    const stream = Buffer.concat(payloads.map((p) => textFrame(p)));
    const random = seededRandom(15);
    for (let round = 0; round < 20; round += 1) {
      const got: Buffer[] = [];
      const reader = new FrameReader((opcode, fin, payload) => {
        expect([opcode, fin]).toEqual([1, true]);
        got.push(Buffer.from(payload));
      });
      // Cuts of 1–4 bytes or up to 9 KB; each piece in a reused buffer, as the screens' one shared read buffer is.
      const scratch = Buffer.alloc(10_000);
      for (let at = 0; at < stream.length; ) {
        const n = Math.min(stream.length - at, 1 + Math.floor(random() * (round % 2 ? 9000 : 4)));
        stream.copy(scratch, 0, at, at + n);
        reader.push(scratch.subarray(0, n));
        scratch.fill(0);
        at += n;
      }
      expect(got.map((p) => p.length)).toEqual(payloads.map((p) => p.length));
      expect(got.every((p, i) => p.equals(payloads[i] ?? Buffer.alloc(0)))).toBe(true);
    }
  });
});

describe('LeanScreen', () => {
  it('receives a ws server\'s messages and answers its pings', async () => {
    const { url, connection } = await startServer();
    const texts: string[] = [];
    const screen = await LeanScreen.open({ url, onText: (payload) => texts.push(payload.toString()) });
    const ws = await connection;
    const pong = new Promise<string>((resolve) => ws.once('pong', (data) => resolve(data.toString())));
    ws.ping('are you there');
    expect(await pong).toBe('are you there');
    ws.send('short');
    ws.send('x'.repeat(70_000));
    ws.send(Buffer.from('{"type":"update"}'), { binary: false });
    const deadline = Date.now() + 5000;
    while (texts.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(texts.map((t) => t.length)).toEqual([5, 70_000, 17]);
    expect(texts[2]).toBe('{"type":"update"}');
    screen.terminate();
  });
});
