/**
 * The stations' gateways of bench/ingest, in their own process: in a plant
 * they are other machines, so their HTTP client must not run on the
 * collector's thread (nor show in its CPU profile).
 *
 * They send with node:http over keep-alive connections (one per sender), not
 * fetch: on this box they share the two cores with the collector and
 * influxd, and fetch (undici) spent 290–460 ms of CPU per 100,000 events
 * where node:http spends 80–90 (docs/performance.md, "Leaner senders").
 *
 * IPC: `{ cmd: 'prepare', … }` builds the request bodies and answers
 * `{ ready: true }`; `{ cmd: 'go' }` sends them with `senders` concurrent
 * requests and answers `{ done: true }` once every batch was acknowledged, or
 * `{ error }`.
 */
import { Agent, request } from 'node:http';
import { benchEvents } from './ingest-events';

interface Prepare {
  cmd: 'prepare';
  base: string;
  token: string;
  prefix: string;
  start: number;
  events: number;
  batch: number;
  senders: number;
}

let job: (Prepare & { bodies: Buffer[] }) | null = null;
const send = (m: unknown) => process.send?.(m);

/** One POST over the agent's keep-alive connections; resolves with the status and the body as text. */
function post(agent: Agent, url: URL, token: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length };
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function go(): Promise<void> {
  if (!job) throw new Error('go before prepare');
  const { base, token, bodies, batch, events, senders } = job;
  const agent = new Agent({ keepAlive: true, maxSockets: senders });
  const url = new URL(`${base}/api/v1/events`);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: senders }, async () => {
        for (let i = next++; i < bodies.length; i = next++) {
          const res = await post(agent, url, token, bodies[i] as Buffer);
          const answer = res.status === 200 ? (JSON.parse(res.text) as { accepted?: number }) : null;
          if (answer?.accepted !== Math.min(batch, events - i * batch)) throw new Error(`ingest failed: ${res.status} ${res.text}`);
        }
      }),
    );
  } finally {
    agent.destroy();
  }
}

process.on('message', (m: Prepare | { cmd: 'go' }) => {
  if (m.cmd === 'prepare') {
    const all = benchEvents(m.prefix, m.events, m.start);
    const bodies: Buffer[] = [];
    for (let i = 0; i < all.length; i += m.batch) bodies.push(Buffer.from(JSON.stringify(all.slice(i, i + m.batch))));
    job = { ...m, bodies };
    send({ ready: true });
  } else {
    go().then(
      () => send({ done: true }),
      (error: unknown) => send({ error: error instanceof Error ? error.message : String(error) }),
    );
  }
});
