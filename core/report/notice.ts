/**
 * The notice of a shift report (docs/reports.md): when the collector has
 * rendered a shift's report at its end, or a supervisor has signed one, the
 * plant's andon channels are told, with links to the page and the PDF. Who:
 * the line's supervisors and managers: e-mail to each with an address, one
 * message per robot or webhook naming (and @-mentioning) them. Delivery ids
 * come from the stored report's id and the channel (and person), so planning
 * the same notice again after a restart sends nothing twice. Pure, in Chinese
 * first and English after it, like the andon messages.
 */
import type { ChannelConfig } from '../andon/config';
import { answersFor, type PersonConfig } from '../people';
import { plantAndon, type PlantConfig } from '../plant';
import { formatClock, localTime } from '../time/civil';
import type { HandoverVersion } from './handover';

/** Who is told of a new report. */
export const REPORT_NOTICE_ROLES: readonly PersonConfig['role'][] = ['supervisor', 'manager'];

export type ReportNoticeKind = 'shift_end' | 'signed';

export interface ReportNoticeInput {
  kind: ReportNoticeKind;
  /** The stored PDF's id (collector/report/archive.ts). */
  reportId: string;
  line: string;
  shift: { key: string; name: { zh: string; en: string } };
  /** The handover version the PDF shows (the signed one, for `signed`). */
  handover: HandoverVersion | null;
  pageUrl: string;
  pdfUrl: string;
  at: number;
}

export interface PlannedReportNotice {
  id: string;
  channel: ChannelConfig;
  recipients: PersonConfig[];
  to: string | null;
  mobiles: string[];
  target: string;
  title: string;
  markdown: string;
  text: string;
  /** The JSON a webhook receives. */
  webhook: Record<string, unknown>;
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}

export function reportNotices(input: ReportNoticeInput, plant: PlantConfig): PlannedReportNotice[] {
  const line = plant.lines.find((l) => l.id === input.line);
  const tz = line?.timeZone ?? 'UTC';
  const recipients = (plant.people ?? []).filter((p) => REPORT_NOTICE_ROLES.includes(p.role) && answersFor(p, input.line, null));
  const mobiles = recipients.flatMap((p) => (p.notify.mobile ? [p.notify.mobile] : []));
  const h = input.handover;
  const step = input.kind === 'signed' ? '已签字交接 Signed for handover' : '班末报告 End of shift';
  const title = `【班次报告 Shift report】${input.line} ${input.shift.name.zh} / ${input.shift.name.en} ${input.shift.key} · ${step}`;
  const clock = (at: number) => formatClock(localTime(at, tz).minuteOfDay);
  const facts = [
    `产线 Line: ${input.line}${line ? ` ${line.name.zh} / ${line.name.en}` : ''}`,
    `班次 Shift: ${input.shift.key}`,
    ...(h ? [`版本 Version: ${h.version}${h.supersedes ? ` (更正第 ${h.supersedes} 版 corrects version ${h.supersedes})` : ''}`] : []),
    ...(h?.signed ? [`签字 Signed by: ${h.signed.by.name} · ${clock(h.signed.at)}`] : []),
    ...(h && h.notes !== '' ? [`主管备注 Supervisors' notes: ${h.notes.replace(/\n+/g, ' / ').slice(0, 500)}`] : []),
    `报告页面 Page: ${input.pageUrl}`,
    `PDF: ${input.pdfUrl}`,
  ];
  const text = [title, ...facts].join('\n');
  const markdown = [`### ${title}`, ...facts.map((f) => `- ${f}`)].join('\n');
  const webhook = (id: string) => ({
    delivery: id,
    event: `report.${input.kind}`,
    at: input.at,
    report: { id: input.reportId, line: input.line, shift: input.shift.key, version: h?.version ?? null, state: h?.state ?? null, pageUrl: input.pageUrl, pdfUrl: input.pdfUrl },
    recipients: recipients.map((r) => ({ id: r.id, name: r.name, role: r.role })),
    message: { title, text },
  });
  const planned: PlannedReportNotice[] = [];
  for (const channel of plantAndon(plant).channels) {
    if (channel.kind === 'email') {
      for (const p of recipients) {
        if (!p.notify.email) continue;
        const id = `report:${input.reportId}:${channel.id}:${p.id}`;
        planned.push({ id, channel, recipients: [p], to: p.notify.email, mobiles: [], target: p.notify.email, title, markdown, text, webhook: webhook(id) });
      }
    } else {
      const id = `report:${input.reportId}:${channel.id}`;
      planned.push({ id, channel, recipients, to: null, mobiles, target: host(channel.url), title, markdown, text, webhook: webhook(id) });
    }
  }
  return planned;
}
