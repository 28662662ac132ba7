import { describe, expect, it } from 'vitest';
import { seededRandom } from '../test/support/seeded-random';
import { CrashFs, SimulatedCrashError } from './crash-fs';

const text = (b: Buffer | null) => (b === null ? null : b.toString());

async function setUp(seed = 1) {
  const fs = new CrashFs({ random: seededRandom(seed) });
  await fs.mkdir('/d');
  const file = await fs.open('/d/f', 'create');
  await fs.syncDir('/d');
  return { fs, file };
}

describe('CrashFs', () => {
  it('loses every byte not yet synced, and keeps what was', async () => {
    const { fs, file } = await setUp();
    await file.writev([Buffer.from('durable')], 0);
    await file.datasync();
    await file.writev([Buffer.from(' and not')], 7);
    fs.restart('lose');
    const again = await fs.open('/d/f', 'read');
    const buf = Buffer.alloc(32);
    const { bytesRead } = await again.read(buf, 0, 32, 0);
    expect(buf.subarray(0, bytesRead).toString()).toBe('durable');
  });

  it('loses a new name until its directory is synced', async () => {
    const { fs } = await setUp();
    const other = await fs.open('/d/g', 'create');
    await other.writev([Buffer.from('data')], 0);
    await other.sync();
    fs.restart('lose');
    expect(await fs.readdir('/d')).toEqual(['f']);
  });

  it('tears the next unsynced write at a random length in a torn crash', async () => {
    const lengths = new Set<number>();
    for (let seed = 1; seed <= 40; seed += 1) {
      const { fs, file } = await setUp(seed);
      await file.writev([Buffer.from('0123456789')], 0);
      fs.restart('torn');
      lengths.add(fs.diskImage('/d/f')!.length);
      expect('0123456789'.startsWith(text(fs.diskImage('/d/f'))!)).toBe(true);
    }
    expect(lengths.size).toBeGreaterThan(5);
  });

  it('answers a short write when the disk fills and ENOSPC when nothing fits', async () => {
    const { fs, file } = await setUp();
    fs.capacityBytes = 4;
    expect(await file.writev([Buffer.from('abcdef')], 0)).toEqual({ bytesWritten: 4 });
    await expect(file.writev([Buffer.from('gh')], 4)).rejects.toMatchObject({ code: 'ENOSPC' });
    // Overwriting needs no room.
    expect(await file.writev([Buffer.from('AB')], 0)).toEqual({ bytesWritten: 2 });
  });

  it('crashes at a chosen operation and fails every later call until restart', async () => {
    const { fs, file } = await setUp();
    fs.crashAtOperation(fs.operations + 2);
    await file.writev([Buffer.from('a')], 0);
    await expect(file.datasync()).rejects.toBeInstanceOf(SimulatedCrashError);
    await expect(fs.readdir('/d')).rejects.toBeInstanceOf(SimulatedCrashError);
    fs.restart('lose');
    expect(fs.diskImage('/d/f')?.length).toBe(0);
    // Handles from before the crash stay dead.
    await expect(file.stat()).rejects.toBeInstanceOf(SimulatedCrashError);
  });

  it('fails the operation the injector chooses', async () => {
    const { fs, file } = await setUp();
    fs.injectFaults((op) => (op === 'datasync' ? 'EIO' : null));
    await file.writev([Buffer.from('a')], 0);
    await expect(file.datasync()).rejects.toMatchObject({ code: 'EIO' });
  });

  it('makes a rename durable only with its directory, and atomically', async () => {
    const { fs, file } = await setUp();
    await file.writev([Buffer.from('old')], 0);
    await file.sync();
    const tmp = await fs.open('/d/f.tmp', 'create');
    await tmp.writev([Buffer.from('new')], 0);
    await tmp.sync();
    await fs.rename('/d/f.tmp', '/d/f');
    fs.restart('lose');
    expect(text(fs.diskImage('/d/f'))).toBe('old');
    const again = await fs.open('/d/f.tmp', 'create');
    await again.writev([Buffer.from('new')], 0);
    await again.sync();
    await fs.rename('/d/f.tmp', '/d/f');
    await fs.syncDir('/d');
    fs.restart('lose');
    expect(text(fs.diskImage('/d/f'))).toBe('new');
  });
});
