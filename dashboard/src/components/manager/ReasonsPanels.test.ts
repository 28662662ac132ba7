import { createPinia } from 'pinia';
import { createApp, h, nextTick, type App, type Component } from 'vue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEFECTS, DEFAULT_REASONS } from '../../../../core/reasons/config';
import type { StopReasonsPart } from '../../../../core/reasons/stops';
import QualityDefects from './QualityDefects.vue';
import ReasonsTrend from './ReasonsTrend.vue';
import ReliabilityTable from './ReliabilityTable.vue';

const part: StopReasonsPart = {
  unclassifiedShare: 0.25,
  records: 3,
  unclassified: 1,
  micro: { count: 0, seconds: 0 },
  byReason: [],
  byCategory: [],
  reliability: {
    uptimeSeconds: 28_800,
    byReason: [
      { reason: 'breakdown', category: 'machine', stops: 2, seconds: 1800, mtbfSeconds: 14_400, mttrSeconds: 900 },
      { reason: null, category: null, stops: 1, seconds: 600, mtbfSeconds: 28_800, mttrSeconds: 600 },
    ],
    byCategory: [
      { reason: null, category: 'machine', stops: 2, seconds: 1800, mtbfSeconds: 14_400, mttrSeconds: 900 },
      { reason: null, category: 'material', stops: 1, seconds: 600, mtbfSeconds: 28_800, mttrSeconds: 600 },
    ],
  },
  trend: {
    grain: 'shift',
    points: [
      { key: '2027-03-01/early', from: 0, to: 1, records: 2, unclassified: 0, share: 0 },
      { key: '2027-03-01/late', name: { zh: '中班', en: 'Late shift' }, from: 1, to: 2, records: 0, unclassified: 0, share: null },
      { key: '2027-03-02/early', from: 2, to: 3, records: 1, unclassified: 1, share: 1 },
    ],
  },
  labels: { categories: DEFAULT_REASONS.categories, reasons: DEFAULT_REASONS.reasons, defects: DEFAULT_DEFECTS },
};

describe('the manager\'s stop-reason and defect panels', () => {
  let app: App;
  let root: HTMLElement;
  function mount(component: Component, props: Record<string, unknown>): void {
    root = document.createElement('div');
    document.body.append(root);
    app = createApp({ render: () => h(component, props) });
    app.use(createPinia()).mount(root);
  }
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    app.unmount();
    root.remove();
  });
  const rows = (sel: string) => [...root.querySelectorAll(`${sel} tbody tr`)].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim()));

  it('the reliability table lists MTBF and MTTR by classified reason, the unclassified in its own row, and by category on a tap', async () => {
    mount(ReliabilityTable, { stations: [], reasons: part });
    expect(rows('[data-testid="reliability-reasons"]')).toEqual([
      ['设备故障', '设备', '2', '4 小时', '15 分', '30 分'],
      ['未分类', '', '1', '8 小时', '10 分', '10 分'],
    ]);
    root.querySelector<HTMLElement>('[data-testid="reliability-by-category"]')?.click();
    await nextTick();
    expect(rows('[data-testid="reliability-reasons"]').map((r) => [r[0], r[1], r[3]])).toEqual([
      ['设备', '2', '15 分'],
      ['物料', '1', '10 分'],
    ]);
  });

  it('the reliability table says there is no data for an interval without any event, instead of 0 failures per station', () => {
    const idle = { failures: 0, faultSeconds: 0, uptimeSeconds: 0, mtbfSeconds: null, mttrSeconds: null, microStops: { count: 0, seconds: 0, thresholdSeconds: 300 } };
    const stations = ['S01', 'S02'].map((station) => ({ station, reliability: idle }));
    mount(ReliabilityTable, { stations, noData: true });
    expect(root.querySelector('[data-testid="reliability-no-data"]')?.textContent).toBe('暂无数据');
    expect(root.querySelector('[data-testid="reliability-S01"]')).toBeNull();
    app.unmount();
    root.remove();
    mount(ReliabilityTable, { stations, noData: false });
    expect(root.querySelector('[data-testid="reliability-no-data"]')).toBeNull();
    expect(rows('table')).toEqual([
      ['S01', '0', '–', '–', '0 分', '0'],
      ['S02', '0', '–', '–', '0 分', '0'],
    ]);
  });

  it('the reliability table shows no reasons part without one (an older collector)', () => {
    mount(ReliabilityTable, { stations: [] });
    expect(root.querySelector('[data-testid="reliability-reasons"]')).toBeNull();
  });

  it('the trend shows the share per shift, 无数据 for a shift without stop records (never 0 %)', () => {
    mount(ReasonsTrend, { part });
    expect(root.querySelector('[data-testid="unclassified-total"]')?.textContent).toBe('25 %');
    const text = (k: string) => root.querySelector(`[data-testid="trend-${k}"] .value`)?.textContent;
    expect([text('2027-03-01/early'), text('2027-03-01/late'), text('2027-03-02/early')]).toEqual(['0 %', '无数据', '100 %']);
    expect(root.querySelector('[data-testid="trend-2027-03-01/late"] .key')?.textContent).toBe('03-01 中班');
  });

  it('the trend says 无数据 overall without stop records', () => {
    mount(ReasonsTrend, { part: { ...part, unclassifiedShare: null, records: 0, unclassified: 0, trend: { grain: 'day', points: [] } } });
    expect(root.querySelector('[data-testid="unclassified-total"]')?.textContent).toBe('无数据');
  });

  it('quality losses by defect and station name the catalogue\'s labels, the line end and the uncoded', () => {
    mount(QualityDefects, { rows: [{ defect: 'scratch', station: 'S02', units: 3 }, { defect: null, station: null, units: 1 }], catalogue: DEFAULT_DEFECTS });
    expect(rows('[data-testid="quality-defects"]').map((r) => r.slice(0, 3))).toEqual([
      ['划伤', 'S02', '3'],
      ['未填缺陷', '下线', '1'],
    ]);
  });
});
