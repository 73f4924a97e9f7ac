import { type TreeOp, target } from './tree-ops.js';
import { isMap } from './tree.js';

/** Elastic-specific mutations: language/type mix-ups, threat blocks, Kibana filters, thresholds. */

function rule(doc: unknown): Record<string, unknown> | null {
  return isMap(doc) && isMap(doc.rule) ? doc.rule : null;
}

export const ELASTIC_OPS: readonly TreeOp[] = [
  {
    name: 'e-language-type',
    weight: 2,
    apply(ctx) {
      const r = rule(target(ctx));
      if (!r) return false;
      if (ctx.rng.chance(0.6)) r.language = ctx.rng.pick(['kuery', 'eql', 'esql', 'lucene', 'frob', '', 'KUERY']);
      if (ctx.rng.chance(0.6)) r.type = ctx.rng.pick(['query', 'eql', 'esql', 'threshold', 'new_terms', 'machine_learning', 'threat_match', 'saved_query', 'frob']);
      return true;
    },
  },
  {
    name: 'e-threat',
    weight: 2,
    apply(ctx) {
      const r = rule(target(ctx));
      if (!r) return false;
      r.threat = ctx.rng.pick<unknown>([
        'T1059',
        [],
        [{}],
        [{ framework: 'MITRE ATT&CK', technique: 'T1059' }],
        [{ framework: 'MITRE ATT&CK', technique: [{ id: 42 }, { id: 'T99999' }, { id: '../../x' }, { id: 'T1059.001.001' }], tactic: [] }],
        [{ framework: 'MITRE ATT&CK', technique: [{ id: 'T1059', subtechnique: [{ id: 'T1003.001' }, {}] }], tactic: { id: 'TA9999' } }],
        [{ framework: 'other', technique: [{ id: 'T1059' }] }],
        Array.from({ length: 5_000 }, (_, i) => ({ framework: 'MITRE ATT&CK', technique: [{ id: `T${1000 + (i % 600)}` }] })),
      ]);
      return true;
    },
  },
  {
    name: 'e-filters',
    weight: 2,
    apply(ctx) {
      const r = rule(target(ctx));
      if (!r) return false;
      const deep = (n: number): unknown => {
        let q: unknown = { match: { 'process.name': 'x' } };
        for (let i = 0; i < n; i++) q = { bool: { must_not: [q] } };
        return q;
      };
      r.filters = ctx.rng.pick<unknown>([
        ['x'],
        [{}],
        [{ meta: { negate: true } }],
        [{ query: { match_phrase: { 'process.name': { query: 'cmd.exe' } } }, meta: { negate: 'yes' } }],
        [{ query: { bool: { should: [{ match: {} }, { exists: { field: 42 } }, { range: { x: { gte: [] } } }] } } }],
        [{ query: deep(500) }],
        [{ query: { query_string: { query: '(((((' } } }],
        [{ query: { wildcard: { 'file.path': { value: '*\\*' } } }, meta: { negate: false } }],
        'not-a-list',
      ]);
      return true;
    },
  },
  {
    name: 'e-index',
    apply(ctx) {
      const r = rule(target(ctx));
      if (!r) return false;
      r.index = ctx.rng.pick<unknown>([[], [''], ['*'], 'logs-*', [42], Array.from({ length: 5_000 }, (_, i) => `logs-${i}-*`), ['../../etc/*', '\u202elogs']]);
      return true;
    },
  },
  {
    name: 'e-threshold',
    apply(ctx) {
      const r = rule(target(ctx));
      if (!r) return false;
      r.type = ctx.rng.pick(['threshold', 'new_terms']);
      if (r.type === 'threshold') r.threshold = ctx.rng.pick<unknown>([{}, { field: [], value: 'x' }, { field: 'a', value: -1, cardinality: 'many' }, 5, { field: ['a', 'b'], value: 10, cardinality: [{ field: 'c', value: 'x' }] }]);
      else r.new_terms = ctx.rng.pick<unknown>([{}, { field: 'new_terms_fields', value: 'host.name' }, { field: 'new_terms_fields', value: [], history_window_start: [] }, [1, 2]]);
      return true;
    },
  },
  {
    name: 'e-markdown-sections',
    apply(ctx) {
      const r = rule(target(ctx));
      if (!r) return false;
      const md = ctx.rng.pick(['[x](javascript:alert(1))', '<script>alert(1)</script>', '# '.repeat(5000), '`'.repeat(10_000), '[' .repeat(10_000), '> '.repeat(5000) + 'deep quote', '*'.repeat(10_000), '<!--', '```\nunclosed fence']);
      r[ctx.rng.pick(['note', 'setup', 'description'])] = md;
      return true;
    },
  },
];
