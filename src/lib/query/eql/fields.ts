import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { and, not, or, pred, type Logic, type Operator, type RawPredicate } from '../../model/logic.js';
import type { EqlExpr } from './ast.js';
import { LineIndex } from './line-index.js';

type Expr = EqlExpr;
type FieldExpr = Extract<Expr, { type: 'field' }>;
type LiteralExpr = Extract<Expr, { type: 'literal' }>;
type CallExpr = Extract<Expr, { type: 'call' }>;

/** Context of one conversion: the query text (for opaque parts and spans) and a diagnostic sink. */
export interface ConvertContext {
  text: string;
  lines: LineIndex;
  diagnostics: Diagnostic[];
}

export function convertContext(text: string, diagnostics: Diagnostic[] = [], lines: LineIndex = new LineIndex(text)): ConvertContext {
  return { text, lines, diagnostics };
}

const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
const RANGE_OPS: Record<string, Operator> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

/** A string search helper (`startsWith`...) turned into wildcard patterns over its literal arguments. */
type PatternFn = (literal: string) => string;
const escapeGlob = (s: string): string => s.replace(/[*?]/g, (c) => `[${c}]`);

/**
 * Boolean functions we can read as predicates. Keys are lower-case names without `~`; the `~`
 * variants and the `:`-style helpers are case-insensitive, the plain ones case-sensitive.
 */
const STRING_FUNCTIONS: Record<string, PatternFn> = {
  startswith: (v) => `${escapeGlob(v)}*`,
  endswith: (v) => `*${escapeGlob(v)}`,
  stringcontains: (v) => `*${escapeGlob(v)}*`,
  wildcard: (v) => v,
};

/** Functions that compute a value (used in comparisons); as a bare condition they are opaque. */
const VALUE_FUNCTIONS = new Set([
  'length', 'number', 'string', 'substring', 'concat', 'indexof', 'between', 'add', 'subtract', 'multiply',
  'divide', 'modulo', 'tostring', 'arraycount', 'arraysearch', 'safe', 'match', 'matchlite', 'arraycontains',
  'cidrmatch', 'startswith', 'endswith', 'stringcontains', 'wildcard',
]);

const hasGlob = (s: string): boolean => s.includes('*') || s.includes('?');

/** The place of a node in the query text, for predicates. */
function spanOf(ctx: ConvertContext, node: { start: number; end: number }): RawPredicate['span'] {
  return ctx.lines.span(node.start, node.end);
}

function opaque(ctx: ConvertContext, node: Expr, reason: string): Logic {
  return { kind: 'opaque', text: ctx.text.slice(node.start, node.end).replace(/\s+/g, ' ').trim(), reason };
}

function isField(e: Expr): e is FieldExpr {
  return e.type === 'field';
}
function isLiteral(e: Expr): e is LiteralExpr {
  return e.type === 'literal';
}

/**
 * The side of a comparison that names what is compared: a real field, or a computed value
 * (`length(process.args)`) kept as a derived field with its source text.
 */
function subject(ctx: ConvertContext, e: Expr): { field: string; derived: boolean } | null {
  if (isField(e)) return { field: e.name, derived: false };
  if (e.type === 'call' || e.type === 'arith' || e.type === 'neg') {
    return { field: ctx.text.slice(e.start, e.end).replace(/\s+/g, ' ').trim(), derived: true };
  }
  return null;
}

function makePred(base: Omit<RawPredicate, 'derived'>, derived: boolean, ctx: ConvertContext, node: { start: number; end: number }): Logic {
  const p = base as RawPredicate;
  p.span = spanOf(ctx, node);
  if (derived) p.derived = true;
  return pred(p);
}

/** `field == value` / `field : value`: eq, or exists for null; strings keep case sensitivity. */
function equality(ctx: ConvertContext, s: { field: string; derived: boolean }, lit: LiteralExpr, caseSensitive: boolean, node: { start: number; end: number }): Logic {
  if (lit.value === null) return makePred({ field: s.field, operator: 'exists', value: false }, s.derived, ctx, node);
  const p: Omit<RawPredicate, 'derived'> = { field: s.field, operator: 'eq', value: lit.value };
  if (caseSensitive && typeof lit.value === 'string') p.caseSensitive = true;
  return makePred(p, s.derived, ctx, node);
}

function compare(ctx: ConvertContext, e: Extract<Expr, { type: 'compare' }>): Logic {
  let { left, right } = e;
  let op: string = e.op;
  if (isLiteral(left) && !isLiteral(right)) {
    [left, right] = [right, left];
    op = FLIP[op]!;
  }
  if (isField(left) && isField(right)) {
    if (op === '==' || op === '!=') {
      const ref = makePred({ field: left.name, operator: 'fieldref', value: right.name }, false, ctx, e);
      return op === '==' ? ref : not(ref);
    }
    return opaque(ctx, e, 'comparison between two fields');
  }
  const s = subject(ctx, left);
  if (!s || !isLiteral(right)) return opaque(ctx, e, 'comparison without a field and a constant');
  if (op === '==') return equality(ctx, s, right, true, e);
  if (op === '!=') {
    if (right.value === null) return makePred({ field: s.field, operator: 'exists', value: true }, s.derived, ctx, e);
    return not(equality(ctx, s, right, true, e));
  }
  if (right.value === null) return opaque(ctx, e, 'range comparison with null');
  return makePred({ field: s.field, operator: RANGE_OPS[op]!, value: right.value }, s.derived, ctx, e);
}

