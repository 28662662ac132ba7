/**
 * Handover routes (docs/api.md): `GET /api/v1/reports/handover` answers a
 * shift report's versions, notes, signatures and acknowledgements; a
 * signed-in supervisor writes notes (`POST /api/v1/reports/notes`), signs
 * (`/sign`) and acknowledges (`/acknowledge`); a supervisor or manager
 * corrects a signed version (`/corrections`). Each step is answered once it
 * is durable; a refused one says why, with a stable code.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { IDENTIFIER_PATTERN } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import type { HandoverAsk } from '../../core/report/handover';
import { readJson, sendError } from '../auth/http';
import { requireSession } from '../auth/routes';
import type { SessionStore } from '../auth/sessions';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { SpoolFullError, SpoolUnavailableError } from '../spool/spool';
import { HandoverError, type ReportHandovers } from './handover';
import { reportRequest } from './route';

const NOTES_PATTERN = /^(?:[^\p{Cc}\p{Cs}]|\n)*$/u;

const line = z.string({ error: 'line must be a string' }).regex(IDENTIFIER_PATTERN, { error: "line must be a line id of letters, digits, '_', '.' or '-'" });
const shift = z.string({ error: 'shift must be a string' }).min(1).max(80, { error: 'shift must be at most 80 characters' });
const version = z.number({ error: 'version must be the number of the report version you act on (GET /api/v1/reports/handover)' }).int({ error: 'version must be a whole number' }).min(1).max(999);
const text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, { error: `${what} must be at most ${max} characters` })
    .regex(NOTES_PATTERN, { error: `${what} must not contain control characters other than line breaks` });

export const HandoverNotes = z.strictObject({ line, shift, version, notes: text('notes', 4000) });
export type HandoverNotes = z.infer<typeof HandoverNotes>;
export const HandoverSign = z.strictObject({ line, shift, version });
export type HandoverSign = z.infer<typeof HandoverSign>;
export const HandoverAcknowledge = z.strictObject({ line, shift, version, note: text('note', 1000).optional() });
export type HandoverAcknowledge = z.infer<typeof HandoverAcknowledge>;
export const HandoverCorrection = z.strictObject({ line, shift, version, reason: text('reason', 1000).refine((s) => s.trim() !== '', { error: 'reason: say why the signed report is corrected' }) });
export type HandoverCorrection = z.infer<typeof HandoverCorrection>;

export interface HandoverRouteDeps {
  plant: PlantConfig;
  handovers: ReportHandovers;
  sessions: SessionStore;
  lineNow: (line: string) => number;
}

/** The line and the ended shift a request names: 404 unknown line or shift, 409 not yet ended (reportRequest's checks). */
function endedShift(plant: PlantConfig, lineNow: (line: string) => number, lineId: string | null, key: string | null) {
  const url = new URL('http://collector/api/v1/report');
  if (lineId !== null) url.searchParams.set('line', lineId);
  if (key !== null) url.searchParams.set(key.startsWith('shift:') ? 'range' : 'shift', key);
  return reportRequest(url, plant, lineNow);
}

export function registerHandoverRoutes(router: Router, deps: HandoverRouteDeps): void {
  const { plant, handovers } = deps;

  async function step(req: IncomingMessage, parse: (req: IncomingMessage) => Promise<{ line: string; shift: string; ask: HandoverAsk }>) {
    const session = requireSession(req, deps.sessions);
    const body = await parse(req);
    const r = endedShift(plant, deps.lineNow, body.line, body.shift);
    try {
      return await handovers.act(session.person, r.line.id, r.shift.key, body.ask);
    } catch (error) {
      if (error instanceof HandoverError) throw error;
      if (error instanceof SpoolFullError) throw new HttpProblem(503, 'spool_full', 'the collector cannot record the step now (its spool is full): try again', { 'retry-after': String(error.retryAfterSeconds) });
      if (error instanceof SpoolUnavailableError) throw new HttpProblem(503, 'spool_unavailable', `the collector cannot record the step now (${error.message}): try again`, { 'retry-after': '5' });
      throw error;
    }
  }

  const answer = (action: (req: IncomingMessage) => ReturnType<typeof step>, status: number) =>
    async ({ req, res }: { req: IncomingMessage; res: Parameters<typeof sendJson>[0] }) => {
      try {
        sendJson(res, status, { handover: await action(req) });
      } catch (error) {
        if (error instanceof HandoverError) {
          sendError(res, error.refusal.status, error.refusal.code, error.refusal.message);
          return;
        }
        throw error;
      }
    };

  router
    .on('GET', '/api/v1/reports/handover', async ({ res, url }) => {
      const r = endedShift(plant, deps.lineNow, url.searchParams.get('line'), url.searchParams.get('shift'));
      sendJson(res, 200, { handover: await handovers.view(r.line.id, r.shift.key) });
    })
    .on(
      'POST',
      '/api/v1/reports/notes',
      answer(
        (req) =>
          step(req, async (r) => {
            const b = await readJson(r, HandoverNotes);
            return { line: b.line, shift: b.shift, ask: { action: 'note', version: b.version, note: b.notes } };
          }),
        200,
      ),
    )
    .on(
      'POST',
      '/api/v1/reports/sign',
      answer(
        (req) =>
          step(req, async (r) => {
            const b = await readJson(r, HandoverSign);
            return { line: b.line, shift: b.shift, ask: { action: 'sign', version: b.version } };
          }),
        200,
      ),
    )
    .on(
      'POST',
      '/api/v1/reports/acknowledge',
      answer(
        (req) =>
          step(req, async (r) => {
            const b = await readJson(r, HandoverAcknowledge);
            return { line: b.line, shift: b.shift, ask: { action: 'acknowledge', version: b.version, ...(b.note !== undefined ? { note: b.note } : {}) } };
          }),
        200,
      ),
    )
    .on(
      'POST',
      '/api/v1/reports/corrections',
      answer(
        (req) =>
          step(req, async (r) => {
            const b = await readJson(r, HandoverCorrection);
            return { line: b.line, shift: b.shift, ask: { action: 'correct', version: b.version, note: b.reason } };
          }),
        201,
      ),
    );
}
