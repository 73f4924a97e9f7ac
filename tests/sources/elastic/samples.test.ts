import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import { loadToml } from './helpers.js';

const ALLOWED = new Set(
  'T1059 T1059.001 T1059.003 T1102 T1071.004 T1105 T1055 T1055.012 T1003 T1003.001 T1053.005 T1547.001 T1562.001 T1027 T1112 T1569.002 T1543.003 T1218.011 T1070.001 T1021.002 T1136.001 T1078'.split(' '),
);
const dir = path.resolve('samples/elastic/rules');
const files = readdirSync(dir).filter((f) => f.endsWith('.toml')).sort();
const rules = files.map((f) => {
  const r = loadToml(readFileSync(path.join(dir, f), 'utf8'), `rules/${f}`);
  expect(r.diagnostics, f).toEqual([]);
  expect(r.rules, f).toHaveLength(1);
  return r.rules[0]!;
});

describe('samples/elastic', () => {
  it('has twelve rules that load without diagnostics', () => {
    expect(rules).toHaveLength(12);
  });

  it('tags only sample techniques (sub-techniques with their parents)', () => {
    for (const r of rules) {
      for (const t of r.techniqueTags) {
        const ok = ALLOWED.has(t.id) || [...ALLOWED].some((a) => a.startsWith(`${t.id}.`));
        expect(ok, `${r.path} ${t.id}`).toBe(true);
      }
    }
  });

  it('covers every rule shape', () => {
    const has = (pred: (r: (typeof rules)[number]) => boolean) => rules.some(pred);
    expect(has((r) => r.language === 'kuery' && r.type === 'query')).toBe(true);
    expect(has((r) => r.language === 'eql' && (r.meta.eql as { kind: string }).kind === 'sequence')).toBe(true);
    expect(has((r) => r.language === 'esql')).toBe(true);
    expect(has((r) => r.type === 'machine_learning' && r.parts.length === 0)).toBe(true);
    expect(has((r) => r.type === 'threshold' && r.meta.threshold !== undefined)).toBe(true);
    expect(has((r) => r.type === 'new_terms' && r.meta.new_terms !== undefined)).toBe(true);
    expect(has((r) => r.meta.building_block === true)).toBe(true);
    expect(has((r) => polarPredicates(r.parts[0]?.logic ?? { kind: 'any' }).some((p) => p.exclusion && p.pred.field === 'process.executable' && p.pred.value === 'C:\\Program Files\\*'))).toBe(true);
  });

  it('has a cmd.exe rule a Sigma `Image|endswith: \\cmd.exe` rule would meet, and a DNS rule for T1102', () => {
    const cmd = rules.find((r) => r.parts.some((p) => polarPredicates(p.logic).some((x) => !x.exclusion && x.pred.field === 'process.name' && x.pred.value === 'cmd.exe')));
    expect(cmd?.events).toContain('sysmon-1');
    const dns = rules.find((r) => r.techniqueTags.some((t) => t.id === 'T1102'));
    expect(dns?.events).toEqual(['sysmon-22']);
  });
});
