import { parseArgs } from 'node:util';

/** Flags shared by `npm run build`, `npm run index` and `npm run bench`. */
export function indexArgs(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      sources: { type: 'string', default: 'catalog/sources.yaml' },
      root: { type: 'string' },
      catalog: { type: 'string', default: 'catalog' },
      lock: { type: 'string' },
      out: { type: 'string' },
      // Incremental index cache (src/lib/cache) and change feed (src/lib/changes).
      'no-cache': { type: 'boolean', default: false },
      'cache-dir': { type: 'string' },
      previous: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  return values;
}

/**
 * The index cache folder the flags ask for: null with `--no-cache`, else `--cache-dir` or
 * `.cache/index`. The change feed keeps its state there too (`--no-cache` still tracks changes).
 */
export function cacheDirOf(values: { 'no-cache'?: boolean; 'cache-dir'?: string }): string | null {
  return values['no-cache'] ? null : (values['cache-dir'] ?? '.cache/index');
}
