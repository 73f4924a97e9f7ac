import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LineIndex } from '../kql/line-index.js';
import type { EsqlCompareOp, EsqlExpr } from './ast.js';
import type { EsqlToken } from './tokens.js';

/** Thrown inside the parser only; the public API turns it into a diagnostic. */
export class EsqlSyntaxError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Deeper nesting (parentheses, `NOT`, unary signs, lists, maps) is refused: it would overflow the stack here or downstream. */
const MAX_NESTING = 200;

const COMPARE = new Set<string>(['==', '!=', '<', '<=', '>', '>=', '=~']);
/** Words that are operators, never function names, even when a `(` follows. */
const RESERVED = new Set(['and', 'or', 'not', 'in', 'like', 'rlike', 'is', 'by', 'as', 'on', 'with', 'where']);
const TIME_UNITS = new Set([
  'millisecond', 'milliseconds', 'ms', 'second', 'seconds', 'sec', 's', 'minute', 'minutes', 'min', 'm',
  'hour', 'hours', 'h', 'day', 'days', 'd', 'week', 'weeks', 'w', 'month', 'months', 'mo',
  'quarter', 'quarters', 'q', 'year', 'years', 'yr', 'y',
]);

/**
 * Token cursor over one pipeline stage plus the expression grammar (precedence, low to high):
 * `OR` < `AND` < `NOT` < `IN`/`LIKE`/`RLIKE`/`IS NULL`/`:` < comparison < `+ -` < `* / %`
 * < unary minus < `::` cast < primary. The stage ends at its `|` (an `eof` token stands there).
 */
export class EsqlCursor {
  protected pos: number;
  /** Current nesting, against MAX_NESTING; the stage parser restores it when it recovers from an error. */
  protected depth = 0;
  private stageEnd: number;
  private stageEof: EsqlToken;

  constructor(
    protected readonly text: string,
    protected readonly tokens: EsqlToken[],
    protected readonly lines: LineIndex,
  ) {
    this.pos = 0;
    this.stageEnd = tokens.length - 1;
    this.stageEof = tokens[tokens.length - 1]!;
  }

  /** Restrict the cursor to tokens [from, to); `to` is the stage's `|` or the final eof. */
  protected setStage(from: number, to: number): void {
    this.pos = from;
    this.stageEnd = to;
    const t = this.tokens[to]!;
    this.stageEof = { kind: 'eof', start: t.start, end: t.start, text: '', lower: '' };
  }

  protected get stageLimit(): number {
    return this.stageEnd;
  }

  protected peek(ahead = 0): EsqlToken {
    const i = this.pos + ahead;
    return i < this.stageEnd ? this.tokens[i]! : this.stageEof;
  }

  protected next(): EsqlToken {
    const t = this.peek();
    if (this.pos < this.stageEnd) this.pos++;
    return t;
  }

  protected prevEnd(): number {
    return this.tokens[this.pos - 1]?.end ?? 0;
  }

  protected isKw(t: EsqlToken, kw: string): boolean {
    return t.kind === 'ident' && t.lower === kw;
  }

  protected isOp(t: EsqlToken, op: string): boolean {
    return t.kind === 'op' && t.text === op;
  }

  protected error(code: string, message: string, hint: string, t: EsqlToken): EsqlSyntaxError {
    return new EsqlSyntaxError(diagnosticAt(code, message, hint, this.lines.span(t.start, Math.max(t.end, t.start + 1))));
  }

  protected unexpected(t: EsqlToken, expected: string): EsqlSyntaxError {
    if (t.kind === 'eof') {
      return this.error('esql/unexpected-end', `Expected ${expected} before the end of the command`, 'Complete the expression, or remove the dangling operator.', t);
    }
    const shown = this.text.slice(t.start, t.end);
    return this.error('esql/unexpected-token', `Unexpected \`${shown}\`; expected ${expected}`, 'Check the operators, commas and parentheses around this point.', t);
  }

  protected expect(kind: EsqlToken['kind'], what: string): EsqlToken {
    const t = this.peek();
    if (t.kind !== kind) throw this.unexpected(t, what);
    return this.next();
  }

  /** Count one nesting level; a syntax error ends the parse, so only successful exits decrement. */
  protected enter(t: EsqlToken): void {
    if (++this.depth > MAX_NESTING) {
      throw this.error('esql/too-deep', `The query nests deeper than ${MAX_NESTING} levels of parentheses, \`NOT\`, signs, lists or maps`, 'Flatten the nesting: real queries need a few levels.', t);
    }
  }

