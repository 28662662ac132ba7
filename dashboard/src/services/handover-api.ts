/**
 * A shift report's handover as typed functions (no Vue): the steps
 * `POST /api/v1/reports/notes|sign|acknowledge|corrections` (docs/api.md).
 * A refused step throws an {@link ApiRefusal} with the collector's code and
 * words (`report_signed`, `not_signed_in`, …).
 */
import type { HandoverView } from '@core/report/handover';
import { ApiError } from './api-json';
import { sendJson, type ApiFetchLike } from './session-api';

export type { HandoverView };

export type HandoverStep =
  | { action: 'notes'; notes: string }
  | { action: 'sign' }
  | { action: 'acknowledge'; note?: string }
  | { action: 'corrections'; reason: string };

/** Takes one step on version `version` of a line's shift report; answers the handover as it now stands. */
export async function postHandoverStep(line: string, shift: string, version: number, step: HandoverStep, fetchFn: ApiFetchLike = globalThis.fetch, base = ''): Promise<HandoverView> {
  const { action, ...rest } = step;
  const body = await sendJson(fetchFn, 'POST', `${base}/api/v1/reports/${action}`, { line, shift, version, ...rest });
  const h = body.handover;
  if (typeof h !== 'object' || h === null || !Array.isArray((h as { versions?: unknown }).versions)) {
    throw new ApiError('invalid_response', `POST /api/v1/reports/${action} answered without a handover`, 200, false);
  }
  return h as HandoverView;
}
