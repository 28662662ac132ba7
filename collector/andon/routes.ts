/**
 * Andon routes (docs/api.md): the configuration, calls, one call with its
 * history, raising, actions, deliveries and the audit trail. Reads are open
 * like the rest of the API (the wall needs no session); every write needs a
 * signed-in person whose role may do it.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { ANDON_PRIORITIES, IDENTIFIER_PATTERN } from '../../core/events';
import type { PlantConfig } from '../../core/plant';
import { requireSession } from '../auth/routes';
import { readJson, sendError } from '../auth/http';
import type { SessionStore } from '../auth/sessions';
import { intervalQuery } from '../history/params';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';
import { SpoolFullError, SpoolUnavailableError } from '../spool/spool';
import type { Notifier } from '../notify/notifier';
import type { AuditEntry } from '../../core/andon/types';
import type { AndonHistory } from './history';
import { AndonError, type AndonService } from './service';

const MAX_DAYS = 31;
/** The call list over the manager's range, which goes up to a year (calls are a few a shift: a year of them is one read). */
const CALLS_MAX_DAYS = 400;
const DAY_MS = 86_400_000;
const id = (what: string) => z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, { error: `${what} must be an id of letters, digits, '_', '.' or '-'` });
const note = z.string({ error: 'note must be a string' }).max(500, { error: 'note must be at most 500 characters' }).regex(/^[^\p{Cc}\p{Cs}]*$/u, { error: 'note must not contain control characters' });

const RaiseBody = z.strictObject({
  line: id('line'),
  station: id('station').nullable().optional(),
  kind: id('kind'),
  priority: z.enum(ANDON_PRIORITIES, { error: `priority must be one of ${ANDON_PRIORITIES.join(', ')}` }).optional(),
  note: note.optional(),
});
const RulesBody = z.strictObject({ rules: z.array(z.unknown(), { error: 'rules must be an array of rules (docs/andon.md)' }).max(500) });
const ActionBody = z.strictObject({
  call: id('call'),
  action: z.enum(['acknowledge', 'resolve', 'cancel', 'reopen'], { error: "action must be 'acknowledge', 'resolve', 'cancel' or 'reopen'" }),
  reason: id('reason').optional(),
  note: note.optional(),
});

export interface AndonRouteDeps {
  plant: PlantConfig;
  service: AndonService;
  sessions: SessionStore;
  notifier: Notifier;
  lineNow: (line: string) => number;
  /** Calls and steps of intervals older than what the service keeps in memory. */
  history: (line: string, from: number, to: number) => Promise<AndonHistory>;
  /** Start of what the service holds in memory, epoch ms. */
  memoryFrom: () => number;
  /** Other parts' changes in the same trail (stop classifications). */
  moreAudit?: (line: string, from: number, to: number) => AuditEntry[];
}

