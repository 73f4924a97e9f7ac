import type { SiteIndex } from '../src/lib/aggregate/types.js';
import type { IndexRun } from '../src/lib/pipeline/run.js';

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

const REASONS: Record<string, string> = {
  'no-state': 'no previous state',
  'missing-dir': 'a source folder is missing',
  'side-inputs': 'Splunk macros or data sources changed',
  'too-many-changes': 'too many files changed for an incremental run',
  locked: 'another build is using the index state',
};

/** How the index was made: warm from the previous state, or a full run (and why), with cache hits. */
export function indexModeNote(run: Pick<IndexRun, 'incremental' | 'cache'>): string {
  const inc = run.incremental;
  if (inc?.mode === 'warm') {
    const w = inc.stats;
    return `incremental: ${w.parsed} of ${w.files} files parsed, ${w.removed} removed, ${w.techniquesRecomputed} techniques and ${w.eventsRecomputed} events recomputed`;
  }
  const cache = run.cache ? `cache: ${run.cache.hits} hits, ${run.cache.misses} parsed` : 'no cache';
  return inc ? `full run (${REASONS[inc.reason] ?? inc.reason}); ${cache}` : cache;
}
