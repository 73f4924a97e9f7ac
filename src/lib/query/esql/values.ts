import type { Scalar } from '../../model/logic.js';
import type { EsqlExpr } from './ast.js';

/** Value-level helpers of the ES|QL logic builder: which field an expression reads, literals, LIKE globs. */

/** A field seen through case folding or a type conversion: `TO_LOWER(process.name)` is `process.name`, case-insensitive. */
export interface FieldRef {
  name: string;
  caseInsensitive: boolean;
}

/** Conversions that keep the field's value: a comparison on them is a comparison on the field. */
const TRANSPARENT = new Set(['TO_STRING', 'TO_IP', 'TO_LONG', 'TO_INTEGER', 'TO_DOUBLE', 'TO_VERSION', 'TO_BOOLEAN', 'TO_DATETIME', 'TO_UNSIGNED_LONG']);

/** The field a value expression reads, through casts, conversions and case folding. */
export function fieldRef(e: EsqlExpr): FieldRef | null {
  switch (e.type) {
    case 'field':
      return { name: e.name, caseInsensitive: false };
    case 'cast':
      return fieldRef(e.expr);
    case 'call': {
      if (e.args.length !== 1) return null;
      const inner = fieldRef(e.args[0]!);
      if (!inner) return null;
      if (e.name === 'TO_LOWER' || e.name === 'TO_UPPER') return { name: inner.name, caseInsensitive: true };
      return TRANSPARENT.has(e.name) ? inner : null;
    }
    default:
      return null;
  }
}

/** A literal's value; `undefined` when the expression is not a literal. */
export function literalValue(e: EsqlExpr): Scalar | undefined {
  if (e.type === 'literal') return e.value;
  if (e.type === 'cast') return literalValue(e.expr);
  return undefined;
}

/** Literal text -> glob: `*` and `?` are written `[*]` / `[?]`. */
export function escapeGlob(text: string): string {
  let out = '';
  for (const c of text) out += c === '*' ? '[*]' : c === '?' ? '[?]' : c;
  return out;
}

/**
 * ES|QL LIKE pattern -> canonical glob. `*` and `?` are wildcards; a backslash escapes the next
 * character (`\*` is a literal star, `\\` a backslash). `literal` is the unescaped text, used
 * when the pattern has no wildcard (it is then an `eq`).
 */
export function likeToGlob(pattern: string): { glob: string; literal: string; wildcard: boolean } {
  let glob = '';
  let literal = '';
  let wildcard = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i]!;
      glob += n === '*' ? '[*]' : n === '?' ? '[?]' : n;
      literal += n;
    } else if (c === '*' || c === '?') {
      glob += c;
      literal += c;
      wildcard = true;
    } else {
      glob += c;
      literal += c;
    }
  }
  return { glob, literal, wildcard };
}
