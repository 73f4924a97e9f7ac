import path from 'node:path';
import type { Catalog, EventEntry } from '../../../src/lib/catalog/load.js';
import type { AdapterResult, RuleDraft } from '../../../src/lib/model/rule.js';
import { elasticAdapter, type ElasticPrepared } from '../../../src/lib/sources/elastic/index.js';

const PROVIDERS: Record<string, { name: string; channel: string; ids: number[] }> = {
  sysmon: { name: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational', ids: Array.from({ length: 29 }, (_, i) => i + 1) },
  'security-auditing': {
    name: 'Microsoft-Windows-Security-Auditing',
    channel: 'Security',
    ids: [1102, 4624, 4625, 4634, 4648, 4657, 4662, 4663, 4672, 4688, 4689, 4697, 4698, 4699, 4702, 4703, 4720, 4722, 4723, 4724, 4725, 4726, 4728, 4732, 4738, 4740, 4742, 4756, 4768, 4769, 4776, 4781, 4798, 4799, 5136, 5140, 5145, 5156, 5157],
  },
  powershell: { name: 'Microsoft-Windows-PowerShell', channel: 'Microsoft-Windows-PowerShell/Operational', ids: [4103, 4104] },
  'powershell-classic': { name: 'PowerShell', channel: 'Windows PowerShell', ids: [400, 800] },
  system: { name: 'Service Control Manager', channel: 'System', ids: [104, 7045] },
  application: { name: 'Application', channel: 'Application', ids: [1000] },
  'windows-defender': { name: 'Microsoft-Windows-Windows Defender', channel: 'Microsoft-Windows-Windows Defender/Operational', ids: [1116] },
  taskscheduler: { name: 'Microsoft-Windows-TaskScheduler', channel: 'Microsoft-Windows-TaskScheduler/Operational', ids: [106] },
};

/** A small catalog for unit tests: our real catalog/ dir (for logsources/elastic.yaml) with inline events. */
export function testCatalog(dir = path.resolve('catalog')): Catalog {
  const events = new Map<string, EventEntry>();
  for (const [slug, p] of Object.entries(PROVIDERS)) {
    for (const id of p.ids) {
      const key = `${slug}-${id}`;
      events.set(key, { id, title: key, attackDataComponents: [], fields: [], key, provider: slug, providerSlug: slug, providerName: p.name, channel: p.channel, platform: 'windows' });
    }
  }
  return { dir, events, mappings: new Map(), sigmaLogsources: { mappings: [] } };
}

let cached: { ctx: { catalog: Catalog; sourceDir: string }; prepared: ElasticPrepared } | null = null;

/** Load one inline TOML file with the adapter (prepared once per test file). */
export function loadToml(text: string, file = 'rules/windows/test_rule.toml'): AdapterResult {
  if (!cached) {
    const ctx = { catalog: testCatalog(), sourceDir: path.resolve('samples/elastic') };
    cached = { ctx, prepared: elasticAdapter.prepare(ctx).prepared };
  }
  return elasticAdapter.load({ path: file, text }, cached.ctx, cached.prepared);
}

/** The single rule of a file that must load. */
export function loadRule(text: string, file?: string): RuleDraft {
  const r = loadToml(text, file);
  if (r.rules.length !== 1) throw new Error(`expected one rule, got ${r.rules.length}: ${JSON.stringify(r.diagnostics)}`);
  return r.rules[0]!;
}

/** A minimal rule file around a query; extra TOML goes in the [rule] table (before query) or after it. */
export function ruleToml(opts: { type?: string; language?: string; index?: string[]; query?: string; rule?: string; after?: string; tags?: string[] } = {}): string {
  const lines = [
    '[metadata]',
    'creation_date = "2024/01/02"',
    'maturity = "production"',
    'updated_date = "2024/03/04"',
    '',
    '[rule]',
    'author = ["Elastic", "Someone"]',
    'description = "Test rule."',
    `index = ${JSON.stringify(opts.index ?? ['logs-endpoint.events.process-*', 'winlogbeat-*'])}`,
  ];
  if (opts.language !== undefined) lines.push(`language = "${opts.language}"`);
  lines.push('name = "Test Rule"', 'risk_score = 21', 'rule_id = "00000000-0000-4000-8000-000000000001"', 'severity = "low"');
  lines.push(`tags = ${JSON.stringify(opts.tags ?? ['OS: Windows'])}`);
  lines.push(`type = "${opts.type ?? 'eql'}"`);
  if (opts.rule) lines.push(opts.rule);
  if (opts.query !== undefined) lines.push('', "query = '''", opts.query, "'''");
  if (opts.after) lines.push('', opts.after);
  return lines.join('\n') + '\n';
}
