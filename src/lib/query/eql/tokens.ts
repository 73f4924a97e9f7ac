import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineIndex } from './line-index.js';
import { readQuoted } from './strings.js';

export { LineIndex } from './line-index.js';

/**
 * EQL tokens. Keywords are recognised only as whole words, so `android`, `order_id` or `bytes`
 * stay identifiers; `like~`, `regex~`, `in~` and `startsWith~` carry their tilde in the word.
 */
export type EqlTokenKind =
  | 'ident'
  | 'keyword'
  | 'string'
  | 'number'
  | 'op'
  | 'eof';

export interface EqlToken {
  kind: EqlTokenKind;
  /** Keyword in lower case, operator text, identifier name (without `?`/backticks), or raw number text. */
  text: string;
  /** Decoded string value (strings) or numeric value (numbers). */
  value?: string | number;
  /** Unit letters written right after a number (`1m`, `30s`), for `maxspan`. */
  unit?: string;
  /** `?field`: an optional field that may be missing from the mapping. */
  optional?: boolean;
  /** `"""raw"""` string (no escapes). */
  raw?: boolean;
  /** Offsets into the query text, end exclusive. */
  start: number;
  end: number;
}

/** Reserved words; matched case-insensitively as whole words. */
export const EQL_KEYWORDS: ReadonlySet<string> = new Set([
  'and', 'or', 'not', 'in', 'in~', 'like', 'like~', 'regex', 'regex~', 'where', 'sequence', 'sample',
  'by', 'with', 'until', 'true', 'false', 'null', 'of', 'join',
]);

