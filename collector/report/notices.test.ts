/**
 * Report notices through the real andon outbox and real receivers (local HTTP
 * servers for the webhook, WeCom and DingTalk robots, a real SMTP server): a
 * shift-end report and a signed one reach every channel with links to the
 * page and the PDF, e-mail goes to the line's supervisors and managers, and
 * a restart queues nothing twice.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineCalendar, previousShift } from '../../core/calendar/calendar';
import type { ReportHandoverEvent } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import { handoverView } from '../../core/report/handover';
import { DEFAULT_ANDON_SETTINGS } from '../andon/settings';
import { OutboxNotifier } from '../notify/notifier';
import { andonPlant, eventually, startHttpReceiver, startSmtpReceiver, WEBHOOK_SECRET, type HttpReceiver, type SmtpReceiver } from '../test/support/andon';
import { ReportArchive } from './archive';
import { ReportNotices } from './notices';

let webhook: HttpReceiver;
let wecom: HttpReceiver;
let dingtalk: HttpReceiver;
let smtp: SmtpReceiver;
let plant: PlantConfig;
let shift: string;
const dirs: string[] = [];
const BASE = 'https://taktline.plant.test';

beforeAll(async () => {
  [webhook, wecom, dingtalk, smtp] = await Promise.all([startHttpReceiver('plain'), startHttpReceiver('robot'), startHttpReceiver('robot'), startSmtpReceiver()]);
  plant = await andonPlant({ webhook: `${webhook.url}/hooks/andon`, wecom: `${wecom.url}/cgi-bin/webhook/send?key=k`, dingtalk: `${dingtalk.url}/robot/send?access_token=t`, smtpPort: smtp.port });
  const line = plant.lines[0];
  if (!line) throw new Error('no line');
  shift = previousShift(lineCalendar(line), Date.now())?.key ?? '';
});
afterAll(async () => {
  await Promise.all([webhook.close(), wecom.close(), dingtalk.close(), smtp.close()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A notifier on a real outbox file in `dir`, and the report notices over it; `render` stores a tiny PDF. */
async function setup(dir: string) {
  const notifier = new OutboxNotifier({ plant, outboxPath: join(dir, 'andon-outbox.ndjson'), settings: { ...DEFAULT_ANDON_SETTINGS.notify, retryMinMs: 50, retryMaxMs: 200, timeoutMs: 2000 }, clock: Date.now, pollMs: 20, log: () => undefined });
  await notifier.open();
  const archive = new ReportArchive(join(dir, 'reports'));
  const events: ReportHandoverEvent[] = [];
  const rendered: number[] = [];
  const notices = new ReportNotices({
    plant,
    archive,
    enqueue: (d) => notifier.enqueue(d),
    render: async (line, key, version, signedBy) => {
      rendered.push(version);
      return archive.add({ line, shift: key, pdf: Buffer.from('%PDF-1.4'), createdAt: Date.now(), createdBy: signedBy, handoverVersion: version, occasion: 'signed' });
    },
    handover: async (line, key) => handoverView(line, key, events),
    baseUrl: () => BASE,
    clock: Date.now,
    log: () => undefined,
  });
  return { notifier, archive, notices, events, rendered };
}

const hooks = () => webhook.requests.map((r) => JSON.parse(r.body) as { event: string; delivery: string; report: { id: string; version: number; pageUrl: string; pdfUrl: string }; recipients: { id: string }[] });

describe('report notices', () => {
  it('a shift-end report reaches every channel with links to its page and PDF; e-mail goes to supervisors and managers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taktline-notice-'));
    dirs.push(dir);
    const s = await setup(dir);
    const stored = await s.archive.add({ line: 'A1', shift, pdf: Buffer.from('%PDF-1.4'), createdAt: Date.now(), createdBy: null, handoverVersion: 1, occasion: 'shift_end' });
    await s.notices.announce(stored, 'shift_end');
    await eventually(() => smtp.mails.length >= 2 && webhook.requests.length >= 1 && wecom.requests.length >= 1 && dingtalk.requests.length >= 1, 'every channel');
    await s.notifier.settled();

    const hook = webhook.requests[0];
    expect(hook?.headers['x-taktline-signature']).toBe(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(hook?.body ?? '').digest('hex')}`);
    const body = hooks()[0];
    const page = `${BASE}/report?line=A1&shift=${encodeURIComponent(shift)}&version=1`;
    const pdf = `${BASE}/api/v1/reports/file?id=${encodeURIComponent(stored.id)}`;
    expect(body).toMatchObject({ event: 'report.shift_end', report: { id: stored.id, version: 1, pageUrl: page, pdfUrl: pdf } });
    expect(body?.recipients.map((r) => r.id).sort()).toEqual(['mg1', 'sv1']);
    const robot = JSON.parse(wecom.requests[0]?.body ?? '{}') as { markdown: { content: string } };
    expect(robot.markdown.content).toContain(page);
    expect(robot.markdown.content).toContain('班次报告 Shift report');
    const ding = JSON.parse(dingtalk.requests[0]?.body ?? '{}') as { markdown: { text: string }; at: { atMobiles: string[] } };
    expect(ding.markdown.text).toContain(pdf);
    expect(ding.at.atMobiles.sort()).toEqual(['13800000004', '13800000005']);
    expect(smtp.mails.map((m) => m.to).sort()).toEqual(['mg1@plant.test', 'sv1@plant.test']);
    expect(smtp.mails[0]?.subject).toContain(`A1`);
    expect(smtp.mails[0]?.text).toContain(page);
    expect(smtp.mails[0]?.text).toContain(pdf);

    // A restart on the same outbox queues the notices of recent reports again: nothing is sent twice.
    await s.notifier.close();
    const again = await setup(dir);
    await again.notices.resume();
    await new Promise((r) => setTimeout(r, 300));
    await again.notifier.settled();
    expect([webhook.requests.length, wecom.requests.length, dingtalk.requests.length, smtp.mails.length]).toEqual([1, 1, 1, 2]);
    await again.notifier.close();
  });

  it('a signature renders the signed version and announces it, naming the signer and the notes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taktline-notice-'));
    dirs.push(dir);
    const s = await setup(dir);
    const base = { type: 'report_handover' as const, line: 'A1', shift, actorKind: 'person' as const, actorId: 'sv1', actorName: '陈静', role: 'supervisor' as const };
    s.events.push({ ...base, ts: Date.now() - 2000, id: 'rh-1', version: 1, action: 'note', note: 'S03 sensor replaced' });
    const sign: ReportHandoverEvent = { ...base, ts: Date.now() - 1000, id: 'rh-2', version: 1, action: 'sign' };
    s.events.push(sign);
    const before = webhook.requests.length;
    s.notices.step(handoverView('A1', shift, s.events), sign);
    await s.notices.settled();
    await eventually(() => webhook.requests.length > before, 'the signed notice');
    expect(s.rendered).toEqual([1]);
    const body = hooks().at(-1);
    expect(body).toMatchObject({ event: 'report.signed', report: { version: 1 } });
    const text = JSON.parse(webhook.requests.at(-1)?.body ?? '{}') as { message: { text: string } };
    expect(text.message.text).toContain('签字 Signed by: 陈静');
    expect(text.message.text).toContain('S03 sensor replaced');
    // Notes and acknowledgements are not announced: only a signature is.
    s.notices.step(handoverView('A1', shift, s.events), { ...base, ts: Date.now(), id: 'rh-3', version: 1, action: 'acknowledge', actorId: 'sv2' });
    await s.notices.settled();
    expect(s.rendered).toEqual([1]);
    await s.notifier.settled();
    await s.notifier.close();
  });
});
