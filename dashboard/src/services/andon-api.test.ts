import { describe, expect, it } from 'vitest';
import { callFixture } from '../components/andon/andon-fixtures';
import { actOnCall, callsUrl, fetchCall, fetchCalls, raiseCall } from './andon-api';
import type { ApiFetchLike } from './session-api';

const json = (status: number, body: unknown): ReturnType<ApiFetchLike> => Promise.resolve({ ok: status < 400, status, json: () => Promise.resolve(body) });

describe('andon-api', () => {
  it('builds the calls query: explicit bounds win over a calendar range', () => {
    expect(callsUrl({ line: 'A1', station: 'S07', status: 'active' })).toBe('/api/v1/andon/calls?line=A1&station=S07&status=active');
    expect(callsUrl({ line: 'A1', range: 'shift:current', from: 1, to: 2 })).toBe('/api/v1/andon/calls?line=A1&from=1&to=2');
    expect(callsUrl({ line: 'A 1', kind: 'help', range: 'day:today' }, 'http://c')).toBe('http://c/api/v1/andon/calls?line=A+1&kind=help&range=day%3Atoday');
  });

  it('sends only the fields given, and returns the call as it now is', async () => {
    const bodies: unknown[] = [];
    const fetch: ApiFetchLike = (_url, init) => {
      bodies.push(JSON.parse(init?.body ?? 'null'));
      return json(201, { call: callFixture() });
    };
    expect((await raiseCall({ line: 'A1', station: null, kind: 'help' }, fetch)).id).toBe('c-1');
    await actOnCall({ call: 'c-1', action: 'resolve', reason: 'fixed' }, fetch);
    expect(bodies).toEqual([{ line: 'A1', kind: 'help' }, { call: 'c-1', action: 'resolve', reason: 'fixed' }]);
  });

  it('refuses calls that lack the fields the screens read', async () => {
    await expect(fetchCalls({ line: 'A1' }, () => json(200, { calls: [{ id: 'x' }] }))).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('orders a call’s history oldest first', async () => {
    const entry = (at: number) => ({ at, actor: { kind: 'person', id: 'p', name: 'P' }, action: 'andon.raise', line: 'A1', subject: 'c-1', details: {} });
    const { history } = await fetchCall('c-1', () => json(200, { call: callFixture(), history: [entry(3), entry(1), entry(2)] }));
    expect(history.map((h) => h.at)).toEqual([1, 2, 3]);
  });
});
