import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineIndex } from '../kql/line-index.js';

/**
 * Lucene classic query-syntax lexer (what Elasticsearch's `query_string` and Kibana's "Lucene"
 * language read). Operators are upper case only: `AND`/`OR`/`NOT`/`TO`; a lower-case `and` is an
 * ordinary search term, exactly as in Lucene. `+`/`-` are operators only at the start of a term
 * (`g+s` and `process-started` are one term each).
 */
export type LuceneTokenKind =
  | 'term'
  | 'phrase'
  | 'regex'
  | 'lparen'
  | 'rparen'
  | 'colon'
  | 'lbracket'
  | 'rbracket'
  | 'lbrace'
  | 'rbrace'
  | 'and'
  | 'or'
  | 'not'
  | 'plus'
  | 'minus'
  | 'caret'
  | 'tilde'
  | 'cmp'
  | 'eof';

export interface LuceneToken {
  kind: LuceneTokenKind;
  start: number;
  end: number;
  /** Decoded text: term with escapes resolved, phrase content, regex pattern, comparison operator. */
  text: string;
  /** Terms only: canonical glob (`*`/`?` wildcards, escaped ones as `[*]`/`[?]`). */
  glob: string;
  /** Terms only: holds an unescaped `*` or `?`. */
  wildcard: boolean;
}

export interface LuceneLexResult {
  tokens: LuceneToken[];
  diagnostics: Diagnostic[];
}

/** Characters that end a term (unless escaped). `+`, `-`, `!` and `/` are allowed inside a term. */
const TERM_END = new Set([' ', '\t', '\n', '\r', '\u3000', '(', ')', ':', '^', '[', ']', '"', '{', '}', '~']);
const SINGLE: Record<string, LuceneTokenKind> = {
  '(': 'lparen',
  ')': 'rparen',
  ':': 'colon',
  '[': 'lbracket',
  ']': 'rbracket',
  '{': 'lbrace',
  '}': 'rbrace',
  '+': 'plus',
  '-': 'minus',
  '!': 'not',
  '^': 'caret',
  '~': 'tilde',
};
const KEYWORDS: Record<string, LuceneTokenKind> = { AND: 'and', OR: 'or', NOT: 'not' };

const tok = (kind: LuceneTokenKind, start: number, end: number, text = ''): LuceneToken => ({ kind, start, end, text, glob: text, wildcard: false });

/** Tokenize a Lucene query; never throws. */
export function lexLucene(text: string, lines: LineIndex = new LineIndex(text)): LuceneLexResult {
  const tokens: LuceneToken[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000') {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      tokens.push(tok(two === '&&' ? 'and' : 'or', i, i + 2, two));
      i += 2;
      continue;
    }
    if (c === '>' || c === '<') {
      const op = text[i + 1] === '=' ? `${c}=` : c;
      tokens.push(tok('cmp', i, i + op.length, op));
      i += op.length;
      continue;
    }
    const single = SINGLE[c];
    if (single) {
      tokens.push(tok(single, i, i + 1, c));
      i++;
      continue;
    }
    if (c === '"' || c === '/') {
      i = lexDelimited(text, i, c, tokens, diagnostics, lines);
      continue;
    }
    i = lexTerm(text, i, tokens);
  }
  tokens.push(tok('eof', n, n));
  return { tokens, diagnostics };
}

/** A quoted phrase or a `/regex/`; a backslash escapes the next character (kept as written in regexes). */
function lexDelimited(text: string, start: number, quote: string, tokens: LuceneToken[], diagnostics: Diagnostic[], lines: LineIndex): number {
  const n = text.length;
  let i = start + 1;
  let value = '';
  while (i < n && text[i] !== quote) {
    if (text[i] === '\\' && i + 1 < n) {
      // Phrases drop the escaping backslash; regexes keep it (it is part of the pattern).
      value += quote === '/' ? text.slice(i, i + 2) : text[i + 1]!;
      i += 2;
      continue;
    }
    value += text[i]!;
    i++;
  }
  const kind: LuceneTokenKind = quote === '"' ? 'phrase' : 'regex';
  if (i >= n) {
    diagnostics.push(
      diagnosticAt(
        kind === 'phrase' ? 'lucene/unterminated-string' : 'lucene/unterminated-regex',
        kind === 'phrase' ? 'Quoted phrase is never closed' : 'Regular expression is never closed',
        kind === 'phrase' ? 'Add the closing `"`; write a quote inside the phrase as `\\"`.' : 'Add the closing `/`; a slash inside the pattern is written `\\/`.',
        lines.span(start, start + 1),
      ),
    );
    tokens.push(tok(kind, start, n, value));
    return n;
  }
  tokens.push(tok(kind, start, i + 1, value));
  return i + 1;
}

function lexTerm(text: string, start: number, tokens: LuceneToken[]): number {
  const n = text.length;
  let i = start;
  let value = '';
  let glob = '';
  let wildcard = false;
  let escaped = false;
  while (i < n) {
    const c = text[i]!;
    if (TERM_END.has(c)) break;
    if (c === '\\' && i + 1 < n) {
      const e = text[i + 1]!;
      escaped = true;
      value += e;
      glob += e === '*' ? '[*]' : e === '?' ? '[?]' : e;
      i += 2;
      continue;
    }
    if (c === '*' || c === '?') wildcard = true;
    value += c;
    glob += c;
    i++;
  }
  const raw = text.slice(start, i);
  const keyword = escaped ? undefined : KEYWORDS[raw];
  tokens.push(keyword ? tok(keyword, start, i, raw) : { kind: 'term', start, end: i, text: value, glob, wildcard });
  return i;
}
