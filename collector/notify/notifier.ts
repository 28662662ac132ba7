/**
 * Tells people of andon calls: plans each raised or escalated step's
 * deliveries (core/andon/notify-plan.ts), makes them durable in the outbox,
 * and sends them in the background with back-off. Nothing here is awaited by
 * ingest: a step is acknowledged when it is in the spool, and a receiver that
 * is slow or down only delays its own deliveries.
 */
import { callMessage } from '../../core/andon/messages';
import { planDeliveries } from '../../core/andon/notify-plan';
import type { AndonCallView, AndonChannelView, AndonDeliveryView } from '../../core/andon/types';
import type { AndonCallEvent } from '../../core/events';
import { plantAndon, type PlantConfig } from '../../core/plant';
import type { AndonSettings } from '../andon/settings';
import { redactUserInfo } from '../http/safe-url';
import { createSender, type ChannelSender } from './channels';
import { Outbox, type Delivery } from './outbox';

export interface Notifier {
  /** A call's step is durable: plan and queue its deliveries. */
  step(call: AndonCallView, event: AndonCallEvent): void;
  deliveries(filter: { line?: string | null; call?: string }): AndonDeliveryView[];
  channels(): AndonChannelView[];
  /** Prometheus text lines. */
  metricsText(): string;
  /** Resolves once every queued step is in the outbox and nothing is being sent (tests, close). */
  settled(): Promise<void>;
}

export interface OutboxNotifierOptions {
  plant: PlantConfig;
  outboxPath: string;
  settings: AndonSettings['notify'];
  /** Wall clock, epoch ms (back-off, DingTalk timestamps). */
  clock: () => number;
  /** How often due retries are looked for, ms. @default 200 */
  pollMs?: number;
  log?: (message: string) => void;
}

interface ChannelHealth {
  consecutiveFailures: number;
  lastError: string | null;
  sent: number;
  failed: number;
}

/** Outbox kept after sending: as long as steps are replayed at start (the restore window), and more. */
const RETAIN_SENT_MS = 40 * 86_400_000;
/** A collector running for months rewrites its outbox once a day, ms. */
const COMPACT_EVERY_MS = 86_400_000;

export class OutboxNotifier implements Notifier {
  private outbox: Outbox | null = null;
  private readonly senders = new Map<string, ChannelSender>();
  private readonly health = new Map<string, ChannelHealth>();
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly waiting: AndonCallEvent[] = [];
  /** Steps that arrive before the outbox is open (a pull cord over MQTT during start) wait for it. */
  private markOpen: () => void = () => undefined;
  private planning: Promise<unknown> = new Promise<void>((resolve) => (this.markOpen = resolve));
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private compactedAt = 0;
  private readonly log: (message: string) => void;

  constructor(private readonly options: OutboxNotifierOptions) {
    this.log = options.log ?? ((m) => console.error(m));
    for (const channel of plantAndon(options.plant).channels) {
      this.senders.set(channel.id, createSender(channel, options.clock, options.settings.timeoutMs));
      this.health.set(channel.id, { consecutiveFailures: 0, lastError: null, sent: 0, failed: 0 });
    }
  }

  async open(): Promise<void> {
    this.compactedAt = this.options.clock();
    this.outbox = await Outbox.open(this.options.outboxPath, this.compactedAt, RETAIN_SENT_MS, this.log);
    this.markOpen();
    this.timer = setInterval(() => this.pump(), this.options.pollMs ?? 200);
    this.timer.unref();
    this.pump();
  }

  step(call: AndonCallView, event: AndonCallEvent): void {
    const planned = planDeliveries(call, event, this.options.plant);
    if (planned.length === 0) return;
    const now = this.options.clock();
    const message = callMessage(call, event.tier ?? 0, event.role ?? call.tierRole, this.options.plant, event.ts);
    const deliveries: Delivery[] = planned.map((p) => ({
      id: p.id,
      call: call.id,
      line: call.line,
      channel: p.channel.id,
      channelKind: p.channel.kind,
      target: p.target,
      status: 'pending',
      attempts: 0,
      lastError: null,
      lastAttemptAt: null,
      nextAttemptAt: now,
      createdAt: event.ts,
      sentAt: null,
      payload: {
        ...message,
        to: p.to,
        mobiles: p.mobiles,
        webhook: {
          delivery: p.id,
          event: `andon.${event.action}`,
          at: event.ts,
          tier: p.tier,
          role: p.role,
          call,
          recipients: p.recipients.map((r) => ({ id: r.id, name: r.name, role: r.role })),
          message: { title: message.title, text: message.text },
        },
      },
    }));
    const run = this.planning.then(async () => {
      if (!this.outbox) throw new Error('the outbox is not open');
      await this.outbox.enqueue(deliveries);
      this.pump();
    });
    this.planning = run.catch((error: unknown) => this.log(`notify: deliveries of call ${call.id} not queued: ${(error as Error).message}`));
  }

  /**
   * Queues deliveries planned elsewhere (shift-report notices,
   * collector/report/notices.ts); resolves once they are in the outbox. Ids
   * already there are skipped, so queueing the same notice again sends nothing twice.
   */
  enqueue(deliveries: readonly Delivery[]): Promise<void> {
    const run = this.planning.then(async () => {
      if (!this.outbox) throw new Error('the outbox is not open');
      await this.outbox.enqueue(deliveries);
      this.pump();
    });
    this.planning = run.catch((error: unknown) => this.log(`notify: deliveries ${deliveries[0]?.call ?? ''} not queued: ${(error as Error).message}`));
    return run;
  }