/** `:`, `like`, `like~`, `regex`, `regex~` over one value or a list: an `or` of predicates. */
function match(ctx: ConvertContext, e: Extract<Expr, { type: 'match' }>): Logic {
  const s = subject(ctx, e.left);
  if (!s) return opaque(ctx, e, 'match on a constant');
  const single = e.values.length === 1;
  const children = e.values.map((v): Logic => {
    const where = single ? e : v;
    if (!isLiteral(v)) return opaque(ctx, v, 'non-constant value');
    if (e.op === ':' || e.op === 'like' || e.op === 'like~') {
      const cs = e.op === 'like';
      if (typeof v.value !== 'string') return equality(ctx, s, v, cs, where);
      if (!hasGlob(v.value)) return equality(ctx, s, v, cs, where);
      const p: Omit<RawPredicate, 'derived'> = { field: s.field, operator: 'wildcard', value: v.value };
      if (cs) p.caseSensitive = true;
      return makePred(p, s.derived, ctx, where);
    }
    const p: Omit<RawPredicate, 'derived'> = { field: s.field, operator: 'regex_match', value: String(v.value), dialect: 'lucene' };
    if (e.op === 'regex') p.caseSensitive = true;
    else p.flags = 'i';
    return makePred(p, s.derived, ctx, where);
  });
  return or(children);
}

/** `in` / `in~` / `not in`: an `or` of equalities (case-sensitive for plain `in`). */
function inList(ctx: ConvertContext, e: Extract<Expr, { type: 'in' }>): Logic {
  const s = subject(ctx, e.left);
  if (!s) return opaque(ctx, e, 'membership test on a constant');
  const single = e.values.length === 1;
  const children = e.values.map((v): Logic => {
    const where = single ? e : v;
    if (isLiteral(v)) return equality(ctx, s, v, !e.insensitive, where);
    if (isField(v) && !s.derived) return makePred({ field: s.field, operator: 'fieldref', value: v.name }, false, ctx, where);
    return opaque(ctx, v, 'non-constant value in list');
  });
  const l = or(children);
  return e.negated ? not(l) : l;
}

/** A function used as a condition: string helpers, cidrMatch, arrayContains; others are opaque. */
function call(ctx: ConvertContext, e: CallExpr): Logic {
  const name = e.name.toLowerCase();
  const [first, ...rest] = e.args;
  const fn = STRING_FUNCTIONS[name];
  const known = fn !== undefined || name === 'cidrmatch' || name === 'arraycontains' || name === 'match' || name === 'matchlite';
  if (!known) {
    if (!VALUE_FUNCTIONS.has(name)) {
      ctx.diagnostics.push(
        diagnosticAt('eql/unknown-function', `unknown function ${e.name}()`, 'kept as text; check the function name against the Elasticsearch EQL function reference', ctx.lines.span(e.start, e.end), 'warning'),
      );
    }
    return opaque(ctx, e, `function ${e.name}()`);
  }
  const s = first ? subject(ctx, first) : null;
  if (!s || rest.length === 0 || !rest.every(isLiteral)) return opaque(ctx, e, `function ${e.name}() on computed arguments`);
  const single = rest.length === 1;
  const children = (rest as LiteralExpr[]).map((v): Logic => {
    const where = single ? e : v;
    if (name === 'cidrmatch') return makePred({ field: s.field, operator: 'cidr', value: String(v.value) }, s.derived, ctx, where);
    if (name === 'arraycontains') return equality(ctx, s, v, !e.insensitive, where);
    if (name === 'match' || name === 'matchlite') {
      return makePred({ field: s.field, operator: 'regex_match', value: String(v.value), dialect: 'lucene', ...(e.insensitive ? { flags: 'i' } : {}) }, s.derived, ctx, where);
    }
    const value = fn!(String(v.value));
    const p: Omit<RawPredicate, 'derived'> = hasGlob(value)
      ? { field: s.field, operator: 'wildcard', value }
      : { field: s.field, operator: 'eq', value: String(v.value) };
    if (!e.insensitive) p.caseSensitive = true;
    return makePred(p, s.derived, ctx, where);
  });
  return or(children);
}

/**
 * Convert an EQL condition into the canonical logic tree. `not`, `!=` and `not in` become `not`
 * nodes, so exclusions are found by polarity; what carries no field predicate stays opaque text.
 */
export function exprToLogic(ctx: ConvertContext, e: Expr): Logic {
  switch (e.type) {
    case 'bool': {
      const children: Logic[] = [];
      for (const c of e.children) {
        const l = exprToLogic(ctx, c);
        if (l.kind === e.op) children.push(...l.children);
        else children.push(l);
      }
      return e.op === 'and' ? and(children) : or(children);
    }
    case 'not':
      return not(exprToLogic(ctx, e.expr));
    case 'compare':
      return compare(ctx, e);
    case 'match':
      return match(ctx, e);
    case 'in':
      return inList(ctx, e);
    case 'call':
      return call(ctx, e);
    case 'field':
      return makePred({ field: e.name, operator: 'eq', value: true }, false, ctx, e);
    case 'literal':
      return e.value === true ? { kind: 'any' } : opaque(ctx, e, 'constant condition');
    case 'arith':
    case 'neg':
      return opaque(ctx, e, 'arithmetic used as a condition');
  }
}

/** Text of a join key (`process.entity_id`, or a function call as written). */
export function keyText(ctx: ConvertContext, e: Expr): string {
  return isField(e) ? e.name : ctx.text.slice(e.start, e.end).replace(/\s+/g, ' ').trim();
}
