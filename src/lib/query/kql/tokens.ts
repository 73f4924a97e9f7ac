import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineIndex } from './line-index.js';

/**
 * KQL (Kibana kuery) lexer. Tokens carry character offsets; the parser turns them into spans.
 *
 * Keywords (`and`/`or`/`not`, any case) are whole words only: `android`, `order_id` and
 * `notepad.exe` stay values. An escaped keyword (`\and`) is a value too, as in Kibana's grammar.
 * Unquoted words keep two decodings: `text` (escapes resolved, every `*` as a star) and `glob`
 * (canonical wildcard notation: unescaped `*` is the wildcard, an escaped `\*` is `[*]`, and `?`
 * — never a wildcard in KQL — is `[?]`).
 */
export type KqlTokenKind =
  | 'word'
  | 'quoted'
  | 'lparen'
  | 'rparen'
  | 'lbrace'
  | 'rbrace'
  | 'colon'
  | 'range'
  | 'and'
  | 'or'
  | 'not'
  | 'eof';

export type KqlRangeOp = '<' | '<=' | '>' | '>=';

export interface KqlToken {
  kind: KqlTokenKind;
  start: number;
  end: number;
  /** Decoded literal text (word or quoted string); the operator for `range`. */
  text: string;
  /** Words only: canonical glob of the word. */
  glob: string;
  /** Words only: true when the word holds an unescaped `*`. */
  wildcard: boolean;
}

export interface KqlLexResult {
  tokens: KqlToken[];
  diagnostics: Diagnostic[];
  lines: LineIndex;
}

const SPECIAL = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);
const KEYWORDS: Record<string, KqlTokenKind> = { and: 'and', or: 'or', not: 'not' };
const HEX = /^[0-9a-fA-F]{4}$/;

/** True when `or`/`and`/`not` (any case) starts at `at`: the Kibana escaped-keyword rule. */
function startsWithKeyword(text: string, at: number): boolean {
  const head = text.slice(at, at + 3).toLowerCase();
  return head === 'and' || head === 'not' || head.startsWith('or');
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function token(kind: KqlTokenKind, start: number, end: number, text = ''): KqlToken {
  return { kind, start, end, text, glob: text, wildcard: false };
}

/** Tokenize a KQL query; never throws. Lexical problems become diagnostics and the bad character is skipped. */
export function lexKql(text: string, lines: LineIndex = new LineIndex(text)): KqlLexResult {
  const tokens: KqlToken[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    switch (c) {
      case '(':
        tokens.push(token('lparen', i, ++i));
        continue;
      case ')':
        tokens.push(token('rparen', i, ++i));
        continue;
      case '{':
        tokens.push(token('lbrace', i, ++i));
        continue;
      case '}':
        tokens.push(token('rbrace', i, ++i));
        continue;
      case ':':
        tokens.push(token('colon', i, ++i));
        continue;
      case '<':
      case '>': {
        const op = text[i + 1] === '=' ? `${c}=` : c;
        i += op.length;
        tokens.push(token('range', start, i, op));
        continue;
      }
      case '"': {
        i = lexQuoted(text, i, tokens, diagnostics, lines);
        continue;
      }
    }
    i = lexWord(text, i, tokens, diagnostics, lines);
  }
  tokens.push(token('eof', n, n));
  return { tokens, diagnostics, lines };
}

function lexQuoted(text: string, start: number, tokens: KqlToken[], diagnostics: Diagnostic[], lines: LineIndex): number {
  const n = text.length;
  let i = start + 1;
  let value = '';
  let wsEscape = -1;
  let literalBackslash = false;
  let run = i;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (code === 34) break;
    if (code !== 92 || i + 1 >= n) {
      i++;
      continue;
    }
    const e = text[i + 1]!;
    let decoded: string | null = null;
    let length = 2;
    if (e === '\\' || e === '"') decoded = e;
    else if (e === 't' || e === 'n' || e === 'r') {
      decoded = e === 't' ? '\t' : e === 'n' ? '\n' : '\r';
      if (wsEscape < 0) wsEscape = i;
    } else if (e === 'u' && HEX.test(text.slice(i + 2, i + 6))) {
      decoded = String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      length = 6;
    }
    if (decoded === null) {
      // Any other backslash is a literal character inside quotes (Kibana's QuotedCharacter rule).
      literalBackslash = true;
      i++;
      continue;
    }
    value += text.slice(run, i) + decoded;
    i += length;
    run = i;
  }
  value += text.slice(run, i);
  if (i >= n) {
    diagnostics.push(
      diagnosticAt(
        'kql/unterminated-string',
        'Quoted value is never closed',
        'Add the closing `"`; a `"` inside the value is written `\\"`.',
        lines.span(start, start + 1),
      ),
    );
    tokens.push({ kind: 'quoted', start, end: n, text: value, glob: value, wildcard: false });
    return n;
  }
  if (wsEscape >= 0 && literalBackslash) {
    // `"C:\Agent\tmp"`: Kibana reads `\t` as a tab, so the rule silently looks for another value.
    diagnostics.push(
      diagnosticAt(
        'kql/whitespace-escape-in-path',
        `\`${text.slice(wsEscape, wsEscape + 2)}\` in this quoted value is read as a control character, not a backslash`,
        'Inside KQL quotes `\\t`, `\\n` and `\\r` are tab/newline/return; if this is a Windows path, double every backslash (`\\\\`).',
        lines.span(wsEscape, wsEscape + 2),
        'warning',
      ),
    );
  }
  tokens.push({ kind: 'quoted', start, end: i + 1, text: value, glob: value, wildcard: false });
  return i + 1;
}

