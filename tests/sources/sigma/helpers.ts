import type { Catalog, EventEntry } from '../../../src/lib/catalog/load.js';
import { formatDiagnostic } from '../../../src/lib/diagnostics/format.js';
import { partsToSexpr } from '../../../src/lib/model/sexpr.js';
import type { AdapterResult, RuleDraft } from '../../../src/lib/model/rule.js';
import { sigmaAdapter } from '../../../src/lib/sources/sigma/index.js';

function event(providerSlug: string, provider: string, id: number, title: string): [string, EventEntry] {
  const key = `${providerSlug}-${id}`;
  return [
    key,
    { key, id, title, provider, providerSlug, providerName: provider, channel: provider, platform: 'windows', attackDataComponents: [], fields: [] },
  ];
}

/** A minimal catalog: enough log sources to exercise matching, specificity and EventID narrowing. */
export const CATALOG: Catalog = {
  dir: '/nonexistent',
  events: new Map([
    event('sysmon', 'Sysmon', 1, 'Process creation'),
    event('sysmon', 'Sysmon', 3, 'Network connection'),
    event('sysmon', 'Sysmon', 22, 'DNS query'),
    event('security-auditing', 'Security-Auditing', 4624, 'Logon'),
    event('security-auditing', 'Security-Auditing', 4625, 'Failed logon'),
    event('security-auditing', 'Security-Auditing', 4688, 'Process creation'),
    event('security-auditing', 'Security-Auditing', 4720, 'User created'),
  ]),
  mappings: new Map(),
  sigmaLogsources: {
    mappings: [
      { logsource: { category: 'process_creation' }, events: ['sysmon-1'], tables: ['sigma-generic'] },
      { logsource: { product: 'windows', category: 'process_creation' }, events: ['sysmon-1', 'security-auditing-4688'], tables: ['sigma-windows'] },
      { logsource: { product: 'windows', service: 'security' }, events: ['security-auditing-4624', 'security-auditing-4625', 'security-auditing-4688'], tables: ['windows-security'] },
      { logsource: { product: 'windows', category: 'dns_query' }, events: ['sysmon-22'], tables: [] },
    ],
  },
};

export const CTX = { catalog: CATALOG, sourceDir: '/nonexistent' };

/** Load inline YAML as `rules/test.yml`. */
export function load(text: string, path = 'rules/test.yml'): AdapterResult {
  return sigmaAdapter.load({ path, text }, CTX, sigmaAdapter.prepare(CTX).prepared);
}

/** The single rule of a file; fails the test when there is not exactly one. */
export function rule(text: string, path?: string): RuleDraft {
  const res = load(text, path);
  if (res.rules.length !== 1) {
    throw new Error(`expected one rule, got ${res.rules.length}:\n${res.diagnostics.map((d) => formatDiagnostic(d, text)).join('\n')}`);
  }
  return res.rules[0]!;
}

/** A detection rule around a detection block given as indented lines (4 spaces). */
export function withDetection(detection: string, logsource = '    product: windows\n    category: process_creation'): string {
  return `title: Test rule\nid: 0b5a1e49-3d0e-4a8b-9b0e-2f1c6a7d9e01\nstatus: test\nlogsource:\n${logsource}\ndetection:\n${detection}\nlevel: high\n`;
}

/** The logic of a one-rule file in s-expression form. */
export function sexpr(text: string): string {
  return partsToSexpr(rule(text).parts);
}

/** All diagnostics of a file, formatted with the source line and caret. */
export function formatted(text: string): string {
  return load(text).diagnostics.map((d) => formatDiagnostic(d, text)).join('\n');
}
