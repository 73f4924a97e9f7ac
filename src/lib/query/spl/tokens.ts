import { skipQuoted, unescapeWord } from './text.js';

/**
 * SPL has two lexical worlds: the search language (`field=value`, bare terms, wildcards, values
 * may contain `\`, `*`, `=`, `.`) and the eval/where expression language (identifiers, numbers,
 * operators). One cursor serves both: the parser asks for the next token in the mode it is in.
 */
export type TokenKind =
  | 'word' // search mode: a run of non-special characters (field name, bare term, unquoted value)
  | 'string' // "double-quoted"; `value` is unescaped
  | 'qfield' // expression mode: 'single-quoted field name'
  | 'ident' // expression mode: identifier / field name / function name / keyword
  | 'number' // expression mode
  | 'op' // = == != < <= > >= and, in expression mode, + - * / % .
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'comma'
  | 'pipe'
  | 'macro' // `name(args)` left unexpanded (unknown macro): kept as an opaque term
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Text as written. */
  text: string;
  /** Unescaped value for strings and words. */
  value: string;
  start: number;
  end: number;
  /** Whitespace or a comment precedes the token (juxtaposition matters for `"x"AND`). */
  spaced: boolean;
  /** Strings: the closing quote is missing. */
  unterminated?: boolean;
}

const enum C {
  TAB = 9, LF = 10, CR = 13, SPACE = 32, BANG = 33, DQUOTE = 34, SQUOTE = 39, LPAREN = 40, RPAREN = 41,
  STAR = 42, PLUS = 43, COMMA = 44, MINUS = 45, DOT = 46, SLASH = 47, LT = 60, EQ = 61, GT = 62,
  LBRACKET = 91, BACKSLASH = 92, RBRACKET = 93, BACKTICK = 96, PIPE = 124, PERCENT = 37,
}

const isSpace = (c: number): boolean => c === C.SPACE || c === C.TAB || c === C.LF || c === C.CR;

