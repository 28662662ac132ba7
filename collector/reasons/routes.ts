/**
 * Stop-reason routes (docs/api.md): GET /api/v1/stops lists a line's stop
 * records (of one station with `station=`) with their classification and history; POST /api/v1/stops/classify
 * records a signed-in person's classification once it is durable.
 */
import { z } from 'zod';
import { IDENTIFIER_PATTERN } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import { readJson, sendError } from '../auth/http';
import { requireSession } from '../auth/routes';
import type { SessionStore } from '../auth/sessions';
import { intervalQuery } from '../history/params';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { SpoolFullError, SpoolUnavailableError } from '../spool/spool';
import { StopReasonError, type StopReasons } from './service';

const MAX_DAYS = 31;
const id = (what: string) => z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, { error: `${what} must be an id of letters, digits, '_', '.' or '-'` });

const ClassifyBody = z.strictObject({
  line: id('line'),
  stop: z.string({ error: 'stop must be a string' }).max(80, { error: 'stop must be at most 80 characters' }),
  reason: id('reason'),
  splitAt: z.number({ error: 'splitAt must be epoch milliseconds' }).int({ error: 'splitAt must be whole epoch milliseconds' }).optional(),
  reason2: id('reason2').optional(),
  note: z.string({ error: 'note must be a string' }).max(500, { error: 'note must be at most 500 characters' }).regex(/^[^\p{Cc}\p{Cs}]*$/u, { error: 'note must not contain control characters' }).optional(),
});

export interface StopRouteDeps {
  plant: PlantConfig;
  reasons: StopReasons;
  sessions: SessionStore;
  lineNow: (line: string) => number;
}

export function registerStopRoutes(router: Router, deps: StopRouteDeps): void {
  const { plant, reasons } = deps;
  router
    .on('GET', '/api/v1/stops', async ({ res, url }) => {
      const q = intervalQuery(url, plant, deps.lineNow, MAX_DAYS);
      const view = await reasons.stops(q.line, q.from, q.to, q.now);
      const only = url.searchParams.get('unclassified');
      const station = url.searchParams.get('station');
      if (station !== null && !q.line.stations.some((s) => s.id === station)) {
        throw new HttpProblem(404, 'unknown_station', `station '${station.slice(0, 64).replace(/[^\w.-]/g, '?')}' is not a station of line ${q.line.id}; stations: ${q.line.stations.map((s) => s.id).join(', ')}`);
      }
      // The tablet's list: one station's records; the totals stay the line's.
      const records = view.records.filter((r) => (station === null || r.station === station) && (only === '1' || only === 'true' ? r.current === null : true));
      sendJson(res, 200, { ...view, records, range: { from: q.from, to: q.to, label: q.label }, timeZone: q.line.timeZone, tree: reasons.tree });
    })
    .on('POST', '/api/v1/stops/classify', async ({ req, res }) => {
      const session = requireSession(req, deps.sessions);
      const body = await readJson(req, ClassifyBody);
      const line = plant.lines.find((l) => l.id === body.line);
      if (!line) throw new HttpProblem(404, 'unknown_line', `line '${body.line}' is not configured; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
      try {
        const ask = { reason: body.reason, ...(body.splitAt !== undefined ? { splitAt: body.splitAt } : {}), ...(body.reason2 !== undefined ? { reason2: body.reason2 } : {}), ...(body.note !== undefined ? { note: body.note } : {}) };
        const record = await reasons.classify(session.person, line, body.stop, ask);
        sendJson(res, 201, { stop: record });
      } catch (error) {
        if (error instanceof StopReasonError) {
          sendError(res, error.refusal.status, error.refusal.code, error.refusal.message);
          return;
        }
        if (error instanceof SpoolFullError) throw new HttpProblem(503, 'spool_full', 'the collector cannot record the classification now (its spool is full): try again', { 'retry-after': String(error.retryAfterSeconds) });
        if (error instanceof SpoolUnavailableError) throw new HttpProblem(503, 'spool_unavailable', `the collector cannot record the classification now (${error.message}): try again`, { 'retry-after': '5' });
        throw error;
      }
    });
}
