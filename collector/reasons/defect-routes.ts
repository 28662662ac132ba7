/**
 * Defect-code routes (docs/api.md#defect-codes): GET /api/v1/units/nok lists
 * a station's (or the line end's) nok units with the code in force; POST
 * /api/v1/units/defect records a signed-in person's code for one once it is
 * durable.
 */
import { z } from 'zod';
import { IDENTIFIER_PATTERN, UNIT_ID_PATTERN } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import { readJson, sendError } from '../auth/http';
import { requireSession } from '../auth/routes';
import type { SessionStore } from '../auth/sessions';
import { intervalQuery } from '../history/params';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { SpoolFullError, SpoolUnavailableError } from '../spool/spool';
import { UnitDefectError, type UnitDefects } from './defects';

const MAX_DAYS = 31;
/** The tablet shows the newest nok units; more is a report, not a touch screen. */
const MAX_LISTED = 200;
const id = (what: string) => z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, { error: `${what} must be an id of letters, digits, '_', '.' or '-'` });

const DefectBody = z.strictObject({
  line: id('line'),
  unit: z.string({ error: 'unit must be a string' }).regex(UNIT_ID_PATTERN, { error: "unit must be a unit id: 1–64 letters, digits, '_', '.', ':', '/' or '-'" }),
  /** Absent or null: the unit rejected at the end of the line. */
  station: id('station').nullable().optional(),
  defect: id('defect'),
});

export interface DefectRouteDeps {
  plant: PlantConfig;
  defects: UnitDefects;
  sessions: SessionStore;
  lineNow: (line: string) => number;
}

export function registerDefectRoutes(router: Router, deps: DefectRouteDeps): void {
  const { plant, defects } = deps;
  router
    .on('GET', '/api/v1/units/nok', async ({ res, url }) => {
      const q = intervalQuery(url, plant, deps.lineNow, MAX_DAYS);
      const station = url.searchParams.get('station');
      if (station !== null && !q.line.stations.some((s) => s.id === station)) {
        throw new HttpProblem(404, 'unknown_station', `station '${station.slice(0, 64).replace(/[^\w.-]/g, '?')}' is not a station of line ${q.line.id}; stations: ${q.line.stations.map((s) => s.id).join(', ')}`);
      }
      const units = await defects.nok(q.line, station, q.from, q.to, q.now);
      sendJson(res, 200, { line: q.line.id, station, range: { from: q.from, to: q.to, label: q.label }, timeZone: q.line.timeZone, units: units.slice(0, MAX_LISTED), total: units.length, catalogue: defects.catalogue });
    })
    .on('POST', '/api/v1/units/defect', async ({ req, res }) => {
      const session = requireSession(req, deps.sessions);
      const body = await readJson(req, DefectBody);
      const line = plant.lines.find((l) => l.id === body.line);
      if (!line) throw new HttpProblem(404, 'unknown_line', `line '${body.line}' is not configured; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
      try {
        const unit = await defects.add(session.person, line, { unit: body.unit, station: body.station ?? null, defect: body.defect });
        sendJson(res, 201, { unit });
      } catch (error) {
        if (error instanceof UnitDefectError) {
          sendError(res, error.refusal.status, error.refusal.code, error.refusal.message);
          return;
        }
        if (error instanceof SpoolFullError) throw new HttpProblem(503, 'spool_full', 'the collector cannot record the defect code now (its spool is full): try again', { 'retry-after': String(error.retryAfterSeconds) });
        if (error instanceof SpoolUnavailableError) throw new HttpProblem(503, 'spool_unavailable', `the collector cannot record the defect code now (${error.message}): try again`, { 'retry-after': '5' });
        throw error;
      }
    });
}
