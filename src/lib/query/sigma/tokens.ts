import type { Span } from '../../diagnostics/diagnostic.js';

/**
 * Tokens of a Sigma `condition`. Keywords are recognised only as whole words, case-insensitively,
 * so `android`, `order_id` or `nothem` stay identifiers. A `|` starts the legacy aggregation /
 * `near` tail (Sigma 1.0 `selection | count() by x > 5`), which the parser reports and sets aside.
 */
export type ConditionTokenKind =
  | 'ident'
  | 'number'
  | 'and'
  | 'or'
  | 'not'
  | 'of'
  | 'all'
  | 'any'
  | 'them'
  | 'lparen'
  | 'rparen'
  | 'pipe'
  | 'eof';

export interface ConditionToken {
  kind: ConditionTokenKind;
  /** Text as written (keywords keep their original case). */
  text: string;
  /** Character offset in the condition text. */
  offset: number;
  /** 1-based position in the condition text (which may span several lines). */
  span: Span;
}

/** A Map, not an object literal: a selection named `constructor` must not hit the prototype. */
const KEYWORDS: ReadonlyMap<string, ConditionTokenKind> = new Map<string, ConditionTokenKind>([
  ['and', 'and'],
  ['or', 'or'],
  ['not', 'not'],
  ['of', 'of'],
  ['all', 'all'],
  ['any', 'any'],
  ['them', 'them'],
]);

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** A word runs until whitespace, a parenthesis or a pipe: selection names may hold `.`, `-`, `*`. */
function isWordChar(c: number): boolean {
  return !isSpace(c) && c !== 40 && c !== 41 && c !== 124 && !Number.isNaN(c);
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function token(text: string, kind: ConditionTokenKind, start: number, end: number, line: number, lineStart: number): ConditionToken {
  return { kind, text: text.slice(start, end), offset: start, span: { line, column: start - lineStart + 1, length: Math.max(1, end - start) } };
}

/**
 * Split a condition into tokens in one linear pass, tracking line and column so errors can be
 * shifted to the rule file. Never throws; the last token is always `eof`.
 */
export function tokenizeCondition(text: string): ConditionToken[] {
  const out: ConditionToken[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10) {
        line++;
        lineStart = i + 1;
      }
      i++;
      continue;
    }
    if (c === 40) {
      out.push(token(text, 'lparen', i, i + 1, line, lineStart));
      i++;
      continue;
    }
    if (c === 41) {
      out.push(token(text, 'rparen', i, i + 1, line, lineStart));
      i++;
      continue;
    }
    if (c === 124) {
      out.push(token(text, 'pipe', i, i + 1, line, lineStart));
      i++;
      continue;
    }
    const start = i;
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    const word = text.slice(start, i);
    const kw = KEYWORDS.get(word.toLowerCase());
    out.push(token(text, kw ?? (isDigits(word) ? 'number' : 'ident'), start, i, line, lineStart));
  }
  out.push({ kind: 'eof', text: '', offset: n, span: { line, column: n - lineStart + 1, length: 1 } });
  return out;
}
