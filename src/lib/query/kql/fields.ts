import type { Span } from '../../diagnostics/diagnostic.js';
import { and, not, or, pred, type Logic, type Operator, type RawPredicate, type Scalar } from '../../model/logic.js';
import type { KqlNode, KqlValue, KqlValueExpr } from './parser.js';

const RANGE_OPERATORS: Record<string, Operator> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

const IPV4_CIDR = /^(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;
const IPV6_CIDR = /^[0-9a-f:.]*:[0-9a-f:.]*\/\d{1,3}$/i;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * A value shaped like a network (`10.0.0.0/8`, `FE80::/10`). On an `ip` field Elasticsearch reads
 * such a term as "address in network", so it becomes a `cidr` predicate rather than an `eq`.
 */
export function isCidrValue(value: string): boolean {
  return IPV4_CIDR.test(value) || IPV6_CIDR.test(value);
}

/**
 * KQL AST -> logic tree. Values stay strings (the normalizer folds case and types); only range
 * bounds that are plain numbers become numbers. `field:*` is "field exists"; an unquoted value
 * with `*` is a wildcard; quoted values are literal. Nested queries prefix their fields
 * (`a:{ b:x }` -> `a.b`).
 */
export function kqlToLogic(ast: KqlNode, prefix = ''): Logic {
  switch (ast.type) {
    case 'or':
      return or(ast.children.map((c) => kqlToLogic(c, prefix)));
    case 'and':
      return and(ast.children.map((c) => kqlToLogic(c, prefix)));
    case 'not':
      return not(kqlToLogic(ast.child, prefix));
    case 'field':
      return valueExprToLogic(prefix + ast.field, ast.value, ast.value.type === 'value' ? ast.span : undefined);
    case 'range': {
      const v = ast.value;
      const value: Scalar = !v.quoted && NUMBER.test(v.text) ? Number(v.text) : v.text;
      return pred(withRaw({ field: prefix + ast.field, operator: RANGE_OPERATORS[ast.op]!, value, span: ast.span }, v));
    }
    case 'nested':
      return kqlToLogic(ast.query, `${prefix}${ast.field}.`);
    case 'bare':
      return bareToLogic(ast.value);
  }
}

function valueExprToLogic(field: string, v: KqlValueExpr, span?: Span): Logic {
  switch (v.type) {
    case 'or':
      return or(v.children.map((c) => valueExprToLogic(field, c)));
    case 'and':
      return and(v.children.map((c) => valueExprToLogic(field, c)));
    case 'not':
      return not(valueExprToLogic(field, v.child));
    case 'value':
      return pred(valueToPredicate(field, v, span ?? v.span));
  }
}

/** One `field:value` comparison as a predicate. */
export function valueToPredicate(field: string, v: KqlValue, span: Span = v.span): RawPredicate {
  if (!v.quoted && v.wildcard) {
    if (isOnlyStars(v.glob)) return { field, operator: 'exists', value: true, raw: v.raw, span };
    return withRaw({ field, operator: 'wildcard', value: v.glob, span }, v);
  }
  if (isCidrValue(v.text)) return withRaw({ field, operator: 'cidr', value: v.text, span }, v);
  return withRaw({ field, operator: 'eq', value: v.text, span }, v);
}

function bareToLogic(v: KqlValue): Logic {
  if (!v.quoted && v.wildcard) {
    if (isOnlyStars(v.glob)) return { kind: 'any' };
    return pred(withRaw({ field: null, operator: 'wildcard', value: v.glob, span: v.span }, v));
  }
  return pred(withRaw({ field: null, operator: 'match', value: v.text, span: v.span }, v));
}

function isOnlyStars(glob: string): boolean {
  for (let i = 0; i < glob.length; i++) if (glob[i] !== '*') return false;
  return glob.length > 0;
}

function withRaw(p: RawPredicate, v: KqlValue): RawPredicate {
  if (v.raw !== String(p.value)) p.raw = v.raw;
  return p;
}
