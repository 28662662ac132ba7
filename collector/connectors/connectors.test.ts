import { describe, expect, it } from 'vitest';
import { sourceFileName } from './connectors';

describe('sourceFileName', () => {
  it('keeps an id that is a safe file name, so the store is easy to find', () => {
    expect(sourceFileName('plc-a1-east')).toBe('plc-a1-east');
    expect(sourceFileName('PLC_7.line2')).toBe('PLC_7.line2');
  });

  it('gives ids that are not safe file names a folder of their own, never outside opcua-pki and never shared', () => {
    const names = ['a/b', 'a_b', '../x', '..', 'a b', 'a\\b'].map(sourceFileName);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
    expect(new Set(names).size).toBe(names.length);
  });
});
