import { and, not, or, type Logic, type Operator, type RawPredicate, type Scalar } from '../../model/logic.js';
import type { ParseContext } from './context.js';
import type { Expr } from './expr-parser.js';
import { parseSearch } from './search-parser.js';
import { likeToGlob } from './values.js';

/** The field a comparison reads, with what was applied to it first (`lower(f)`, `len(f)`). */
interface FieldRef {
  name: string;
  /** `lower()`/`upper()` make the comparison case-insensitive. */
  folded: boolean;
  transforms?: string[];
}

const FOLDS = new Set(['lower', 'upper']);
const REVERSED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '==': '==', '!=': '!=' };

/**
 * Turn a `where` expression into predicates. String comparisons in `where` are case-sensitive
 * (`caseSensitive: true`) unless the field is wrapped in `lower()`/`upper()`; `like` becomes a
 * wildcard, `match` a PCRE `regex_match`, `isnull`/`isnotnull` an `exists`, `cidrmatch` a `cidr`,
 * `searchmatch("…")` is parsed as search language. Anything else is kept as opaque text.
 */
export function exprToLogic(ctx: ParseContext, e: Expr): Logic {
  switch (e.k) {
    case 'bin':
      if (e.op === 'and' || e.op === 'or') {
        const parts: Logic[] = [];
        flatten(e, e.op, parts, ctx);
        const spread = parts.flatMap((p) => (p.kind === e.op ? (p as { children: Logic[] }).children : [p]));
        return e.op === 'and' ? and(spread) : or(spread);
      }
      if (e.op === 'like') return likeLogic(ctx, e, e.l, e.r) ?? opaque(ctx, e, 'expression');
      if (REVERSED[e.op]) return comparison(ctx, e, e.op, e.l, e.r) ?? opaque(ctx, e, 'expression');
      return opaque(ctx, e, 'expression');
    case 'not':
      return not(exprToLogic(ctx, e.e));
    case 'in': {
      const f = fieldOf(e.e);
      if (!f || e.list.length === 0 || !e.list.every(isLiteral)) return opaque(ctx, e, 'expression');
      return or(e.list.map((v) => leaf(ctx, e, eqPred(f, v))));
    }
    case 'call':
      return callLogic(ctx, e) ?? opaque(ctx, e, `function ${e.name}()`);
    case 'bad':
      return opaque(ctx, e, 'syntax error');
    default:
      return opaque(ctx, e, 'expression');
  }
}

function flatten(e: Expr, op: string, out: Logic[], ctx: ParseContext): void {
  if (e.k === 'bin' && e.op === op) {
    flatten(e.l, op, out, ctx);
    flatten(e.r, op, out, ctx);
  } else out.push(exprToLogic(ctx, e));
}

function callLogic(ctx: ParseContext, e: Extract<Expr, { k: 'call' }>): Logic | null {
  const [a, b] = e.args;
  switch (e.name) {
    case 'isnull':
    case 'isnotnull': {
      const f = a && fieldOf(a);
      if (!f || e.args.length !== 1) return null;
      return leaf(ctx, e, { field: f.name, operator: 'exists', value: e.name === 'isnotnull' });
    }
    case 'like':
      return a && b && e.args.length === 2 ? likeLogic(ctx, e, a, b) : null;
    case 'match': {
      const f = a && fieldOf(a);
      if (!f || !b || b.k !== 'str' || e.args.length !== 2) return null;
      return leaf(ctx, e, withTransforms({ field: f.name, operator: 'regex_match', value: b.value, dialect: 'pcre' }, f));
    }
    case 'cidrmatch': {
      const f = b && fieldOf(b);
      if (!f || !a || a.k !== 'str') return null;
      return leaf(ctx, e, { field: f.name, operator: 'cidr', value: a.value });
    }
    case 'in': {
      const f = a && fieldOf(a);
      const values = e.args.slice(1);
      if (!f || values.length === 0 || !values.every(isLiteral)) return null;
      return or(values.map((v) => leaf(ctx, e, eqPred(f, v))));
    }
    case 'searchmatch': {
      if (!a || a.k !== 'str') return null;
      // the string's content is search language; positions inside it are approximate (escapes)
      const sub = parseSearch(ctx, a.start + 1, a.end - 1);
      return sub.logic ?? { kind: 'any' };
    }
    case 'true':
      return e.args.length === 0 ? { kind: 'any' } : null;
    default:
      return null;
  }
}