/** Characters that end an unquoted word: whitespace and `( ) : < > " { }`. */
function endsWord(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 40 || c === 41 || c === 58 || c === 60 || c === 62 || c === 34 || c === 123 || c === 125;
}

function lexWord(text: string, start: number, tokens: KqlToken[], diagnostics: Diagnostic[], lines: LineIndex): number {
  const n = text.length;
  let i = start;
  let value = '';
  let glob = '';
  let wildcard = false;
  let escaped = false;
  let run = i;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (endsWord(code)) break;
    // Plain characters are copied in runs; only `*`, `?` and `\` need work.
    if (code !== 42 && code !== 63 && code !== 92) {
      i++;
      continue;
    }
    const plain = text.slice(run, i);
    value += plain;
    glob += plain;
    if (code === 42) {
      value += '*';
      glob += '*';
      wildcard = true;
      i++;
    } else if (code === 63) {
      value += '?';
      glob += '[?]';
      i++;
    } else {
      escaped = true;
      i = lexEscape(text, i, (v, g) => {
        value += v;
        glob += g;
      }, diagnostics, lines);
    }
    run = i;
  }
  const plain = text.slice(run, i);
  value += plain;
  glob += plain;
  const raw = text.slice(start, i);
  const keyword = escaped || raw.length > 3 ? undefined : KEYWORDS[raw.toLowerCase()];
  tokens.push(
    keyword
      ? token(keyword, start, i, raw)
      : { kind: 'word', start, end: i, text: value, glob, wildcard },
  );
  return i;
}

/** One backslash escape in an unquoted word at `i`; emits its value and glob form, returns the next offset. */
function lexEscape(text: string, i: number, emit: (value: string, glob: string) => void, diagnostics: Diagnostic[], lines: LineIndex): number {
  const e = text[i + 1];
  if (e !== undefined && SPECIAL.has(e)) {
    emit(e, e === '*' ? '[*]' : e);
    return i + 2;
  }
  if (e === 't' || e === 'n' || e === 'r') {
    const ws = e === 't' ? '\t' : e === 'n' ? '\n' : '\r';
    emit(ws, ws);
    return i + 2;
  }
  if (e === 'u' && HEX.test(text.slice(i + 2, i + 6))) {
    const ch = String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
    emit(ch, ch === '*' ? '[*]' : ch === '?' ? '[?]' : ch);
    return i + 6;
  }
  if (startsWithKeyword(text, i + 1)) return i + 1; // `\or`: an escaped keyword is a plain value
  diagnostics.push(
    diagnosticAt(
      'kql/invalid-escape',
      e === undefined ? 'Backslash at the end of the query' : `\`\\${e}\` is not an escape in an unquoted KQL value`,
      'Write a literal backslash as `\\\\`, or quote the value (inside quotes only `\\\\`, `\\"`, `\\t`, `\\n`, `\\r` and `\\uXXXX` are escapes).',
      lines.span(i, Math.min(i + 2, text.length)),
    ),
  );
  emit('\\', '\\');
  return i + 1;
}
