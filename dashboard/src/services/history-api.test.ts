import { describe, expect, it } from 'vitest';
import { fakeApi, managerAnswers } from '../testing/manager-fixtures';
import { exportEventsUrl, fetchHistory, fetchKpis, fetchManagerData, historyUrl, HistoryApiError, kpiUrl, type HistoryQuery } from './history-api';

const shift: HistoryQuery = { line: 'A1', range: { kind: 'calendar', range: 'shift:current' } };
const custom: HistoryQuery = { line: 'A 1', range: { kind: 'custom', from: 1_803_880_800_000, to: 1_803_909_600_000.4 } };

describe('history-api URLs', () => {
  it('names a calendar range, or from and to in epoch ms', () => {
    expect(kpiUrl(shift)).toBe('/api/v1/kpi?line=A1&range=shift%3Acurrent');
    expect(historyUrl('hourly', custom)).toBe('/api/v1/history/hourly?line=A+1&from=1803880800000&to=1803909600000');
  });

  it('links the CSV form of each chart and the raw-event export', () => {
    expect(historyUrl('downtime', shift, 'csv', 'http://c:8080')).toBe('http://c:8080/api/v1/history/downtime?line=A1&range=shift%3Acurrent&format=csv');
    expect(exportEventsUrl('cycle', shift)).toBe('/api/v1/export/events?line=A1&range=shift%3Acurrent&type=cycle');
  });
});

describe('history-api requests', () => {
  it('fetches the KPIs and every history chart for one query', async () => {
    const answers = managerAnswers();
    const api = fakeApi(() => answers);
    const data = await fetchManagerData(shift, api.fetch);
    expect(api.calls.map((u) => u.split('?')[0]).sort()).toEqual([
      '/api/v1/history/cycles',
      '/api/v1/history/downtime',
      '/api/v1/history/hourly',
      '/api/v1/history/states',
      '/api/v1/history/uph',
      '/api/v1/kpi',
    ]);
    expect(api.calls.every((u) => u.includes('range=shift%3Acurrent'))).toBe(true);
    expect(data.kpis.inputs.counts.units).toBe(40);
    expect(data.hourly.buckets.reduce((s, b) => s + b.units, 0)).toBe(40);
    expect(data.query).toBe(shift);
  });

  it("carries the API's code, message and status", async () => {
    const api = fakeApi(() => ({ status: 404, code: 'no_current_shift', message: 'no shift is in progress; the next one (late) starts at 06:00' }));
    const err = await fetchKpis(shift, api.fetch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HistoryApiError);
    expect(err).toMatchObject({ code: 'no_current_shift', status: 404, retryable: false, message: expect.stringContaining('no shift is in progress') });
  });

  it('says so when the collector cannot be reached, or answers without a JSON error', async () => {
    const down = await fetchKpis(shift, async () => Promise.reject(new TypeError('fetch failed'))).catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'network', status: null, retryable: true });
    const proxy = await fetchHistory('uph', shift, async () => ({ ok: false, status: 502, json: async () => Promise.reject(new SyntaxError('html')) })).catch(
      (e: unknown) => e,
    );
    expect(proxy).toMatchObject({ code: 'http', status: 502, retryable: true, message: 'GET /api/v1/history/uph answered 502' });
  });

  it('rejects an answer of the wrong shape instead of drawing nonsense', async () => {
    const err = await fetchHistory('hourly', shift, async () => ({ ok: true, status: 200, json: async () => ({ hours: [] }) })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_response', message: "GET /api/v1/history/hourly answered without 'buckets'" });
  });
});
