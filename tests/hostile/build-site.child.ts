/**
 * Child-process driver for the site-level tests: `node --import tsx build-site.child.ts '<json>'`
 * runs buildSite with those options and prints a JSON summary on its last stdout line. A child
 * process keeps Astro's Vite out of Vitest's and gives each build fresh module state and env.
 */
import { buildSite } from '../../scripts/site-build.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof buildSite>[0];
const res = await buildSite({ ...opts, log: (m) => process.stderr.write(`${m}\n`) });
process.stdout.write(`\n${JSON.stringify({ pages: res.pages, apiFiles: res.apiFiles, searchPages: res.searchPages, rules: res.index.rules.length })}\n`);
