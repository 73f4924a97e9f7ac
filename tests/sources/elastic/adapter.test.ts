import { describe, expect, it } from 'vitest';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import { partsToSexpr } from '../../../src/lib/model/sexpr.js';
import { loadRule, loadToml, ruleToml } from './helpers.js';

const THREAT = `[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "T1059"
name = "Command and Scripting Interpreter"
reference = "https://attack.mitre.org/techniques/T1059/"
[[rule.threat.technique.subtechnique]]
id = "T1059.001"
name = "PowerShell"
reference = "https://attack.mitre.org/techniques/T1059/001/"

[rule.threat.tactic]
id = "TA0002"
name = "Execution"
reference = "https://attack.mitre.org/tactics/TA0002/"

[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "t1027"
name = "Obfuscated Files or Information"
reference = "https://attack.mitre.org/techniques/T1027/"

[rule.threat.tactic]
id = "TA0005"
name = "Defense Evasion"
reference = "https://attack.mitre.org/tactics/TA0005/"
`;

describe('metadata', () => {
  const text = ruleToml({
    query: 'process where process.name : "pwsh.exe"',
    rule: [
      'false_positives = ["""',
      '    Admin scripts',
      '    run at night.',
      '    """]',
      'references = ["https://example.com/a"]',
      'note = """## Triage\nLook at the parent."""',
      'setup = "Install the integration."',
    ].join('\n'),
    after: THREAT,
  });
  const rule = loadRule(text, 'rules/windows/execution_test.toml');

  it('reads the rule fields', () => {
    expect(rule).toMatchObject({
      id: '00000000-0000-4000-8000-000000000001',
      title: 'Test Rule',
      description: 'Test rule.',
      vendor: 'elastic',
      path: 'rules/windows/execution_test.toml',
      status: 'production',
      deprecated: false,
      severity: 'low',
      author: 'Elastic, Someone',
      date: '2024-01-02',
      modified: '2024-03-04',
      references: ['https://example.com/a'],
      falsePositives: ['Admin scripts\nrun at night.'],
      tags: ['OS: Windows'],
      type: 'eql',
      language: 'eql',
      query: 'process where process.name : "pwsh.exe"\n',
      mappingTables: ['ecs'],
    });
    expect(rule.sections).toEqual([
      { title: 'Investigation guide', markdown: '## Triage\nLook at the parent.' },
      { title: 'Setup', markdown: 'Install the integration.' },
    ]);
  });

  it('points queryLine at the first line of a multi-line query', () => {
    const line = text.split('\n').findIndex((l) => l.startsWith('process where')) + 1;
    expect(rule.queryLine).toBe(line);
  });

  it('reads technique and sub-technique IDs with their lines', () => {
    const lines = text.split('\n');
    const lineOf = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    expect(rule.techniqueTags).toEqual([
      { id: 'T1059', line: lineOf('id = "T1059"'), column: 7 },
      { id: 'T1059.001', line: lineOf('id = "T1059.001"'), column: 7 },
      { id: 'T1027', line: lineOf('id = "t1027"'), column: 7 },
    ]);
  });

  it('keeps EQL facts and vendor facts in meta', () => {
    expect(rule.meta).toMatchObject({
      ruleType: 'eql',
      index: ['logs-endpoint.events.process-*', 'winlogbeat-*'],
      risk_score: 21,
      maturity: 'production',
      eql: { kind: 'event', by: [], pipes: [] },
    });
    expect(rule.meta).not.toHaveProperty('threshold');
    expect(rule.meta).not.toHaveProperty('building_block');
  });

  it('marks rules under _deprecated as deprecated', () => {
    expect(loadRule(text, 'rules/_deprecated/old.toml').deprecated).toBe(true);
  });
});

describe('rule types', () => {
  it('loads a KQL threshold rule with its threshold', () => {
    const rule = loadRule(
      ruleToml({ type: 'threshold', language: 'kuery', query: 'event.code:"4625"', after: '[rule.threshold]\nfield = ["source.ip"]\nvalue = 10' }),
    );
    expect(rule.language).toBe('kuery');
    expect(rule.meta.threshold).toEqual({ field: ['source.ip'], value: 10 });
    expect(partsToSexpr(rule.parts)).toBe('(eq event.code "4625")');
  });

  it('defaults a query rule without language to KQL', () => {
    expect(loadRule(ruleToml({ type: 'query', query: 'process.name:cmd.exe' })).language).toBe('kuery');
  });

  it('loads new_terms fields and history window', () => {
    const rule = loadRule(
      ruleToml({
        type: 'new_terms',
        language: 'kuery',
        query: 'event.category:process',
        after: '[rule.new_terms]\nfield = "new_terms_fields"\nvalue = ["host.id", "process.executable"]\n[[rule.new_terms.history_window_start]]\nfield = "history_window_start"\nvalue = "now-7d"',
      }),
    );
    expect(rule.meta.new_terms).toEqual({ fields: ['host.id', 'process.executable'], history_window_start: 'now-7d' });
  });

  it('loads a machine learning rule without query', () => {
    const rule = loadRule(
      ruleToml({ type: 'machine_learning', rule: 'anomaly_threshold = 50\nmachine_learning_job_id = "v3_windows_rare_script_ea"' }),
    );
    expect(rule).toMatchObject({ type: 'machine_learning', language: null, query: null, parts: [], events: [] });
    expect(rule.queryLine).toBeUndefined();
    expect(rule.meta).toMatchObject({ machine_learning_job_id: ['v3_windows_rare_script_ea'], anomaly_threshold: 50 });
    expect(rule.logsource).toBe('machine learning: v3_windows_rare_script_ea');
  });

  it('keeps a threat match rule\'s indicator query and mapping in meta', () => {
    const rule = loadRule(
      ruleToml({
        type: 'threat_match',
        language: 'kuery',
        query: 'file.hash.sha256:*',
        rule: 'threat_index = ["logs-ti_*"]\nthreat_query = "threat.indicator.file.hash.sha256:*"',
        after: '[[rule.threat_mapping]]\n[[rule.threat_mapping.entries]]\nfield = "file.hash.sha256"\ntype = "mapping"\nvalue = "threat.indicator.file.hash.sha256"',
      }),
    );
    expect(rule.meta).toMatchObject({
      threat_index: ['logs-ti_*'],
      threat_query: 'threat.indicator.file.hash.sha256:*',
      threat_mapping: [[{ field: 'file.hash.sha256', value: 'threat.indicator.file.hash.sha256' }]],
    });
    expect(partsToSexpr(rule.parts)).toBe('(exists file.hash.sha256 true)');
  });

  it('marks building blocks', () => {
    expect(loadRule(ruleToml({ query: 'process where true', rule: 'building_block_type = "default"' })).meta.building_block).toBe(true);
  });

  it('keeps sequence steps and meta', () => {
    const rule = loadRule(
      ruleToml({ query: 'sequence by host.id with maxspan=30s\n  [process where process.name : "a.exe"]\n  [network where destination.port == 443]' }),
    );
    expect(rule.parts.map((p) => [p.step, p.category])).toEqual([[1, 'process'], [2, 'network']]);
    expect(rule.meta.eql).toEqual({ kind: 'sequence', by: ['host.id'], maxspan: '30s', pipes: [] });
  });
});

