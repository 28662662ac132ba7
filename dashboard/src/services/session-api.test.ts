import { describe, expect, it } from 'vitest';
import { ApiError } from './api-json';
import { ApiRefusal, fetchSession, sendJson, signIn, type ApiFetchLike } from './session-api';

type Init = Parameters<ApiFetchLike>[1];

function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const seen: { url: string; init: Init }[] = [];
  const fetch: ApiFetchLike = (url, init) => {
    seen.push({ url, init });
    return Promise.resolve({ ok: status < 400, status, json: () => (body === undefined ? Promise.reject(new Error('no body')) : Promise.resolve(body)), headers: { get: (n: string) => headers[n.toLowerCase()] ?? null } });
  };
  return { fetch, seen };
}

describe('sendJson', () => {
  it('POSTs JSON same-origin, so the session cookie rides along and nothing else is sent', async () => {
    const api = answering(200, { ok: true });
    await sendJson(api.fetch, 'POST', '/api/v1/andon/calls', { line: 'A1', kind: 'help' });
    expect(api.seen[0]?.init).toEqual({
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{"line":"A1","kind":"help"}',
    });
  });

  it('reads tries left and lock time from the error object, else top-level fields, else Retry-After', async () => {
    const inError = await sendJson(answering(401, { error: { code: 'bad_credentials', message: 'wrong PIN', attemptsLeft: 3 } }).fetch, 'POST', '/api/v1/session', {}).catch((e: unknown) => e);
    expect(inError).toBeInstanceOf(ApiRefusal);
    expect(inError).toMatchObject({ code: 'bad_credentials', message: 'wrong PIN', status: 401, attemptsLeft: 3, retryAfterSeconds: null });
    const topLevel = await sendJson(answering(429, { code: 'locked', message: 'locked', retryAfterSeconds: 120 }).fetch, 'POST', '/x', {}).catch((e: unknown) => e);
    expect(topLevel).toMatchObject({ code: 'locked', retryAfterSeconds: 120 });
    const header = await sendJson(answering(429, { error: { code: 'locked', message: 'locked' } }, { 'retry-after': '90' }).fetch, 'POST', '/x', {}).catch((e: unknown) => e);
    expect(header).toMatchObject({ code: 'locked', retryAfterSeconds: 90 });
  });

  it('answers {} for 204, and says so when the collector cannot be reached or answers no JSON', async () => {
    expect(await sendJson(answering(204, undefined).fetch, 'DELETE', '/api/v1/session')).toEqual({});
    const down: ApiFetchLike = () => Promise.reject(new TypeError('fetch failed'));
    await expect(sendJson(down, 'POST', '/x', {})).rejects.toMatchObject({ code: 'network', status: null, retryable: true });
    await expect(sendJson(answering(502, undefined).fetch, 'POST', '/api/v1/andon/actions', {})).rejects.toMatchObject({ code: 'http', message: 'POST /api/v1/andon/actions answered 502', retryable: true });
  });
});

describe('session', () => {
  it('a 401 on GET /session means nobody is signed in; other failures are errors', async () => {
    expect(await fetchSession(answering(401, { error: { code: 'not_signed_in', message: 'x' } }).fetch)).toBeNull();
    await expect(fetchSession(answering(503, { error: { code: 'spool_unavailable', message: 'x' } }).fetch)).rejects.toBeInstanceOf(ApiError);
  });

  it('refuses an answer that is not a session', async () => {
    await expect(signIn({ person: 'p', pin: '1' }, answering(200, { hello: 1 }).fetch)).rejects.toMatchObject({ code: 'invalid_response' });
  });
});
