import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogError } from '../../../src/lib/catalog/load.js';
import { partsToSexpr } from '../../../src/lib/model/sexpr.js';
import { splunkAdapter } from '../../../src/lib/sources/splunk/index.js';
import { sourceTree, testCatalog } from './helpers.js';

const TSTATS_RULE = `name: Shell From Office
id: 0f0f0f0f-1111-2222-3333-444444444444
version: 2
date: '2024-03-01'
author: Test Author
type: TTP
status: production
data_source:
- Sysmon EventID 1
description: A shell started by an office program.
search: '| tstats \`summaries\` count min(_time) as firstTime from datamodel=Endpoint.Processes
  where \`proc(cmd.exe)\` Processes.parent_process_name IN ("winword.exe", "excel.exe")
  by Processes.dest Processes.user | \`drop_dm_object_name(Processes)\` | \`ctime(firstTime)\`
  | \`shell_from_office_filter\`'
how_to_implement: Feed the Endpoint data model.
known_false_positives: Macros that call batch files.
references:
- https://example.org/one
tags:
  analytic_story:
  - Shell Abuse
  - Unknown Story
  confidence: 80
  impact: 80
  message: Shell on $dest$
  mitre_attack_id:
  - T1059.003
  - T1059
  observable:
  - name: dest
    type: Hostname
    role:
    - Victim
  required_fields:
  - Processes.process_name
  risk_score: 64
  security_domain: endpoint
  cve:
  - CVE-2024-0001
tests:
- name: True Positive Test
  attack_data:
  - data: https://example.org/data.log
    source: XmlWinEventLog:Microsoft-Windows-Sysmon/Operational
    sourcetype: xmlwineventlog
`;

function load(detections: Record<string, string>, path: string) {
  const dir = sourceTree(detections);
  const ctx = { catalog: testCatalog(), sourceDir: dir };
  const { prepared, diagnostics } = splunkAdapter.prepare(ctx);
  expect(diagnostics).toEqual([]);
  return splunkAdapter.load({ path, text: readFileSync(join(dir, path), 'utf8') }, ctx, prepared);
}

