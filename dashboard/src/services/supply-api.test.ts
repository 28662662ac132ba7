import { describe, expect, it } from 'vitest';
import { supplyAnswers } from '../components/supply/supply-fixtures';
import type { FetchLike } from './lines-api';
import { clusterUrl, fetchOrders, fetchSupply, ordersUrl, partnersUrl, SupplyApiError } from './supply-api';

const reply = (status: number, body: unknown): ReturnType<FetchLike> => Promise.resolve({ ok: status < 300, status, json: () => Promise.resolve(body) });

describe('supply API', () => {
  it('builds URLs with the line and an optional instant', () => {
    expect(partnersUrl()).toBe('/api/v1/partners');
    expect(partnersUrl(1_807_834_440_000.4, 'http://c:8080')).toBe('http://c:8080/api/v1/partners?now=1807834440000');
    expect(ordersUrl('A 1')).toBe('/api/v1/orders?line=A+1');
    expect(ordersUrl('A1', 5)).toBe('/api/v1/orders?line=A1&now=5');
    expect(clusterUrl(null)).toBe('/api/v1/cluster');
  });

  it('fetches the three answers in parallel', async () => {
    const data = supplyAnswers({ shortage: true });
    const urls: string[] = [];
    const fetch: FetchLike = (url) => {
      urls.push(url);
      const path = url.split('?')[0];
      return reply(200, path === '/api/v1/partners' ? data.partners : path === '/api/v1/orders' ? data.orders : data.cluster);
    };
    const got = await fetchSupply({ line: 'A1', now: 42 }, fetch);
    expect(urls.sort()).toEqual(['/api/v1/cluster?now=42', '/api/v1/orders?line=A1&now=42', '/api/v1/partners?now=42']);
    expect(got.partners.alerts[0]?.partner).toBe('P-BATT-01');
    expect(got.orders.backlog).toBe(120_005);
    expect(got.cluster.gaps).toEqual(['glass', 'adas-software', 'lidar']);
  });

  it("surfaces the collector's own error code and message", async () => {
    const fetch: FetchLike = () => reply(404, { error: { code: 'unknown_line', message: "line 'B9' is not configured; lines: A1" } });
    const err = await fetchOrders('B9', fetch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SupplyApiError);
    expect(err).toMatchObject({ code: 'unknown_line', status: 404, retryable: false, message: "line 'B9' is not configured; lines: A1" });
  });

  it('tells a network failure, an error without a body and a wrong answer apart', async () => {
    const down: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
    await expect(fetchOrders('A1', down)).rejects.toMatchObject({ code: 'network', status: null, retryable: true });
    const bare: FetchLike = () => reply(502, null);
    await expect(fetchOrders('A1', bare)).rejects.toMatchObject({ code: 'http', status: 502, retryable: true, message: 'GET /api/v1/orders answered 502' });
    const wrong: FetchLike = () => reply(200, { line: 'A1' });
    await expect(fetchOrders('A1', wrong)).rejects.toMatchObject({ code: 'invalid_response', message: "GET /api/v1/orders answered without 'now'" });
  });
});
