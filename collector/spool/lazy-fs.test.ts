import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LazyFs } from './lazy-fs';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taktline-lazy-fs-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('LazyFs', () => {
  it('keeps writes and truncations in memory until datasync, and shows them to reads meanwhile', async () => {
    const fs = new LazyFs();
    const path = join(dir, 'f');
    const file = await fs.open(path, 'create');
    await file.writev([Buffer.from('synced')], 0);
    await file.datasync();
    await file.writev([Buffer.from(' and not')], 6);
    expect(readFileSync(path, 'utf8')).toBe('synced');
    const reader = await fs.open(path, 'read');
    const buf = Buffer.alloc(32);
    const { bytesRead } = await reader.read(buf, 0, 32, 0);
    expect(buf.subarray(0, bytesRead).toString()).toBe('synced and not');
    await file.truncate(3);
    expect(readFileSync(path, 'utf8')).toBe('synced');
    await file.sync();
    expect(readFileSync(path, 'utf8')).toBe('syn');
    await file.close();
    await reader.close();
  });
});
