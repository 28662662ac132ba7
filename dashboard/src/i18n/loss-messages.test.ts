import { describe, expect, it } from 'vitest';
import type { LossCause } from '@core/loss/types';
import { LOSS_KINDS } from '../services/losses-api';
import { causeLabel, causeOwner, formatLossDuration, largestLossLine, LOSS_CATALOGUES } from './loss-messages';

const shortage: LossCause = { kind: 'starved', station: 'S07', partner: 'P-BATT-01', state: 'starved' };
const breakdown: LossCause = { kind: 'downtime', station: 'S05', state: 'fault', reason: 'spindle overload' };

describe('loss messages', () => {
  it('names every cause kind in both languages', () => {
    for (const kind of LOSS_KINDS) {
      expect(LOSS_CATALOGUES['zh-CN'].kind[kind]).toMatch(/\S/);
      expect(LOSS_CATALOGUES.en.kind[kind]).toMatch(/\S/);
      expect(causeLabel({ kind }, 'zh-CN')).toBe(LOSS_CATALOGUES['zh-CN'].kind[kind]);
      expect(causeOwner({ kind }, 'en')).toMatch(/\S/);
    }
  });

  it('reads a cause the plant way', () => {
    expect(causeLabel(shortage, 'zh-CN')).toBe('缺料 P-BATT-01');
    expect(causeLabel(shortage, 'en')).toBe('shortage P-BATT-01');
    expect(causeLabel(breakdown, 'zh-CN')).toBe('S05 故障');
    expect(causeLabel({ kind: 'starved', station: 'S03', state: 'fault' }, 'en')).toBe('starved by S03');
    expect(causeLabel({ kind: 'blocked', station: 'S09' }, 'zh-CN')).toBe('堵料 S09');
    expect(causeLabel({ kind: 'speed', station: 'S05' }, 'en')).toBe('speed loss S05');
  });

  it('names who owns the top losses', () => {
    expect(causeOwner(breakdown, 'zh-CN')).toBe('S05 维修');
    expect(causeOwner(breakdown, 'en')).toBe('maintenance of S05');
    expect(causeOwner(shortage, 'zh-CN')).toBe('供应商 P-BATT-01');
    expect(causeOwner(shortage, 'en')).toBe('supplier P-BATT-01');
    expect(causeOwner({ kind: 'quality', station: 'S10' }, 'zh-CN')).toBe('质量');
    expect(causeOwner({ kind: 'quality' }, 'en')).toBe('quality');
    // A starvation traced to a station that was down is that station's maintenance; one that merely ran slow is its team's.
    expect(causeOwner({ kind: 'starved', station: 'S03', state: 'fault' }, 'en')).toBe('maintenance of S03');
    expect(causeOwner({ kind: 'starved', station: 'S03', state: 'running' }, 'en')).toBe('team at S03');
    expect(causeOwner({ kind: 'no_data' }, 'zh-CN')).toBe('数据采集（IT）');
  });

  it("writes the wall's largest-loss line in units", () => {
    expect(largestLossLine({ cause: shortage, units: 41.4 }, 'zh-CN')).toBe('缺料 P-BATT-01 −41 台');
    expect(largestLossLine({ cause: shortage, units: 41 }, 'en')).toBe('shortage P-BATT-01 −41 units');
  });

  it('says durations in words', () => {
    expect(formatLossDuration(45, 'zh-CN')).toBe('45 秒');
    expect(formatLossDuration(4920, 'zh-CN')).toBe('1 小时 22 分');
    expect(formatLossDuration(720, 'en')).toBe('12 min');
    expect(formatLossDuration(7200, 'en')).toBe('2 h');
  });
});
