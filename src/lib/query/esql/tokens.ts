import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineIndex } from '../kql/line-index.js';

/**
 * ES|QL lexer. Keywords are not separate token kinds: every word is an `ident` and the parser
 * compares its lower-cased text where the grammar expects a keyword (`and`, `by`, `where`...), so
 * `android`, `order_id` or `bytes` are never split and a field may share a command's name.
 *
 * An identifier is dotted (`process.parent.name`, `@timestamp`, `Esql.*`); a backquoted part
 * (`` `a b`.c ``) joins the same token with its quotes removed. Strings are `"..."` (escapes
 * `\\ \" \n \r \t \uXXXX`) or `"""raw"""` (no escapes). Comments `//` and `/* *\/` are skipped.
 */
export type EsqlTokenKind =
  | 'ident'
  | 'string'
  | 'number'
  | 'param'
  | 'op'
  | 'pipe'
  | 'comma'
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'lbrace'
  | 'rbrace'
  | 'unknown'
  | 'eof';

export interface EsqlToken {
  kind: EsqlTokenKind;
  start: number;
  end: number;
  /** Identifier name (backquotes removed), decoded string, number text, operator or parameter name. */
  text: string;
  /** Lower-cased `text` for identifiers (keyword checks), else `text`. */
  lower: string;
  /** Strings: true for `"""raw"""`. */
  raw?: boolean;
}

export interface EsqlLexResult {
  tokens: EsqlToken[];
  diagnostics: Diagnostic[];
}

const OPERATORS = ['==', '!=', '<=', '>=', '::', '=~', '<', '>', '=', '+', '-', '*', '/', '%', ':', '.'];
/** The longest operator starting at `i` (two-character operators first). */
function matchOperator(text: string, i: number): string | undefined {
  for (const o of OPERATORS) if (text.startsWith(o, i)) return o;
  return undefined;
}

const PUNCT: Record<string, EsqlTokenKind> = {
  '|': 'pipe',
  ',': 'comma',
  '(': 'lparen',
  ')': 'rparen',
  '[': 'lbracket',
  ']': 'rbracket',
  '{': 'lbrace',
  '}': 'rbrace',
};

const isIdentStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 64; // a-z A-Z _ @
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);

const tok = (kind: EsqlTokenKind, start: number, end: number, text: string): EsqlToken => ({ kind, start, end, text, lower: text });

/** Tokenize ES|QL; never throws. Unterminated strings and comments are errors; odd characters become `unknown` tokens. */
export function lexEsql(text: string, lines: LineIndex = new LineIndex(text)): EsqlLexResult {
  const tokens: EsqlToken[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const ch = text[i]!;
    if (ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        diagnostics.push(diagnosticAt('esql/unterminated-comment', 'Block comment is never closed', 'Close it with `*/`.', lines.span(i, i + 2)));
        break;
      }
      i = close + 2;
      continue;
    }
    if (ch === '"') {
      i = lexString(text, i, tokens, diagnostics, lines);
      continue;
    }
    if (isIdentStart(c) || ch === '`') {
      i = lexIdent(text, i, tokens, diagnostics, lines);
      continue;
    }
    if (isDigit(c) || (ch === '.' && isDigit(text.charCodeAt(i + 1)))) {
      i = lexNumber(text, i, tokens);
      continue;
    }
    if (ch === '?') {
      // `?`, `?name`, `?1`, `??name`: query parameters.
      let j = i + 1;
      if (text[j] === '?') j++;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      tokens.push(tok('param', i, j, text.slice(i, j)));
      i = j;
      continue;
    }
    const punct = PUNCT[ch];
    if (punct) {
      tokens.push(tok(punct, i, i + 1, ch));
      i++;
      continue;
    }
    const op = matchOperator(text, i);
    if (op) {
      tokens.push(tok('op', i, i + op.length, op));
      i += op.length;
      continue;
    }
    tokens.push(tok('unknown', i, i + 1, ch));
    i++;
  }
  tokens.push(tok('eof', n, n, ''));
  return { tokens, diagnostics };
}

