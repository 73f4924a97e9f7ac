/**
 * npm run export -- [--dist DIR] [--out FILE]
 *
 * Pack the built site into one .tar.gz that works offline: site/ (the build), serve.mjs (a
 * dependency-free static server; Pagefind search needs HTTP) and README.txt. The archive is
 * deterministic: the same dist/ and SOURCE_DATE_EPOCH give the same bytes.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { archiveMtime, checkDist, createSiteArchive } from '../src/lib/export/index.js';
import { startStep } from '../src/lib/progress/index.js';

const USAGE = 'usage: export [--dist DIR] [--out FILE]';
const assets = (name: string) => fileURLToPath(new URL(`./export-assets/${name}`, import.meta.url));

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dist: { type: 'string', default: 'dist' },
        out: { type: 'string', default: 'attack-coverage-site.tar.gz' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`export: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const problems = checkDist(values.dist);
  for (const p of problems) console.error(`export: ${p.severity}: ${p.message} (hint: ${p.hint})`);
  if (problems.some((p) => p.severity === 'error')) return 1;

  const step = startStep('export', undefined);
  try {
    const entries = await createSiteArchive({
      distDir: values.dist,
      outFile: values.out,
      files: { 'serve.mjs': assets('serve.mjs'), 'README.txt': assets('README.txt') },
      mtime: archiveMtime(),
      onPlan: (total) => step.setTotal(total),
      onEntry: () => step.tick(),
    });
    const mb = (statSync(values.out).size / 1024 / 1024).toFixed(1);
    step.done(`${entries.length} entries, ${mb} MiB -> ${values.out}`);
    console.log(`Wrote ${values.out}. Unpack it and run \`node serve.mjs\` (see README.txt inside).`);
    return 0;
  } catch (e) {
    step.fail((e as Error).message);
    return 1;
  }
}

process.exitCode = await main();