function likeLogic(ctx: ParseContext, whole: Expr, target: Expr, pattern: Expr): Logic | null {
  const f = fieldOf(target);
  if (!f || pattern.k !== 'str') return null;
  const glob = likeToGlob(pattern.value);
  const p: RawPredicate = glob === null
    ? { field: f.name, operator: 'eq', value: pattern.value }
    : { field: f.name, operator: 'wildcard', value: glob, raw: pattern.value };
  if (!f.folded) p.caseSensitive = true;
  return leaf(ctx, whole, withTransforms(p, f));
}

function comparison(ctx: ParseContext, whole: Expr, op: string, l: Expr, r: Expr): Logic | null {
  let f = fieldOf(l);
  let value = r;
  if (!f || (isLiteral(l) && !isLiteral(r))) {
    // `5 < count`: put the field on the left
    const rf = fieldOf(r);
    if (!rf || !isLiteral(l)) return null;
    f = rf;
    value = l;
    op = REVERSED[op]!;
  }
  if (value.k === 'field') {
    if (op === '<' || op === '<=' || op === '>' || op === '>=' || f.transforms) return null;
    const p = leaf(ctx, whole, { field: f.name, operator: 'fieldref', value: value.name });
    return op === '!=' ? not(p) : p;
  }
  if (!isLiteral(value)) return null;
  const range: Operator | null = op === '<' ? 'lt' : op === '<=' ? 'lte' : op === '>' ? 'gt' : op === '>=' ? 'gte' : null;
  if (range) return leaf(ctx, whole, withTransforms({ field: f.name, operator: range, value: literal(value) }, f));
  const p = leaf(ctx, whole, eqPred(f, value));
  if (value.k === 'str' && value.value.length > 1 && value.value.indexOf('*') >= 0) {
    ctx.report('spl/where-literal-star', '`*` is not a wildcard in `where`: this compares literally', 'use `like(field, "%text%")` or `| search field=*text*`', value.start, value.end, 'warning');
  }
  return op === '!=' ? not(p) : p;
}

function eqPred(f: FieldRef, v: Expr): RawPredicate {
  const value = literal(v);
  const p: RawPredicate = { field: f.name, operator: 'eq', value };
  if (typeof value === 'string' && !f.folded) p.caseSensitive = true;
  return withTransforms(p, f);
}

function withTransforms(p: RawPredicate, f: FieldRef): RawPredicate {
  if (f.transforms) p.transforms = f.transforms;
  return p;
}

/** A field reference, possibly under `lower()`/`upper()`/`trim()` or measured with `len()`. */
function fieldOf(e: Expr): FieldRef | null {
  if (e.k === 'field') return { name: e.name, folded: false };
  if (e.k === 'call' && e.args.length >= 1) {
    const inner = fieldOf(e.args[0]!);
    if (!inner) return null;
    if (FOLDS.has(e.name) && e.args.length === 1) return { ...inner, folded: true };
    if ((e.name === 'trim' || e.name === 'ltrim' || e.name === 'rtrim') && e.args.length === 1) return inner;
    if (e.name === 'len' && e.args.length === 1 && !inner.transforms) return { ...inner, transforms: ['len'] };
  }
  return null;
}

function isLiteral(e: Expr): boolean {
  return e.k === 'str' || e.k === 'num' || (e.k === 'neg' && e.e.k === 'num');
}

function literal(e: Expr): Scalar {
  if (e.k === 'str' || e.k === 'num') return e.value;
  if (e.k === 'neg' && e.e.k === 'num') return -e.e.value;
  return null;
}

function leaf(ctx: ParseContext, e: Expr, p: RawPredicate): Logic {
  p.span = ctx.span(e.start, e.end);
  return { kind: 'pred', pred: p };
}

function opaque(ctx: ParseContext, e: Expr, reason: string): Logic {
  return ctx.opaque(e.start, e.end, reason);
}
