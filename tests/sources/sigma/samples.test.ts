import { readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../../src/lib/diagnostics/format.js';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import type { RuleDraft } from '../../../src/lib/model/rule.js';
import { load } from './helpers.js';

/** The demo corpus in samples/sigma must load cleanly and stay within the demo's technique list. */
const DIR = path.resolve('samples/sigma');
const ALLOWED = new Set([
  'T1059', 'T1059.001', 'T1059.003', 'T1102', 'T1071.004', 'T1105', 'T1055', 'T1055.012', 'T1003', 'T1003.001', 'T1053.005',
  'T1547.001', 'T1562.001', 'T1027', 'T1112', 'T1569.002', 'T1543.003', 'T1218.011', 'T1070.001', 'T1021.002', 'T1136.001',
  'T1078', 'T1685',
]);

const files = fg.sync('rules*/**/*.yml', { cwd: DIR }).sort();
const rules: RuleDraft[] = [];
const problems: string[] = [];
for (const f of files) {
  const text = readFileSync(path.join(DIR, f), 'utf8');
  const res = load(text, f);
  rules.push(...res.rules);
  problems.push(...res.diagnostics.map((d) => formatDiagnostic(d, text)));
}

describe('samples/sigma', () => {
  it('has a dozen or more rule files that load without any diagnostic', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(problems).toEqual([]);
  });

  it('tags only techniques of the demo list, with one v19 attack.t1685 rule', () => {
    const ids = rules.flatMap((r) => r.techniqueTags.map((t) => t.id));
    expect(ids.filter((id) => !ALLOWED.has(id))).toEqual([]);
    expect(ids.filter((id) => id === 'T1685')).toHaveLength(1);
  });

  it('covers the required shapes', () => {
    const types = new Set(rules.map((r) => r.type));
    expect(types).toEqual(new Set(['detection', 'correlation', 'filter']));
    const t1102 = rules.filter((r) => r.techniqueTags.some((t) => t.id === 'T1102')).map((r) => r.logsource).sort();
    expect(t1102).toEqual(['windows / dns_query', 'windows / network_connection']);
    const cmd = rules.filter((r) =>
      r.parts.some((p) => polarPredicates(p.logic).some(({ pred }) => pred.field === 'Image' && pred.raw === '\\cmd.exe' && pred.value === '*\\cmd.exe')),
    );
    expect(cmd).toHaveLength(1);
  });

  it('exercises the main modifiers', () => {
    const preds = rules.flatMap((r) => r.parts.flatMap((p) => polarPredicates(p.logic).map((pp) => pp.pred)));
    const ops = new Set(preds.map((p) => p.operator));
    for (const op of ['eq', 'wildcard', 'regex_match', 'match', 'cidr', 'exists', 'gte', 'fieldref']) expect(ops).toContain(op);
    const transforms = new Set(preds.flatMap((p) => p.transforms ?? []));
    for (const t of ['windash', 'base64offset', 'utf16le', 'expand', 'hour']) expect(transforms).toContain(t);
    expect(preds.some((p) => p.caseSensitive)).toBe(true);
    expect(preds.some((p) => p.flags === 'i')).toBe(true);
  });
});
