import type { Rng } from './prng.js';
import { type MutationContext, type TreeOp, target } from './tree-ops.js';
import { isMap } from './tree.js';

/** Splunk-specific mutations: unknown, mis-called, recursive and exploding macros; odd side fields. */

function insertIntoSearch(ctx: MutationContext, piece: (rng: Rng) => string): boolean {
  const doc = target(ctx);
  if (!isMap(doc) || typeof doc.search !== 'string') return false;
  const s = doc.search;
  const i = ctx.rng.int(0, s.length);
  doc.search = s.slice(0, i) + piece(ctx.rng) + s.slice(i);
  return true;
}

export const SPLUNK_OPS: readonly TreeOp[] = [
  {
    name: 'k-unknown-macro',
    weight: 2,
    apply: (ctx) => insertIntoSearch(ctx, (rng) => rng.pick([' `no_such_macro` ', ' `no_such_macro(a,b)` ', ' `no_such_macro_filter` ', ' `` ', ' ``` ', ' `unclosed ', ' `a b c` ', ' `$x$` '])),
  },
  {
    name: 'k-macro-arity',
    weight: 2,
    apply: (ctx) => insertIntoSearch(ctx, (rng) => rng.pick([' `process_named()` ', ' `process_named(a,b,c)` ', ' `process_named("a,b")` ', ' `process_named(` ', ' `process_named(a))` ', ' `sysmon(1)` ', ' `process_named($exe$)` '])),
  },
  {
    name: 'k-recursive-macro',
    weight: 2,
    apply(ctx) {
      ctx.extraMacros.push(
        { name: 'fz_rec_a', arguments: [], definition: 'x=1 `fz_rec_b`' },
        { name: 'fz_rec_b', arguments: [], definition: '`fz_rec_a` y=2' },
        { name: 'fz_self', arguments: [], definition: '`fz_self`' },
        { name: 'fz_arg(1)', arguments: ['v'], definition: '`fz_arg($v$)` $v$' },
      );
      return insertIntoSearch(ctx, (rng) => rng.pick([' `fz_rec_a` ', ' `fz_self` ', ' `fz_arg(z)` ']));
    },
  },
  {
    name: 'k-macro-bomb',
    weight: 0.5,
    apply(ctx) {
      // Each level calls the next one four times: 4^12 (16 million) leaves if expanded naively.
      const levels = 12;
      for (let i = 0; i < levels; i++) ctx.extraMacros.push({ name: `fz_bomb${i}`, arguments: [], definition: `(\`fz_bomb${i + 1}\` OR \`fz_bomb${i + 1}\` OR \`fz_bomb${i + 1}\` OR \`fz_bomb${i + 1}\`)` });
      ctx.extraMacros.push({ name: `fz_bomb${levels}`, arguments: [], definition: 'process_name="x.exe"' });
      return insertIntoSearch(ctx, () => ' `fz_bomb0` ');
    },
  },
  {
    name: 'k-macro-injection',
    apply(ctx) {
      ctx.extraMacros.push({ name: 'fz_inject(1)', arguments: ['v'], definition: 'field=$v$ | `fz_inject2` [ search $v$' }, { name: 'fz_inject2', arguments: [], definition: '| eval x=(((' });
      return insertIntoSearch(ctx, (rng) => rng.pick([' `fz_inject("a | b")` ', ' `fz_inject(`)` ', ' `fz_inject(])` ']));
    },
  },
  {
    name: 'k-subsearch',
    apply: (ctx) => insertIntoSearch(ctx, (rng) => rng.pick([' [search index=x ', ' ] ', ' [ [ [ ', '['.repeat(2_000), ' [| inputlookup x] ', ' | append [search * ', ' | join type=inner x [ '])),
  },
  {
    name: 'k-commands',
    weight: 2,
    apply: (ctx) => insertIntoSearch(ctx, (rng) => rng.pick([' | eval x= ', ' | where ((( ', ' | rex field=x "(?<a>" ', ' | stats count by ', ' | tstats ', ' | search NOT ', ' | lookup ', ' | eval x=if(a, ', ' | | ', ' |', ' | rename a as ', ' | regex x!="[" ', ' | where match(x, "(") ', ' | eval x=case(', ' | fillnull value= ', ' | table ' + 'f,'.repeat(5_000)])),
  },
  {
    name: 'k-data-source',
    apply(ctx) {
      const doc = target(ctx);
      if (!isMap(doc)) return false;
      doc.data_source = ctx.rng.pick<unknown>([[], 'Sysmon EventID 1', [42], [null], ['Nope'], ['Sysmon EventID 99999999999999999'], [{ name: 'x' }], Array.from({ length: 5_000 }, (_, i) => `Sysmon EventID ${i}`), ['\u202eSysmon EventID 1']]);
      return true;
    },
  },
  {
    name: 'k-tags',
    apply(ctx) {
      const doc = target(ctx);
      if (!isMap(doc)) return false;
      const tags = isMap(doc.tags) ? doc.tags : (doc.tags = {});
      if (!isMap(tags)) return false;
      tags.mitre_attack_id = ctx.rng.pick<unknown>([[], 'T1059', ['T99999'], [42], ['../../x'], ['T1059.001.001', 't1059'], [null], [['T1059']]]);
      if (ctx.rng.chance(0.5)) tags.analytic_story = ctx.rng.pick<unknown>(['one story', [42], [{}], ['Unknown Story']]);
      if (ctx.rng.chance(0.3)) tags.risk_score = ctx.rng.pick<unknown>(['high', -5, 1e308, []]);
      return true;
    },
  },
];