/** Characters that end a search-mode word (besides `!=`, which the cursor checks). */
function endsSearchWord(c: number): boolean {
  return (
    isSpace(c) || c === C.LPAREN || c === C.RPAREN || c === C.LBRACKET || c === C.RBRACKET || c === C.PIPE ||
    c === C.DQUOTE || c === C.EQ || c === C.LT || c === C.GT || c === C.COMMA || c === C.BACKTICK
  );
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isIdentStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64 || c === 36 || c > 127;
const isIdentPart = (c: number): boolean =>
  isIdentStart(c) || isDigit(c) || c === C.DOT || c === 123 || c === 125 || c === 58 || c === 35;

/** A cursor over `text[start, end)` with search-mode and expression-mode tokenizers. */
export class Cursor {
  pos: number;
  /** Set when a ``` comment is not closed; the parser reports it once. */
  unterminatedComment = -1;

  constructor(readonly text: string, start: number, readonly end: number) {
    this.pos = start;
  }

  /** Skip whitespace and ```comments```; returns whether anything was skipped. */
  skipTrivia(): boolean {
    const start = this.pos;
    const t = this.text;
    for (;;) {
      while (this.pos < this.end && isSpace(t.charCodeAt(this.pos))) this.pos++;
      if (this.pos + 2 < this.end && t.startsWith('```', this.pos)) {
        const close = t.indexOf('```', this.pos + 3);
        if (close < 0 || close + 3 > this.end) {
          this.unterminatedComment = this.pos;
          this.pos = this.end;
          return true;
        }
        this.pos = close + 3;
        continue;
      }
      return this.pos > start;
    }
  }

  atEnd(): boolean {
    this.skipTrivia();
    return this.pos >= this.end;
  }

  /** Peek without consuming (the token is cached, so peek-then-next lexes once). */
  peek(mode: 'search' | 'expr'): Token {
    if (this.cacheAt === this.pos && this.cacheMode === mode) return this.cacheTok!;
    const save = this.pos;
    const tok = mode === 'search' ? this.lexSearch() : this.lexExpr();
    this.cacheAt = save;
    this.cacheMode = mode;
    this.cacheTok = tok;
    this.cacheEnd = this.pos;
    this.pos = save;
    return tok;
  }

  private cacheAt = -1;
  private cacheMode: 'search' | 'expr' | null = null;
  private cacheTok: Token | null = null;
  private cacheEnd = 0;

  private fromCache(mode: 'search' | 'expr'): Token | null {
    if (this.cacheAt !== this.pos || this.cacheMode !== mode) return null;
    this.pos = this.cacheEnd;
    return this.cacheTok;
  }

  /** Next search-mode token: words, strings, comparison operators, punctuation, macros. */
  nextSearch(): Token {
    return this.fromCache('search') ?? this.lexSearch();
  }

  /** Next expression-mode token (eval / where). */
  nextExpr(): Token {
    return this.fromCache('expr') ?? this.lexExpr();
  }

  private lexSearch(): Token {
    const spaced = this.skipTrivia();
    const t = this.text;
    const start = this.pos;
    if (start >= this.end) return this.tok('eof', start, start, spaced);
    const c = t.charCodeAt(start);
    const punct = this.punct(c, start, spaced);
    if (punct) return punct;
    if (c === C.DQUOTE) return this.readString(start, spaced, C.DQUOTE);
    if (c === C.BACKTICK) return this.readMacro(start, spaced);
    const op = this.readComparison(start, spaced);
    if (op) return op;
    let i = start;
    while (i < this.end) {
      const d = t.charCodeAt(i);
      if (d === C.BANG && t.charCodeAt(i + 1) === C.EQ) break;
      if (d === C.BACKSLASH && i + 1 < this.end && !isSpace(t.charCodeAt(i + 1))) {
        i += 2; // `\"` inside a word is an escaped quote, not a string
        continue;
      }
      if (endsSearchWord(d)) break;
      i++;
    }
    return this.word(start, Math.min(i, this.end), spaced);
  }

  /**
   * The value after `field=` in the search language: a quoted string, or an unquoted run that may
   * contain `=` and balanced parentheses (`*--type=renderer*`, `*foo(x)*`), ending at whitespace,
   * `|`, `]`, or a `)` that closes an enclosing group.
   */
  readSearchValue(): Token {
    const spaced = this.skipTrivia();
    const t = this.text;
    const start = this.pos;
    if (start >= this.end) return this.tok('eof', start, start, spaced);
    const c = t.charCodeAt(start);
    if (c === C.DQUOTE) return this.readString(start, spaced, C.DQUOTE);
    if (c === C.BACKTICK) return this.readMacro(start, spaced);
    let depth = 0;
    let i = start;
    while (i < this.end) {
      const d = t.charCodeAt(i);
      if (isSpace(d) || d === C.PIPE || d === C.RBRACKET || d === C.LBRACKET) break;
      if (d === C.LPAREN) depth++;
      else if (d === C.RPAREN) {
        if (depth === 0) break;
        depth--;
      } else if (d === C.COMMA && depth === 0 && i > start) break;
      else if (d === C.BACKSLASH && i + 1 < this.end && !isSpace(t.charCodeAt(i + 1))) i++;
      i++;
    }
    if (i === start) return this.tok('eof', start, start, spaced);
    return this.word(start, i, spaced);
  }

  private lexExpr(): Token {
    const spaced = this.skipTrivia();
    const t = this.text;
    const start = this.pos;
    if (start >= this.end) return this.tok('eof', start, start, spaced);
    const c = t.charCodeAt(start);
    const punct = this.punct(c, start, spaced);
    if (punct) return punct;
    if (c === C.DQUOTE) return this.readString(start, spaced, C.DQUOTE);
    if (c === C.SQUOTE) {
      const s = this.readString(start, spaced, C.SQUOTE);
      return { ...s, kind: 'qfield' };
    }
    if (c === C.BACKTICK) return this.readMacro(start, spaced);
    const op = this.readComparison(start, spaced);
    if (op) return op;
    if (isDigit(c) || (c === C.DOT && isDigit(t.charCodeAt(start + 1)))) {
      let i = start;
      while (i < this.end && (isDigit(t.charCodeAt(i)) || t.charCodeAt(i) === C.DOT)) i++;
      if (i < this.end && isIdentStart(t.charCodeAt(i))) {
        // 1h, 4104a...: an identifier-like literal
        while (i < this.end && isIdentPart(t.charCodeAt(i))) i++;
        return this.tok('ident', start, i, spaced);
      }
      return this.tok('number', start, i, spaced);
    }
    if (isIdentStart(c)) {
      let i = start + 1;
      while (i < this.end) {
        const d = t.charCodeAt(i);
        // a dot followed by a quote or paren is the concatenation operator: `x."s"`
        if (d === C.DOT && !isIdentPart(t.charCodeAt(i + 1))) break;
        if (!isIdentPart(d)) break;
        i++;
      }
      return this.tok('ident', start, i, spaced);
    }
    if (c === C.PLUS || c === C.MINUS || c === C.STAR || c === C.SLASH || c === C.PERCENT || c === C.DOT || c === C.BANG) {
      return this.tok('op', start, start + 1, spaced);
    }
    // anything else: one character the parser will report
    return this.tok('op', start, start + 1, spaced);
  }

  /** Skip a bracketed subsearch starting at `[`; returns the offset after the matching `]` (or the end). */
  skipBalanced(open: number): { end: number; closed: boolean } {
    const t = this.text;
    let depth = 0;
    let i = open;
    while (i < this.end) {
      const c = t.charCodeAt(i);
      if (c === C.BACKSLASH) {
        i += 2;
        continue;
      }
      if (c === C.DQUOTE) {
        i = skipQuoted(t, i, this.end);
        continue;
      }
      if (c === C.LBRACKET) depth++;
      else if (c === C.RBRACKET) {
        depth--;
        if (depth === 0) {
          this.pos = i + 1;
          return { end: i + 1, closed: true };
        }
      }
      i++;
    }
    this.pos = this.end;
    return { end: this.end, closed: false };
  }

  private punct(c: number, start: number, spaced: boolean): Token | null {
    switch (c) {
      case C.LPAREN: return this.tok('lparen', start, start + 1, spaced);
      case C.RPAREN: return this.tok('rparen', start, start + 1, spaced);
      case C.LBRACKET: return this.tok('lbracket', start, start + 1, spaced);
      case C.RBRACKET: return this.tok('rbracket', start, start + 1, spaced);
      case C.COMMA: return this.tok('comma', start, start + 1, spaced);
      case C.PIPE: return this.tok('pipe', start, start + 1, spaced);
      default: return null;
    }
  }

  private readComparison(start: number, spaced: boolean): Token | null {
    const t = this.text;
    const c = t.charCodeAt(start);
    const n = t.charCodeAt(start + 1);
    if (c === C.EQ) return this.tok('op', start, n === C.EQ ? start + 2 : start + 1, spaced);
    if (c === C.BANG && n === C.EQ) return this.tok('op', start, start + 2, spaced);
    if (c === C.LT || c === C.GT) return this.tok('op', start, n === C.EQ ? start + 2 : start + 1, spaced);
    return null;
  }

  private readString(start: number, spaced: boolean, quote: number): Token {
    const t = this.text;
    let i = start + 1;
    let value = '';
    let chunk = i;
    while (i < this.end) {
      const c = t.charCodeAt(i);
      if (c === C.BACKSLASH && i + 1 < this.end) {
        const n = t.charCodeAt(i + 1);
        if (n === C.BACKSLASH || n === quote) {
          value += t.slice(chunk, i) + String.fromCharCode(n);
          i += 2;
          chunk = i;
          continue;
        }
        i++;
        continue;
      }
      if (c === quote) {
        value += t.slice(chunk, i);
        this.pos = i + 1;
        return { kind: 'string', text: t.slice(start, i + 1), value, start, end: i + 1, spaced };
      }
      i++;
    }
    value += t.slice(chunk, this.end);
    this.pos = this.end;
    return { kind: 'string', text: t.slice(start, this.end), value, start, end: this.end, spaced, unterminated: true };
  }

  private readMacro(start: number, spaced: boolean): Token {
    const close = this.text.indexOf('`', start + 1);
    const end = close < 0 || close >= this.end ? start + 1 : close + 1;
    this.pos = end;
    const text = this.text.slice(start, end);
    return { kind: 'macro', text, value: text, start, end, spaced };
  }

  private word(start: number, end: number, spaced: boolean): Token {
    this.pos = end;
    const text = this.text.slice(start, end);
    return { kind: 'word', text, value: unescapeWord(text), start, end, spaced };
  }

  private tok(kind: TokenKind, start: number, end: number, spaced: boolean): Token {
    this.pos = end;
    const text = this.text.slice(start, end);
    return { kind, text, value: text, start, end, spaced };
  }
}


export { Positions, splitPipeline, skipQuoted, unescapeWord } from './text.js';
