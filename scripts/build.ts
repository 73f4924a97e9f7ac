/** `npm run build -- [--sources FILE] [--root DIR]`: the whole static site into dist/. */
import { cacheDirOf, indexArgs } from './cli-args.js';
import { buildSite } from './site-build.js';
import { CatalogError } from '../src/lib/catalog/load.js';
import { formatDiagnostic } from '../src/lib/diagnostics/format.js';
import { summaryLines } from './summary.js';

const args = indexArgs();
if (args.help) {
  console.log('usage: npm run build -- [--sources catalog/sources.yaml] [--root DIR] [--catalog catalog] [--lock FILE] [--out dist] [--no-cache] [--cache-dir .cache/index] [--previous FILE|DIR]');
  process.exit(0);
}
const t0 = performance.now();
try {
  const res = await buildSite({ sourcesFile: args.sources!, root: args.root, catalogDir: args.catalog, lockFile: args.lock, outDir: args.out ?? 'dist', cacheDir: cacheDirOf(args), previous: args.previous, progress: true, log: (m) => console.log(m) });
  for (const l of summaryLines(res.index)) console.log(l);
  console.log(`build: ${res.pages} pages, ${res.apiFiles} API files, ${res.searchPages} searchable pages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} catch (e) {
  if (e instanceof CatalogError) {
    for (const d of e.diagnostics) console.error(formatDiagnostic(d));
    console.error('error: our catalog has errors; fix them (the build stops on catalog errors)');
    process.exit(2);
  }
  throw e;
}
