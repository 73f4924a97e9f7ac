import { diagnosticAt, type Diagnostic, type Span } from '../../diagnostics/diagnostic.js';
import { hasErrors, type ParseResult } from '../types.js';
import { LineIndex } from './line-index.js';
import { lexKql, type KqlRangeOp, type KqlToken, type KqlTokenKind } from './tokens.js';

/**
 * KQL AST. Precedence follows Kibana and detection-rules' `kql.g`: `not` > `and` > `or`, with the
 * same three operators inside value lists (`field:(a or not b)`).
 */
export interface KqlValue {
  type: 'value';
  /** Quoted values are literal: a `*` inside quotes is a star, not a wildcard. */
  quoted: boolean;
  /** Decoded value (escapes resolved). */
  text: string;
  /** Canonical glob (see `KqlToken.glob`); equals `text` for quoted values. */
  glob: string;
  /** True when the unquoted value holds an unescaped `*`. */
  wildcard: boolean;
  /** The value as written. */
  raw: string;
  span: Span;
}

export type KqlValueExpr =
  | { type: 'or' | 'and'; children: KqlValueExpr[]; span: Span }
  | { type: 'not'; child: KqlValueExpr; span: Span }
  | KqlValue;

export type KqlNode =
  | { type: 'or' | 'and'; children: KqlNode[]; span: Span }
  | { type: 'not'; child: KqlNode; span: Span }
  /** `field:value` or `field:(value list)`. */
  | { type: 'field'; field: string; value: KqlValueExpr; span: Span }
  /** `field >= value`. */
  | { type: 'range'; field: string; op: KqlRangeOp; value: KqlValue; span: Span }
  /** `field:{ sub:value }`: fields inside are relative to `field`. */
  | { type: 'nested'; field: string; query: KqlNode; span: Span }
  /** A value with no field: full-text search over the default fields. */
  | { type: 'bare'; value: KqlValue; span: Span };

class KqlSyntaxError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Deeper nesting (parentheses, braces, `not` chains) is refused: it would overflow the stack here or downstream. */
const MAX_NESTING = 200;

const DESCRIBE: Record<KqlTokenKind, string> = {
  word: 'value',
  quoted: 'quoted value',
  lparen: '`(`',
  rparen: '`)`',
  lbrace: '`{`',
  rbrace: '`}`',
  colon: '`:`',
  range: 'range operator',
  and: '`and`',
  or: '`or`',
  not: '`not`',
  eof: 'end of query',
};

class KqlParser {
  private pos = 0;
  private depth = 0;
  readonly warnings: Diagnostic[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: KqlToken[],
    private readonly lines: LineIndex,
  ) {}

  parseQuery(): KqlNode {
    if (this.peek().kind === 'eof') {
      throw this.error('kql/empty-query', 'The query is empty', 'Write at least one condition, e.g. `process.name:cmd.exe`.', this.peek());
    }
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
    return node;
  }

  private peek(ahead = 0): KqlToken {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): KqlToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private span(start: number, end: number): Span {
    return this.lines.span(start, end);
  }

  private error(code: string, message: string, hint: string, t: KqlToken): KqlSyntaxError {
    return new KqlSyntaxError(diagnosticAt(code, message, hint, this.span(t.start, t.end)));
  }

  private unexpected(t: KqlToken): KqlSyntaxError {
    if (t.kind === 'eof') {
      return this.error('kql/unexpected-end', 'The query ends too early', 'Complete the last condition or remove the dangling operator.', t);
    }
    if (t.kind === 'rparen') {
      return this.error('kql/unbalanced-paren', 'This `)` has no matching `(`', 'Remove it or add the opening `(`.', t);
    }
    if (t.kind === 'colon') {
      return this.error(
        'kql/unexpected-token',
        'Unexpected `:`',
        'Quote the value or escape the colon as `\\:`; two conditions are joined with `and`/`or`.',
        t,
      );
    }
    const what = t.kind === 'word' || t.kind === 'quoted' ? `value \`${this.text.slice(t.start, t.end)}\`` : DESCRIBE[t.kind];
    return this.error('kql/unexpected-token', `Unexpected ${what}`, 'Join conditions with `and`/`or`, and check parentheses and quotes.', t);
  }

