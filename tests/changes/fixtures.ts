import type { ChangeSnapshot, SnapshotRule } from '../../src/lib/changes/types.js';

/** A snapshot rule; indicator keys are the predicate lines themselves (line i -> key `k:<line>`). */
export function rule(slug: string, over: Partial<SnapshotRule> = {}): SnapshotRule {
  const predicates = over.predicates ?? [`process.executable (Image) wildcard "*\\${slug}.exe"`];
  return {
    source: 'sigma',
    id: `id-${slug}`,
    slug,
    title: `Rule ${slug}`,
    path: `rules/${slug}.yml`,
    deprecated: false,
    techniques: ['T1059.001'],
    events: ['sysmon-1'],
    indicators: predicates.map((l, i) => [`k:${l}`, i] as [string, number]).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    ...over,
    predicates,
  };
}

export function snap(rules: SnapshotRule[], commits: Record<string, string | null> = { sigma: 'a'.repeat(40) }, buildDate = '2025-01-01'): ChangeSnapshot {
  return {
    format: 1,
    buildDate,
    attackVersion: '18.1',
    sources: Object.entries(commits).map(([id, commit]) => ({ id, title: id === 'sigma' ? 'SigmaHQ' : id, repo: 'https://github.com/SigmaHQ/sigma', commit })),
    rules: [...rules].sort((a, b) => (a.source + a.slug < b.source + b.slug ? -1 : 1)),
  };
}

export const NAMES = new Map([
  ['T1059', 'Command and Scripting Interpreter'],
  ['T1059.001', 'PowerShell'],
  ['T1105', 'Ingress Tool Transfer'],
]);
