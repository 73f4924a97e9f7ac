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
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  return values;
}
