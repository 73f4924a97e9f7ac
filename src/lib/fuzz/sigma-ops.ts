import { type MutationContext, type TreeOp, target } from './tree-ops.js';
import { getAt, isMap, renameKey, setAt } from './tree.js';

/** Sigma-specific mutations: modifiers, conditions, selections, correlations, legacy actions. */

const MODIFIERS = ['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash', 'cidr', 'gt', 'gte', 'lt', 'lte', 'exists', 'cased', 'expand', 'fieldref', 'neq', 'minute', 'hour'];
const JUNK_MODIFIERS = ['frobnicate', '', 'CONTAINS', 'contains ', 'contains|', '|', 're|re', '\u202econtains', 'endswith\0'];

function detection(ctx: MutationContext): Record<string, unknown> | null {
  const d = (target(ctx) as Record<string, unknown> | null)?.detection;
  return isMap(d) ? d : null;
}

/** [selection name, field key] pairs of the target document's detection. */
function fieldKeys(ctx: MutationContext): { sel: Record<string, unknown>; key: string }[] {
  const det = detection(ctx);
  if (!det) return [];
  const out: { sel: Record<string, unknown>; key: string }[] = [];
  for (const [name, v] of Object.entries(det)) {
    if (name === 'condition' || name === 'timeframe') continue;
    const maps = Array.isArray(v) ? v.filter(isMap) : isMap(v) ? [v] : [];
    for (const m of maps) for (const k of Object.keys(m)) out.push({ sel: m, key: k });
  }
  return out;
}

function withModifiers(ctx: MutationContext, mods: string[]): boolean {
  const keys = fieldKeys(ctx);
  if (keys.length === 0) return false;
  const { sel, key } = ctx.rng.pick(keys);
  renameKey(sel, key, [key.split('|')[0] ?? key, ...mods].join('|'));
  return true;
}

const BAD_VALUES: [string, unknown][] = [
  ['re', '('], ['re', '[a-'], ['re', '*+'], ['re', '(?<n>'], ['re', 42], ['cidr', '999.1.1.1/99'], ['cidr', 'not-an-ip'], ['cidr', '::1/129'],
  ['gt', 'abc'], ['lte', []], ['exists', 'maybe'], ['exists', [true, false]], ['base64offset|contains', 5], ['expand', '%nope%'],
  ['windash|contains', '-x'], ['fieldref', ''], ['contains|all', 'scalar'], ['startswith', null], ['endswith', { nested: 'map' }], ['contains', '*\\'], ['contains', '\\'],
];

const CONDITIONS = [
  '1 of nothing_*', 'all of them', '1 of them', 'unknown_selection', 'selection and', 'not', '(', ')', 'selection | count() by Image > 5',
  'selection | near other', 'selection or or selection', '', 'all of', '1 of', '3 of selection*', 'them', 'selection*', 'not not not selection',
  'selection and not 1 of filter_* or all of them', 'SELECTION', 'selection | count(x) by y', 'sel\u202e', '"selection"',
];