  parseBoolean(): EsqlExpr {
    this.enter(this.peek());
    const first = this.parseAnd();
    if (!this.isKw(this.peek(), 'or')) {
      this.depth--;
      return first;
    }
    const children = [first];
    while (this.isKw(this.peek(), 'or')) {
      this.next();
      children.push(this.parseAnd());
    }
    this.depth--;
    return { type: 'logical', op: 'or', children, start: first.start, end: children[children.length - 1]!.end };
  }

  private parseAnd(): EsqlExpr {
    const first = this.parseNot();
    if (!this.isKw(this.peek(), 'and')) return first;
    const children = [first];
    while (this.isKw(this.peek(), 'and')) {
      this.next();
      children.push(this.parseNot());
    }
    return { type: 'logical', op: 'and', children, start: first.start, end: children[children.length - 1]!.end };
  }

  private parseNot(): EsqlExpr {
    const t = this.peek();
    if (!this.isKw(t, 'not')) return this.parsePredicate();
    this.next();
    this.enter(t);
    const expr = this.parseNot();
    this.depth--;
    return { type: 'not', expr, start: t.start, end: expr.end };
  }

  private parsePredicate(): EsqlExpr {
    const left = this.parseComparison();
    const t = this.peek();
    if (this.isKw(t, 'is')) {
      this.next();
      const negated = this.isKw(this.peek(), 'not');
      if (negated) this.next();
      const n = this.peek();
      if (!this.isKw(n, 'null')) throw this.unexpected(n, '`NULL` after `IS`');
      this.next();
      return { type: 'isnull', expr: left, negated, start: left.start, end: n.end };
    }
    if (this.isOp(t, ':')) {
      this.next();
      const query = this.parseComparison();
      return { type: 'match', field: left, query, start: left.start, end: query.end };
    }
    let negated = false;
    let kw = t;
    if (this.isKw(t, 'not')) {
      const after = this.peek(1);
      if (!(this.isKw(after, 'in') || this.isKw(after, 'like') || this.isKw(after, 'rlike'))) return left;
      negated = true;
      this.next();
      kw = this.peek();
    }
    if (this.isKw(kw, 'in')) {
      this.next();
      const list = this.parseParenList('a value list after `IN`');
      return { type: 'in', expr: left, list, negated, start: left.start, end: this.prevEnd() };
    }
    if (this.isKw(kw, 'like') || this.isKw(kw, 'rlike')) {
      this.next();
      const patterns = this.peek().kind === 'lparen' ? this.parseParenList('a pattern list') : [this.parsePrimary()];
      return { type: 'like', expr: left, patterns, regex: kw.lower === 'rlike', negated, start: left.start, end: this.prevEnd() };
    }
    return left;
  }

  private parseParenList(what: string): EsqlExpr[] {
    const open = this.peek();
    if (open.kind !== 'lparen') throw this.unexpected(open, what);
    this.next();
    const items: EsqlExpr[] = [];
    if (this.peek().kind !== 'rparen') {
      for (;;) {
        items.push(this.parseBoolean());
        if (this.peek().kind !== 'comma') break;
        this.next();
      }
    }
    this.closeParen(open);
    return items;
  }

  protected closeParen(open: EsqlToken): EsqlToken {
    const t = this.peek();
    if (t.kind === 'rparen') return this.next();
    if (t.kind === 'eof') throw this.error('esql/unclosed-paren', 'This `(` is never closed', 'Add the matching `)`.', open);
    throw this.unexpected(t, '`,` or `)`');
  }

