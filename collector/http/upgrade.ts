/**
 * WebSocket upgrades and requests Node cannot parse. Neither has an HTTP
 * response object yet, so refusals are written on the socket by hand, as
 * problem documents like every other 4xx; nothing here throws.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { securityHeaderLines } from './headers';
import { checkOrigin } from './origin';
import { HttpProblem } from './problem';
import { parseTarget } from './safe-url';

/** Takes over an upgrade for its path (the hub's and the ingest sockets' `handleUpgrade`). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

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

/**
 * The server's `upgrade` listener: parses the target without throwing (`GET //[`
 * used to kill the process here), checks `Origin` against `allowedOrigins`
 * (browsers let any page open a WebSocket to any host), and hands the socket
 * to the handler of its exact path; anything else is refused with a reason.
 */
export function upgradeRouter(handlers: ReadonlyMap<string, UpgradeHandler>, allowedOrigins: readonly string[]): UpgradeHandler {
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      const { pathname } = parseTarget(req.url);
      const handler = handlers.get(pathname);
      if (!handler) {
        throw new HttpProblem(404, 'not_found', `no WebSocket at ${pathname.slice(0, 64)}: use ${[...handlers.keys()].join(' or ')}`);
      }
      checkOrigin(req, allowedOrigins);
      handler(req, socket, head);
    } catch (error) {
      if (!(error instanceof HttpProblem)) console.error('collector: unexpected error on a WebSocket upgrade', error);
      refuseUpgrade(socket, error instanceof HttpProblem ? error : new HttpProblem(500, 'internal_error', 'the collector failed on this upgrade; see its log'));
    }
  };
}

/** The server's `clientError` listener: bytes that are not HTTP/1.1 get a 4xx with a reason, never an exception. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A response already under way on this connection (keep-alive) cannot be followed by a 400: close instead, as Node does.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || error.code === 'ECONNRESET' || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  let problem: HttpProblem;
  if (error.code === 'HPE_HEADER_OVERFLOW') problem = new HttpProblem(431, 'headers_too_large', 'the request headers are too large (the limit is 16 KiB)');
  else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') problem = new HttpProblem(408, 'request_timeout', 'the request did not arrive in time: send it again');
  else problem = new HttpProblem(400, 'bad_request', 'the request is not valid HTTP/1.1');
  refuseUpgrade(socket, problem);
}