export const SIGMA_OPS: readonly TreeOp[] = [
  { name: 's-unknown-modifier', weight: 2, apply: (ctx) => withModifiers(ctx, [ctx.rng.pick(JUNK_MODIFIERS)]) },
  {
    name: 's-modifier-chain',
    weight: 2,
    apply: (ctx) => withModifiers(ctx, Array.from({ length: ctx.rng.int(1, 4) }, () => ctx.rng.pick(MODIFIERS))),
  },
  {
    name: 's-bad-modifier-value',
    weight: 2,
    apply(ctx) {
      const keys = fieldKeys(ctx);
      if (keys.length === 0) return false;
      const { sel, key } = ctx.rng.pick(keys);
      const [mods, value] = ctx.rng.pick(BAD_VALUES);
      const field = key.split('|')[0] ?? key;
      renameKey(sel, key, `${field}|${mods}`);
      Object.defineProperty(sel, `${field}|${mods}`, { value, enumerable: true, writable: true, configurable: true });
      return true;
    },
  },
  {
    name: 's-condition',
    weight: 2,
    apply(ctx) {
      const det = detection(ctx);
      if (!det) return false;
      det.condition = ctx.rng.chance(0.2) ? [ctx.rng.pick(CONDITIONS), ctx.rng.pick(CONDITIONS)] : ctx.rng.pick(CONDITIONS);
      return true;
    },
  },
  {
    name: 's-many-selections',
    weight: 0.5,
    apply(ctx) {
      const det = detection(ctx);
      if (!det) return false;
      for (let i = 0; i < 5_000; i++) det[`sel_${i}`] = { [`Field${i % 7}|contains`]: `v${i}` };
      det.condition = ctx.rng.pick(['1 of sel_*', 'all of sel_*', 'all of them', Array.from({ length: 5_000 }, (_, i) => `sel_${i}`).join(' or ')]);
      return true;
    },
  },
  {
    name: 's-selection-shape',
    apply(ctx) {
      const det = detection(ctx);
      if (!det) return false;
      const names = Object.keys(det).filter((k) => k !== 'condition');
      if (names.length === 0) return false;
      det[ctx.rng.pick(names)] = ctx.rng.pick<unknown>([[], {}, null, 'keyword', ['kw1', { Image: 'x' }], [[['x']]], [{}], { '': 'x' }, { 'Image|contains': [] }, { 'Image|contains': [[]] }, { Image: { nested: 1 } }]);
      return true;
    },
  },
  {
    name: 's-correlation-cycle',
    apply(ctx) {
      // Make two documents correlations of each other (or one of itself).
      if (ctx.docs.length === 0) return false;
      const i = ctx.rng.int(0, ctx.docs.length - 1);
      const j = ctx.rng.int(0, ctx.docs.length - 1);
      const a = ctx.docs[i];
      const b = ctx.docs[j];
      if (!isMap(a) || !isMap(b)) return false;
      a.name ??= 'fuzz_a';
      b.name ??= 'fuzz_b';
      a.correlation = { type: ctx.rng.pick(['event_count', 'temporal', 'value_count', 'frob']), rules: [b.name], 'group-by': ['x'], timespan: ctx.rng.pick(['5m', 'forever', 5]) };
      b.correlation = { type: 'temporal', rules: [a.name, b.name], timespan: '1h' };
      return true;
    },
  },
  {
    name: 's-legacy-action',
    apply(ctx) {
      const action = ctx.rng.pick(['global', 'reset', 'repeat', 'frob']);
      const doc: Record<string, unknown> = { action };
      if (action !== 'reset') doc.detection = { condition: 'selection' };
      ctx.docs.splice(ctx.rng.int(0, ctx.docs.length), 0, doc);
      return true;
    },
  },
  {
    name: 's-technique-tags',
    apply(ctx) {
      const doc = target(ctx);
      if (!isMap(doc)) return false;
      doc.tags = Array.from({ length: ctx.rng.int(1, 5) }, () => ctx.rng.pick<unknown>(['attack.t99999999999', 'attack.t1059.001.002', 'attack.', 'attack.T1059', 'attack.t', 'attack.t1059.', 'attack.ta0002', 'cve.2021-x', 42, null, ['nested'], 'attack.t1059\u202e']));
      return true;
    },
  },
  {
    name: 's-logsource',
    apply(ctx) {
      const doc = target(ctx);
      if (!isMap(doc)) return false;
      return setAt(doc, ['logsource'], ctx.rng.pick<unknown>([{}, [], 'windows', { product: [] }, { category: { x: 1 } }, { product: 'windows', service: 'security', category: 'process_creation', definition: 5 }, { product: '../../etc' }]));
    },
  },
  {
    name: 's-fields-in-keys',
    apply(ctx) {
      const keys = fieldKeys(ctx);
      if (keys.length === 0) return false;
      const { sel, key } = ctx.rng.pick(keys);
      const mods = key.includes('|') ? key.slice(key.indexOf('|')) : '';
      renameKey(sel, key, ctx.rng.pick(['__proto__', 'constructor', '', ' ', 'a.b.c', 'Image\u202e', 'x'.repeat(5000), '"quoted"']) + mods);
      return true;
    },
  },
];

/** Where the query text lives in a Sigma document: the condition, and every detection string. */
export function sigmaQueryPaths(doc: unknown): (string | number)[][] {
  const det = getAt(doc, ['detection']);
  if (!isMap(det)) return [];
  const out: (string | number)[][] = [];
  if (typeof det.condition === 'string') out.push(['detection', 'condition'], ['detection', 'condition']);
  for (const [name, v] of Object.entries(det)) {
    if (name === 'condition') continue;
    if (isMap(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out.push(['detection', name, k]);
  }
  return out;
}
