/**
 * `npm run bench [-- --root ../shared/corpus --sources catalog/sources.upstream.yaml] [--index-only]`
 * Prints, for the given sources (default: the upstream snapshot when ../shared/corpus exists):
 * rules per source, index time by phase (load / parse / normalize / aggregate), linearity over
 * corpus fractions, then render, search-index time, pages written and peak memory.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { runIndex } from '../src/lib/pipeline/run.js';
import { buildSite } from './site-build.js';
import { summaryLines } from './summary.js';

const { values: args } = parseArgs({
  options: {
    sources: { type: 'string' },
    root: { type: 'string' },
    'index-only': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
  },
});
const snapshot = existsSync('../shared/corpus/sigma');
const sourcesFile = args.sources ?? (snapshot ? 'catalog/sources.upstream.yaml' : 'catalog/sources.yaml');
const root = args.root ?? (snapshot && !args.sources ? '../shared/corpus' : undefined);
const runs = Math.max(1, Number(args.runs));
const s = (ms: number) => (ms / 1000).toFixed(2) + ' s';
const mb = (b: number) => (b / 1024 / 1024).toFixed(0) + ' MB';

console.log(`bench: ${sourcesFile}${root ? ` --root ${root}` : ''} (node ${process.version})`);

// Index: best of N runs (the first warms the JIT and the file cache).
let best: ReturnType<typeof runIndex> | null = null;
for (let i = 0; i < runs; i++) {
  const r = runIndex({ sourcesFile, root });
  if (!best || r.timings.total < best.timings.total) best = r;
}
const { index, timings } = best!;
for (const l of summaryLines(index)) console.log('  ' + l);
console.log(`index (best of ${runs}): total ${s(timings.total)} = catalog ${s(timings.catalog)} + attack ${s(timings.attack)} + load ${s(timings.load)} + parse ${s(timings.parse)} + normalize ${s(timings.normalize)} + aggregate ${s(timings.aggregate)}`);
const rules = index.rules.length;
console.log(`  ${rules} rules, ${index.techniques.length} techniques, ${index.events.length} events, ${index.fields.length} fields; ${((timings.load + timings.parse + timings.normalize + timings.aggregate) / rules * 1000).toFixed(0)} µs per rule`);

// Linearity: index fixed fractions of the files (chosen by a hash of the path, so stable).
const frac = (p: number) => (src: string, path: string) => createHash('sha1').update(src + '/' + path).digest()[0]! < 256 * p;
for (const p of [0.25, 0.5, 1]) {
  let bestMs = Infinity;
  let n = 0;
  for (let i = 0; i < runs; i++) {
    const r = runIndex({ sourcesFile, root, collect: { filter: frac(p) } });
    const ms = r.timings.load + r.timings.parse + r.timings.normalize + r.timings.aggregate;
    if (ms < bestMs) bestMs = ms;
    n = r.index.rules.length;
  }
  console.log(`  linearity: ${String(Math.round(p * 100)).padStart(3)} % of files -> ${String(n).padStart(5)} rules in ${s(bestMs)} (${(bestMs / Math.max(1, n) * 1000).toFixed(0)} µs/rule)`);
}
if (!args['index-only']) {
  const res = await buildSite({ sourcesFile, root, outDir: 'dist' });
  console.log(`site: render ${s(res.timings.render)} (${res.pages} pages), api ${s(res.timings.api)} (${res.apiFiles} files), search index ${s(res.timings.search)} (${res.searchPages} pages)`);
}
const ru = process.resourceUsage();
console.log(`peak memory (max RSS): ${mb(ru.maxRSS * 1024)}`);
