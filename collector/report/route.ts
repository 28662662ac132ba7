/**
 * GET /api/v1/report: the shift report of a line, assembled by core/report
 * from the very answers of `GET /api/v1/kpi` and `GET /api/v1/losses` for the
 * shift's interval (lineKpiAnswer, lossAnswer) and the shift's andon calls.
 */
import type { AndonCallView } from '../../core/andon/types';
import { lineCalendar, resolveRange, type ShiftInstance } from '../../core/calendar/calendar';
import { plantReasons, type LineConfig, type PlantConfig } from '../../core/plant';
import type { HandoverView } from '../../core/report/handover';
import { shiftByKey, shiftReport, type ShiftReport } from '../../core/report/shift-report';
import { lineKpiAnswer, type KpiRouteDeps } from '../history/kpi-route';
import { parseInstant } from '../history/params';
import { HttpProblem } from '../http/problem';
import type { Router } from '../http/router';
import { sendJson } from '../http/respond';
import { printable } from '../http/safe-url';
import { lossAnswer, type LossRouteDeps } from '../loss/route';

export interface ReportRouteDeps extends KpiRouteDeps, Omit<LossRouteDeps, 'stopReasons'> {
  plant: PlantConfig;
  /** The andon calls raised in [from, to) on a line; absent: the report lists none. */
  andonCalls?: (line: string, from: number, to: number) => Promise<AndonCallView[]>;
  /** The shift's handover (notes, signatures, versions); absent: the report carries none. */
  handover?: (line: string, shift: string) => Promise<HandoverView>;
}

export interface ReportRequest {
  line: LineConfig;
  shift: ShiftInstance;
  now: number;
}

/**
 * Reads `line`, `shift=<key>` or `range=shift:previous|shift:current`, and
 * `draft=1`. A shift not yet ended is refused (409) unless `draft=1`.
 */
export function reportRequest(url: URL, plant: PlantConfig, lineNow: (line: string) => number): ReportRequest {
  const p = url.searchParams;
  const lineId = p.get('line') ?? (plant.lines.length === 1 ? plant.lines[0]?.id : undefined);
  if (!lineId) throw new HttpProblem(400, 'line_required', `add line=<id>; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
  const line = plant.lines.find((l) => l.id === lineId);
  if (!line) throw new HttpProblem(404, 'unknown_line', `line '${printable(lineId)}' is not configured; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
  const now = p.has('now') ? parseInstant(p.get('now') ?? '', 'now') : lineNow(line.id);
  const cal = lineCalendar(line);
  const key = p.get('shift');
  const range = p.get('range');
  if ((key === null) === (range === null)) {
    throw new HttpProblem(400, 'invalid_parameter', 'give either shift=<production day>/<shift id> (e.g. 2027-03-01/early) or range=shift:previous');
  }
  let shift: ShiftInstance;
  if (key !== null) {
    const found = shiftByKey(cal, key);
    if (!found.ok) throw new HttpProblem(found.code === 'invalid_shift' ? 400 : 404, found.code, found.reason);
    shift = found.shift;
  } else {
    if (range !== 'shift:previous' && range !== 'shift:current') {
      throw new HttpProblem(400, 'unknown_range', `a report is for one shift: range must be shift:previous or shift:current; got '${printable(range ?? '', 40)}'`);
    }
    const resolved = resolveRange(cal, range, now);
    if (!resolved.ok || !resolved.shift) throw new HttpProblem(404, resolved.ok ? 'no_shift' : resolved.code, resolved.ok ? 'no shift' : resolved.reason);
    shift = resolved.shift;
  }
  const draft = p.get('draft');
  if (draft !== null && draft !== '0' && draft !== '1') throw new HttpProblem(400, 'invalid_parameter', `draft must be 1 or 0; got '${printable(draft, 20)}'`);
  if (now < shift.start) {
    throw new HttpProblem(409, 'shift_not_started', `shift ${shift.key} starts at ${new Date(shift.start).toISOString()}: there is nothing to report yet`);
  }
  if (now < shift.end && draft !== '1') {
    throw new HttpProblem(
      409,
      'shift_not_ended',
      `shift ${shift.key} ends at ${new Date(shift.end).toISOString()}: its report is final after that; add draft=1 for the figures so far`,
    );
  }
  return { line, shift, now };
}

/** The report for a request already checked; the PDF renderer and the route share it. */
export async function buildShiftReport(deps: ReportRouteDeps, r: ReportRequest): Promise<ShiftReport> {
  const q = { line: r.line, from: r.shift.start, to: r.shift.end, now: r.now, label: r.shift.key };
  const [kpis, losses, calls, handover] = await Promise.all([
    lineKpiAnswer(deps, q),
    lossAnswer(deps, q),
    deps.andonCalls ? deps.andonCalls(r.line.id, r.shift.start, r.shift.end) : Promise.resolve([]),
    // A shift in progress has nothing to hand over yet.
    deps.handover && r.now >= r.shift.end ? deps.handover(r.line.id, r.shift.key) : Promise.resolve(null),
  ]);
  const report = shiftReport({ shift: r.shift, kpis, losses, calls, reasons: plantReasons(deps.plant) });
  return handover ? { ...report, handover } : report;
}

export function registerReportRoutes(router: Router, deps: ReportRouteDeps): void {
  router.on('GET', '/api/v1/report', async ({ res, url }) => {
    const r = reportRequest(url, deps.plant, deps.lineNow);
    sendJson(res, 200, await buildShiftReport(deps, r));
  });
}
