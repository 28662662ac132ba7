import { describe, expect, it } from 'vitest';
import { fromLocalInput, pastPeriod, pastPeriodOf, rangeFromSearch, searchWithRange, toLocalInput } from './range-input';

describe('custom range inputs on the line clock', () => {
  it("reads a datetime-local value in the line's zone, not the browser's", () => {
    expect(fromLocalInput('2027-03-01T06:00', 'Asia/Shanghai')).toBe(Date.parse('2027-03-01T06:00:00+08:00'));
    expect(fromLocalInput('2027-03-28T02:30', 'Europe/Berlin')).toBe(Date.parse('2027-03-28T03:30:00+02:00')); // in the DST gap
    expect(toLocalInput(Date.parse('2027-03-01T14:00:00+08:00'), 'Asia/Shanghai')).toBe('2027-03-01T14:00');
  });
  it('rejects what is not a local date and time', () => {
    expect(fromLocalInput('', 'Asia/Shanghai')).toBeNull();
    expect(fromLocalInput('2027-03-01 06:00', 'Asia/Shanghai')).toBeNull();
    expect(fromLocalInput('2027-03-01T24:00', 'Asia/Shanghai')).toBeNull();
  });
});

describe('the range in the page URL', () => {
  it('reads a calendar range or from/to, and ignores nonsense', () => {
    expect(rangeFromSearch('?line=A1&range=week:previous')).toEqual({ kind: 'calendar', range: 'week:previous' });
    expect(rangeFromSearch('?from=1000&to=2000')).toEqual({ kind: 'custom', from: 1000, to: 2000 });
    expect(rangeFromSearch('?range=month:current')).toBeNull();
    expect(rangeFromSearch('?from=2000&to=1000')).toBeNull();
    expect(rangeFromSearch('?line=A1')).toBeNull();
  });
  it('writes it back, keeping the line and language', () => {
    expect(searchWithRange('?line=A1&lang=en&range=day:today', { kind: 'custom', from: 1000, to: 2000.6 })).toBe('?line=A1&lang=en&from=1000&to=2001');
    expect(searchWithRange('?line=A1&from=1&to=2', { kind: 'calendar', range: 'shift:previous' })).toBe('?line=A1&range=shift%3Aprevious');
  });
});

describe('last month, last quarter and the last twelve months on the line clock', () => {
  // 2027-01-15 10:00 in Shanghai: the periods reach back across the year's edge.
  const now = Date.parse('2027-01-15T10:00:00+08:00');
  it('are whole months from local midnight', () => {
    expect(pastPeriod('month', now, 'Asia/Shanghai')).toEqual({ from: Date.parse('2026-12-01T00:00:00+08:00'), to: Date.parse('2027-01-01T00:00:00+08:00') });
    expect(pastPeriod('quarter', now, 'Asia/Shanghai')).toEqual({ from: Date.parse('2026-10-01T00:00:00+08:00'), to: Date.parse('2027-01-01T00:00:00+08:00') });
    expect(pastPeriod('year', now, 'Asia/Shanghai')).toEqual({ from: Date.parse('2026-01-01T00:00:00+08:00'), to: Date.parse('2027-01-01T00:00:00+08:00') });
  });
  it('follow the line clock, not UTC, and its summer time', () => {
    // 31 March 23:30 UTC is already April in Berlin: last month is March there, from CET midnight to CEST midnight.
    const berlin = pastPeriod('month', Date.parse('2027-03-31T23:30:00Z'), 'Europe/Berlin');
    expect(berlin).toEqual({ from: Date.parse('2027-03-01T00:00:00+01:00'), to: Date.parse('2027-04-01T00:00:00+02:00') });
  });
  it('a custom selection that is exactly one of them is named as it', () => {
    const span = pastPeriod('quarter', now, 'Asia/Shanghai');
    expect(pastPeriodOf({ kind: 'custom', ...span }, now, 'Asia/Shanghai')).toBe('quarter');
    expect(pastPeriodOf({ kind: 'custom', from: span.from, to: span.to - 1 }, now, 'Asia/Shanghai')).toBeNull();
    expect(pastPeriodOf({ kind: 'calendar', range: 'week:previous' }, now, 'Asia/Shanghai')).toBeNull();
  });
});