  /** Count one nesting level; a parse error ends the parse, so only successful exits decrement. */
  private enter(t: KqlToken): void {
    if (++this.depth > MAX_NESTING) {
      throw this.error('kql/too-deep', `The query nests deeper than ${MAX_NESTING} levels of parentheses, braces or \`not\``, 'Flatten the nesting: real queries need a few levels.', t);
    }
  }

  private parseOr(): KqlNode {
    this.enter(this.peek());
    const first = this.parseAnd();
    if (this.peek().kind !== 'or') {
      this.depth--;
      return first;
    }
    const children = [first];
    while (this.peek().kind === 'or') {
      this.next();
      children.push(this.parseAnd());
    }
    this.depth--;
    return { type: 'or', children, span: this.cover(first.span, children[children.length - 1]!.span) };
  }

  private parseAnd(): KqlNode {
    const first = this.parseNot();
    if (this.peek().kind !== 'and') return first;
    const children = [first];
    while (this.peek().kind === 'and') {
      this.next();
      children.push(this.parseNot());
    }
    return { type: 'and', children, span: this.cover(first.span, children[children.length - 1]!.span) };
  }

  private parseNot(): KqlNode {
    const t = this.peek();
    if (t.kind !== 'not') return this.parsePrimary();
    this.next();
    this.enter(t);
    const child = this.parseNot();
    this.depth--;
    return { type: 'not', child, span: this.cover(this.span(t.start, t.end), child.span) };
  }

