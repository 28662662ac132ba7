import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_NODE_FLAGS } from './node-flags';

describe("the collector's Node flags", () => {
  it('are on every command that starts the collector: npm run collector, the demo, bench/ingest', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(COLLECTOR_NODE_FLAGS.length).toBeGreaterThan(0);
    for (const flag of COLLECTOR_NODE_FLAGS) expect(pkg.scripts.collector?.split(' ')).toContain(flag);
    // The demo and the bench take them from here, not a copy of their own.
    const demo = readFileSync(new URL('../scripts/demo.ts', import.meta.url), 'utf8');
    expect(demo).toMatch(/run\(\s*'collector',[\s\S]*?COLLECTOR_NODE_FLAGS,?\s*\)/);
    const bench = readFileSync(new URL('../bench/ingest.ts', import.meta.url), 'utf8');
    expect(bench).toMatch(/COLLECTOR_NODE_FLAGS/);
  });
});
