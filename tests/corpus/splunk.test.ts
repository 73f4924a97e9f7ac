import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/load.js';
import { polarPredicates } from '../../src/lib/model/logic.js';
import type { RuleDraft } from '../../src/lib/model/rule.js';
import { splunkAdapter } from '../../src/lib/sources/splunk/index.js';

const CORPUS = process.env.CORPUS_DIR ?? resolve(process.cwd(), '../shared/corpus');
const DIR = join(CORPUS, 'splunk');
const present = existsSync(join(DIR, 'detections'));
if (!present) console.warn(`[splunk corpus] skipped: ${DIR}/detections not found (set CORPUS_DIR to the corpus folder)`);

const inc = (m: Map<string, number>, k: string, n = 1): void => {
  m.set(k, (m.get(k) ?? 0) + n);
};
const top = (m: Map<string, number>, n = 15): string =>
  [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `    ${String(v).padStart(5)}  ${k}`).join('\n') || '    (none)';

describe.skipIf(!present)('Splunk security_content corpus', () => {
  it('publishes at least 97% of the active detections with predicates', () => {
    const catalog = loadCatalog(resolve(process.cwd(), 'catalog'));
    const ctx = { catalog, sourceDir: DIR };
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { prepared, diagnostics: prepDiags } = splunkAdapter.prepare(ctx);
    const files = fg.sync('detections/**/*.yml', { cwd: DIR }).sort();
    let rules = 0;
    let failed = 0;
    let activeFiles = 0;
    let activePublished = 0;
    let activeFailed = 0;
    let activeNoPredicates = 0;
    let yamlFallbacks = prepared.yamlFallbacks.length;
    const byType = new Map<string, number>();
    const failures = new Map<string, number>();
    const macroProblems = new Map<string, number>();
    const noPredicates: string[] = [];
    const missingEvents = new Map<string, number>();
    const unresolved = new Map<string, number>();
    const drafts: RuleDraft[] = [];
    for (const path of files) {
      const text = readFileSync(join(DIR, path), 'utf8');
      const active = !path.split('/').includes('deprecated');
      const r = splunkAdapter.load({ path, text }, ctx, prepared);
      rules += r.rules.length + (r.failed ?? 0);
      failed += r.failed ?? 0;
      for (const d of r.diagnostics) {
        if (d.code === 'splunk/yaml-fallback') yamlFallbacks++;
        if (d.code.startsWith('spl/macro') || d.code === 'spl/unknown-macro' || d.code === 'spl/unterminated-macro') inc(macroProblems, `${d.code}: ${d.message.replace(/`[^`]*`/, '`…`')}`);
        if (d.severity === 'error') inc(failures, `${d.code}: ${d.message}`);
      }
      for (const rule of r.rules) {
        drafts.push(rule);
        inc(byType, `${rule.type}${rule.deprecated ? ' (deprecated)' : ''}`);
        for (const ds of rule.meta.dataSources as Array<{ name: string; missing: string[]; events: string[] }>) {
          for (const m of ds.missing) inc(missingEvents, `${ds.name} -> ${m}`);
          if (!rule.deprecated && ds.events.length === 0 && ds.missing.length === 0) inc(unresolved, ds.name);
        }
      }
      if (!active) continue;
      const rule = r.rules[0];
      if (rule?.deprecated) continue; // status: deprecated outside the folder
      activeFiles++;
      if (!rule) {
        activeFailed++;
        continue;
      }
      const preds = rule.parts.flatMap((p) => polarPredicates(p.logic));
      if (preds.length > 0) activePublished++;
      else {
        activeNoPredicates++;
        noPredicates.push(path);
      }
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rate = activePublished / activeFiles;
    const withEvents = drafts.filter((d) => !d.deprecated && d.events.length > 0).length;
    console.log(
      [
        `[splunk corpus] ${files.length} detection files, ${rules} rules (${failed} failed) in ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (YAML, macros, SPL, events)`,
        `  side files: ${prepared.macros.size} macros, ${prepared.dataSources.size} data sources, ${prepared.stories.size} stories, ${prepared.lookups.size} lookups; prepare diagnostics: ${prepDiags.length}`,
        `  active: ${activeFiles} files, ${activePublished} published with predicates (${(rate * 100).toFixed(2)}%), ${activeNoPredicates} without predicates, ${activeFailed} failed`,
        `  active rules with catalog events: ${withEvents}`,
        `  YAML fallbacks: ${yamlFallbacks}; YAML failures in side files: ${prepared.yamlFailures.length}`,
        `  by type:\n${top(byType)}`,
        `  top failure reasons:\n${top(failures)}`,
        `  macro-expansion problems:\n${top(macroProblems)}`,
        `  active rules without predicates:\n${noPredicates.map((p) => `    ${p}`).join('\n') || '    (none)'}`,
        `  data source events missing from the catalog:\n${top(missingEvents, 40)}`,
        `  data sources of active rules that name no catalog event (${unresolved.size} names; non-Windows sources are expected here):\n${top(unresolved, 25)}`,
      ].join('\n'),
    );
    expect(activeFiles).toBe(1613);
    expect(rate).toBeGreaterThanOrEqual(0.97);
  });
});
