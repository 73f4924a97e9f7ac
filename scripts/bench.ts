/**
 * `npm run bench [-- --root ../shared/corpus --sources catalog/sources.upstream.yaml] [--index-only]`
 * Prints, for the given sources (default: the upstream snapshot when ../shared/corpus exists):
 * rules per source, index time by phase (load / parse / normalize / aggregate), linearity over
 * corpus fractions, the incremental index cold and warm (one rule file changed), then render,
 * search-index time, pages written and peak memory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { runIndex } from '../src/lib/pipeline/run.js';
import { buildSite } from './site-build.js';
import { summaryLines } from './summary.js';
import { cacheSizeBytes } from '../src/lib/cache/index.js';

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

// Incremental index runs happen in child processes (a real build is a fresh process: cold JIT,
// small heap); a child prints its timings as JSON and exits. See "Incremental index" below.
if (process.env.BENCH_INDEX_CHILD) {
  const job = JSON.parse(process.env.BENCH_INDEX_CHILD) as { dir: string; miss: { source: string; path: string } | null };
  const c0 = process.cpuUsage();
  const miss = job.miss;
  const r = runIndex({ sourcesFile, root, cacheDir: job.dir, ...(miss ? { cacheOptions: { forceMiss: (src, path) => src === miss.source && path === miss.path } } : {}) });
  const c = process.cpuUsage(c0);
  const first = r.index.rules[0];
  const hash = createHash('sha256').update(JSON.stringify(r.index)).digest('hex');
  console.log(JSON.stringify({ timings: r.timings, cache: r.cache, cpu: (c.user + c.system) / 1000, hash, first: first ? { source: first.source, path: first.path } : null }));
  process.exit(0);
}

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

// Incremental index (src/lib/cache), each run in a fresh process: cold = empty cache, filled by
// that run; warm = the cold run's cache with exactly one rule file changed. The change is simulated
// with the cache's `forceMiss` hook: that file misses as if its text had been edited, so it is
// parsed again and its source's cache file rewritten, while every other file is a hit. The cache
// lives in a scratch folder (.cache/bench-index), not in .cache/index.
{
  type Child = { timings: typeof timings; cache: NonNullable<ReturnType<typeof runIndex>['cache']>; cpu: number; hash: string; first: { source: string; path: string } | null };
  const dir = resolve('.cache/bench-index');
  const child = (miss: Child['first']): Child => {
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, BENCH_INDEX_CHILD: JSON.stringify({ dir, miss }) },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench child failed (${r.status}): ${r.stderr}`);
    return JSON.parse(line) as Child;
  };
  rmSync(dir, { recursive: true, force: true });
  const cold = child(null);
  let warm: Child | null = null;
  for (let i = 0; i < runs; i++) {
    const r = child(cold.first);
    if (!warm || r.timings.total < warm.timings.total) warm = r;
  }
  const phases = (t: typeof timings) =>
    `catalog ${s(t.catalog)} + attack ${s(t.attack)} + load ${s(t.load)} + parse ${s(t.parse)} + cache ${s(t.cache)} + normalize ${s(t.normalize)} + aggregate ${s(t.aggregate)}`;
  console.log(`index cold (fresh process, empty cache): total ${s(cold.timings.total)} (CPU ${s(cold.cpu)}) = ${phases(cold.timings)}; ${cold.cache.misses} files parsed`);
  console.log(`index warm (fresh process, one file changed: ${cold.first?.source}/${cold.first?.path}), best of ${runs}: total ${s(warm!.timings.total)} (CPU ${s(warm!.cpu)}) = ${phases(warm!.timings)}; ${warm!.cache.hits} hits, ${warm!.cache.misses} parsed`);
  console.log(`  cache on disk: ${mb(cacheSizeBytes(dir))} in ${dir}; warm output ${warm!.hash === cold.hash ? 'identical to' : 'DIFFERENT from'} cold`);
}

if (!args['index-only']) {
  const res = await buildSite({ sourcesFile, root, outDir: 'dist' });
  console.log(`site: render ${s(res.timings.render)} (${res.pages} pages), api ${s(res.timings.api)} (${res.apiFiles} files), changes + feeds ${s(res.timings.changes)} (${res.feedFiles} files), search index ${s(res.timings.search)} (${res.searchPages} pages)`);
}
const ru = process.resourceUsage();
console.log(`peak memory (max RSS): ${mb(ru.maxRSS * 1024)}`);
