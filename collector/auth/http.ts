/** What the session and andon routes share: JSON bodies checked by a schema, cookies, errors with extra fields. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { readBody } from '../http/body';
import { HttpProblem } from '../http/problem';
import { sendJson } from '../http/respond';

/** Bodies of people's requests are small. */
const MAX_ACTION_BYTES = 16 * 1024;

export const SESSION_COOKIE = 'taktline_session';

/**
 * Reads a JSON body and checks it with `schema`; 415 without a JSON content
 * type (a cross-site form cannot send one), 400 naming the first wrong field.
 */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    req.resume();
    throw new HttpProblem(415, 'unsupported_media_type', "send the body as JSON with 'Content-Type: application/json'");
  }
  const body = await readBody(req, MAX_ACTION_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpProblem(400, 'invalid_json', `the body is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    const message = issue?.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid body');
    throw new HttpProblem(400, 'invalid', field ? `${field}: ${message}` : message);
  }
  return parsed.data as z.infer<S>;
}

/** An error answer in the house shape, `{error: {code, message, ...extra}}`. */
export function sendError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message, ...extra } }, headers);
}

/** The session cookie's value, or null. */
export function sessionCookie(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

export function sessionCookieHeader(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}${secure ? '; Secure' : ''}`;
}
