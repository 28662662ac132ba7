import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CounterMarkFile, type CounterMark } from './counter-marks';

const dir = mkdtempSync(join(tmpdir(), 'taktline-marks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mark = (value: number): CounterMark => ({ line: 'A1', station: 'S01', address: 'ns=1;s=A1.S01.CycleCounter', value, ts: 1_800_000_000_000 + value });

describe('CounterMarkFile', () => {
  it('reads back the newest marks saved, after coalescing writes made while one was on its way', async () => {
    const path = join(dir, 'sub', 'plc.json');
    const logs: string[] = [];
    const file = new CounterMarkFile(path, 'opcua:plc', (m) => logs.push(m));
    expect(file.load()).toEqual([]); // none yet: not an error
    for (let v = 1; v <= 50; v += 1) file.save([mark(v)]);
    await file.flush();
    expect(new CounterMarkFile(path, 'opcua:plc', (m) => logs.push(m)).load()).toEqual([mark(50)]);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['plc.json']); // no temp file left
    expect(logs).toEqual([]);
  });

  it('puts aside a damaged file or another source\'s, with the reason, and starts from no marks', () => {
    const logs: string[] = [];
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{"version":1,"source":"opcua:plc","marks":[{"line":"A1"');
    expect(new CounterMarkFile(damaged, 'opcua:plc', (m) => logs.push(m)).load()).toEqual([]);
    expect(existsSync(damaged)).toBe(false);
    expect(logs[0]).toMatch(/put aside as damaged\.json\.broken-\d+ \(not JSON/);

    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ version: 1, source: 'opcua:plc2', marks: [mark(3)] }));
    expect(new CounterMarkFile(other, 'opcua:plc', (m) => logs.push(m)).load()).toEqual([]);
    expect(logs[1]).toMatch(/source 'opcua:plc2's, not 'opcua:plc's/);

    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ version: 1, source: 'opcua:plc', marks: [{ ...mark(3), value: 1.5 }] }));
    expect(new CounterMarkFile(wrong, 'opcua:plc', (m) => logs.push(m)).load()).toEqual([]);
    expect(logs[2]).toMatch(/put aside/);
  });

  it('logs a failed save and keeps the older marks on disk', async () => {
    const path = join(dir, 'kept.json');
    const logs: string[] = [];
    const file = new CounterMarkFile(path, 'opcua:plc', (m) => logs.push(m));
    file.save([mark(1)]);
    await file.flush();
    // A directory where the temp file goes: the next write fails (root ignores permissions, not this).
    mkdirSync(`${path}.tmp`);
    file.save([mark(2)]);
    await file.flush();
    expect(logs.some((m) => m.startsWith('cannot save the counter marks'))).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).marks).toEqual([mark(1)]);
    // Once writable again, the next save lands.
    rmSync(`${path}.tmp`, { recursive: true });
    file.save([mark(3)]);
    await file.flush();
    expect(JSON.parse(readFileSync(path, 'utf8')).marks).toEqual([mark(3)]);
  });
});
