import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog } from '../../../src/lib/catalog/load.js';
import { elasticAdapter, indexSelects, loadElasticLogsources } from '../../../src/lib/sources/elastic/index.js';
import { loadRule, ruleToml, testCatalog } from './helpers.js';

const eventsOf = (opts: Parameters<typeof ruleToml>[0]) => loadRule(ruleToml(opts)).events;

describe('index patterns', () => {
  it('selects a source pattern only when the rule pattern is at least as specific', () => {
    expect(indexSelects('logs-endpoint.events.process-*', 'logs-endpoint.events.*')).toBe(true);
    expect(indexSelects('logs-endpoint.events.*', 'logs-endpoint.events.*')).toBe(true);
    expect(indexSelects('logs-*', 'logs-endpoint.events.*')).toBe(false);
    expect(indexSelects('winlogbeat-*', 'winlogbeat-*')).toBe(true);
    expect(indexSelects('remote:winlogbeat-*', 'winlogbeat-*')).toBe(true);
  });
});

describe('events', () => {
  it('maps a Windows process start over Sysmon or Security logs to both process-creation events', () => {
    expect(eventsOf({ index: ['logs-windows.sysmon_operational-*', 'logs-system.security*'], query: 'process where event.type == "start" and process.name : "cmd.exe"' })).toEqual([
      'sysmon-1',
      'security-auditing-4688',
    ]);
  });

  it('keeps only the providers a source carries', () => {
    expect(eventsOf({ index: ['logs-windows.sysmon_operational-*'], query: 'process where process.name : "cmd.exe"' })).toEqual(['sysmon-1']);
    expect(eventsOf({ index: ['logs-system.security*'], type: 'query', language: 'kuery', query: 'event.category:process and event.type:start' })).toEqual(['security-auditing-4688']);
  });

  it('maps Elastic Defend process events to the Windows events only for Windows rules', () => {
    const query = (os: string) => `process where host.os.type == "${os}" and event.type == "start" and process.name : "x"`;
    expect(eventsOf({ index: ['logs-endpoint.events.process-*'], query: query('windows') })).toEqual(['sysmon-1', 'security-auditing-4688']);
    expect(eventsOf({ index: ['logs-endpoint.events.process-*'], query: query('linux'), tags: ['OS: Linux'] })).toEqual([]);
  });

  it('takes the category from an Elastic Defend index when the query names none', () => {
    expect(eventsOf({ index: ['logs-endpoint.events.registry-*'], type: 'query', language: 'kuery', query: 'registry.path:*Run*' })).toEqual([
      'sysmon-13',
      'security-auditing-4657',
    ]);
  });

  it('pins the event with event.code, resolving the provider by table order', () => {
    expect(eventsOf({ index: ['winlogbeat-*'], type: 'query', language: 'kuery', query: 'event.code:4104 and powershell.file.script_block_text:*Mimikatz*' })).toEqual(['powershell-4104']);
    expect(eventsOf({ index: ['winlogbeat-*', 'logs-system.security*'], type: 'query', language: 'kuery', query: 'event.code:(4697 or 7045)' })).toEqual([
      'security-auditing-4697',
      'system-7045',
    ]);
    expect(eventsOf({ index: ['winlogbeat-*'], query: 'process where event.code : "10" and winlog.event_data.GrantedAccess : "0x1010"' })).toEqual(['sysmon-10']);
  });

  it('lets a channel narrow the source', () => {
    expect(eventsOf({ index: ['winlogbeat-*'], type: 'query', language: 'kuery', query: 'winlog.channel:"System" and event.code:104' })).toEqual(['system-104']);
  });

  it('selects behaviors by the fields a rule reads', () => {
    expect(eventsOf({ index: ['winlogbeat-*', 'logs-windows.powershell*'], type: 'query', language: 'kuery', query: 'event.category:process and powershell.file.script_block_text:"Invoke-Mimikatz"' })).toEqual(['powershell-4104']);
    expect(eventsOf({ index: ['logs-endpoint.events.network-*'], query: 'network where host.os.type == "windows" and dns.question.name : "*.onion"' })).toEqual(['sysmon-22']);
  });

  it('selects behaviors by event.action values', () => {
    expect(eventsOf({ index: ['logs-system.security*'], type: 'query', language: 'kuery', query: 'event.action:"added-member-to-group"' })).toEqual([
      'security-auditing-4728',
      'security-auditing-4732',
      'security-auditing-4756',
    ]);
  });

  it('ignores values under exclusions', () => {
    expect(eventsOf({ index: ['winlogbeat-*'], type: 'query', language: 'kuery', query: 'event.category:process and not event.code:4689' })).toEqual(['sysmon-1', 'security-auditing-4688']);
  });

  it('publishes unmapped rules with no events and a readable log source', () => {
    const rule = loadRule(ruleToml({ index: ['logs-aws.cloudtrail-*'], type: 'query', language: 'kuery', query: 'event.dataset:aws.cloudtrail and event.action:StopLogging', tags: ['Domain: Cloud'] }));
    expect(rule.events).toEqual([]);
    expect(rule.logsource).toBe('logs-aws.cloudtrail-*');
    const seq = loadRule(ruleToml({ index: ['auditbeat-*'], tags: ['OS: Linux'], query: 'sequence [process where true] [network where true]' }));
    expect(seq.logsource).toBe('auditbeat-* / process, network');
  });

  it('uses the ES|QL FROM patterns when the rule has no index', () => {
    const text = ruleToml({ type: 'esql', language: 'esql', query: 'FROM logs-windows.sysmon_operational-* | WHERE event.code == "1" AND process.name == "cmd.exe"' }).replace(/^index = .*\n/m, '');
    const rule = loadRule(text);
    expect(rule.events).toEqual(['sysmon-1']);
    expect(rule.logsource).toBe('logs-windows.sysmon_operational-*');
  });
});

describe('catalog/logsources/elastic.yaml', () => {
  it('validates against the project catalog', () => {
    const catalog = loadCatalog(path.resolve('catalog'));
    const table = loadElasticLogsources(catalog);
    expect(table.sources.length).toBeGreaterThan(3);
    for (const b of table.behaviors) for (const e of b.events) expect(catalog.events.has(e), e).toBe(true);
  });

  it('throws a CatalogError on a schema error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'elastic-logsources-'));
    mkdirSync(path.join(dir, 'logsources'));
    writeFileSync(path.join(dir, 'logsources', 'elastic.yaml'), 'sources:\n  - id: Bad Id\n    title: x\n    providers: []\nbehaviors: []\n');
    expect(() => elasticAdapter.prepare({ catalog: testCatalog(dir), sourceDir: dir })).toThrow(CatalogError);
  });

  it('throws a CatalogError on an unknown event key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'elastic-logsources-'));
    mkdirSync(path.join(dir, 'logsources'));
    writeFileSync(
      path.join(dir, 'logsources', 'elastic.yaml'),
      'sources:\n  - id: s\n    title: S\n    providers: [sysmon]\nbehaviors:\n  - id: b\n    title: B\n    events: [sysmon-999]\n',
    );
    let error: unknown;
    try {
      elasticAdapter.prepare({ catalog: testCatalog(dir), sourceDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as CatalogError).diagnostics[0]).toMatchObject({
      file: 'catalog/logsources/elastic.yaml',
      line: 8,
      column: 14,
      message: 'behavior b names unknown event sysmon-999',
    });
  });
});