export function registerAndonRoutes(router: Router, deps: AndonRouteDeps): void {
  const { service, sessions, plant } = deps;
  const config = service.andonConfig();

  const lineParam = (url: URL): string => {
    const line = url.searchParams.get('line') ?? (plant.lines.length === 1 ? plant.lines[0]?.id : undefined);
    if (!line) throw new HttpProblem(400, 'line_required', `add line=<id>; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
    if (!plant.lines.some((l) => l.id === line)) throw new HttpProblem(404, 'unknown_line', `line '${line.slice(0, 64)}' is not configured; lines: ${plant.lines.map((l) => l.id).join(', ')}`);
    return line;
  };
  const hasInterval = (url: URL) => url.searchParams.has('range') || url.searchParams.has('from') || url.searchParams.has('to');

  /** Runs a step and answers it; a refused step answers its status and reason, a full spool 503. */
  const write = async (res: ServerResponse, status: number, work: () => Promise<unknown>, wrap = true) => {
    try {
      const result = await work();
      sendJson(res, status, wrap ? { call: result } : result);
    } catch (error) {
      if (error instanceof AndonError) {
        sendError(res, error.refusal.status, error.refusal.code, error.refusal.message);
        return;
      }
      if (error instanceof SpoolFullError) throw new HttpProblem(503, 'spool_full', 'the collector cannot record the step now (its spool is full): try again', { 'retry-after': String(error.retryAfterSeconds) });
      if (error instanceof SpoolUnavailableError) throw new HttpProblem(503, 'spool_unavailable', `the collector cannot record the step now (${error.message}): try again`, { 'retry-after': '5' });
      throw error;
    }
  };

  router
    .on('GET', '/api/v1/andon/config', ({ res }) => {
      sendJson(res, 200, {
        kinds: config.kinds.map((k) => ({ id: k.id, label: k.label, priority: k.priority })),
        priorities: [...ANDON_PRIORITIES],
        resolutionReasons: config.resolutionReasons,
        escalation: config.kinds.map((k) => ({ kind: k.id, tiers: (k.escalation ?? config.escalation).map((t) => ({ role: t.role, afterSeconds: t.afterSeconds })) })),
      });
    })
    .on('GET', '/api/v1/andon/calls', async ({ res, url }) => {
      const status = url.searchParams.get('status') ?? 'active';
      if (status !== 'open' && status !== 'active' && status !== 'all') throw new HttpProblem(400, 'invalid_parameter', "status must be 'open', 'active' or 'all'");
      const station = url.searchParams.get('station');
      const kind = url.searchParams.get('kind');
      if (!hasInterval(url)) {
        sendJson(res, 200, { calls: service.list({ line: lineParam(url), station, status, kind }) });
        return;
      }
      const q = intervalQuery(url, plant, deps.lineNow, CALLS_MAX_DAYS);
      let calls = q.from >= deps.memoryFrom() ? service.list({ line: q.line.id, station, status, kind, from: q.from, to: q.to }) : (await deps.history(q.line.id, q.from, q.to)).calls;
      calls = calls.filter((c) => (!station || c.station === station) && (!kind || c.kind === kind) && (status === 'all' || c.status === 'open' || (status === 'active' && c.status === 'acknowledged')));
      sendJson(res, 200, { range: { label: q.label, from: q.from, to: q.to }, calls });
    })
    .on('GET', '/api/v1/andon/call', ({ res, url }) => {
      const callId = url.searchParams.get('id');
      if (!callId) throw new HttpProblem(400, 'invalid_parameter', 'add id=<call id>');
      const found = service.get(callId);
      if (!found) throw new HttpProblem(404, 'unknown_call', `no call '${callId.slice(0, 64)}' (calls older than the collector keeps in memory are listed by GET /api/v1/andon/calls with from and to)`);
      sendJson(res, 200, { ...found, deliveries: deps.notifier.deliveries({ call: callId }) });
    })
    .on('POST', '/api/v1/andon/calls', async ({ req, res }) => {
      const session = requireSession(req, sessions);
      const body = await readJson(req, RaiseBody);
      await write(res, 201, () => service.raise(session.person, { line: body.line, station: body.station ?? null, kind: body.kind, priority: body.priority, note: body.note }));
    })
    .on('POST', '/api/v1/andon/actions', async ({ req, res }) => {
      const session = requireSession(req, sessions);
      const body = await readJson(req, ActionBody);
      await write(res, body.action === 'reopen' ? 201 : 200, () => service.act(session.person, body));
    })
    .on('GET', '/api/v1/andon/rules', ({ res }) => {
      sendJson(res, 200, service.rulesView());
    })
    .on('PUT', '/api/v1/andon/rules', async ({ req, res }) => {
      const session = requireSession(req, sessions);
      const body = await readJson(req, RulesBody);
      await write(res, 200, () => service.editRules(session.person, body.rules), false);
    })
    .on('DELETE', '/api/v1/andon/rules', async ({ req, res }) => {
      const session = requireSession(req, sessions);
      await write(res, 200, () => service.editRules(session.person, null), false);
    })
    .on('GET', '/api/v1/andon/deliveries', ({ res, url }) => {
      const line = url.searchParams.has('line') ? lineParam(url) : null;
      sendJson(res, 200, { deliveries: deps.notifier.deliveries({ line }), channels: deps.notifier.channels() });
    })
    .on('GET', '/api/v1/audit', async ({ res, url }) => {
      const line = lineParam(url);
      let from: number;
      let to: number;
      if (hasInterval(url)) ({ from, to } = intervalQuery(url, plant, deps.lineNow, MAX_DAYS));
      else {
        to = deps.lineNow(line) + 1;
        from = to - DAY_MS;
      }
      const calls = from >= deps.memoryFrom() ? service.audit({ line, from, to }) : (await deps.history(line, from, to)).entries;
      const entries = [...calls, ...(deps.moreAudit?.(line, from, to) ?? [])].sort((a, b) => a.at - b.at);
      sendJson(res, 200, { range: { from, to }, entries });
    });
}
