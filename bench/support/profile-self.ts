/**
 * Self and total time per function of a V8 .cpuprofile (what bench/history
 * --profile writes): `npx tsx bench/support/profile-self.ts FILE [N] [PATTERN]`
 * prints the N (30) functions with the most self time, and with PATTERN (a
 * regular expression over `function file:line`) the self and total time of
 * every function it matches.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, n = '30', pattern] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-self.ts FILE [N] [PATTERN]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const name = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(collector|core|bench|node_modules)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
profile.samples.forEach((id, i) => {
  const ms = (profile.timeDeltas[i] ?? 0) / 1000;
  all += ms;
  const node = byId.get(id);
  if (!node) return;
  self.set(name(node), (self.get(name(node)) ?? 0) + ms);
  // Total: once per function on the sample's stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const k = name(byId.get(at) as ProfileNode);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + ms);
  }
});
console.log(`${file}: ${(all / 1000).toFixed(1)} s sampled`);
for (const [k, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${(ms / 1000).toFixed(2).padStart(8)} s self  ${((100 * ms) / all).toFixed(1).padStart(5)} %  ${k}`);
if (pattern) {
  const re = new RegExp(pattern);
  console.log(`\nmatching /${pattern}/:`);
  for (const [k, ms] of [...total.entries()].filter(([k]) => re.test(k)).sort((a, b) => b[1] - a[1])) {
    console.log(`${((self.get(k) ?? 0) / 1000).toFixed(2).padStart(8)} s self ${(ms / 1000).toFixed(2).padStart(8)} s total  ${((100 * ms) / all).toFixed(1).padStart(5)} %  ${k}`);
  }
}
