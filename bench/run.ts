/**
 * `npm run bench -- <name>` runs bench/<name>.ts, which prints its figures
 * (each against a baseline measured in the same run) with the summary last.
 * Without a name it lists the benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const [name, ...rest] = process.argv.slice(2);

if (!name) {
  console.log(`usage: npm run bench -- <name> [options]\nbenchmarks: ${available.join(', ') || '(none yet)'}`);
  process.exit(0);
}
if (!/^[\w-]+$/.test(name) || !existsSync(join(here, `${name}.ts`))) {
  console.error(`unknown benchmark '${name}'; available: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`), ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