function lexIdent(text: string, start: number, tokens: EsqlToken[], diagnostics: Diagnostic[], lines: LineIndex): number {
  const n = text.length;
  let i = start;
  let name = '';
  for (;;) {
    if (text[i] === '`') {
      // Backquoted part: ``` `` ``` is a literal backquote.
      let j = i + 1;
      for (;;) {
        if (j >= n) {
          diagnostics.push(diagnosticAt('esql/unterminated-identifier', 'Backquoted identifier is never closed', 'Close it with a backquote (write a literal backquote as ``` `` ```).', lines.span(i, i + 1)));
          tokens.push({ kind: 'ident', start, end: n, text: name, lower: name.toLowerCase() });
          return n;
        }
        if (text[j] === '`') {
          if (text[j + 1] === '`') {
            name += '`';
            j += 2;
            continue;
          }
          break;
        }
        name += text[j]!;
        j++;
      }
      i = j + 1;
    } else if (text[i] === '*') {
      name += '*';
      i++;
    } else {
      const s = i;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      name += text.slice(s, i);
    }
    // Continue through `.` followed by another part, and through a glued `*` (`Esql.*`, `host*`).
    const next = text[i];
    const after = text.charCodeAt(i + 1);
    if (next === '.' && (isIdentPart(after) || text[i + 1] === '`' || text[i + 1] === '*')) {
      name += '.';
      i++;
      continue;
    }
    break;
  }
  tokens.push({ kind: 'ident', start, end: i, text: name, lower: name.toLowerCase() });
  return i;
}

function lexNumber(text: string, start: number, tokens: EsqlToken[]): number {
  const n = text.length;
  let i = start;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  if (text[i] === '.' && isDigit(text.charCodeAt(i + 1))) {
    i++;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text.charCodeAt(i + 1)) || ((text[i + 1] === '-' || text[i + 1] === '+') && isDigit(text.charCodeAt(i + 2))))) {
    i += 2;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
  }
  tokens.push(tok('number', start, i, text.slice(start, i)));
  return i;
}

function lexString(text: string, start: number, tokens: EsqlToken[], diagnostics: Diagnostic[], lines: LineIndex): number {
  const n = text.length;
  if (text.startsWith('"""', start)) {
    const close = text.indexOf('"""', start + 3);
    if (close < 0) {
      diagnostics.push(diagnosticAt('esql/unterminated-string', 'Triple-quoted string is never closed', 'Close it with `"""`.', lines.span(start, start + 3)));
      tokens.push({ kind: 'string', start, end: n, text: text.slice(start + 3), lower: '', raw: true });
      return n;
    }
    // A run of more than three quotes closes on the last three (`""""a""""` holds `"a"`).
    let end = close + 3;
    while (text[end] === '"') end++;
    const value = text.slice(start + 3, end - 3);
    tokens.push({ kind: 'string', start, end, text: value, lower: value, raw: true });
    return end;
  }
  let i = start + 1;
  let value = '';
  let run = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 34 && c !== 92 && c !== 10 && c !== 13) {
      i++;
      continue;
    }
    value += text.slice(run, i);
    if (c === 34) {
      tokens.push({ kind: 'string', start, end: i + 1, text: value, lower: value });
      return i + 1;
    }
    if (c === 10 || c === 13) {
      run = i;
      break;
    }
    const decoded = decodeEscape(text, i);
    if (decoded) {
      value += decoded.value;
      i += decoded.length;
    } else {
      diagnostics.push(
        diagnosticAt(
          'esql/invalid-escape',
          `\`\\${text[i + 1] ?? ''}\` is not an escape in an ES|QL string`,
          'Write a literal backslash as `\\\\`, or use a triple-quoted string `"""..."""` where backslashes are literal.',
          lines.span(i, i + 2),
        ),
      );
      value += '\\';
      i++;
    }
    run = i;
  }
  value += text.slice(run, i);
  diagnostics.push(
    diagnosticAt('esql/unterminated-string', 'String is never closed on this line', 'Add the closing `"`, or use `"""..."""` for a string over several lines.', lines.span(start, start + 1)),
  );
  tokens.push({ kind: 'string', start, end: i, text: value, lower: value });
  return i;
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };

/** Decode one escape at `at` (a backslash) in a double-quoted string; null when it is not an escape. */
export function decodeEscape(text: string, at: number): { value: string; length: number } | null {
  const e = text[at + 1];
  if (e === undefined) return null;
  const simple = SIMPLE_ESCAPES[e];
  if (simple !== undefined) return { value: simple, length: 2 };
  if (e === 'u') {
    const hex = text.slice(at + 2, at + 6);
    if (/^[0-9a-fA-F]{4}$/.test(hex)) return { value: String.fromCharCode(parseInt(hex, 16)), length: 6 };
  }
  return null;
}
