/**
 * What one `fdatasync` costs on the spool's disk for an append that grows its
 * file (as the spool's segments grow today: each sync also commits the new
 * size, metadata, through ext4's journal) against an overwrite inside a file
 * preallocated with zeros actually written and synced beforehand (the size and
 * the extents are already on disk: the sync flushes data only).
 *
 * The two alternate in rounds (grow, overwrite, grow, …) in the same run, on
 * the same disk, each round a fresh file of `--appends` writes of `--kib` KiB,
 * each followed by `fdatasync`; it prints the mean and the percentiles per
 * sync of each round and the ratio of the means.
 *
 * Usage: npx tsx bench/fdatasync.ts [--appends 1000] [--kib 200] [--rounds 3] [--dir DIR] [--noise]
 *
 * `--noise` runs, during every round, a second writer beside it that appends
 * 64 KiB to its own growing file and fdatasyncs, again and again, as influxd's
 * WAL does while bench/ingest's collector phase runs: on ext4 a sync that
 * must commit metadata waits for the journal commit that carries the other
 * writer's too.
 *
 * `--dir` is where the files go (default: the OS temp dir, where bench/ingest
 * puts its spool).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intOption } from './support/args';

const APPENDS = intOption('appends', 1000);
const KIB = intOption('kib', 200);
const ROUNDS = intOption('rounds', 3);
const dirArg = process.argv.indexOf('--dir');
const baseDir = dirArg >= 0 ? String(process.argv[dirArg + 1]) : tmpdir();
const NOISE = process.argv.includes('--noise');

/** Appends and fdatasyncs in its own growing file until `stop.done`; returns how many syncs it did. */
async function noise(dir: string, stop: { done: boolean }): Promise<number> {
  const path = join(dir, 'noise.wal');
  const chunk = Buffer.alloc(64 * 1024, 0x62);
  const handle = await open(path, 'w+');
  let syncs = 0;
  try {
    for (let at = 0; !stop.done; at += chunk.length) {
      await handle.write(chunk, 0, chunk.length, at);
      await handle.datasync();
      syncs += 1;
    }
  } finally {
    await handle.close();
    rmSync(path, { force: true });
  }
  return syncs;
}

type Mode = 'grow' | 'overwrite';

interface Round {
  mode: Mode;
  /** ms per fdatasync */
  syncs: number[];
}

async function runRound(dir: string, mode: Mode): Promise<Round> {
  const path = join(dir, `${mode}.seg`);
  const chunk = Buffer.alloc(KIB * 1024, 0x61);
  const handle = await open(path, 'w+');
  try {
    if (mode === 'overwrite') {
      // Zeros written and synced, as a preallocated segment would be before any append uses it.
      const zeros = Buffer.alloc(4 * 1024 * 1024);
      const total = APPENDS * chunk.length;
      for (let at = 0; at < total; at += zeros.length) await handle.write(zeros, 0, Math.min(zeros.length, total - at), at);
      await handle.sync();
    }
    const syncs: number[] = [];
    for (let i = 0; i < APPENDS; i += 1) {
      await handle.write(chunk, 0, chunk.length, i * chunk.length);
      const started = performance.now();
      await handle.datasync();
      syncs.push(performance.now() - started);
    }
    return { mode, syncs };
  } finally {
    await handle.close();
    rmSync(path, { force: true });
  }
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: readonly number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

const dir = mkdtempSync(join(baseDir, 'taktline-fdatasync-'));
try {
  console.log(`fdatasync after each of ${APPENDS} writes of ${KIB} KiB, ${ROUNDS} rounds alternating, in ${dir}${NOISE ? ', a growing writer beside it' : ''}`);
  const means: Record<Mode, number[]> = { grow: [], overwrite: [] };
  for (let r = 1; r <= ROUNDS; r += 1) {
    for (const mode of ['grow', 'overwrite'] as const) {
      const stop = { done: false };
      const beside = NOISE ? noise(dir, stop) : Promise.resolve(0);
      const round = await runRound(dir, mode);
      stop.done = true;
      const noiseSyncs = await beside;
      means[mode].push(mean(round.syncs));
      console.log(
        `  round ${r} ${mode.padEnd(9)}: mean ${mean(round.syncs).toFixed(2)} ms, p50 ${quantile(round.syncs, 0.5).toFixed(2)}, p90 ${quantile(round.syncs, 0.9).toFixed(2)}, p99 ${quantile(round.syncs, 0.99).toFixed(2)} ms per fdatasync` +
          (NOISE ? `; the writer beside it did ${noiseSyncs} syncs` : ''),
      );
    }
  }
  const grow = mean(means.grow);
  const overwrite = mean(means.overwrite);
  console.log(`mean of rounds: grow ${grow.toFixed(2)} ms, overwrite ${overwrite.toFixed(2)} ms per fdatasync; overwrite / grow = ${(overwrite / grow).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
