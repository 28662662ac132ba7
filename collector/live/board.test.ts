import { describe, expect, it } from 'vitest';
import { referencePlant } from '../../core/plant';
import { LineBoard } from './board';

describe('LineBoard', () => {
  it('labels the stop reasons it shows from the plant’s reason tree, and leaves text the tree does not know as sent', () => {
    const now = Date.UTC(2026, 11, 1, 2, 0); // 10:00 in Shanghai, inside the early shift
    const board = new LineBoard(referencePlant(), { now: () => now, rate: 1, mode: 'wall' });
    board.apply(
      [
        { type: 'state', ts: now - 600_000, line: 'A1', station: 'S06', state: 'fault', reason: 'breakdown' },
        { type: 'state', ts: now - 300_000, line: 'A1', station: 'S07', state: 'starved', reason: 'waiting for parts from P-BATT-01' },
        { type: 'state', ts: now - 200_000, line: 'A1', station: 'S12', state: 'maintenance', reason: 'gremlins' },
      ],
      now,
    );
    const live = board.view('A1');
    expect(live?.shift?.topDowntime[0]).toMatchObject({ station: 'S06', reason: 'breakdown' });
    expect(live?.reasonLabels).toEqual([
      { reason: 'breakdown', code: 'breakdown', label: { zh: '设备故障', en: 'Breakdown' } },
      { reason: 'waiting for parts from P-BATT-01', code: 'parts_shortage', label: { zh: '缺料 P-BATT-01', en: 'Parts shortage P-BATT-01' } },
    ]);
  });
});