/** Length of the operator starting with char codes `c`, `d`: 2 for `==` `!=` `<=` `>=`, 1 for single-char operators, 0 otherwise. */
function operatorLength(c: number, d: number): number {
  switch (c) {
    case 61: // =
    case 33: // !
    case 60: // <
    case 62: // >
      return d === 61 ? 2 : 1;
    case 58: // :
    case 40: // (
    case 41: // )
    case 91: // [
    case 93: // ]
    case 44: // ,
    case 124: // |
    case 43: // +
    case 45: // -
    case 42: // *
    case 47: // /
    case 37: // %
      return 1;
    default:
      return 0;
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64 || c > 127;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);

/**
 * Split an EQL query into tokens in one linear pass. Never throws: lexical problems (unterminated
 * strings or comments, single quotes, bad escapes) become diagnostics and the lexer carries on.
 */
export function tokenizeEql(text: string, lines: LineIndex = new LineIndex(text)): { tokens: EqlToken[]; diagnostics: Diagnostic[] } {
  const tokens: EqlToken[] = [];
  const diagnostics: Diagnostic[] = [];
  const err = (code: string, message: string, hint: string, start: number, end: number): void => {
    diagnostics.push(diagnosticAt(code, message, hint, lines.span(start, end)));
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xa0 || c === 0xfeff) {
      i++;
      continue;
    }
    // comments
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        err('eql/unterminated-comment', 'unterminated /* comment', 'close the comment with */', i, i + 2);
        i = n;
      } else i = close + 2;
      continue;
    }
    const start = i;
    // raw strings """..."""
    if (c === 34 && text.startsWith('"""', i)) {
      const close = text.indexOf('"""', i + 3);
      if (close < 0) {
        err('eql/unterminated-string', 'unterminated """raw""" string', 'close the raw string with """', i, i + 3);
        tokens.push({ kind: 'string', text: text.slice(i), value: text.slice(i + 3), raw: true, start, end: n });
        i = n;
        continue;
      }
      // a raw string may end with extra quotes: """a""""  -> value `a"`
      let end = close + 3;
      while (end < n && text.charCodeAt(end) === 34) end++;
      tokens.push({ kind: 'string', text: text.slice(start, end), value: text.slice(i + 3, end - 3), raw: true, start, end });
      i = end;
      continue;
    }
    if (c === 34 || c === 39) {
      if (c === 39) {
        err('eql/single-quoted-string', 'single-quoted strings are not valid in EQL', 'write the string in double quotes ("...")', i, i + 1);
      }
      i = readQuoted(text, i, lines, tokens, diagnostics);
      continue;
    }
    // backtick-quoted identifier
    if (c === 96) {
      i = readName(text, i, tokens, err);
      continue;
    }
    // optional field marker: ?process.Ext.token, ?`odd name`
    if (c === 63 && (isIdentStart(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 96)) {
      const before = tokens.length;
      i = readName(text, i + 1, tokens, err);
      const t = tokens[before];
      if (t?.kind === 'ident') {
        t.start = start;
        t.optional = true;
      }
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let j = i;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      if ((text.charCodeAt(j) | 32) === 101 && (isDigit(text.charCodeAt(j + 1)) || ((text.charCodeAt(j + 1) === 43 || text.charCodeAt(j + 1) === 45) && isDigit(text.charCodeAt(j + 2))))) {
        j += 2;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      const numText = text.slice(i, j);
      let unitEnd = j;
      while (unitEnd < n && isIdentPart(text.charCodeAt(unitEnd))) unitEnd++;
      const tok: EqlToken = { kind: 'number', text: numText, value: Number(numText), start, end: unitEnd };
      if (unitEnd > j) tok.unit = text.slice(j, unitEnd);
      tokens.push(tok);
      i = unitEnd;
      continue;
    }
    if (isIdentStart(c)) {
      i = readName(text, i, tokens, err);
      continue;
    }
    const opLen = operatorLength(c, text.charCodeAt(i + 1));
    if (opLen > 0) {
      tokens.push({ kind: 'op', text: text.slice(i, i + opLen), start, end: i + opLen });
      i += opLen;
      continue;
    }
    const one = text[i]!;
    err('eql/unexpected-character', `unexpected character ${JSON.stringify(one)}`, 'remove the character or quote the value in double quotes', i, i + 1);
    i++;
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return { tokens, diagnostics };
}

type ErrorSink = (code: string, message: string, hint: string, start: number, end: number) => void;

/**
 * A qualified name: words and backtick-quoted segments joined by dots
 * (`azure.properties.`0`.display_name`); a lone word may be a keyword.
 */
function readName(text: string, i: number, tokens: EqlToken[], err: ErrorSink): number {
  const first = tokens.length;
  i = text.charCodeAt(i) === 96 ? readBacktick(text, i, tokens, err) : readWord(text, i, tokens);
  while (text.charCodeAt(i) === 46 && (text.charCodeAt(i + 1) === 96 || (tokens[first]!.kind === 'ident' && isIdentStart(text.charCodeAt(i + 1))))) {
    const head = tokens[first]!;
    if (head.kind !== 'ident' || head.text.endsWith('~')) break;
    i = text.charCodeAt(i + 1) === 96 ? readBacktick(text, i + 1, tokens, err) : readWord(text, i + 1, tokens);
    const seg = tokens.pop()!;
    head.text += '.' + seg.text;
    head.end = seg.end;
  }
  return i;
}

/** A backtick-quoted field name (`` `a.b/c-d` ``); a doubled backtick is a literal one. */
function readBacktick(text: string, i: number, tokens: EqlToken[], err: ErrorSink): number {
  const start = i;
  let j = i + 1;
  let name = '';
  for (;;) {
    const close = text.indexOf('`', j);
    if (close < 0) {
      err('eql/unterminated-identifier', 'unterminated `quoted` field name', 'close the field name with a backtick', start, start + 1);
      name += text.slice(j);
      j = text.length;
      break;
    }
    name += text.slice(j, close);
    if (text.charCodeAt(close + 1) === 96) {
      name += '`';
      j = close + 2;
      continue;
    }
    j = close + 1;
    break;
  }
  tokens.push({ kind: 'ident', text: name, start, end: j });
  return j;
}

/** A word: identifier chars and dots (`process.parent.name`), an optional `[0]` index, an optional trailing `~`. */
function readWord(text: string, i: number, tokens: EqlToken[]): number {
  const start = i;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isIdentPart(c)) i++;
    else if (c === 46 && isIdentStart(text.charCodeAt(i + 1))) i++;
    else if (c === 91 && isDigit(text.charCodeAt(i + 1))) {
      // array index directly after a field: process.args[0]
      let j = i + 1;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 93) break;
      i = j + 1;
    } else break;
  }
  let word = text.slice(start, i);
  if (text.charCodeAt(i) === 126) {
    word += '~';
    i++;
  }
  const lower = word.toLowerCase();
  if (EQL_KEYWORDS.has(lower)) tokens.push({ kind: 'keyword', text: lower, start, end: i });
  else tokens.push({ kind: 'ident', text: word, start, end: i });
  return i;
}