  private parsePrimary(): KqlNode {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.next();
      const inner = this.parseOr();
      this.expectClose(t, 'rparen');
      return inner;
    }
    if (t.kind !== 'word' && t.kind !== 'quoted') throw this.unexpected(t);
    const after = this.peek(1);
    if (after.kind === 'colon') return this.parseFieldExpression();
    if (after.kind === 'range') {
      this.next();
      const op = this.next().text as KqlRangeOp;
      const v = this.peek();
      if (v.kind !== 'word' && v.kind !== 'quoted') {
        throw this.error('kql/expected-value', `Expected a value after \`${op}\``, 'Write the bound, e.g. `destination.port >= 1024`.', v);
      }
      const value = this.parseValue();
      return { type: 'range', field: t.text, op, value, span: this.span(t.start, this.tokens[this.pos - 1]!.end) };
    }
    const value = this.parseValue();
    return { type: 'bare', value, span: value.span };
  }

  private parseFieldExpression(): KqlNode {
    const f = this.next();
    const colon = this.next();
    const t = this.peek();
    if (t.kind === 'lbrace') {
      this.next();
      const query = this.parseOr();
      const close = this.expectClose(t, 'rbrace');
      return { type: 'nested', field: f.text, query, span: this.span(f.start, close.end) };
    }
    const value = this.parseListOfValues(f, colon);
    return { type: 'field', field: f.text, value, span: this.span(f.start, this.tokens[this.pos - 1]!.end) };
  }

  private expectClose(open: KqlToken, kind: 'rparen' | 'rbrace'): KqlToken {
    const t = this.peek();
    if (t.kind === kind) return this.next();
    if (t.kind === 'eof') {
      const ch = kind === 'rparen' ? '(' : '{';
      throw this.error('kql/unclosed-paren', `This \`${ch}\` is never closed`, `Add the matching \`${kind === 'rparen' ? ')' : '}'}\`.`, open);
    }
    throw this.unexpected(t);
  }

  private parseListOfValues(field: KqlToken, colon: KqlToken): KqlValueExpr {
    const t = this.peek();
    if (t.kind === 'lparen') {
      this.next();
      const inner = this.parseOrValues(field, colon);
      this.expectClose(t, 'rparen');
      return inner;
    }
    if (t.kind === 'word' || t.kind === 'quoted') return this.parseValue();
    if (t.kind === 'eof' || t.kind === 'and' || t.kind === 'or' || t.kind === 'rparen' || t.kind === 'not') {
      throw this.error(
        'kql/expected-value',
        `Expected a value for \`${field.text}\``,
        `Write \`${field.text}:value\`, \`${field.text}:*\` for "field exists", or a list \`${field.text}:(a or b)\`.`,
        t.kind === 'eof' ? (this.tokens[this.pos - 1] ?? colon) : t,
      );
    }
    throw this.unexpected(t);
  }

  private parseOrValues(field: KqlToken, colon: KqlToken): KqlValueExpr {
    this.enter(this.peek());
    const first = this.parseAndValues(field, colon);
    if (this.peek().kind !== 'or') {
      this.depth--;
      return first;
    }
    const children = [first];
    while (this.peek().kind === 'or') {
      this.next();
      children.push(this.parseAndValues(field, colon));
    }
    this.depth--;
    return { type: 'or', children, span: this.cover(first.span, children[children.length - 1]!.span) };
  }

  private parseAndValues(field: KqlToken, colon: KqlToken): KqlValueExpr {
    const first = this.parseNotValues(field, colon);
    if (this.peek().kind !== 'and') return first;
    const children = [first];
    while (this.peek().kind === 'and') {
      this.next();
      children.push(this.parseNotValues(field, colon));
    }
    return { type: 'and', children, span: this.cover(first.span, children[children.length - 1]!.span) };
  }

  private parseNotValues(field: KqlToken, colon: KqlToken): KqlValueExpr {
    const t = this.peek();
    if (t.kind !== 'not') return this.parseListOfValues(field, colon);
    this.next();
    this.enter(t);
    const child = this.parseNotValues(field, colon);
    this.depth--;
    return { type: 'not', child, span: this.cover(this.span(t.start, t.end), child.span) };
  }

  /**
   * One value: a quoted string, or a run of unquoted words. Kibana lets an unquoted value hold
   * spaces (`field:foo bar` is the value `foo bar`); keywords and special characters end it.
   */
  private parseValue(): KqlValue {
    const first = this.next();
    if (first.kind === 'quoted') {
      return { type: 'value', quoted: true, text: first.text, glob: first.text, wildcard: false, raw: this.text.slice(first.start, first.end), span: this.span(first.start, first.end) };
    }
    let text = first.text;
    let glob = first.glob;
    let wildcard = first.wildcard;
    let last = first;
    while (this.peek().kind === 'word') {
      const w = this.next();
      const gap = this.text.slice(last.end, w.start);
      if (gap.includes('\n')) this.warnJoinedLines(first, w);
      text += gap + w.text;
      glob += gap + w.glob;
      wildcard ||= w.wildcard;
      last = w;
    }
    return { type: 'value', quoted: false, text, glob, wildcard, raw: this.text.slice(first.start, last.end), span: this.span(first.start, last.end) };
  }

  /** Kibana reads `a\n  b` as the single value "a b"; across lines that is almost always a missing `or`. */
  private warnJoinedLines(first: KqlToken, second: KqlToken): void {
    this.warnings.push(
      diagnosticAt(
        'kql/value-spans-lines',
        `\`${this.text.slice(first.start, first.end)}\` and \`${this.text.slice(second.start, second.end)}\` on the next line are read as one value`,
        'An unquoted value may hold spaces, so Kibana searches for both words together. Join two values with `or`, or quote a value that really spans lines.',
        this.span(second.start, second.end),
        'warning',
      ),
    );
  }

  private cover(a: Span, b: Span): Span {
    const start = this.lines.offset(a.line, a.column);
    const end = this.lines.offset(b.line, b.column) + b.length;
    return this.span(start, end);
  }
}

/** Parse KQL text into an AST; never throws. The first syntax error stops the parse (ast null). */
export function parseKqlText(text: string): ParseResult<KqlNode> {
  const lines = new LineIndex(text);
  const lexed = lexKql(text, lines);
  if (hasErrors(lexed.diagnostics)) return { ast: null, diagnostics: lexed.diagnostics };
  const parser = new KqlParser(text, lexed.tokens, lines);
  try {
    const ast = parser.parseQuery();
    return { ast, diagnostics: [...lexed.diagnostics, ...parser.warnings] };
  } catch (e) {
    if (e instanceof KqlSyntaxError) return { ast: null, diagnostics: [...lexed.diagnostics, ...parser.warnings, e.diagnostic] };
    const message = e instanceof Error ? e.message : String(e);
    return { ast: null, diagnostics: [diagnosticAt('kql/internal-error', `KQL parser failure: ${message}`, 'This is a bug in the parser; please report the query.')] };
  }
}
