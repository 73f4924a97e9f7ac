/**
 * `npm run bench [-- --root ../shared/corpus --sources catalog/sources.upstream.yaml] [--index-only]`
 * Prints, for the given sources (default: the upstream snapshot when ../shared/corpus exists):
 * rules per source, index time by phase (load / parse / normalize / aggregate), linearity over
 * corpus fractions, the incremental index cold and warm (one rule file changed), then render,
 * search-index time, pages written and peak memory.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { runIndex } from '../src/lib/pipeline/run.js';
import { buildSite } from './site-build.js';
import { summaryLines } from './summary.js';
import { cacheSizeBytes } from '../src/lib/cache/index.js';
import { loadSourcesConfig } from '../src/lib/pipeline/config.js';
import { listSourceFiles } from '../src/lib/pipeline/collect.js';

const { values: args } = parseArgs({
  options: {
    sources: { type: 'string' },
    root: { type: 'string' },
    'index-only': { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
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
  const job = JSON.parse(process.env.BENCH_INDEX_CHILD) as { dir: string | null; root: string | undefined; miss: { source: string; path: string } | null; hash: boolean };
  const c0 = process.cpuUsage();
  const miss = job.miss;
  const r = runIndex({
    sourcesFile,
    root: job.root,
    cacheDir: job.dir,
    ...(miss ? { cacheOptions: { forceMiss: (src, path) => src === miss.source && path === miss.path } } : {}),
  });
  const c = process.cpuUsage(c0);
  const first = r.index.rules.find((x) => x.source === 'sigma') ?? r.index.rules[0];
  // Hashing serializes every record (decoding the lazy ones): after the timing, and only when asked.
  const hash = job.hash ? createHash('sha256').update(JSON.stringify(r.index)).digest('hex') : null;
  console.log(
    JSON.stringify({
      timings: r.timings,
      cache: r.cache,
      incremental: r.incremental,
      cpu: (c.user + c.system) / 1000,
      hash,
      first: first ? { source: first.source, path: first.path } : null,
    }),
  );
  process.exit(0);
}

console.log(`bench: ${sourcesFile}${root ? ` --root ${root}` : ''} (node ${process.version})`);

// Index: N runs in this process. The first pays for the JIT warming up and the file cache filling
// (as a one-off `npm run index` does); the best of the others is the steady figure, their median
// shows the noise of the machine.
let best: ReturnType<typeof runIndex> | null = null;
const totals: number[] = [];
for (let i = 0; i < runs; i++) {
  const r = runIndex({ sourcesFile, root });
  totals.push(r.timings.total);
  if (!best || r.timings.total < best.timings.total) best = r;
}
const { index, timings } = best!;
for (const l of summaryLines(index)) console.log('  ' + l);
const later = totals.slice(1).sort((a, b) => a - b);
console.log(
  `index (best of ${runs}): total ${s(timings.total)} = catalog ${s(timings.catalog)} + attack ${s(timings.attack)} + load ${s(timings.load)} + parse ${s(timings.parse)} + normalize ${s(timings.normalize)} + aggregate ${s(timings.aggregate)}`,
);
console.log(`  first run (cold JIT) ${s(totals[0]!)}${later.length ? `; runs 2-${runs}: median ${s(later[(later.length - 1) >> 1]!)}` : ''}`);
const rules = index.rules.length;
console.log(
  `  ${rules} rules, ${index.techniques.length} techniques, ${index.events.length} events, ${index.fields.length} fields; ${(((timings.load + timings.parse + timings.normalize + timings.aggregate) / rules) * 1000).toFixed(0)} µs per rule`,
);

// Linearity: index fixed fractions of the files (chosen by a hash of the path, so stable).
const frac = (p: number) => (src: string, path: string) =>
  createHash('sha1')
    .update(src + '/' + path)
    .digest()[0]! <
  256 * p;
for (const p of [0.25, 0.5, 1]) {
  let bestMs = Infinity;
  let n = 0;
  for (let i = 0; i < runs; i++) {
    const r = runIndex({ sourcesFile, root, collect: { filter: frac(p) } });
    const ms = r.timings.load + r.timings.parse + r.timings.normalize + r.timings.aggregate;
    if (ms < bestMs) bestMs = ms;
    n = r.index.rules.length;
  }
  console.log(
    `  linearity: ${String(Math.round(p * 100)).padStart(3)} % of files -> ${String(n).padStart(5)} rules in ${s(bestMs)} (${((bestMs / Math.max(1, n)) * 1000).toFixed(0)} µs/rule)`,
  );
}

// Incremental index (src/lib/incremental), each run in a fresh process on a scratch copy of the
// sources (.cache/bench-corpus), so that a rule can really be edited: cold = no state yet (a full
// run that writes it); warm = from the previous run's state with nothing changed, with one rule
// file touched (read and parsed again as if edited, same text), and with one rule really edited
// (a value changed, so indicator reach moves). The edited run's index is compared with a run
// without any cache on the same files.
{
  type Child = {
    timings: typeof timings;
    incremental: NonNullable<ReturnType<typeof runIndex>['incremental']>;
    cpu: number;
    hash: string | null;
    first: { source: string; path: string } | null;
  };
  const dir = resolve('.cache/bench-index');
  const copy = resolve('.cache/bench-corpus');
  const cfg = loadSourcesConfig(sourcesFile, root);
  rmSync(copy, { recursive: true, force: true });
  for (const src of cfg.file.sources) cpSync(resolve(cfg.root, src.dir), join(copy, src.dir), { recursive: true });
  for (const b of [cfg.file.attack.bundle].flat()) if (existsSync(resolve(cfg.root, b))) cpSync(resolve(cfg.root, b), join(copy, b));
  const child = (cacheDir: string | null, miss: Child['first'], hash = false): Child => {
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, BENCH_INDEX_CHILD: JSON.stringify({ dir: cacheDir, root: copy, miss, hash }) },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || !line.startsWith('{')) throw new Error(`bench child failed (${r.status}): ${r.stderr}`);
    return JSON.parse(line) as Child;
  };
  const best = (f: (i: number) => Child): Child => {
    let b: Child | null = null;
    for (let i = 0; i < runs; i++) {
      const r = f(i);
      if (!b || r.timings.total < b.timings.total) b = r;
    }
    return b!;
  };
  const phases = (t: typeof timings) =>
    `catalog ${s(t.catalog)} + attack ${s(t.attack)} + load ${s(t.load)} + parse ${s(t.parse)} + normalize ${s(t.normalize)} + aggregate ${s(t.aggregate)} + state ${s(t.cache)}`;
  const how = (c: Child) =>
    c.incremental.mode === 'warm'
      ? `warm: ${c.incremental.stats.parsed} parsed, ${c.incremental.stats.statChanged} stat changes, ${c.incremental.stats.techniquesRecomputed} techniques + ${c.incremental.stats.eventsRecomputed} events recomputed, ${mb(c.incremental.stats.bytesWritten)} written`
      : `full (${c.incremental.reason}), state ${mb(c.incremental.stateBytes)}`;
  rmSync(dir, { recursive: true, force: true });
  const cold = child(dir, null);
  console.log(`index cold (fresh process, no state): total ${s(cold.timings.total)} (CPU ${s(cold.cpu)}) = ${phases(cold.timings)}; ${how(cold)}`);
  const still = best(() => child(dir, null));
  console.log(`index warm, nothing changed (fresh process, best of ${runs}): total ${s(still.timings.total)} (CPU ${s(still.cpu)}) = ${phases(still.timings)}; ${how(still)}`);
  const touched = best(() => child(dir, cold.first));
  console.log(
    `index warm, one rule file touched (${cold.first?.source}/${cold.first?.path}, parsed again), best of ${runs}: total ${s(touched.timings.total)} (CPU ${s(touched.cpu)}) = ${phases(touched.timings)}; ${how(touched)}`,
  );
  // A real edit: the first Sigma rule with a quoted list value gets a new value each run.
  const sigma = cfg.file.sources.find((x) => x.format === 'sigma');
  const target = sigma ? findEditable(join(copy, sigma.dir), listSourceFiles(join(copy, sigma.dir), sigma)) : null;
  if (target) {
    const original = readFileSync(target.file, 'utf8');
    let last: Child | null = null;
    const edited = best((i) => {
      writeFileSync(target.file, original.replace(target.line, target.line.replace(/'\s*$/, `-bench${i}'`)));
      return (last = child(dir, null, i === runs - 1));
    });
    const clean = child(null, null, true);
    console.log(
      `index warm, one rule edited (${target.file.slice(copy.length + 1)}: a value changed), best of ${runs}: total ${s(edited.timings.total)} (CPU ${s(edited.cpu)}) = ${phases(edited.timings)}; ${how(edited)}`,
    );
    console.log(
      `  edited run's index ${last!.hash === clean.hash ? 'identical to' : 'DIFFERENT from'} a run without cache on the same files; state on disk: ${mb(cacheSizeBytes(dir))} in ${dir}`,
    );
  }
}

/** A rule file with a detection value written as a quoted list item, and that line. */
function findEditable(dir: string, files: string[]): { file: string; line: string } | null {
  for (const f of files) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    const from = lines.findIndex((l) => /^detection:/.test(l));
    const line = from < 0 ? undefined : lines.slice(from).find((l) => /^\s+- '[^']+'\s*$/.test(l));
    if (line && !lines.some((l) => /^status: (deprecated|unsupported)/.test(l))) return { file: join(dir, f), line };
  }
  return null;
}

if (!args['index-only']) {
  const res = await buildSite({ sourcesFile, root, outDir: 'dist' });
  console.log(
    `site: render ${s(res.timings.render)} (${res.pages} pages), api ${s(res.timings.api)} (${res.apiFiles} files), changes + feeds ${s(res.timings.changes)} (${res.feedFiles} files), search index ${s(res.timings.search)} (${res.searchPages} pages)`,
  );
}
const ru = process.resourceUsage();
console.log(`peak memory (max RSS): ${mb(ru.maxRSS * 1024)}`);
