/**
 * Rendered shift reports: `POST /api/v1/reports` renders one now (a signed-in
 * supervisor, manager or admin), `GET /api/v1/reports?line=` lists them,
 * `GET /api/v1/reports/file?id=` serves one PDF.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { PlantConfig } from '../../core/plant';
import type { HandoverView } from '../../core/report/handover';
import { readJson } from '../auth/http';
import { requireSession } from '../auth/routes';
import type { SessionStore } from '../auth/sessions';
import { HttpProblem } from '../http/problem';
import type { Router } from '../http/router';
import { sendJson } from '../http/respond';
import { printable } from '../http/safe-url';
import { REPORT_ID_PATTERN, type ReportArchive, type StoredReport } from './archive';
import { renderPdf, ReportRenderError } from './printer';
import { reportRequest } from './route';

/** Who may have a report rendered on demand. */
const MAY_RENDER = new Set(['supervisor', 'manager', 'admin']);

export const RenderReport = z.strictObject({
  line: z.string().min(1).max(64),
  shift: z.string().min(1).max(80),
});
export type RenderReport = z.infer<typeof RenderReport>;

export interface ReportsRouteDeps {
  plant: PlantConfig;
  sessions: SessionStore;
  archive: ReportArchive;
  chromiumPath: string;
  /** The collector's own base URL (`http://127.0.0.1:<port>`), null before it listens. */
  selfUrl: () => string | null;
  lineNow: (line: string) => number;
  clock: () => number;
  /** The shift's handover: which version a PDF shows. */
  handover?: (line: string, shift: string) => Promise<HandoverView>;
}

/** One Chromium at a time: requests for reports queue rather than start a browser each. */
let rendering: Promise<unknown> = Promise.resolve();

function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const next = rendering.then(work);
  rendering = next.catch(() => undefined);
  return next;
}

/** Renders and stores the report of a line's ended shift; throws HttpProblem with the reason when it cannot. */
export async function renderAndStore(
  deps: ReportsRouteDeps,
  line: string,
  shift: string,
  createdBy: StoredReport['createdBy'],
  options: { handoverVersion?: number; occasion?: StoredReport['occasion'] } = {},
): Promise<StoredReport> {
  // The same checks as GET /api/v1/report: unknown shift 404, not ended 409.
  const url = new URL('http://collector/api/v1/report');
  url.searchParams.set('line', line);
  url.searchParams.set(shift.startsWith('shift:') ? 'range' : 'shift', shift);
  const r = reportRequest(url, deps.plant, deps.lineNow);
  const base = deps.selfUrl();
  if (!base) throw new HttpProblem(503, 'reports_unavailable', 'the collector is not listening yet; try again in a moment');
  // The page shows the given handover version, or the one in force now; the archive says which.
  const handoverVersion = options.handoverVersion ?? (deps.handover ? (await deps.handover(r.line.id, r.shift.key)).current : undefined);
  const page = `${base}/report?line=${encodeURIComponent(r.line.id)}&shift=${encodeURIComponent(r.shift.key)}${handoverVersion !== undefined ? `&version=${handoverVersion}` : ''}`;
  let pdf: Buffer;
  try {
    pdf = await oneAtATime(() => renderPdf(deps.chromiumPath, page));
  } catch (error) {
    if (error instanceof ReportRenderError) {
      throw new HttpProblem(error.code === 'chromium_missing' ? 503 : 409, error.code, error.message);
    }
    throw new HttpProblem(503, 'render_failed', `Chromium could not render the report: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  return deps.archive.add({
    line: r.line.id,
    shift: r.shift.key,
    pdf,
    createdAt: deps.clock(),
    createdBy,
    ...(handoverVersion !== undefined ? { handoverVersion } : {}),
    ...(options.occasion ? { occasion: options.occasion } : {}),
  });
}

/** One line's shift in the list: its handover state and its stored PDFs, newest first. */
export interface ReportShiftSummary {
  line: string;
  shift: string;
  /** The handover version in force, its state, and how many versions there are; null without handover. */
  handover: { current: number; state: HandoverView['versions'][number]['state']; versions: number } | null;
  reports: StoredReport[];
}

/** The stored reports grouped by line and shift, newest shift first, each with its handover's state. */
async function shiftSummaries(deps: ReportsRouteDeps, reports: readonly StoredReport[]): Promise<ReportShiftSummary[]> {
  const groups = new Map<string, ReportShiftSummary>();
  for (const r of reports) {
    const key = `${r.line}\n${r.shift}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { line: r.line, shift: r.shift, handover: null, reports: [] }));
    g.reports.push(r);
  }
  const out = [...groups.values()];
  if (deps.handover) {
    for (const g of out) {
      const view = await deps.handover(g.line, g.shift);
      const current = view.versions.find((v) => v.version === view.current);
      g.handover = { current: view.current, state: current?.state ?? 'draft', versions: view.versions.length };
    }
  }
  return out.sort((a, b) => b.shift.localeCompare(a.shift) || a.line.localeCompare(b.line));
}

function sendPdf(res: ServerResponse, report: StoredReport, pdf: Buffer): void {
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': String(pdf.length),
    'content-disposition': `inline; filename="${report.id}.pdf"`,
    'cache-control': 'private, max-age=3600',
  });
  res.end(pdf);
}

export function registerReportsRoutes(router: Router, deps: ReportsRouteDeps): void {
  router
    .on('POST', '/api/v1/reports', async ({ req, res }) => {
      const session = requireSession(req, deps.sessions);
      if (!MAY_RENDER.has(session.person.role)) {
        throw new HttpProblem(403, 'forbidden', `a ${session.person.role} may not have reports rendered; roles that may: ${[...MAY_RENDER].join(', ')}`);
      }
      const body = await readJson(req, RenderReport);
      sendJson(res, 201, await renderAndStore(deps, body.line, body.shift, { id: session.person.id, name: session.person.name }));
    })
    .on('GET', '/api/v1/reports', async ({ res, url }) => {
      const line = url.searchParams.get('line');
      if (line !== null && !deps.plant.lines.some((l) => l.id === line)) {
        throw new HttpProblem(404, 'unknown_line', `line '${printable(line)}' is not configured; lines: ${deps.plant.lines.map((l) => l.id).join(', ')}`);
      }
      const reports = await deps.archive.list(line ?? undefined);
      sendJson(res, 200, { reports, shifts: await shiftSummaries(deps, reports) });
    })
    .on('GET', '/api/v1/reports/file', async ({ res, url }) => {
      const id = url.searchParams.get('id') ?? '';
      if (!REPORT_ID_PATTERN.test(id)) throw new HttpProblem(400, 'invalid_parameter', 'id must be a report id from GET /api/v1/reports, e.g. A1.2027-03-01-early.v1');
      const found = await deps.archive.get(id);
      if (!found) throw new HttpProblem(404, 'unknown_report', `no stored report '${printable(id)}'; GET /api/v1/reports lists them`);
      sendPdf(res, found.report, found.pdf);
    });
}
