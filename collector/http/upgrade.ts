/**
 * Refusing a WebSocket upgrade: the socket is not an HTTP response yet, so the
 * answer is written on it by hand, as a problem document like every other 4xx.
 */
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { securityHeaderLines } from './headers';
import type { HttpProblem } from './problem';

/** Writes `problem` as an HTTP/1.1 answer on a raw socket and closes it. */
export function refuseUpgrade(socket: Duplex, problem: HttpProblem): void {
  const body = JSON.stringify({ error: { code: problem.code, message: problem.message } });
  const extra = Object.entries(problem.headers)
    .filter(([k, v]) => /^[a-z0-9-]+$/i.test(k) && !/[\r\n]/.test(v))
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'cache-control: no-store\r\n' +
      securityHeaderLines() +
      extra +
      'connection: close\r\n\r\n' +
      body,
  );
}
