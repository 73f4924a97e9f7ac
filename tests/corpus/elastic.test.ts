import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/load.js';
import { polarPredicates } from '../../src/lib/model/logic.js';
import type { RuleDraft } from '../../src/lib/model/rule.js';
import { elasticAdapter } from '../../src/lib/sources/elastic/index.js';

const corpus = process.env.CORPUS_DIR ?? path.resolve(process.cwd(), '../shared/corpus');
const sourceDir = path.join(corpus, 'elastic');
const present = existsSync(path.join(sourceDir, 'rules'));
if (!present) console.log(`skipping the Elastic corpus test: ${sourceDir}/rules not found (set CORPUS_DIR to the shared corpus)`);

type Lang = 'kuery' | 'eql' | 'esql' | 'lucene' | 'ML' | 'unknown';
interface Row {
  files: number;
  withPredicates: number;
  noPredicates: number;
  noQuery: number;
  failed: number;
}
const row = (): Row => ({ files: 0, withPredicates: 0, noPredicates: 0, noQuery: 0, failed: 0 });

/** The language a file declares, read from its text so failed files are counted too. */
function declaredLanguage(text: string): Lang {
  if (/^type\s*=\s*"machine_learning"/m.test(text)) return 'ML';
  const m = /^language\s*=\s*"([a-z]+)"/m.exec(text);
  if (m && ['kuery', 'eql', 'esql', 'lucene'].includes(m[1]!)) return m[1] as Lang;
  return /^type\s*=\s*"(query|threshold|new_terms|threat_match)"/m.test(text) ? 'kuery' : 'unknown';
}

const predicateCount = (r: RuleDraft): number => r.parts.reduce((n, p) => n + polarPredicates(p.logic).length, 0);

describe.skipIf(!present)('Elastic detection-rules corpus', () => {
  it('publishes at least 98% of the active rules with predicates', () => {
    const catalog = loadCatalog(path.resolve('catalog'));
    const ctx = { catalog, sourceDir };
    const { prepared } = elasticAdapter.prepare(ctx);
    const files = fg.sync(['rules/**/*.toml', 'rules_building_block/**/*.toml'], { cwd: sourceDir }).sort();
    const active: Record<string, Row> = {};
    const deprecated = row();
    const reasons = new Map<string, number>();
    const examples = new Map<string, string>();
    const warningReasons = new Map<string, number>();
    let windows = 0;
    let windowsWithEvents = 0;
    let withEvents = 0;
    let warnings = 0;
    const started = performance.now();
    for (const rel of files) {
      const text = readFileSync(path.join(sourceDir, rel), 'utf8');
      const isDeprecated = rel.includes('/_deprecated/');
      const lang = declaredLanguage(text);
      const r = isDeprecated ? deprecated : (active[lang] ??= row());
      r.files++;
      const result = elasticAdapter.load({ path: rel, text }, ctx, prepared);
      for (const w of result.diagnostics.filter((d) => d.severity === 'warning')) {
        warnings++;
        const key = `${w.code}: ${w.message.slice(0, 80)}`;
        warningReasons.set(key, (warningReasons.get(key) ?? 0) + 1);
      }
      const rule = result.rules[0];
      if (!rule) {
        r.failed++;
        const d = result.diagnostics.find((x) => x.severity === 'error');
        const key = d ? `${d.code}: ${d.message.slice(0, 80)}` : result.ignored ?? 'no rule';
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
        if (!examples.has(key) && d) examples.set(key, `${d.file}:${d.line}:${d.column}`);
        continue;
      }
      expect(rule.deprecated).toBe(isDeprecated || rule.status === 'deprecated');
      if (rule.query === null) r.noQuery++;
      else if (predicateCount(rule) > 0) r.withPredicates++;
      else r.noPredicates++;
      if (isDeprecated) continue;
      if (rule.events.length > 0) withEvents++;
      if (rule.tags.includes('OS: Windows')) {
        windows++;
        if (rule.events.length > 0) windowsWithEvents++;
      }
    }
    const ms = performance.now() - started;
    const total = Object.values(active).reduce(
      (t, x) => ({ files: t.files + x.files, withPredicates: t.withPredicates + x.withPredicates, noPredicates: t.noPredicates + x.noPredicates, noQuery: t.noQuery + x.noQuery, failed: t.failed + x.failed }),
      row(),
    );
    const ml = active.ML?.files ?? 0;
    const rate = total.withPredicates / (total.files - ml);
    console.log(`Elastic corpus: ${files.length} files (${total.files} active, ${deprecated.files} deprecated) in ${ms.toFixed(0)} ms`);
    console.table({ ...active, deprecated, 'active total': total });
    console.log(`active non-ML rules published with predicates: ${total.withPredicates}/${total.files - ml} = ${(rate * 100).toFixed(2)}%`);
    console.log(`active rules with catalog events: ${withEvents}; Windows-tagged rules with events: ${windowsWithEvents}/${windows}; warnings: ${warnings}`);
    const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log('top failure reasons:' + (top.length ? '\n' + top.map(([k, n]) => `  ${n}  ${k}  (e.g. ${examples.get(k) ?? '-'})`).join('\n') : ' none'));
    const topWarnings = [...warningReasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    if (topWarnings.length) console.log('top warnings:\n' + topWarnings.map(([k, n]) => `  ${n}  ${k}`).join('\n'));
    expect(rate).toBeGreaterThanOrEqual(0.98);
  });
});
