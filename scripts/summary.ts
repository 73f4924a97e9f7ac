import type { SiteIndex } from '../src/lib/aggregate/types.js';

/** One line per source: files, rules, published, no query, failed, diagnostics. */
export function summaryLines(index: SiteIndex): string[] {
  return index.sources.map((s) => {
    const rate = s.rules > 0 ? ((100 * (s.published + s.noQuery)) / s.rules).toFixed(2) : '0.00';
    const langs = Object.entries(s.byLanguage)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([l, c]) => `${l} ${c.published}/${c.rules}`)
      .join(', ');
    return `${s.id} (${s.format}): ${s.files} files, ${s.rules} rules, ${s.published} with predicates, ${s.noQuery} without query, ${s.failed} failed (${rate}% published), ${s.diagnostics.length} diagnostics${langs ? ` [${langs}]` : ''}`;
  });
}
