import { describe, expect, it } from 'vitest';
import { fakeLossFetch, shortageReport } from '../testing/loss-fixtures';
import { ApiError } from './api-json';
import { fetchLosses, lossesUrl, type HistoryQuery } from './losses-api';

const shift: HistoryQuery = { line: 'A1', range: { kind: 'calendar', range: 'shift:previous' } };

describe('losses-api', () => {
  it('asks with the same interval parameters as /api/v1/kpi', () => {
    expect(lossesUrl(shift)).toBe('/api/v1/losses?line=A1&range=shift%3Aprevious');
    expect(lossesUrl({ line: 'A1', range: { kind: 'custom', from: 1000.4, to: 2000 } }, 'http://c:8080')).toBe('http://c:8080/api/v1/losses?line=A1&from=1000&to=2000');
  });

  it('returns the report as the collector sent it', async () => {
    const api = fakeLossFetch(() => shortageReport());
    const report = await fetchLosses(shift, api.fetch);
    expect(api.calls).toEqual(['/api/v1/losses?line=A1&range=shift%3Aprevious']);
    expect(report.losses[0]?.cause).toEqual({ kind: 'starved', station: 'S07', partner: 'P-BATT-01', state: 'starved', reason: 'waiting for P-BATT-01 battery pack' });
    expect(report.planUnits - report.losses.reduce((s, t) => s + t.units, 0)).toBe(report.goodUnits);
  });

  it("carries the API's code and message", async () => {
    const api = fakeLossFetch(() => ({ status: 400, code: 'bad_range', message: "'from' must be before 'to'" }));
    const err = await fetchLosses(shift, api.fetch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'bad_range', status: 400, message: "'from' must be before 'to'" });
  });

  it('refuses an answer of another shape instead of drawing it', async () => {
    const shapes: unknown[] = [
      { ...shortageReport(), status: 'maybe' },
      { ...shortageReport(), planUnits: '215' },
      { ...shortageReport(), losses: undefined },
      { ...shortageReport(), bottleneck: { stations: [] } },
      { ...shortageReport(), losses: [{ cause: { kind: 'weather' }, units: 3, seconds: 0, episodes: [] }] },
    ];
    for (const body of shapes) {
      const err = await fetchLosses(shift, async () => ({ ok: true, status: 200, json: async () => body })).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'invalid_response', retryable: false });
    }
  });

  it('gives a term without episodes an empty list', async () => {
    const body = shortageReport();
    const bare = { ...body, losses: body.losses.map(({ episodes: _episodes, ...t }) => t) };
    const report = await fetchLosses(shift, async () => ({ ok: true, status: 200, json: async () => bare }));
    expect(report.losses.every((t) => Array.isArray(t.episodes) && t.episodes.length === 0)).toBe(true);
  });
});
