/** `npm run index -- --sources FILE --root DIR --out DIR`: write only the JSON index (the site's api/). */
import { resolve } from 'node:path';
import { cacheDirOf, indexArgs } from './cli-args.js';
import { runIndex } from '../src/lib/pipeline/run.js';
import { writeApi } from '../src/lib/pipeline/write-api.js';
import { CatalogError } from '../src/lib/catalog/load.js';
import { formatDiagnostic } from '../src/lib/diagnostics/format.js';
import { indexModeNote, summaryLines } from './summary.js';

const args = indexArgs();
if (args.help) {
  console.log('usage: npm run index -- [--sources catalog/sources.yaml] [--root DIR] [--catalog catalog] [--lock FILE] [--no-cache] [--cache-dir .cache/index] --out DIR');
  process.exit(0);
}
try {
  const run = runIndex({ sourcesFile: args.sources!, root: args.root, catalogDir: args.catalog, lockFile: args.lock, cacheDir: cacheDirOf(args) });
  const { index, timings } = run;
  const t = performance.now();
  const out = resolve(args.out ?? 'dist/api');
  const files = writeApi(index, out);
  for (const l of summaryLines(index)) console.log(l);
  console.log(`index: ${(timings.total / 1000).toFixed(2)} s (${indexModeNote(run)}); ${files} JSON files written to ${out} in ${((performance.now() - t) / 1000).toFixed(2)} s`);
} catch (e) {
  if (e instanceof CatalogError) {
    for (const d of e.diagnostics) console.error(formatDiagnostic(d));
    console.error('error: our catalog has errors; fix them (the build stops on catalog errors)');
    process.exit(2);
  }
  throw e;
}
