import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fg from 'fast-glob';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { polarPredicates } from '../../src/lib/model/logic.js';
import { analyzeEsql } from '../../src/lib/query/esql/index.js';
import { analyzeKql } from '../../src/lib/query/kql/index.js';
import { analyzeLucene } from '../../src/lib/query/lucene/index.js';
import type { QueryAnalysis } from '../../src/lib/query/types.js';
import { hasErrors } from '../../src/lib/query/types.js';

const CORPUS = process.env.CORPUS_DIR ?? resolve(process.cwd(), '../shared/corpus');
const ELASTIC = join(CORPUS, 'elastic');
const present = existsSync(join(ELASTIC, 'rules'));
if (!present) console.warn(`[elastic queries] skipped: ${ELASTIC}/rules not found (set CORPUS_DIR to the corpus snapshot)`);

type Language = 'kuery' | 'esql' | 'lucene';
const ANALYZE: Record<Language, (text: string) => QueryAnalysis<unknown>> = { kuery: analyzeKql, esql: analyzeEsql, lucene: analyzeLucene };

/**
 * Rules whose query genuinely has no field predicate (e.g. `FROM idx | STATS ...` with no WHERE),
 * each with the reason. Empty today: every active kuery and esql rule yields at least one predicate.
 */
const PREDICATE_LESS: Record<string, string> = {};

interface Tally {
  total: number;
  clean: number;
  withPredicates: number;
  errorCodes: Map<string, number>;
  warningCodes: Map<string, number>;
  failures: string[];
  warnings: string[];
  noPredicates: string[];
}

const tally = (): Tally => ({ total: 0, clean: 0, withPredicates: 0, errorCodes: new Map(), warningCodes: new Map(), failures: [], warnings: [], noPredicates: [] });
const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);

interface Scan {
  active: Record<Language, Tally>;
  deprecated: Record<Language, Tally>;
  parseMs: number;
  queries: number;
}

function scan(): Scan {
  const files = fg.sync(['rules/**/*.toml', 'rules_building_block/**/*.toml'], { cwd: ELASTIC });
  const result: Scan = {
    active: { kuery: tally(), esql: tally(), lucene: tally() },
    deprecated: { kuery: tally(), esql: tally(), lucene: tally() },
    parseMs: 0,
    queries: 0,
  };
  for (const file of files) {
    const rule = (parseToml(readFileSync(join(ELASTIC, file), 'utf8')) as { rule?: { language?: string; query?: unknown } }).rule;
    const language = rule?.language as Language | undefined;
    if (!language || !(language in ANALYZE) || typeof rule?.query !== 'string') continue;
    const t = (file.split('/').includes('_deprecated') ? result.deprecated : result.active)[language];
    const started = performance.now();
    const analysis = ANALYZE[language](rule.query);
    result.parseMs += performance.now() - started;
    result.queries++;
    t.total++;
    for (const d of analysis.diagnostics) {
      bump(d.severity === 'error' ? t.errorCodes : t.warningCodes, d.code);
      if (d.severity === 'warning') t.warnings.push(`${file}:${d.line}:${d.column} ${d.code} ${d.message}`);
    }
    if (hasErrors(analysis.diagnostics)) {
      const d = analysis.diagnostics.find((x) => x.severity === 'error')!;
      t.failures.push(`${file}:${d.line}:${d.column} ${d.code} ${d.message}`);
      continue;
    }
    t.clean++;
    const preds = analysis.parts.flatMap((p) => polarPredicates(p.logic));
    if (preds.length > 0) t.withPredicates++;
    else t.noPredicates.push(file);
  }
  return result;
}

const codes = (m: Map<string, number>): string =>
  [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(', ') || '-';

describe.skipIf(!present)('Elastic kuery / esql / lucene queries (corpus)', () => {
  const result = present ? scan() : null;

  it('prints counts per language', () => {
    const r = result!;
    for (const [scope, tallies] of Object.entries({ active: r.active, deprecated: r.deprecated })) {
      for (const [language, t] of Object.entries(tallies)) {
        if (t.total === 0) continue;
        console.log(
          `[elastic queries] ${scope} ${language}: total=${t.total} parsed=${t.clean} with-predicates=${t.withPredicates} ` +
            `errors: ${codes(t.errorCodes)}; warnings: ${codes(t.warningCodes)}`,
        );
        for (const f of t.failures.slice(0, 10)) console.log(`  failed ${f}`);
        for (const f of t.noPredicates.slice(0, 10)) console.log(`  no predicate ${f}`);
        for (const w of t.warnings.slice(0, 10)) console.log(`  warning ${w}`);
      }
    }
    console.log(`[elastic queries] parsed ${r.queries} queries in ${r.parseMs.toFixed(0)} ms`);
    expect(r.active.kuery.total + r.active.esql.total).toBeGreaterThan(0);
  });

  it.each(['kuery', 'esql'] as const)('%s: >= 99%% of active rules parse and yield a predicate', (language) => {
    const t = result!.active[language];
    const unexplained = t.noPredicates.filter((f) => !(f in PREDICATE_LESS));
    const good = t.withPredicates + (t.noPredicates.length - unexplained.length);
    expect(t.total).toBeGreaterThan(0);
    expect(good / t.total, `${t.failures.length} failures, ${unexplained.length} without predicates`).toBeGreaterThanOrEqual(0.99);
  });

  it('lucene rules parse', () => {
    const all = [result!.active.lucene, result!.deprecated.lucene];
    for (const t of all) expect(t.failures).toEqual([]);
  });

  it('parses the whole corpus quickly', () => {
    // Generous bound for a shared 2-core machine; the measured time is printed above.
    expect(result!.parseMs).toBeLessThan(5000);
  });
});
