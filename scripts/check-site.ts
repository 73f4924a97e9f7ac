/** `npm run check-site [-- --dist dist]`: post-build checks; exits 1 on any problem. */
import { parseArgs } from 'node:util';
import { checkSite } from '../src/lib/check/site-check.js';

const { values } = parseArgs({ options: { dist: { type: 'string', default: 'dist' }, base: { type: 'string', default: process.env.SITE_BASE ?? '/' }, 'max-kb': { type: 'string', default: '3072' } } });
const t0 = performance.now();
const r = checkSite(values.dist!, { base: values.base!, maxPageBytes: Number(values['max-kb']) * 1024 });
console.log(`check-site: ${r.pages} pages, ${r.links} internal links checked, ${r.searchable} searchable pages, ${r.indexed ?? 'no'} in the search index (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
console.log('largest pages: ' + r.largest.map((l) => `${l.page} ${(l.bytes / 1024).toFixed(0)} KB`).join(', '));
const byKind = new Map<string, number>();
for (const p of r.problems) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1);
for (const p of r.problems.slice(0, 40)) console.log(`  ${p.kind}: ${p.page}: ${p.detail}`);
if (r.problems.length > 0) {
  console.log(`check-site: ${r.problems.length} problems (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})`);
  process.exit(1);
}
console.log('check-site: no problems');
