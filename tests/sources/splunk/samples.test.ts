import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fg from 'fast-glob';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/lib/catalog/load.js';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import { FieldMapper } from '../../../src/lib/normalize/field-mapper.js';
import { splunkAdapter } from '../../../src/lib/sources/splunk/index.js';

/** Integration with our real catalog: catalog/logsources/splunk.yaml, catalog/mappings/cim.yaml and samples/splunk. */
describe('samples/splunk with the project catalog', () => {
  const root = resolve(process.cwd());
  const catalog = loadCatalog(join(root, 'catalog'));
  const dir = join(root, 'samples/splunk');
  const ctx = { catalog, sourceDir: dir };
  const { prepared, diagnostics } = splunkAdapter.prepare(ctx);
  const results = fg.sync('detections/**/*.yml', { cwd: dir }).sort().map((path) => ({ path, r: splunkAdapter.load({ path, text: readFileSync(join(dir, path), 'utf8') }, ctx, prepared) }));
  const rules = results.flatMap((x) => x.r.rules);

  it('loads every sample rule without a diagnostic, every one with predicates and catalog events', () => {
    expect(diagnostics).toEqual([]);
    expect(results.flatMap((x) => x.r.diagnostics)).toEqual([]);
    expect(rules).toHaveLength(14);
    for (const rule of rules) {
      expect(rule.parts.flatMap((p) => polarPredicates(p.logic)).length, rule.path).toBeGreaterThan(0);
      expect(rule.events.length, rule.path).toBeGreaterThan(0);
    }
    expect(rules.filter((r) => r.deprecated).map((r) => r.path)).toEqual(['detections/deprecated/certutil_download.yml']);
    expect(new Set(rules.map((r) => r.type))).toEqual(new Set(['TTP', 'Anomaly', 'Hunting']));
  });

  it('normalizes `Processes.process_name=cmd.exe` to process.name with the cim table', () => {
    const rule = rules.find((r) => r.path.endsWith('cmd_spawned_by_office_application.yml'))!;
    const mapper = new FieldMapper(catalog.mappings.values());
    const first = polarPredicates(rule.parts[0]!.logic)[0]!.pred;
    expect([first.field, first.operator, first.value]).toEqual(['Processes.process_name', 'eq', 'cmd.exe']);
    expect(mapper.map(first.field!, rule.mappingTables)).toEqual({ canonical: 'process.name', table: 'cim', via: 'table' });
    expect(mapper.map('ScriptBlockText', rule.mappingTables).canonical).toBe('powershell.file.script_block_text');
    expect(mapper.map('EventCode', rule.mappingTables).canonical).toBe('event.code');
    expect(mapper.map('DNS.query', rule.mappingTables).canonical).toBe('dns.question.name');
    expect(mapper.map('no_such_field', rule.mappingTables)).toEqual({ canonical: 'splunk.no_such_field', table: 'cim', via: 'fallback' });
  });

  it('maps the DNS rule to Sysmon 22 and T1102', () => {
    const rule = rules.find((r) => r.path.endsWith('dns_query_to_web_service.yml'))!;
    expect(rule.events).toEqual(['sysmon-22']);
    expect(rule.techniqueTags.map((t) => t.id)).toEqual(['T1102', 'T1071.004']);
    expect(rule.meta.lookups).toEqual([{ name: 'web_service_domains', description: 'Domains of public web services that malware uses for command and control or staging.', filename: 'web_service_domains.csv' }]);
  });
});