  private parseComparison(): EsqlExpr {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.kind !== 'op' || !COMPARE.has(t.text)) return left;
    this.next();
    const right = this.parseAdditive();
    return { type: 'compare', op: t.text as EsqlCompareOp, left, right, start: left.start, end: right.end };
  }

  private parseAdditive(): EsqlExpr {
    let left = this.parseMultiplicative();
    for (;;) {
      const t = this.peek();
      if (!(this.isOp(t, '+') || this.isOp(t, '-'))) return left;
      this.next();
      const right = this.parseMultiplicative();
      left = { type: 'arith', op: t.text as '+' | '-', left, right, start: left.start, end: right.end };
    }
  }

  private parseMultiplicative(): EsqlExpr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (!(this.isOp(t, '*') || this.isOp(t, '/') || this.isOp(t, '%'))) return left;
      this.next();
      const right = this.parseUnary();
      left = { type: 'arith', op: t.text as '*' | '/' | '%', left, right, start: left.start, end: right.end };
    }
  }

  private parseUnary(): EsqlExpr {
    const t = this.peek();
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.next();
      this.enter(t);
      const expr = this.parseUnary();
      this.depth--;
      if (t.text === '-' && expr.type === 'literal' && expr.kind === 'number') return { ...expr, value: -expr.value, start: t.start };
      return { type: 'unary', op: t.text as '-' | '+', expr, start: t.start, end: expr.end };
    }
    let expr = this.parsePrimary();
    while (this.isOp(this.peek(), '::')) {
      this.next();
      const type = this.expect('ident', 'a type name after `::`');
      expr = { type: 'cast', expr, to: type.lower, start: expr.start, end: type.end };
    }
    return expr;
  }

  protected parsePrimary(): EsqlExpr {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        return { type: 'literal', kind: 'string', value: t.text, raw: t.raw === true, start: t.start, end: t.end };
      case 'number': {
        this.next();
        const value = Number(t.text);
        const unit = this.peek();
        if (unit.kind === 'ident' && TIME_UNITS.has(unit.lower)) {
          this.next();
          return { type: 'interval', value, unit: unit.lower, start: t.start, end: unit.end };
        }
        return { type: 'literal', kind: 'number', value, start: t.start, end: t.end };
      }
      case 'param':
        this.next();
        return { type: 'param', name: t.text, start: t.start, end: t.end };
      case 'lparen': {
        this.next();
        const inner = this.parseBoolean();
        const close = this.closeParen(t);
        return { ...inner, start: t.start, end: close.end };
      }
      case 'lbracket':
        return this.parseArray();
      case 'lbrace':
        return this.parseMap();
      case 'ident':
        return this.parseIdentifier();
      default:
        throw this.unexpected(t, 'a value, field or function');
    }
  }

  private parseIdentifier(): EsqlExpr {
    const t = this.next();
    if (t.lower === 'true' || t.lower === 'false') return { type: 'literal', kind: 'boolean', value: t.lower === 'true', start: t.start, end: t.end };
    if (t.lower === 'null') return { type: 'literal', kind: 'null', value: null, start: t.start, end: t.end };
    const open = this.peek();
    if (open.kind !== 'lparen' || RESERVED.has(t.lower)) return { type: 'field', name: t.text, start: t.start, end: t.end };
    this.next();
    const args: EsqlExpr[] = [];
    if (this.peek().kind !== 'rparen') {
      for (;;) {
        const a = this.peek();
        if (this.isOp(a, '*') && (this.peek(1).kind === 'rparen' || this.peek(1).kind === 'comma')) {
          this.next();
          args.push({ type: 'star', start: a.start, end: a.end });
        } else {
          args.push(this.parseBoolean());
        }
        if (this.peek().kind !== 'comma') break;
        this.next();
      }
    }
    const close = this.closeParen(open);
    return { type: 'call', name: t.text.toUpperCase(), args, start: t.start, end: close.end };
  }

  private parseArray(): EsqlExpr {
    const open = this.next();
    this.enter(open);
    const items: EsqlExpr[] = [];
    if (this.peek().kind !== 'rbracket') {
      for (;;) {
        items.push(this.parseUnary());
        if (this.peek().kind !== 'comma') break;
        this.next();
      }
    }
    const close = this.peek();
    if (close.kind !== 'rbracket') throw close.kind === 'eof' ? this.error('esql/unclosed-bracket', 'This `[` is never closed', 'Add the matching `]`.', open) : this.unexpected(close, '`,` or `]`');
    this.next();
    this.depth--;
    return { type: 'list', items, start: open.start, end: close.end };
  }

  private parseMap(): EsqlExpr {
    const open = this.next();
    this.enter(open);
    const entries: { key: string; value: EsqlExpr }[] = [];
    if (this.peek().kind !== 'rbrace') {
      for (;;) {
        const key = this.expect('string', 'an option name in quotes');
        const colon = this.peek();
        if (!this.isOp(colon, ':')) throw this.unexpected(colon, '`:` after the option name');
        this.next();
        entries.push({ key: key.text, value: this.peek().kind === 'lbrace' ? this.parseMap() : this.parseUnary() });
        if (this.peek().kind !== 'comma') break;
        this.next();
      }
    }
    const close = this.peek();
    if (close.kind !== 'rbrace') throw close.kind === 'eof' ? this.error('esql/unclosed-brace', 'This `{` is never closed', 'Add the matching `}`.', open) : this.unexpected(close, '`,` or `}`');
    this.next();
    this.depth--;
    return { type: 'map', entries, start: open.start, end: close.end };
  }
}