describe('filters', () => {
  const after = `[[rule.filters]]
[rule.filters.meta]
negate = true
[rule.filters.query.wildcard."process.executable"]
case_insensitive = true
value = "C:\\\\\\\\Program Files\\\\\\\\*"

[[rule.filters]]
[rule.filters.meta]
negate = false
[rule.filters.query.match_phrase]
"user.domain" = "CORP"

[[rule.filters]]
[rule.filters.meta]
disabled = true
negate = true
[rule.filters.query.exists]
field = "ignored.field"

[[rule.filters]]
[rule.filters."$state"]
store = "appState"
[rule.filters.exists]
field = "user_agent.original"
[rule.filters.meta]
negate = true
type = "exists"
`;
  const rule = loadRule(ruleToml({ type: 'query', language: 'kuery', query: 'process.name:"cmd.exe"', after }));

  it('ANDs filters into the query; negated ones are exclusions', () => {
    expect(partsToSexpr(rule.parts)).toBe(
      '(and (eq process.name "cmd.exe") (not (wildcard process.executable "C:\\\\Program Files\\\\*")) (eq user.domain "CORP") (not (exists user_agent.original true)))',
    );
    const polar = polarPredicates(rule.parts[0]!.logic).map((p) => [p.pred.field, p.exclusion]);
    expect(polar).toEqual([
      ['process.name', false],
      ['process.executable', true],
      ['user.domain', false],
      ['user_agent.original', true],
    ]);
  });
});

describe('diagnostics', () => {
  it('reports TOML syntax errors at their line and column', () => {
    const text = '[metadata]\nmaturity = "production"\n\n[rule]\nname = "x\n';
    const r = loadToml(text);
    expect(r.rules).toEqual([]);
    expect(r.failed).toBe(1);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'elastic/toml-syntax', severity: 'error', file: 'rules/windows/test_rule.toml', line: 5 });
  });

  it('shifts query errors into the TOML file (multi-line query starts on the next line)', () => {
    const text = ruleToml({ query: 'process where\n  process.name == "a" and and true' });
    const r = loadToml(text);
    expect(r.failed).toBe(1);
    expect(r.rules).toEqual([]);
    const queryLine = text.split('\n').indexOf("query = '''") + 2;
    expect(r.diagnostics[0]).toMatchObject({ code: 'eql/unexpected-keyword', file: 'rules/windows/test_rule.toml', line: queryLine + 1, column: 27 });
  });

  it('shifts columns of a single-line query', () => {
    const text = ruleToml({ rule: 'query = "process where process.name = \\"x\\""' });
    const r = loadToml(text);
    const line = text.split('\n').findIndex((l) => l.startsWith('query = "')) + 1;
    // `query = "` is 9 characters; the `=` is column 28 of the decoded query
    expect(r.diagnostics[0]).toMatchObject({ code: 'eql/single-equals', line, column: 9 + 28 });
  });

  it('reports a rule without query or with an unknown language', () => {
    expect(loadToml(ruleToml({ type: 'eql' })).diagnostics[0]!.code).toBe('elastic/missing-query');
    expect(loadToml(ruleToml({ language: 'sql', query: 'select 1' })).diagnostics[0]!.code).toBe('elastic/unknown-language');
  });

  it('reports missing required fields', () => {
    const r = loadToml('[metadata]\nmaturity = "production"\n\n[rule]\nname = "x"\ntype = "query"\n');
    expect(r.failed).toBe(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'elastic/missing-field', line: 4, column: 1 });
  });

  it('ignores TOML files without a [rule] table', () => {
    const r = loadToml('[metadata]\nmaturity = "production"\n');
    expect(r.rules).toEqual([]);
    expect(r.ignored).toMatch(/no \[rule\]/);
  });

  it('warns about filter clauses it cannot read and still publishes', () => {
    const r = loadToml(ruleToml({ query: 'process where true', after: '[[rule.filters]]\n[rule.filters.query.geo_shape.location]\nrelation = "within"' }));
    expect(r.rules).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'elastic/filter', severity: 'warning' });
  });
});
