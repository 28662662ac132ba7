import { describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { eventToPoint, pointTimestampNs } from './points';

const TS = 1_803_859_200_000;
const line = (event: StationEvent) => eventToPoint(event).toLineProtocol() ?? '';

describe('eventToPoint', () => {
  it('writes line and station as tags and everything unbounded as fields', () => {
    const lp = line({ type: 'cycle', ts: TS, line: 'A1', station: 'S03', cycleTime: 118.5, unit: 'LSV123', result: 'ok' });
    expect(lp).toMatch(/^cycle,line=A1,station=S03 cycleTime=118.5,result="ok",unit="LSV123" 1803859200000\d{6}$/);
  });

  it('escapes free text so it cannot break line protocol', () => {
    const lp = line({ type: 'state', ts: TS, line: 'A1', station: 'S01', state: 'fault', reason: 'E-stop "pressed"\\ x=1,y' });
    expect(lp).toContain('reason="E-stop \\"pressed\\"\\\\ x=1,y"');
    expect(lp.split(' ')[0]).toBe('state,line=A1,station=S01');
  });

  it('counts good units with an integer field', () => {
    expect(line({ type: 'unit', ts: TS, line: 'A1', unit: 'V1', result: 'nok' })).toContain('good=0i');
    expect(line({ type: 'unit', ts: TS, line: 'A1', unit: 'V2' })).toContain('good=1i');
  });
});

describe('pointTimestampNs', () => {
  it('gives a replay of the same event the same nanosecond', () => {
    const a: StationEvent = { type: 'unit', ts: TS, line: 'A1', unit: 'V1' };
    expect(pointTimestampNs(a)).toBe(pointTimestampNs({ ...a }));
    expect(pointTimestampNs(a).slice(0, 13)).toBe(String(TS));
  });

  it('gives a repeat sent once with an id and once without the same nanosecond, so it is one point', () => {
    const unit: StationEvent = { type: 'unit', ts: TS, line: 'A1', unit: 'V1' };
    expect(pointTimestampNs({ ...unit, id: 'st-1' })).toBe(pointTimestampNs(unit));
    const cycle: StationEvent = { type: 'cycle', ts: TS, line: 'A1', station: 'S01', cycleTime: 100 };
    expect(pointTimestampNs({ ...cycle, id: 'st-2' })).toBe(pointTimestampNs(cycle));
    const orders: StationEvent = { type: 'orders', ts: TS, total: 5 };
    expect(pointTimestampNs({ ...orders, id: 'erp-1' })).toBe(pointTimestampNs(orders));
  });

  it('keeps two different events of the same millisecond apart', () => {
    const a = pointTimestampNs({ type: 'unit', ts: TS, line: 'A1', unit: 'V1' });
    const b = pointTimestampNs({ type: 'unit', ts: TS, line: 'A1', unit: 'V2' });
    expect(a).not.toBe(b);
  });
});
