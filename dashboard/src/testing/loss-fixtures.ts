/**
 * Test doubles for the loss views: a `GET /api/v1/losses` answer shaped like
 * the partner-shortage demo's early shift (plan 215, 121 good; P-BATT-01's
 * battery packs run out and S07 starves), and a fake fetch that serves it.
 * The terms add up exactly to plan − good, as the collector's do. Imported
 * by *.test.ts only.
 */
import type { LossReport, LossTerm } from '@core/loss/types';
import type { FetchLike } from '../services/api-json';
import { SHIFT_START } from './manager-fixtures';

const MIN = 60_000;
const at = (minutes: number) => SHIFT_START + minutes * MIN;

function term(cause: LossTerm['cause'], units: number, seconds: number, episodes: LossTerm['episodes'] = []): LossTerm {
  return { cause, units, seconds, episodes };
}

/** The partner-shortage shift's report: 06:00–14:00 Shanghai, 215 planned, 121 good. */
export function shortageReport(overrides: Partial<LossReport> = {}): LossReport {
  return {
    status: 'ok',
    line: 'A1',
    range: { from: SHIFT_START, to: at(480), label: '2027-03-01/early' },
    planUnits: 215,
    goodUnits: 121,
    losses: [
      term({ kind: 'starved', station: 'S07', partner: 'P-BATT-01', state: 'starved', reason: 'waiting for P-BATT-01 battery pack' }, 41, 4920, [
        { from: at(200), to: at(282), constraint: 'S07', units: 41, seconds: 4920 },
      ]),
      term({ kind: 'speed' }, 18, 2160, []),
      term({ kind: 'downtime', station: 'S05', state: 'fault', reason: 'spindle overload' }, 9, 1020, [
        { from: at(95), to: at(107), constraint: 'S05', units: 6, seconds: 720 },
        { from: at(330), to: at(335), constraint: 'S05', units: 3, seconds: 300 },
      ]),
      term({ kind: 'blocked', station: 'S09', state: 'fault' }, 8, 960, [{ from: at(410), to: at(426), constraint: 'S05', units: 8, seconds: 960 }]),
      term({ kind: 'microstop', station: 'S05' }, 6, 720, []),
      term({ kind: 'no_data' }, 5, 600, [{ from: at(455), to: at(465), constraint: null, units: 5, seconds: 600 }]),
      term({ kind: 'quality', station: 'S10' }, 4, 0, []),
      term({ kind: 'unexplained' }, 3, 0, []),
    ],
    bottleneck: {
      stations: [
        { station: 'S05', soleShare: 0.52, shiftingShare: 0.08 },
        { station: 'S07', soleShare: 0.17, shiftingShare: 0.04 },
        { station: 'S03', soleShare: 0.06, shiftingShare: 0.05 },
      ],
      timeline: [
        { from: at(0), to: at(190), station: 'S05', shifting: false },
        { from: at(190), to: at(200), station: 'S07', shifting: true },
        { from: at(200), to: at(282), station: 'S07', shifting: false },
        { from: at(282), to: at(300), station: 'S05', shifting: true },
        { from: at(300), to: at(480), station: 'S05', shifting: false },
      ],
    },
    shortages: [{ partner: 'P-BATT-01', station: 'S07', alertAt: at(150), starvedFrom: at(200), supplyBackAt: at(282), unitsLost: 41 }],
    ...overrides,
  };
}

/** An interval without any events: the collector says `no_data` and every number is 0. */
export function noDataReport(): LossReport {
  return shortageReport({ status: 'no_data', planUnits: 0, goodUnits: 0, losses: [], bottleneck: { stations: [], timeline: [] }, shortages: [] });
}

/** A fetch that answers `/api/v1/losses` from `answer(url)` (a report, or an API error), and records the URLs asked. */
export function fakeLossFetch(answer: (url: URL) => LossReport | { status: number; code: string; message: string }): { fetch: FetchLike; calls: string[] } {
  const calls: string[] = [];
  const fetch: FetchLike = async (input) => {
    calls.push(input);
    const url = new URL(input, 'http://collector.test');
    if (url.pathname !== '/api/v1/losses') return { ok: false, status: 404, json: async () => ({ error: { code: 'not_found', message: `no route ${url.pathname}` } }) };
    const a = answer(url);
    if ('code' in a) return { ok: false, status: a.status, json: async () => ({ error: { code: a.code, message: a.message } }) };
    return { ok: true, status: 200, json: async () => structuredClone(a) };
  };
  return { fetch, calls };
}
