/**
 * npm run fetch-sources -- [--sources FILE] [--cache DIR] [--lock FILE] [--update] [--only ID]
 *
 * Defaults: --sources catalog/sources.upstream.yaml, --cache .cache/sources, --lock the sources
 * file's `lock:` entry, else catalog/sources.lock.json.
 *
 * Check out every upstream rule repository named in the sources file at the commit pinned in the
 * lock file (or, with --update, at the tip of its ref, rewriting the lock). The build then reads
 * them with `--root <cache>`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCatalogYaml } from '../src/lib/catalog/load.js';
import { sourcesFileSchema } from '../src/lib/catalog/schema.js';
import type { Diagnostic } from '../src/lib/diagnostics/diagnostic.js';
import { fetchAll, fetchTargets, formatFetchError, readLock, writeLock, FetchError } from '../src/lib/fetch/index.js';
import { startStep } from '../src/lib/progress/index.js';

const USAGE = 'usage: fetch-sources [--sources FILE] [--cache DIR] [--lock FILE] [--update] [--only ID]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        sources: { type: 'string', default: 'catalog/sources.upstream.yaml' },
        cache: { type: 'string', default: '.cache/sources' },
        lock: { type: 'string' },
        update: { type: 'boolean', default: false },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`fetch-sources: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const diagnostics: Diagnostic[] = [];
  const config = readCatalogYaml(resolve(values.sources), values.sources, sourcesFileSchema, diagnostics);
  if (!config) {
    for (const d of diagnostics) console.error(`${d.file}:${d.line}:${d.column}: error[${d.code}]: ${d.message} (hint: ${d.hint})`);
    return 1;
  }
  // The sources file may name its lock (`lock:`); --lock wins; relative to the current directory.
  const lockPath = values.lock ?? config.lock ?? 'catalog/sources.lock.json';
  let lock;
  try {
    lock = readLock(resolve(lockPath));
  } catch (e) {
    console.error(`fetch-sources: ${formatFetchError(e)}`);
    return 1;
  }

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const planned = fetchTargets(config).targets.filter((t) => values.only === undefined || t.ids.includes(values.only)).length;
  const step = startStep('fetch', planned);
  const result = await fetchAll(config, lock, {
    cacheDir: resolve(values.cache),
    update: values.update,
    ...(values.only !== undefined ? { only: values.only } : {}),
    signal: controller.signal,
    onResult: (target, r) => {
      if (r instanceof FetchError) step.note(formatFetchError(r));
      else step.note(`${target.id}: ${r.commit.slice(0, 12)} ${describe(r.action, r.previous)} (${target.repo} ${target.ref})`);
      step.tick();
    },
  });
  const changed = writeLock(resolve(lockPath), result.lock);
  for (const err of result.errors.filter((e) => e.code === 'bad-config')) step.note(`fetch-sources: ${formatFetchError(err)}`);
  const summary = `${result.outcomes.length} ok, ${result.errors.length} failed; lock ${changed ? 'rewritten' : 'unchanged'} (${lockPath})`;
  if (result.errors.length > 0) step.fail(summary);
  else step.done(summary);
  return result.errors.length > 0 ? 1 : 0;
}

function describe(action: 'cloned' | 'updated' | 'unchanged', previous: string | null): string {
  if (action === 'updated') return `updated from ${previous?.slice(0, 12)}`;
  return action;
}

process.exitCode = await main();
