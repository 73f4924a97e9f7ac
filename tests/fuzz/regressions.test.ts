/**
 * Bugs the fuzzer found, pinned with small hand-written inputs: hostile nesting in every query
 * language, YAML alias bombs and alias cycles, empty files, and query diagnostics of an Elastic rule
 * whose query is a TOML basic string (escapes) instead of a literal block.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/load.js';
import { aliasBomb, ALIAS_CYCLES } from '../../src/lib/fuzz/tree-ops.js';
import { logicProblem } from '../../src/lib/fuzz/invariants.js';
import type { AdapterResult } from '../../src/lib/model/rule.js';
import { analyzeEql } from '../../src/lib/query/eql/index.js';
import { analyzeEsql } from '../../src/lib/query/esql/index.js';
import { analyzeKql } from '../../src/lib/query/kql/index.js';
import { analyzeLucene } from '../../src/lib/query/lucene/index.js';
import { parseSigmaCondition } from '../../src/lib/query/sigma/index.js';
import type { QueryAnalysis } from '../../src/lib/query/types.js';
import type { AdapterContext } from '../../src/lib/sources/adapter.js';
import { elasticAdapter, loadElasticFile, type ElasticPrepared } from '../../src/lib/sources/elastic/index.js';
import { alignTomlString } from '../../src/lib/sources/elastic/positions.js';
import { loadSigmaFile, sigmaAdapter } from '../../src/lib/sources/sigma/index.js';
import { splunkAdapter } from '../../src/lib/sources/splunk/index.js';

const catalog = loadCatalog(resolve('catalog'));
const sigmaCtx: AdapterContext = { catalog, sourceDir: resolve('samples/sigma') };
const sigmaPrepared = sigmaAdapter.prepare(sigmaCtx).prepared;
const elasticPrepared: ElasticPrepared = elasticAdapter.prepare({ catalog, sourceDir: resolve('samples/elastic') }).prepared;
const sigma = (text: string): AdapterResult => loadSigmaFile({ path: 'rules/x.yml', text }, sigmaCtx, sigmaPrepared);
const elastic = (text: string): AdapterResult => loadElasticFile({ path: 'rules/x.toml', text }, elasticPrepared);
const splunkCtx: AdapterContext = { catalog, sourceDir: resolve('samples/splunk') };
const splunkPrepared = splunkAdapter.prepare(splunkCtx).prepared;
const splunk = (text: string): AdapterResult => splunkAdapter.load({ path: 'detections/x.yml', text }, splunkCtx, splunkPrepared);

const codes = (r: { diagnostics: { code: string; severity: string }[] }): string[] => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

describe('hostile nesting is refused with a diagnostic, not a stack overflow', () => {
  const deep = (open: string, inner: string, close: string, n: number) => open.repeat(n) + inner + close.repeat(n);
  const cases: [string, (q: string) => QueryAnalysis<unknown>, string, string[]][] = [
    ['kql', analyzeKql, 'process.name:x', [deep('(', 'a:1', ')', 10_000), 'not '.repeat(5_000) + 'a:1', 'a:' + deep('(', '1', ')', 10_000), deep('a:{', 'b:1', '}', 3_000)]],
    ['eql', analyzeEql, 'process where a == 1', ['process where ' + deep('(', 'a == 1', ')', 10_000), 'process where ' + 'not '.repeat(5_000) + 'a == 1', 'process where a == ' + '-'.repeat(5_000) + '(1)']],
    ['esql', analyzeEsql, 'from logs-* | where a == 1', ['from x | where ' + deep('(', 'a == 1', ')', 10_000), 'from x | where ' + 'not '.repeat(5_000) + 'a == 1', 'from x | where a == ' + deep('[', '1', ']', 5_000), 'from x | where a == ' + '-'.repeat(5_000) + '1']],
    ['lucene', analyzeLucene, 'a:1', [deep('(', 'a:1', ')', 10_000), 'a:' + deep('(', '1', ')', 10_000)]],
  ];
  for (const [lang, analyze, ok, hostile] of cases) {
    it(`${lang}: 10,000 levels -> ${lang}/too-deep; 150 levels still parse`, () => {
      for (const q of hostile) {
        const r = analyze(q);
        expect(codes(r)).toContain(`${lang}/too-deep`);
        expect(r.parts).toEqual([]);
      }
      const fine = analyze(lang === 'kql' || lang === 'lucene' ? deep('(', ok, ')', 150) : ok.replace(/(a == 1)$/, deep('(', '$1', ')', 150)));
      expect(codes(fine)).toEqual([]);
      for (const p of fine.parts) expect(logicProblem(p.logic)).toBeNull();
    });
  }

  it('sigma conditions: 10,000 parentheses or 5,000 nots -> sigma/too-deep', () => {
    for (const c of ['('.repeat(10_000) + 'sel' + ')'.repeat(10_000), 'not '.repeat(5_000) + 'sel', '('.repeat(10_000)]) {
      const r = parseSigmaCondition(c, { selections: ['sel'] });
      expect(r.ast).toBeNull();
      expect(codes(r)).toEqual(['sigma/too-deep']);
    }
    expect(parseSigmaCondition('('.repeat(150) + 'sel' + ')'.repeat(150), { selections: ['sel'] }).ast).not.toBeNull();
  });
});

describe('YAML aliases', () => {
  const rule = (selection: string) => `title: Aliases\nid: 5b0e8a52-0000-4000-8000-000000000001\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  selection: ${selection}\n  condition: selection\n`;

  it.each([['billion laughs', aliasBomb()], ...ALIAS_CYCLES.map((c) => [`cycle ${c}`, c])])('%s: rejected at 1:1, fast', (_name, value) => {
    const t0 = performance.now();
    const r = sigma(rule(value));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.rules).toEqual([]);
    expect(r.failed).toBe(1);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['sigma/yaml-syntax', 1, 1]]);
    expect(r.diagnostics[0]!.message).toMatch(/through aliases/);
    expect(r.diagnostics[0]!.hint).toMatch(/anchors and aliases/);
  });

  it('a few legitimate aliases still load', () => {
    const r = sigma(rule(`\n    Image|endswith: &exe '\\evil.exe'\n    OriginalFileName|endswith: *exe`));
    expect(codes(r)).toEqual([]);
    expect(r.rules).toHaveLength(1);
  });
});

describe('empty files are rejected at 1:1', () => {
  it.each(['', '   \n\n', '# only a comment\n', '\ufeff'])('%j', (text) => {
    for (const [r, code] of [[sigma(text), 'sigma/empty-file'], [elastic(text), 'elastic/empty-file'], [splunk(text), 'splunk/empty-file']] as const) {
      expect(r.failed).toBe(1);
      expect(r.diagnostics.map((d) => [d.code, d.line, d.column, d.severity])).toEqual([[code, 1, 1, 'error']]);
    }
  });
});

describe('Elastic query diagnostics in a TOML basic string', () => {
  it('point at the character in the file, escapes and all', () => {
    // One-line basic string with escaped quotes and a \n: the bad `)` is on line 5 of the file.
    const text = [
      '[rule]',
      'rule_id = "basic-string"',
      'name = "Basic string query"',
      'type = "eql"',
      'query = "process where process.name == \\"a\\\\b.exe\\"\\n  and )"',
      '',
    ].join('\n');
    const r = elastic(text);
    expect(r.failed).toBe(1);
    const d = r.diagnostics.find((x) => x.severity === 'error')!;
    expect([d.line, d.column]).toEqual([5, text.split('\n')[4]!.indexOf(')') + 1]);
  });

  it('align every TOML string form with its decoded text', () => {
    const cases: [string, string][] = [
      ['"a\\tb\\u00e9c\\U0001F600d"', 'a\tb\u00e9c\u{1F600}d'],
      ['"""\nline one \\\n    continued\n"""', 'line one continued\n'],
      ["'''\r\nx\r\ny'''", 'x\ny'],
      ["'C:\\path'", 'C:\\path'],
    ];
    for (const [written, decoded] of cases) {
      const text = `query = ${written}\n`;
      const offsets = alignTomlString(text, 8, decoded);
      expect(offsets, written).not.toBeNull();
      expect(offsets).toHaveLength(decoded.length);
      // Plain letters map onto themselves in the file.
      decoded.split('').forEach((ch, i) => {
        if (/[a-z]/.test(ch)) expect(text[offsets![i]!]).toBe(ch);
      });
    }
    expect(alignTomlString('q = "a\\qb"', 4, 'a?b')).toBeNull();
  });

  it('keep exact positions in the usual literal block', () => {
    const text = "[rule]\nrule_id = \"lit\"\nname = \"Literal\"\ntype = \"eql\"\nquery = '''\nprocess where\n  process.name == \"a\" and )\n'''\n";
    const d = elastic(text).diagnostics.find((x) => x.severity === 'error')!;
    expect([d.line, d.column]).toEqual([7, 27]);
  });
});