describe('splunkAdapter', () => {
  it('loads a tstats rule with expanded macros, events, techniques and metadata', () => {
    const r = load({ 'endpoint/shell.yml': TSTATS_RULE }, 'detections/endpoint/shell.yml');
    expect(r.diagnostics).toEqual([]);
    const rule = r.rules[0]!;
    expect(rule).toMatchObject({
      id: '0f0f0f0f-1111-2222-3333-444444444444',
      title: 'Shell From Office',
      vendor: 'splunk',
      status: 'production',
      deprecated: false,
      type: 'TTP',
      language: 'spl',
      severity: 'high',
      author: 'Test Author',
      date: '2024-03-01',
      queryLine: 11,
      references: ['https://example.org/one'],
      falsePositives: ['Macros that call batch files.'],
      mappingTables: ['cim'],
      tags: ['T1059.003', 'T1059', 'CVE-2024-0001'],
    });
    expect(rule.techniqueTags).toEqual([
      { id: 'T1059.003', line: 27, column: 5 },
      { id: 'T1059', line: 28, column: 5 },
    ]);
    expect(partsToSexpr(rule.parts)).toBe(
      '(and (or (eq Processes.process_name "cmd.exe") (eq Processes.original_file_name "cmd.exe")) (or (eq Processes.parent_process_name "winword.exe") (eq Processes.parent_process_name "excel.exe")))',
    );
    expect(rule.queryExpanded).toBe(
      '| tstats summariesonly=false count min(_time) as firstTime from datamodel=Endpoint.Processes where (Processes.process_name=cmd.exe OR Processes.original_file_name=cmd.exe) Processes.parent_process_name IN ("winword.exe", "excel.exe") by Processes.dest Processes.user | rename Processes.* AS * | convert ctime(firstTime)',
    );
    // Windows data source: the data model adds Security 4688, not Sysmon for Linux
    expect(rule.events).toEqual(['sysmon-1', 'security-auditing-4688']);
    expect(rule.logsource).toBe('datamodel Endpoint.Processes · Sysmon EventID 1');
    expect(rule.sections.map((s) => s.title)).toEqual(['How to implement', 'Known false positives']);
    expect(rule.meta).toMatchObject({
      datamodel: 'Endpoint',
      filterMacros: ['shell_from_office_filter'],
      macrosUsed: ['summaries', 'proc', 'drop_dm_object_name', 'ctime'],
      unknownMacros: [],
      requiredFields: ['Processes.process_name'],
      securityDomain: 'endpoint',
      cve: ['CVE-2024-0001'],
      analyticStories: [{ name: 'Shell Abuse', id: '11111111-2222-3333-4444-555555555555', description: 'Shells doing odd things.' }, { name: 'Unknown Story' }],
      risk: { score: 64, impact: 80, confidence: 80, message: 'Shell on $dest$', observables: [{ name: 'dest', type: 'Hostname', role: ['Victim'] }] },
      tests: [{ name: 'True Positive Test', attackData: [{ data: 'https://example.org/data.log', source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', sourcetype: 'xmlwineventlog' }] }],
      spl: { datamodels: ['Endpoint.Processes'], nodes: ['Processes'], by: ['Processes.dest', 'Processes.user'] },
    });
    expect((rule.meta.dataSources as Array<{ name: string; events: string[] }>)[0]).toMatchObject({ name: 'Sysmon EventID 1', defined: true, events: ['sysmon-1'] });
  });

  it('marks rules deprecated by folder or by status', () => {
    const byFolder = load({ 'deprecated/old.yml': TSTATS_RULE }, 'detections/deprecated/old.yml');
    expect(byFolder.rules[0]!.deprecated).toBe(true);
    const byStatus = load({ 'endpoint/old.yml': TSTATS_RULE.replace('status: production', 'status: deprecated') }, 'detections/endpoint/old.yml');
    expect(byStatus.rules[0]).toMatchObject({ deprecated: true, status: 'deprecated' });
  });

  it('splits data sources joined with AND and resolves undefined names by prefix or table', () => {
    const rule = TSTATS_RULE.replace('- Sysmon EventID 1', '- Sysmon EventID 10 AND Windows Event Log Security 4720\n- Odd Source\n- Some EDR Process\n- Nobody Knows This');
    const r = load({ 'endpoint/a.yml': rule }, 'detections/endpoint/a.yml');
    const ds = r.rules[0]!.meta.dataSources as Array<{ name: string; defined: boolean; events: string[] }>;
    expect(ds.map((d) => [d.name, d.defined, d.events])).toEqual([
      ['Sysmon EventID 10', true, ['sysmon-10']],
      ['Windows Event Log Security 4720', false, ['security-auditing-4720']],
      ['Odd Source', false, ['sysmon-3']],
      ['Some EDR Process', true, []],
      ['Nobody Knows This', false, []],
    ]);
    expect(r.rules[0]!.events).toEqual(['sysmon-10', 'security-auditing-4720', 'sysmon-3', 'sysmon-1', 'security-auditing-4688']);
    expect(r.rules[0]!.logsource).toBe('datamodel Endpoint.Processes · Sysmon EventID 10, Windows Event Log Security 4720, Odd Source, Some EDR Process, Nobody Knows This');
  });

  it('takes Linux feeding events for a Linux rule, and all of them when no data source resolves', () => {
    const linux = load({ 'endpoint/l.yml': TSTATS_RULE.replace('- Sysmon EventID 1', '- Sysmon for Linux EventID 1') }, 'detections/endpoint/l.yml');
    expect(linux.rules[0]!.events).toEqual(['sysmon-linux-1']);
    const edr = load({ 'endpoint/e.yml': TSTATS_RULE.replace('- Sysmon EventID 1', '- Some EDR Process') }, 'detections/endpoint/e.yml');
    expect(edr.rules[0]!.events).toEqual(['sysmon-1', 'security-auditing-4688', 'sysmon-linux-1']);
  });

  it('falls back to the channels and event codes a raw search selects', () => {
    const raw = TSTATS_RULE.replace(/data_source:\n- Sysmon EventID 1\n/, '').replace(/search: '[\s\S]*?_filter`'\n/, "search: '`sysmon` EventCode=10 TargetImage=*lsass.exe | stats count by dest'\n");
    const r = load({ 'endpoint/r.yml': raw }, 'detections/endpoint/r.yml');
    expect(r.rules[0]!.events).toEqual(['sysmon-10']);
    expect(r.rules[0]!.logsource).toBe('unknown');
    expect(partsToSexpr(r.rules[0]!.parts)).toBe('(and (eq source "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational") (eq EventCode 10) (wildcard TargetImage "*lsass.exe"))');
  });

  it('reports an SPL error at its line and column in the YAML file, and fails the rule', () => {
    const broken = TSTATS_RULE.replace('Processes.parent_process_name IN ("winword.exe", "excel.exe")', 'Processes.parent_process_name IN ("winword.exe", "excel.exe")) x');
    const r = load({ 'endpoint/b.yml': broken }, 'detections/endpoint/b.yml');
    expect(r.rules).toEqual([]);
    expect(r.failed).toBe(1);
    expect(r.failedLanguage).toBe('spl');
    const err = r.diagnostics.find((d) => d.severity === 'error')!;
    expect(err).toMatchObject({ code: 'spl/unexpected-token', file: 'detections/endpoint/b.yml', line: 12, length: 1 });
    const lineText = broken.split('\n')[11]!;
    expect(lineText.slice(err.column - 2, err.column + 1)).toBe(')) ');
  });

  it('maps positions in a block scalar search', () => {
    const block = TSTATS_RULE.replace(/search: '[\s\S]*?_filter`'\n/, 'search: |\n  `sysmon` EventCode=1\n    (Image=*\\\\cmd.exe OR\n  | stats count\n');
    const r = load({ 'endpoint/k.yml': block }, 'detections/endpoint/k.yml');
    expect(r.failed).toBe(1);
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.map((d) => [d.code, d.line, d.column])).toEqual([
      ['spl/missing-operand', 13, 23],
      ['spl/unbalanced-paren', 13, 5],
    ]);
  });

  it('points at a macro call for problems inside its expansion', () => {
    const rule = TSTATS_RULE.replace('`proc(cmd.exe)`', '`proc(cmd.exe)` `nosuch`');
    const r = load({ 'endpoint/m.yml': rule }, 'detections/endpoint/m.yml');
    const warn = r.diagnostics.find((d) => d.code === 'spl/unknown-macro')!;
    expect(warn).toMatchObject({ severity: 'warning', line: 12, column: 25, length: 8 });
    expect(r.rules[0]!.meta.unknownMacros).toEqual(['nosuch']);
  });

  it('reports YAML syntax errors with a position and never throws', () => {
    const r = load({ 'endpoint/y.yml': 'name: x\nsearch: [unclosed\nid: 1\n' }, 'detections/endpoint/y.yml');
    expect(r.rules).toEqual([]);
    expect(r.failed).toBe(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'splunk/yaml-syntax', severity: 'error', file: 'detections/endpoint/y.yml' });
    expect(r.diagnostics[0]!.line).toBeGreaterThan(1);
  });

  it('reads files js-yaml rejects with the YAML 1.2 parser and says so', () => {
    const dup = TSTATS_RULE.replace('version: 2\n', 'version: 2\nversion: 3\n');
    const r = load({ 'endpoint/d.yml': dup }, 'detections/endpoint/d.yml');
    expect(r.rules).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([['splunk/yaml-fallback', 'info', 4]]);
  });

  it('fails a detection without a search and ignores files outside detections/', () => {
    const r = load({ 'endpoint/n.yml': 'name: No Search\nid: 1\n' }, 'detections/endpoint/n.yml');
    expect(r).toMatchObject({ rules: [], failed: 1 });
    expect(r.diagnostics[0]!.code).toBe('splunk/missing-search');
    const dir = sourceTree({});
    const ctx = { catalog: testCatalog(), sourceDir: dir };
    const { prepared } = splunkAdapter.prepare(ctx);
    const m = splunkAdapter.load({ path: 'macros/sysmon.yml', text: 'name: sysmon\ndefinition: x\n' }, ctx, prepared);
    expect(m.ignored).toMatch(/not a detection/);
  });

  it('warns about malformed technique IDs and derives a missing id', () => {
    const rule = TSTATS_RULE.replace('id: 0f0f0f0f-1111-2222-3333-444444444444\n', '').replace('  - T1059\n', '  - TA0002\n');
    const r = load({ 'endpoint/t.yml': rule }, 'detections/endpoint/t.yml');
    expect(r.rules[0]!.id).toBe('splunk:detections/endpoint/t.yml');
    expect(r.rules[0]!.techniqueTags.map((t) => t.id)).toEqual(['T1059.003']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['splunk/missing-id', 'splunk/bad-technique']);
  });

  it('throws a CatalogError when our log source table is wrong', () => {
    const dir = sourceTree({});
    const bad = testCatalog('channels:\n  - {source: x, provider: nosuch}\ndatamodels:\n  - dataset: Endpoint.Processes\n    events: [sysmon-99]\ntables: [cim, nope]\n');
    expect(() => splunkAdapter.prepare({ catalog: bad, sourceDir: dir })).toThrow(CatalogError);
    try {
      splunkAdapter.prepare({ catalog: bad, sourceDir: dir });
    } catch (e) {
      expect((e as CatalogError).diagnostics.map((d) => d.message)).toEqual([
        'unknown provider nosuch',
        'datamodels[0] (Endpoint.Processes) names unknown event sysmon-99',
        'tables names unknown mapping table nope',
      ]);
    }
    const schema = testCatalog('channels: []\ntables: [cim]\n');
    expect(() => splunkAdapter.prepare({ catalog: schema, sourceDir: dir })).toThrow(CatalogError);
  });

  it('warns when side folders are missing but still loads rules', () => {
    const ctx = { catalog: testCatalog(), sourceDir: sourceTree({}) + '/nowhere' };
    const { diagnostics } = splunkAdapter.prepare(ctx);
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['splunk/missing-folder', 'macros'],
      ['splunk/missing-folder', 'data_sources'],
    ]);
  });
});
