import type { Rng } from './prng.js';
import { allPaths, deleteAt, getAt, isMap, renameKey, setAt, type Path } from './tree.js';

/** What a structural mutation works on: the parsed documents of one rule file. */
export interface MutationContext {
  rng: Rng;
  /** Parsed documents (a Sigma file may hold several); mutated in place. */
  docs: unknown[];
  /** Index of the document the operators target. */
  doc: number;
  syntax: 'yaml' | 'toml';
  /** Texts spliced verbatim into the serialized file in place of `rawPlaceholder(i)` (deep nesting, alias bombs). */
  raw: string[];
  /** Splunk: macro definitions added to the prepared macros (recursive macros, macro bombs). */
  extraMacros: { name: string; arguments: string[]; definition: string }[];
  /** Key paths the format requires (title, detection, rule_id, search...): `missing-required-key` deletes one. */
  required: readonly Path[];
}

/** A structural mutation; returns false when it does not apply to this document (another is drawn). */
export interface TreeOp {
  name: string;
  /** Relative frequency (1 = normal); heavy operators are drawn less often to keep the run fast. */
  weight?: number;
  apply(ctx: MutationContext): boolean;
}

/** Placeholder string a tree op stores so the serializer can splice raw text there. */
export function rawPlaceholder(i: number): string {
  return `__FUZZRAW${i}__`;
}