  deliveries(filter: { line?: string | null; call?: string }): AndonDeliveryView[] {
    if (!this.outbox) return [];
    const out: AndonDeliveryView[] = [];
    for (const d of this.outbox.all()) {
      if (filter.line && d.line !== filter.line) continue;
      if (filter.call && d.call !== filter.call) continue;
      const { payload: _payload, channelKind: _kind, ...view } = d;
      out.push(view);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id)).slice(0, 1000);
  }

  channels(): AndonChannelView[] {
    return plantAndon(this.options.plant).channels.map((c) => {
      const h = this.health.get(c.id);
      const consecutive = h?.consecutiveFailures ?? 0;
      return { id: c.id, kind: c.kind, failing: consecutive >= this.options.settings.failingAfter, lastError: h?.lastError ?? null, consecutiveFailures: consecutive };
    });
  }

  metricsText(): string {
    const counts = new Map<string, number>();
    for (const d of this.outbox?.all() ?? []) counts.set(`${d.channel}|${d.status}`, (counts.get(`${d.channel}|${d.status}`) ?? 0) + 1);
    const lines = [
      '# HELP taktline_andon_deliveries Notifications in the outbox, by channel and status.',
      '# TYPE taktline_andon_deliveries gauge',
      ...[...counts].map(([k, n]) => {
        const [channel, status] = k.split('|');
        return `taktline_andon_deliveries{channel="${channel}",status="${status}"} ${n}`;
      }),
      '# HELP taktline_andon_delivery_attempts_total Delivery attempts since start, by channel and outcome.',
      '# TYPE taktline_andon_delivery_attempts_total counter',
      ...[...this.health].flatMap(([id, h]) => [
        `taktline_andon_delivery_attempts_total{channel="${id}",outcome="sent"} ${h.sent}`,
        `taktline_andon_delivery_attempts_total{channel="${id}",outcome="failed"} ${h.failed}`,
      ]),
      '# HELP taktline_andon_channel_failing 1 while a channel has failed its last attempts in a row (a visible warning).',
      '# TYPE taktline_andon_channel_failing gauge',
      ...this.channels().map((c) => `taktline_andon_channel_failing{channel="${c.id}",kind="${c.kind}"} ${c.failing ? 1 : 0}`),
      '',
    ];
    return lines.join('\n');
  }

  async settled(): Promise<void> {
    if (!this.outbox) return;
    await this.planning;
    while (this.inflight.size > 0) await Promise.all(this.inflight.values());
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    // Never opened (the collector failed to start): nothing was queued or sent.
    if (!this.outbox) return;
    await this.planning;
    // Attempts under way finish and are recorded, so a restart does not send them again.
    await Promise.all(this.inflight.values());
    for (const s of this.senders.values()) s.close();
    await this.outbox?.close();
  }

  /** Starts every due delivery that is not being sent. */
  private pump(): void {
    if (this.closed || !this.outbox) return;
    const now = this.options.clock();
    if (now - this.compactedAt >= COMPACT_EVERY_MS) {
      this.compactedAt = now;
      this.outbox.compact(now, RETAIN_SENT_MS).catch((e: unknown) => this.log(`notify: outbox compaction failed: ${(e as Error).message}`));
    }
    for (const d of this.outbox.all()) {
      if (d.status !== 'pending' || this.inflight.has(d.id) || (d.nextAttemptAt ?? 0) > now) continue;
      const attempt = this.attempt(d).finally(() => this.inflight.delete(d.id));
      this.inflight.set(d.id, attempt);
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    const outbox = this.outbox;
    const sender = this.senders.get(d.channel);
    const health = this.health.get(d.channel);
    if (!outbox) return;
    let error: string | null = null;
    if (!sender || !health) error = `channel '${d.channel}' is no longer configured`;
    else {
      try {
        await sender.send(d);
      } catch (e) {
        // Shown in the API and /metrics: no URL user info, whatever the receiver or library put in the message.
        error = redactUserInfo((e as Error).message).slice(0, 300);
      }
    }
    const at = this.options.clock();
    const { retryMinMs, retryMaxMs, maxAttempts, failingAfter } = this.options.settings;
    if (health) {
      if (error === null) {
        if (health.consecutiveFailures >= failingAfter) this.log(`notify: channel ${d.channel} works again`);
        health.consecutiveFailures = 0;
        health.sent += 1;
      } else {
        health.consecutiveFailures += 1;
        health.failed += 1;
        health.lastError = error;
        if (health.consecutiveFailures === failingAfter) this.log(`notify: channel ${d.channel} is failing (${failingAfter} attempts in a row): ${error}`);
      }
    }
    const attempts = d.attempts + 1;
    const status = error === null ? 'sent' : attempts >= maxAttempts ? 'failed' : 'pending';
    const next = status === 'pending' ? at + Math.min(retryMaxMs, retryMinMs * 2 ** (attempts - 1)) : null;
    try {
      await outbox.record(d.id, { at, status, error, next });
    } catch (e) {
      this.log(`notify: ${(e as Error).message}`);
    }
  }
}
