/**
 * Tells people of a shift report: a PDF rendered at a shift's end, or for a
 * signature, is announced through the plant's andon channels with links to
 * the page and the PDF (core/report/notice.ts plans what and to whom), queued
 * in the andon outbox, which makes it durable and sends it with back-off.
 * A signature renders its version's PDF first, in the background: the
 * person's answer never waits for Chromium. At start, the notices of the
 * last day's reports are queued again; their delivery ids are stable, so what
 * was queued or sent before a restart is not sent twice, and a crash between
 * a PDF and its notice loses nothing.
 */
import { lineCalendar } from '../../core/calendar/calendar';
import type { ReportHandoverEvent } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import { currentVersion, type HandoverView } from '../../core/report/handover';
import { reportNotices, type ReportNoticeKind } from '../../core/report/notice';
import { shiftByKey } from '../../core/report/shift-report';
import type { Delivery } from '../notify/outbox';
import type { ReportArchive, StoredReport } from './archive';

/** Reports this recent get their notice queued again at start, ms. */
const RESUME_MS = 86_400_000;

export interface ReportNoticesDeps {
  plant: PlantConfig;
  archive: ReportArchive;
  /** The andon outbox (OutboxNotifier.enqueue). */
  enqueue: (deliveries: readonly Delivery[]) => Promise<void>;
  /** Renders and stores the PDF of a handover version (renderAndStore). */
  render: (line: string, shift: string, version: number, signedBy: { id: string; name: string }) => Promise<StoredReport>;
  handover: (line: string, shift: string) => Promise<HandoverView>;
  /** Where people reach the dashboard (TAKTLINE_PUBLIC_URL, else the collector's address); null before it listens. */
  baseUrl: () => string | null;
  clock: () => number;
  log: (message: string) => void;
}

export class ReportNotices {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ReportNoticesDeps) {}

  /** A handover step is durable: a signature renders its PDF and tells people. */
  step(view: HandoverView, event: ReportHandoverEvent): void {
    if (event.action !== 'sign') return;
    this.later(async () => {
      const stored = await this.deps.render(event.line, event.shift, event.version, { id: event.actorId, name: event.actorName });
      await this.announce(stored, 'signed', view);
    }, `the signed report of line ${event.line}, shift ${event.shift}, version ${event.version}`);
  }

  /** Queues the notice of a stored report in the outbox; resolves once it is durable. */
  async announce(stored: StoredReport, kind: ReportNoticeKind, view?: HandoverView): Promise<void> {
    const line = this.deps.plant.lines.find((l) => l.id === stored.line);
    if (!line) return;
    const found = shiftByKey(lineCalendar(line), stored.shift);
    if (!found.ok) return;
    const base = this.deps.baseUrl() ?? '';
    const handover = view ?? (await this.deps.handover(stored.line, stored.shift));
    const version = handover.versions.find((v) => v.version === stored.handoverVersion) ?? currentVersion(handover);
    const page = `${base}/report?line=${encodeURIComponent(stored.line)}&shift=${encodeURIComponent(stored.shift)}&version=${version.version}`;
    const pdf = `${base}/api/v1/reports/file?id=${encodeURIComponent(stored.id)}`;
    const at = stored.createdAt;
    const planned = reportNotices({ kind, reportId: stored.id, line: stored.line, shift: { key: found.shift.key, name: found.shift.name }, handover: version, pageUrl: page, pdfUrl: pdf, at }, this.deps.plant);
    const deliveries: Delivery[] = planned.map((p) => ({
      id: p.id,
      // Deliveries are listed by what they tell of: here the stored report.
      call: stored.id,
      line: stored.line,
      channel: p.channel.id,
      channelKind: p.channel.kind,
      target: p.target,
      status: 'pending',
      attempts: 0,
      lastError: null,
      lastAttemptAt: null,
      nextAttemptAt: this.deps.clock(),
      createdAt: at,
      sentAt: null,
      payload: { title: p.title, markdown: p.markdown, text: p.text, to: p.to, mobiles: p.mobiles, webhook: p.webhook },
    }));
    if (deliveries.length > 0) await this.deps.enqueue(deliveries);
  }

  /** Queues again the notices of the last day's shift-end and signed reports (stable ids: nothing goes twice). */
  async resume(): Promise<void> {
    const since = this.deps.clock() - RESUME_MS;
    for (const r of await this.deps.archive.list()) {
      if (r.occasion && r.createdAt >= since) await this.announce(r, r.occasion);
    }
  }

  /** Resolves once the background work started so far is done (tests, close). */
  settled(): Promise<void> {
    return this.running.then(() => undefined);
  }

  private later(work: () => Promise<void>, what: string): void {
    const run = this.running.then(work).catch((error: unknown) => this.deps.log(`reports: cannot render and announce ${what}: ${(error as Error).message}`));
    this.running = run;
  }
}
