import { describe, expect, it } from 'vitest';
import { buildSiteIndex, type AttackView, type LoadedSource } from '../../src/lib/aggregate/build-index.js';
import { FieldMapper } from '../../src/lib/normalize/field-mapper.js';
import type { Catalog, EventEntry } from '../../src/lib/catalog/load.js';
import type { MappingTable } from '../../src/lib/catalog/schema.js';
import type { RuleDraft, Vendor } from '../../src/lib/model/rule.js';
import { and, not, pred, type Logic } from '../../src/lib/model/logic.js';
import type { SourceReport } from '../../src/lib/aggregate/types.js';

const ev = (slug: string, id: number, title: string): EventEntry => ({
  key: `${slug}-${id}`, id, title, provider: slug, providerSlug: slug, providerName: slug, channel: 'c', platform: 'windows', attackDataComponents: [], fields: [],
});
const catalog: Catalog = {
  dir: '/nonexistent',
  events: new Map([ev('sysmon', 1, 'Process creation'), ev('sysmon', 22, 'DNS query'), ev('security-auditing', 4688, 'Process created')].map((e) => [e.key, e])),
  mappings: new Map<string, MappingTable>([
    ['win', { id: 'win', title: 'w', fallback: 'prefix:winlog.event_data.', caseInsensitive: false, fields: { Image: 'process.executable', CommandLine: 'process.command_line', QueryName: 'dns.question.name', EventID: 'event.code' } }],
    ['ecs', { id: 'ecs', title: 'e', fallback: 'identity', caseInsensitive: false, fields: {} }],
  ]),
  sigmaLogsources: { mappings: [] },
};
const tech = (id: string, name: string, subs: string[] = [], extra: Partial<AttackView['techniques'] extends Map<string, infer T> ? T : never> = {}) => ({
  id, name, description: `${name} (Citation: X)`, url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`, tactics: ['execution'], platforms: ['Windows'],
  isSubtechnique: id.includes('.'), parentId: id.includes('.') ? id.split('.')[0] : undefined, subtechniques: subs, revoked: false, deprecated: false, references: [], ...extra,
});
const techniques = new Map([
  ['T1059', tech('T1059', 'Command and Scripting Interpreter', ['T1059.001', 'T1059.003'])],
  ['T1059.001', tech('T1059.001', 'PowerShell')],
  ['T1059.003', tech('T1059.003', 'Windows Command Shell')],
  ['T1102', tech('T1102', 'Web Service')],
  ['T1086', tech('T1086', 'PowerShell', [], { revoked: true, revokedBy: 'T1059.001' })],
  ['T1059.099', tech('T1059.099', 'Old interpreter', [], { deprecated: true })],
]);
const attack: AttackView = {
  version: '18.1',
  tactics: [{ id: 'TA0002', shortname: 'execution', name: 'Execution' }],
  techniques,
  resolve: (tag) => {
    const id = tag.toUpperCase();
    const t = techniques.get(id);
    if (t && !t.revoked) return { id, via: 'bundle' };
    if (t?.revokedBy) return { id: t.revokedBy, via: 'revoked' };
    if (id === 'T1685') return { id: 'T1059', via: 'crosswalk' };
    return null;
  },
};

let n = 0;
function draft(vendor: Vendor, title: string, techniqueIds: string[], logic: Logic, events: string[], tables: string[], deprecated = false): RuleDraft {
  n++;
  return {
    id: `${vendor}-${n}`, title, description: '', vendor, path: `r/${n}.x`, status: 'stable', deprecated, references: [], falsePositives: [], tags: [],
    techniqueTags: techniqueIds.map((id) => ({ id, line: 3, column: 5 })), type: 'query', language: vendor === 'sigma' ? 'sigma' : 'eql', query: 'q',
    parts: [{ logic }], logsource: 'x', events, mappingTables: tables, meta: {}, sections: [],
  };
}
function source(id: string, format: Vendor, drafts: RuleDraft[]): LoadedSource {
  const report: SourceReport = { id, format, title: id, commit: 'abc', repo: null, files: drafts.length, rules: drafts.length, published: drafts.length, noQuery: 0, failed: 0, byLanguage: {}, diagnostics: [] };
  return { config: { id, format, dir: id, include: ['**'], exclude: [] }, report, drafts };
}

const cmdSigma = draft('sigma', 'Cmd via sigma', ['T1059.003'], and([pred({ field: 'Image', operator: 'wildcard', value: '*\\cmd.exe' }), not(pred({ field: 'CommandLine', operator: 'wildcard', value: '*/c echo*' }))]), ['sysmon-1', 'security-auditing-4688'], ['win']);
const cmdSigma2 = draft('sigma', 'Cmd twice', ['T1059.003', 'T1059'], and([pred({ field: 'Image', operator: 'wildcard', value: '*\\cmd.exe' }), pred({ field: 'Image', operator: 'eq', value: 'C:\\x\\cmd.exe' }), pred({ field: 'EventID', operator: 'eq', value: 1 })]), ['sysmon-1'], ['win']);
const cmdElastic = draft('elastic', 'Cmd via elastic', ['T1059.003'], pred({ field: 'process.name', operator: 'eq', value: 'CMD.exe', caseSensitive: true }), ['sysmon-1'], ['ecs']);
const psRevoked = draft('elastic', 'PowerShell old tag', ['T1086'], pred({ field: 'process.name', operator: 'eq', value: 'powershell.exe' }), ['sysmon-1'], ['ecs']);
const dns = draft('sigma', 'Ngrok DNS', ['T1102'], pred({ field: 'QueryName', operator: 'wildcard', value: '*.ngrok.io' }), ['sysmon-22'], ['win']);
const unknownTag = draft('sigma', 'Bad tag', ['T9999'], pred({ field: 'Image', operator: 'wildcard', value: '*\\cmd.exe' }), [], ['win']);
const old = draft('sigma', 'Deprecated cmd', ['T1059.003'], pred({ field: 'Image', operator: 'wildcard', value: '*\\cmd.exe' }), ['sysmon-1'], ['win'], true);

function build() {
  return buildSiteIndex({
    buildDate: '2026-01-01', attack, catalog, mapper: new FieldMapper(catalog.mappings.values()),
    sources: [source('sigma', 'sigma', [cmdSigma, cmdSigma2, dns, unknownTag, old]), source('elastic', 'elastic', [cmdElastic, psRevoked])],
  });
}

describe('buildSiteIndex', () => {
  const index = build();
  const t = (id: string) => index.techniques.find((x) => x.id === id)!;

  it('merges the same indicator across vendors on one row, each rule once', () => {
    const row = t('T1059.003').indicators.find((i) => i.canonical === 'process.name' && i.value !== null && String(i.value).toLowerCase() === 'cmd.exe')!;
    expect(row).toBeDefined();
    expect(row.rules).toBe(3);
    expect(row.vendors).toEqual(['sigma', 'elastic']);
    // reach counts the rule with an unresolved tag too (any technique), not the deprecated one
    expect(row.reach).toBe(4);
  });
  it('shows the value as most commonly written', () => {
    const row = t('T1059.003').indicators.find((i) => i.canonical === 'process.name')!;
    expect(row.value).toBe('cmd.exe');
  });
  it('derives exclusions from polarity', () => {
    expect(t('T1059.003').exclusions.map((e) => e.value)).toEqual(['*/c echo*']);
    const rule = index.rules.find((r) => r.title === 'Cmd via sigma')!;
    expect(rule.predicates.map((p) => p.exclusion)).toEqual([false, true]);
  });
  it('rolls sub-technique rules up into the parent, apart from exact ones', () => {
    expect(t('T1059').rules.map((r) => r.title)).toEqual(['Cmd twice']);
    expect(t('T1059').rollupRules.map((r) => r.title).sort()).toEqual(['Cmd via elastic', 'Cmd via sigma', 'PowerShell old tag']);
    expect(t('T1059.003').rollupRules).toEqual([]);
  });
  it('resolves revoked tags to their replacement and reports unresolved ones', () => {
    expect(t('T1059.001').rules.map((r) => r.title)).toEqual(['PowerShell old tag']);
    const res = index.rules.find((r) => r.title === 'PowerShell old tag')!.techniqueResolutions;
    expect(res).toEqual([{ tag: 'T1086', id: 'T1059.001', via: 'revoked' }]);
    const diag = index.sources[0]!.diagnostics.find((d) => d.code === 'attack/unresolved-technique')!;
    expect(diag).toMatchObject({ file: unknownTag.path, line: 3, column: 5, severity: 'warning' });
    expect(index.redirects).toEqual([{ from: 'T1086', to: 'T1059.001' }]);
  });
  it('leaves event selectors out of fields and counts events per technique', () => {
    expect(t('T1059.003').fields.map((f) => f.canonical)).not.toContain('event.code');
    expect(t('T1059.003').events.map((e) => [e.key, e.rules])).toEqual([
      ['security-auditing-4688', 1],
      ['sysmon-1', 3],
    ]);
  });
  it('keeps deprecated rules out of aggregates but publishes them', () => {
    expect(index.rules.some((r) => r.title === 'Deprecated cmd')).toBe(true);
    expect(t('T1059.003').rules.map((r) => r.title)).not.toContain('Deprecated cmd');
  });
  it('builds event records with techniques reached', () => {
    const e = index.events.find((x) => x.key === 'sysmon-22')!;
    expect(e.rules.map((r) => r.title)).toEqual(['Ngrok DNS']);
    expect(e.techniques).toEqual([{ id: 'T1102', name: 'Web Service', rules: 1 }]);
  });
  it('records operator use per field', () => {
    const f = t('T1059.003').fields.find((x) => x.canonical === 'process.command_line')!;
    expect(f.operators).toEqual({ wildcard: 1 });
  });
  it('keeps deprecated sub-techniques below their parent so their pages are reachable', () => {
    expect(t('T1059').subtechniques).toEqual(['T1059.001', 'T1059.003', 'T1059.099']);
    expect(t('T1059.099').deprecated).toBe(true);
  });
  it('is deterministic', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(index));
  });
});
