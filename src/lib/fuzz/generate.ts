import type { Vendor } from '../model/rule.js';
import { MAX_RULE_BYTES } from '../pipeline/collect.js';
import { FORMAT_SPECS, type FormatSpec } from './formats.js';
import { Rng, mutantSeed } from './prng.js';
import { TEXT_OPS, type TextOp } from './text-ops.js';
import { clone, getAt, setAt } from './tree.js';
import { GENERIC_TREE_OPS, spliceRaw, type MutationContext, type TreeOp } from './tree-ops.js';

/** A valid rule file the mutants start from. */
export interface FuzzSeed {
  /** Path relative to the source dir (adapters look at it: Splunk `detections/`, Elastic `_deprecated/`). */
  path: string;
  text: string;
}

/** One generated file, with everything needed to reproduce it: `generateMutant(format, seeds, baseSeed, index)`. */
export interface Mutant {
  format: Vendor;
  index: number;
  /** The 32-bit PRNG seed of this mutant (derived from the run's base seed and the index). */
  seed: number;
  seedPath: string;
  /** Operators applied, in order (`query:` ones mutate a query string inside the document). */
  ops: string[];
  path: string;
  text: string;
  /** Splunk: macro definitions to add to the prepared macros for this mutant. */
  extraMacros: { name: string; arguments: string[]; definition: string }[];
}

type Step = { kind: 'tree'; op: TreeOp } | { kind: 'query'; op: TreeOp } | { kind: 'text'; op: TextOp };

function menu(spec: FormatSpec): (readonly [Step, number])[] {
  const tree = [...GENERIC_TREE_OPS, ...spec.ops].map((op) => [{ kind: 'tree', op } as Step, op.weight ?? 1] as const);
  const query = spec.queryOps.map((q) => {
    const op: TreeOp = {
      name: `query:${q.name}`,
      apply(ctx) {
        const doc = ctx.docs[ctx.doc];
        const paths = spec.queryPaths(doc);
        if (paths.length === 0) return false;
        const p = ctx.rng.pick(paths);
        return setAt(doc, p, q.apply(String(getAt(doc, p)), ctx.rng));
      },
    };
    const heavy = /deep|long|wide|open|close/.test(q.name);
    return [{ kind: 'query', op } as Step, heavy ? 0.6 : 1.2] as const;
  });
  const text = TEXT_OPS.map((op) => [{ kind: 'text', op } as Step, /long|many|binary-file/.test(op.name) ? 0.4 : 1] as const);
  return [...tree, ...query, ...text];
}

const MENUS = new Map<Vendor, (readonly [Step, number])[]>();
/** Parsed seeds by text: parsing once per seed, then cloning, keeps generation cheap. */
const PARSED = new Map<string, unknown[]>();

/**
 * Mutant `index` of a run: pick a seed file, apply one to three operators (structural ones on the
 * parsed document, then textual ones on the serialized text), redrawing when the result would be
 * larger than the pipeline lets through (MAX_RULE_BYTES). Pure function of its arguments.
 */
export function generateMutant(format: Vendor, seeds: readonly FuzzSeed[], baseSeed: number, index: number): Mutant {
  const spec = FORMAT_SPECS[format];
  let steps = MENUS.get(format);
  if (!steps) MENUS.set(format, (steps = menu(spec)));
  const seed = mutantSeed(baseSeed, index);
  const rng = new Rng(seed);
  const source = rng.pick(seeds);
  let parsed = PARSED.get(source.text);
  if (!parsed) PARSED.set(source.text, (parsed = spec.parse(source.text)));
  for (let attempt = 0; ; attempt++) {
    const n = rng.weighted([[1, 5], [2, 3], [3, 2]] as const);
    const chosen = Array.from({ length: n }, () => rng.weighted(steps!));
    const ctx: MutationContext = { rng, docs: clone(parsed!), doc: 0, syntax: spec.syntax, raw: [], extraMacros: [], required: spec.required };
    ctx.doc = rng.int(0, Math.max(0, ctx.docs.length - 1));
    const applied: string[] = [];
    const treeSteps = chosen.filter((s) => s.kind !== 'text');
    for (const s of treeSteps) if ((s.op as TreeOp).apply(ctx)) applied.push(s.op.name);
    let text: string;
    if (applied.length === 0) {
      text = source.text;
    } else {
      try {
        text = spliceRaw(spec.serialize(ctx.docs), ctx.raw);
      } catch {
        if (attempt < 20) continue;
        text = source.text;
        applied.length = 0;
      }
    }
    for (const s of chosen) {
      if (s.kind !== 'text') continue;
      text = s.op.apply(text, rng);
      applied.push(s.op.name);
    }
    if (applied.length === 0 && attempt < 20) continue;
    // The pipeline rejects files over MAX_RULE_BYTES before any adapter sees them: so does the fuzzer.
    if (Buffer.byteLength(text) > MAX_RULE_BYTES && attempt < 20) continue;
    return { format, index, seed, seedPath: source.path, ops: applied, path: source.path, text, extraMacros: ctx.extraMacros };
  }
}
