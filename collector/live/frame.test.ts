/**
 * textFrame against a real `ws` client, whose receiver rejects a malformed
 * frame: every length form (7-bit, 16-bit and 64-bit) arrives as the message.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { textFrame } from './frame';

it('frames text a ws client reads back exactly, at every length form', async () => {
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const socket = new Promise<Duplex>((resolve) =>
    server.on('upgrade', (req, s, head) => wss.handleUpgrade(req, s, head, () => resolve(s))),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const received: { text: string; isBinary: boolean }[] = [];
  client.on('message', (data: Buffer, isBinary) => received.push({ text: data.toString(), isBinary }));
  const errors: Error[] = [];
  client.on('error', (e) => errors.push(e));
  await new Promise((r) => client.once('open', r));
  const texts = [0, 1, 125, 126, 4800, 65_535, 65_536, 100_000].map((n) => '测'.repeat(Math.floor(n / 3)) + 'x'.repeat(n % 3));
  const raw = await socket;
  for (const text of texts) raw.write(textFrame(Buffer.from(text)));
  const deadline = Date.now() + 5000;
  while (received.length < texts.length && errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(errors).toEqual([]);
  expect(received).toEqual(texts.map((text) => ({ text, isBinary: false })));
  client.terminate();
  wss.close();
  await new Promise((r) => server.close(r));
});
