/**
 * The stations' gateways of bench/ingest, in their own process: in a plant
 * they are other machines, so their HTTP client must not run on the
 * collector's thread (nor show in its CPU profile).
 *
 * IPC: `{ cmd: 'prepare', … }` builds the request bodies and answers
 * `{ ready: true }`; `{ cmd: 'go' }` sends them with `senders` concurrent
 * requests and answers `{ done: true }` once every batch was acknowledged, or
 * `{ error }`.
 */
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

let job: (Prepare & { bodies: string[] }) | null = null;
const send = (m: unknown) => process.send?.(m);

async function go(): Promise<void> {
  if (!job) throw new Error('go before prepare');
  const { base, token, bodies, batch, events, senders } = job;
  let next = 0;
  await Promise.all(
    Array.from({ length: senders }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const res = await fetch(`${base}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: bodies[i],
        });
        const answer = (await res.json()) as { accepted?: number };
        if (res.status !== 200 || answer.accepted !== Math.min(batch, events - i * batch)) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(answer)}`);
      }
    }),
  );
}

process.on('message', (m: Prepare | { cmd: 'go' }) => {
  if (m.cmd === 'prepare') {
    const all = benchEvents(m.prefix, m.events, m.start);
    const bodies: string[] = [];
    for (let i = 0; i < all.length; i += m.batch) bodies.push(JSON.stringify(all.slice(i, i + m.batch)));
    job = { ...m, bodies };
    send({ ready: true });
  } else {
    go().then(
      () => send({ done: true }),
      (error: unknown) => send({ error: error instanceof Error ? error.message : String(error) }),
    );
  }
});
