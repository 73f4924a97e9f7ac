import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/lib/catalog/load.js';
import { polarPredicates } from '../../src/lib/model/logic.js';
import type { RuleDraft, SourceFile } from '../../src/lib/model/rule.js';
import { sigmaAdapter } from '../../src/lib/sources/sigma/index.js';

/**
 * Corpus invariants over the real SigmaHQ snapshot: every active rule (rules*) loads, publishes
 * predicates and keeps its technique tags; the whole pass stays fast. Prints the measured counts.
 */
const CORPUS = process.env.CORPUS_DIR ? path.resolve(process.env.CORPUS_DIR) : path.resolve(process.cwd(), '../shared/corpus');
const SIGMA = path.join(CORPUS, 'sigma');
const present = existsSync(SIGMA);

function catalog(): Catalog {
  try {
    return loadCatalog(path.resolve('catalog'));
  } catch (e) {
    console.warn(`catalog/ does not validate, using an empty catalog: ${(e as Error).message.split('\n')[0]}`);
    return { dir: path.resolve('catalog'), events: new Map(), mappings: new Map(), sigmaLogsources: { mappings: [] } };
  }
}

interface Pass {
  files: number;
  rules: RuleDraft[];
  failed: number;
  ignored: number;
  codes: Map<string, number>;
  loadMs: number;
  /** Process CPU time of the load loop (all threads), steadier than wall time on a busy machine. */
  cpuMs: number;
  texts: Map<string, string>;
}

function run(globs: string[]): Pass {
  const paths = fg.sync(globs, { cwd: SIGMA }).sort();
  const files: SourceFile[] = paths.map((p) => ({ path: p, text: readFileSync(path.join(SIGMA, p), 'utf8') }));
  const ctx = { catalog: catalog(), sourceDir: SIGMA };
  const { prepared } = sigmaAdapter.prepare(ctx);
  const pass: Pass = { files: files.length, rules: [], failed: 0, ignored: 0, codes: new Map(), loadMs: 0, cpuMs: 0, texts: new Map() };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const f of files) {
    const r = sigmaAdapter.load(f, ctx, prepared);
    pass.rules.push(...r.rules);
    pass.failed += r.failed ?? 0;
    if (r.ignored) pass.ignored++;
    for (const d of r.diagnostics) {
      const k = `${d.severity} ${d.code}`;
      pass.codes.set(k, (pass.codes.get(k) ?? 0) + 1);
    }
  }
  pass.loadMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  pass.cpuMs = (cpu.user + cpu.system) / 1000;
  for (const f of files) pass.texts.set(f.path, f.text);
  return pass;
}

const predicateCount = (r: RuleDraft): number => r.parts.reduce((n, p) => n + polarPredicates(p.logic).length, 0);

function report(title: string, p: Pass): void {
  const withPreds = p.rules.filter((r) => predicateCount(r) > 0).length;
  const noQuery = p.rules.filter((r) => predicateCount(r) === 0).length;
  const byType = new Map<string, number>();
  for (const r of p.rules) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const lines = [
    `${title}: ${p.files} files, ${p.rules.length + p.failed} rules, ${withPreds} published with predicates, ${noQuery} without predicates, ${p.failed} failed, ${p.ignored} ignored files`,
    `  types: ${[...byType].map(([k, v]) => `${k}=${v}`).join(', ')}`,
    `  with events: ${p.rules.filter((r) => r.events.length > 0).length}, technique-tagged: ${p.rules.filter((r) => r.techniqueTags.length > 0).length}, predicates: ${p.rules.reduce((n, r) => n + predicateCount(r), 0)}`,
    `  load time (YAML + detection + condition): ${Math.round(p.loadMs)} ms wall, ${Math.round(p.cpuMs)} ms CPU`,
    `  diagnostics: ${[...p.codes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`).join('; ') || 'none'}`,
  ];
  console.log(lines.join('\n'));
}

describe.skipIf(!present)('Sigma corpus (rules*)', () => {
  if (!present) return;
  const pass = run(['rules*/**/*.yml']);
  report('sigma rules*', pass);

  it('publishes at least 99.5 % of the active rules with predicates', () => {
    const total = pass.rules.length + pass.failed;
    const withPreds = pass.rules.filter((r) => predicateCount(r) > 0).length;
    expect(total).toBeGreaterThan(3000);
    expect(withPreds / total).toBeGreaterThanOrEqual(0.995);
  });

  it('keeps a technique for every rule tagged attack.tNNNN', () => {
    const missing = pass.rules.filter((r) => r.tags.some((t) => /^attack\.t\d{4}/i.test(t)) && r.techniqueTags.length === 0);
    expect(missing.map((r) => r.path)).toEqual([]);
  });

  it('gives every rule a unique id, a title and a log source label', () => {
    const ids = new Map<string, string>();
    const dup: string[] = [];
    for (const r of pass.rules) {
      if (ids.has(r.id)) dup.push(`${r.id} ${ids.get(r.id)} ${r.path}`);
      ids.set(r.id, r.path);
      expect(r.title.length).toBeGreaterThan(0);
      expect(r.logsource.length).toBeGreaterThan(0);
    }
    expect(dup).toEqual([]);
  });

  it('points every predicate span at non-blank text of its query', () => {
    const bad: string[] = [];
    for (const r of pass.rules) {
      const lines = (r.query ?? '').split('\n');
      for (const part of r.parts) {
        for (const { pred } of polarPredicates(part.logic)) {
          const s = pred.span;
          const line = s ? lines[s.line - 1] : undefined;
          if (!s || line === undefined || !/\S/.test(line.charAt(s.column - 1))) bad.push(`${r.path}:${(r.queryLine ?? 1) + (s?.line ?? 1) - 1}`);
        }
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('loads the whole corpus quickly', () => {
    // Target: well under 2 s on an idle machine; the bound is loose for shared CI runners.
    expect(pass.loadMs).toBeLessThan(8000);
  });
});

describe.skipIf(!present)('Sigma corpus (deprecated/, unsupported/)', () => {
  if (!present) return;
  const pass = run(['deprecated/**/*.yml', 'unsupported/**/*.yml']);
  report('sigma deprecated+unsupported', pass);

  it('loads without throwing and marks deprecated rules', () => {
    expect(pass.rules.length).toBeGreaterThan(0);
    expect(pass.rules.filter((r) => r.path.startsWith('deprecated/')).every((r) => r.deprecated)).toBe(true);
  });
});

if (!present) {
  console.warn(`Sigma corpus tests skipped: no corpus at ${SIGMA} (set CORPUS_DIR to the folder holding sigma/)`);
  describe('Sigma corpus', () => {
    it.skip(`skipped: no corpus at ${SIGMA} (set CORPUS_DIR)`, () => {});
  });
}
