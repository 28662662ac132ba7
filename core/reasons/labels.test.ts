import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from './config';
import { labelReason } from './labels';

describe('labelReason', () => {
  const partnerOf = (r: string) => /parts from (\S+)/.exec(r)?.[1] ?? null;
  it('labels a station-sent reason from the reason tree in both languages, and leaves unknown text as sent', () => {
    expect(labelReason('breakdown', DEFAULT_REASONS, partnerOf)?.label).toEqual({ zh: '设备故障', en: 'Breakdown' });
    expect(labelReason('breakdown, waiting for a repair crew', DEFAULT_REASONS, partnerOf)?.code).toBe('breakdown');
    expect(labelReason('changeover M1 to M2', DEFAULT_REASONS, partnerOf)?.label.zh).toBe('换型');
    expect(labelReason('waiting for parts from P-BATT-01', DEFAULT_REASONS, partnerOf)).toMatchObject({ code: 'parts_shortage', label: { zh: '缺料 P-BATT-01', en: 'Parts shortage P-BATT-01' } });
    expect(labelReason('breakdowns everywhere', DEFAULT_REASONS, partnerOf)).toBeNull();
    expect(labelReason('gremlins', DEFAULT_REASONS, partnerOf)).toBeNull();
  });
});