/** Replace placeholders (quoted or not) in serialized text with their raw texts. */
export function spliceRaw(text: string, raw: readonly string[]): string {
  if (raw.length === 0) return text;
  return text.replace(/(["']?)__FUZZRAW(\d+)__\1/g, (_m, _q, i: string) => raw[Number(i)] ?? '');
}

export function target(ctx: MutationContext): unknown {
  return ctx.docs[ctx.doc];
}

function randomPath(ctx: MutationContext, filter: (v: unknown) => boolean = () => true): Path | null {
  const root = target(ctx);
  const paths = allPaths(root).filter((p) => filter(getAt(root, p)));
  return paths.length ? ctx.rng.pick(paths) : null;
}

function wrongValue(ctx: MutationContext, current: unknown): unknown {
  const rng = ctx.rng;
  const choices: unknown[] = [42, -1, 3.5, 0, true, false, [], ['a', 'b'], {}, { k: 'v' }, [[['x']]], [{ a: 1 }], '', 'string', ' ', [1, [2, [3]]]];
  if (ctx.syntax === 'yaml') choices.push(null);
  let v: unknown;
  do v = rng.pick(choices);
  while (typeof v === typeof current && Array.isArray(v) === Array.isArray(current) && rng.chance(0.8));
  return v;
}

function setRaw(ctx: MutationContext, path: Path, text: string): boolean {
  ctx.raw.push(text);
  return setAt(target(ctx), path, rawPlaceholder(ctx.raw.length - 1));
}

/** Nested flow collections, `depth` deep, in the document's syntax. */
export function deepNesting(ctx: MutationContext, depth: number): string {
  const kind = ctx.rng.int(0, 1);
  if (kind === 0) return '['.repeat(depth) + ']'.repeat(depth);
  return ctx.syntax === 'yaml' ? '{a: '.repeat(depth) + '1' + '}'.repeat(depth) : '{a='.repeat(depth) + '1' + '}'.repeat(depth);
}

/** "Billion laughs" as one flow value: 9 levels of 9 aliases each. */
export function aliasBomb(levels = 9, width = 9): string {
  const parts = [`&a0 [${Array(width).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels; i++) parts.push(`&a${i} [${Array(width).fill(`*a${i - 1}`).join(',')}]`);
  return `[${parts.join(', ')}]`;
}

/** Anchors that contain their own alias: js-yaml and the yaml package load them as cyclic objects. */
export const ALIAS_CYCLES = ['&c0 [1, *c0]', '&c1 {k: *c1}', '&c2 [[[*c2]]]', '&c3 {a: [x, {b: *c3}]}'];

const hugeString = (rng: Rng): string =>
  rng.pick([() => 'A'.repeat(100_000), () => 'word '.repeat(20_000), () => 'line\n'.repeat(20_000), () => '<b>'.repeat(33_000), () => 'é'.repeat(100_000)])();

export const GENERIC_TREE_OPS: readonly TreeOp[] = [
  {
    name: 'wrong-type',
    weight: 3,
    apply(ctx) {
      const p = randomPath(ctx);
      return p !== null && setAt(target(ctx), p, wrongValue(ctx, getAt(target(ctx), p)));
    },
  },
  {
    name: 'missing-key',
    weight: 2,
    apply(ctx) {
      const p = randomPath(ctx);
      return p !== null && deleteAt(target(ctx), p);
    },
  },
  {
    name: 'missing-required-key',
    weight: 1.5,
    apply(ctx) {
      const present = ctx.required.filter((p) => getAt(target(ctx), p) !== undefined);
      return present.length > 0 && deleteAt(target(ctx), ctx.rng.pick(present));
    },
  },
  {
    name: 'swap-values',
    apply(ctx) {
      const a = randomPath(ctx);
      const b = randomPath(ctx);
      if (!a || !b) return false;
      const va = getAt(target(ctx), a);
      const vb = getAt(target(ctx), b);
      // Not when one path is inside the other (that would make a cycle).
      if (a.join('\0').startsWith(b.join('\0')) || b.join('\0').startsWith(a.join('\0'))) return false;
      return setAt(target(ctx), a, vb) && setAt(target(ctx), b, va);
    },
  },
  {
    name: 'huge-string',
    weight: 0.5,
    apply(ctx) {
      const p = randomPath(ctx, (v) => typeof v === 'string');
      return p !== null && setAt(target(ctx), p, hugeString(ctx.rng));
    },
  },
  {
    name: 'huge-list',
    weight: 0.5,
    apply(ctx) {
      const p = randomPath(ctx, (v) => Array.isArray(v) || typeof v === 'string');
      if (!p) return false;
      const cur = getAt(target(ctx), p);
      const proto = Array.isArray(cur) && cur.length > 0 ? cur : [typeof cur === 'string' ? cur : 'item'];
      const list = Array.from({ length: 5_000 }, (_, i) => {
        const x = proto[i % proto.length];
        return typeof x === 'string' ? `${x}${i}` : x;
      });
      return setAt(target(ctx), p, list);
    },
  },
  {
    name: 'huge-map',
    weight: 0.5,
    apply(ctx) {
      const p = randomPath(ctx, isMap);
      const m = p ? getAt(target(ctx), p) : target(ctx);
      if (!isMap(m)) return false;
      for (let i = 0; i < 5_000; i++) m[`key_${i}`] = `value ${i}`;
      return true;
    },
  },
  {
    name: 'deep-nesting',
    weight: 0.5,
    apply(ctx) {
      const p = randomPath(ctx);
      return p !== null && setRaw(ctx, p, deepNesting(ctx, ctx.rng.pick([1_000, 3_000, 10_000])));
    },
  },
  {
    name: 'alias-bomb',
    weight: 0.5,
    apply(ctx) {
      if (ctx.syntax !== 'yaml') return false;
      const p = randomPath(ctx);
      return p !== null && setRaw(ctx, p, ctx.rng.chance(0.7) ? aliasBomb() : ctx.rng.pick(ALIAS_CYCLES));
    },
  },
  {
    name: 'prototype-keys',
    apply(ctx) {
      const p = randomPath(ctx, isMap);
      const m = p ? getAt(target(ctx), p) : target(ctx);
      if (!isMap(m)) return false;
      const key = ctx.rng.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']);
      Object.defineProperty(m, key, { value: ctx.rng.pick<unknown>([{ polluted: true }, 'x', 1, ['a']]), enumerable: true, writable: true, configurable: true });
      return true;
    },
  },
  {
    name: 'weird-key',
    apply(ctx) {
      const p = randomPath(ctx, isMap);
      const m = p ? getAt(target(ctx), p) : target(ctx);
      if (!isMap(m)) return false;
      const keys = Object.keys(m);
      if (keys.length === 0) return false;
      const k = ctx.rng.pick(keys);
      renameKey(m, k, ctx.rng.pick(['', ' ', `${k}\u202e`, `${k}\0`, `\u{1f600}${k}`, k.toUpperCase(), `${k} `, `${k}.${k}`, '[x]', '"q"', 'k: v']));
      return true;
    },
  },
];
