/**
 * The durable outbox of notifications: an append-only NDJSON file under
 * TAKTLINE_DATA_DIR (`andon-outbox.ndjson`), every append fsynced before it
 * counts. A delivery is written before its first attempt and each attempt's
 * outcome after it, so after a crash or restart the collector knows what is
 * still to send and what was sent (by delivery id) and sends nothing twice.
 * The one window left is a crash after the receiver took a message and
 * before its "sent" line was synced: that message goes again, with the same
 * delivery id (webhook `X-Taktline-Delivery`, e-mail Message-ID) so a
 * receiver can drop it.
 *
 * Why a file and not the spool: the spool's records go to InfluxDB as the
 * plant's history; attempts and retries are the collector's bookkeeping, change
 * state many times per delivery and are compacted at start (only pending,
 * failed and recently sent deliveries are kept, at start and once a day).
 */
import { existsSync, readFileSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AndonDeliveryView } from '../../core/andon/types';

/** What is sent: prepared once, when the step is planned. */
export interface DeliveryPayload {
  title: string;
  markdown: string;
  text: string;
  /** E-mail recipient; null for robots and webhooks. */
  to: string | null;
  mobiles: string[];
  /** The JSON a webhook receives. */
  webhook: unknown;
}

export interface Delivery extends AndonDeliveryView {
  channelKind: 'webhook' | 'wecom' | 'dingtalk' | 'email';
  payload: DeliveryPayload;
}

type Line = { t: 'd'; d: Delivery } | { t: 'a'; id: string; at: number; status: Delivery['status']; error: string | null; next: number | null };

export class Outbox {
  private readonly deliveries = new Map<string, Delivery>();
  private chain: Promise<unknown> = Promise.resolve();
  private broken: Error | null = null;

  private constructor(
    private readonly path: string,
    private handle: FileHandle | null,
  ) {}

  /**
   * Opens (or creates) the outbox, replays it and compacts it: sent deliveries
   * older than `retainMs` are dropped, a torn last line is ignored.
   */
  static async open(path: string, now: number, retainMs: number, warn: (m: string) => void = console.warn): Promise<Outbox> {
    const deliveries = new Map<string, Delivery>();
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.forEach((text, i) => {
        if (text.trim() === '') return;
        let line: Line;
        try {
          line = JSON.parse(text) as Line;
        } catch {
          // Only the last line can be torn by a crash; anything else is damage worth a word.
          if (lines.slice(i + 1).some((l) => l.trim() !== '')) warn(`notify: outbox line ${i + 1} is not JSON; skipped`);
          return;
        }
        if (line.t === 'd') deliveries.set(line.d.id, line.d);
        else if (line.t === 'a') {
          const d = deliveries.get(line.id);
          if (d) applyAttempt(d, line);
        }
      });
    }
    const outbox = new Outbox(path, null);
    for (const [id, d] of deliveries) outbox.deliveries.set(id, d);
    await outbox.rewrite(now, retainMs);
    return outbox;
  }

  /**
   * Rewrites the file with one line per kept delivery (sent ones older than
   * `retainMs` are dropped), beside it and renamed over it; appends wait.
   */
  compact(now: number, retainMs: number): Promise<void> {
    const run = this.chain.then(() => this.rewrite(now, retainMs));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async rewrite(now: number, retainMs: number): Promise<void> {
    for (const [id, d] of this.deliveries) if (d.status === 'sent' && (d.sentAt ?? 0) < now - retainMs) this.deliveries.delete(id);
    const tmp = `${this.path}.tmp`;
    const out = await open(tmp, 'w');
    await out.writeFile([...this.deliveries.values()].map((d) => `${JSON.stringify({ t: 'd', d } satisfies Line)}\n`).join(''));
    await out.sync();
    await out.close();
    await this.handle?.close();
    await rename(tmp, this.path);
    const dir = await open(dirname(this.path), 'r');
    await dir.sync().catch(() => undefined);
    await dir.close();
    this.handle = await open(this.path, 'a');
  }

  has(id: string): boolean {
    return this.deliveries.has(id);
  }

  get(id: string): Delivery | undefined {
    return this.deliveries.get(id);
  }

  all(): IterableIterator<Delivery> {
    return this.deliveries.values();
  }

  /** Makes new deliveries durable (ids already known are skipped); resolves with the new ones. */
  async enqueue(list: readonly Delivery[]): Promise<Delivery[]> {
    const fresh = list.filter((d) => !this.deliveries.has(d.id));
    if (fresh.length === 0) return [];
    // Known at once, so a second plan of the same step in the meantime does not add it twice.
    for (const d of fresh) this.deliveries.set(d.id, d);
    await this.append(fresh.map((d) => ({ t: 'd', d })));
    return fresh;
  }

  /** Records an attempt's outcome durably. */
  async record(id: string, outcome: { at: number; status: Delivery['status']; error: string | null; next: number | null }): Promise<void> {
    const d = this.deliveries.get(id);
    if (!d) return;
    const line: Line = { t: 'a', id, ...outcome };
    applyAttempt(d, line);
    await this.append([line]);
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.handle?.close();
    this.handle = null;
  }

  private append(lines: Line[]): Promise<void> {
    const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
    const run = this.chain.then(async () => {
      // After a failed fsync nothing is known about what reached the disk: refuse rather than guess (as the spool does).
      if (this.broken) throw this.broken;
      const handle = this.handle;
      if (!handle) throw new Error(`the outbox ${this.path} is closed`);
      try {
        await handle.write(text);
        await handle.datasync();
      } catch (error) {
        this.broken = new Error(`the outbox ${this.path} cannot be written (${(error as Error).message}); restart the collector once the disk is fixed`);
        throw this.broken;
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function applyAttempt(d: Delivery, a: Extract<Line, { t: 'a' }>): void {
  d.attempts += 1;
  d.status = a.status;
  d.lastAttemptAt = a.at;
  d.lastError = a.error;
  d.nextAttemptAt = a.next;
  if (a.status === 'sent') d.sentAt = a.at;
}
