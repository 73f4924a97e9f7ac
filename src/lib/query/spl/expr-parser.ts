import type { Severity } from '../../diagnostics/diagnostic.js';
import type { ParseContext } from './context.js';
import { Cursor, type Token } from './tokens.js';

/** eval/where expression tree; offsets index the parsed text so nodes can be shown as written. */
export type Expr =
  | { k: 'field'; name: string; start: number; end: number }
  | { k: 'str'; value: string; start: number; end: number }
  | { k: 'num'; value: number; start: number; end: number }
  | { k: 'call'; name: string; args: Expr[]; start: number; end: number }
  | { k: 'bin'; op: string; l: Expr; r: Expr; start: number; end: number }
  | { k: 'not'; e: Expr; start: number; end: number }
  | { k: 'neg'; e: Expr; start: number; end: number }
  | { k: 'in'; e: Expr; list: Expr[]; start: number; end: number }
  | { k: 'bad'; start: number; end: number };

const COMPARISON = new Set(['=', '==', '!=', '<', '<=', '>', '>=']);
const MAX_DEPTH = 200;

/**
 * Recursive-descent parser for the eval expression language used by `where` and `eval`:
 * OR/XOR < AND < NOT < comparison (= == != < > LIKE IN) < + - . < * / % < unary -.
 * Keywords are matched on whole identifiers, case-insensitively (`android` is a field).
 */
export class ExprParser {
  readonly cur: Cursor;
  private depth = 0;
  /** Set once `spl/too-deep` skipped the rest: the unclosed parentheses it leaves are not reported again. */
  private aborted = false;

  constructor(readonly ctx: ParseContext, start: number, end: number, readonly severity: Severity = 'error') {
    this.cur = new Cursor(ctx.text, start, end);
  }

  private peek(): Token {
    return this.cur.peek('expr');
  }

  private isKw(tok: Token, kw: string): boolean {
    return tok.kind === 'ident' && tok.text.length === kw.length && tok.text.toLowerCase() === kw;
  }

  /** Parse one full expression (stops before a top-level `,` or the end). */
  parseExpr(): Expr {
    const deep = this.enter(this.peek());
    if (deep) return deep;
    const e = this.parseOr();
    this.depth--;
    return e;
  }

  /**
   * Count one nesting level (a parenthesis, an argument list, a `not` or a sign): past MAX_DEPTH the
   * rest of the expression is skipped with `spl/too-deep` (returned as a bad node), so hostile input
   * can neither overflow the stack nor build logic too deep to serialize. The caller decrements
   * `depth` when it gets null.
   */
  private enter(at: Token): Expr | null {
    if (++this.depth <= MAX_DEPTH) return null;
    this.depth--;
    if (!this.aborted) {
      this.ctx.report('spl/too-deep', `expression nested deeper than ${MAX_DEPTH} levels of parentheses, \`not\` or signs`, 'simplify the expression: real searches need a few levels', at.start, Math.max(at.end, at.start + 1));
    }
    this.aborted = true;
    this.cur.pos = this.cur.end;
    return { k: 'bad', start: at.start, end: at.end };
  }

  private parseOr(): Expr {
    let l = this.parseAnd();
    for (;;) {
      const t = this.peek();
      const op = this.isKw(t, 'or') ? 'or' : this.isKw(t, 'xor') ? 'xor' : null;
      if (!op) return l;
      this.cur.nextExpr();
      const r = this.parseAnd();
      l = { k: 'bin', op, l, r, start: l.start, end: r.end };
    }
  }

  private parseAnd(): Expr {
    let l = this.parseNot();
    for (;;) {
      const t = this.peek();
      if (!this.isKw(t, 'and')) return l;
      this.cur.nextExpr();
      const r = this.parseNot();
      l = { k: 'bin', op: 'and', l, r, start: l.start, end: r.end };
    }
  }

  private parseNot(): Expr {
    const t = this.peek();
    if (this.isKw(t, 'not')) {
      this.cur.nextExpr();
      const deep = this.enter(t);
      if (deep) return deep;
      const e = this.parseNot();
      this.depth--;
      return { k: 'not', e, start: t.start, end: e.end };
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const l = this.parseAdditive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARISON.has(t.text)) {
      this.cur.nextExpr();
      const r = this.parseAdditive();
      return { k: 'bin', op: t.text, l, r, start: l.start, end: r.end };
    }
    if (this.isKw(t, 'like')) {
      this.cur.nextExpr();
      const r = this.parseAdditive();
      return { k: 'bin', op: 'like', l, r, start: l.start, end: r.end };
    }
    if (this.isKw(t, 'in')) {
      this.cur.nextExpr();
      const open = this.cur.nextExpr();
      if (open.kind !== 'lparen') {
        this.fail(open, '`IN` needs a parenthesised list', 'write `field IN ("a", "b")`');
        return { k: 'bad', start: l.start, end: open.end };
      }
      const { args, end } = this.parseArgs(open);
      return { k: 'in', e: l, list: args, start: l.start, end };
    }
    return l;
  }

  private parseAdditive(): Expr {
    let l = this.parseMultiplicative();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '+' && t.text !== '-' && t.text !== '.')) return l;
      this.cur.nextExpr();
      const r = this.parseMultiplicative();
      l = { k: 'bin', op: t.text, l, r, start: l.start, end: r.end };
    }
  }

  private parseMultiplicative(): Expr {
    let l = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || (t.text !== '*' && t.text !== '/' && t.text !== '%')) return l;
      this.cur.nextExpr();
      const r = this.parseUnary();
      l = { k: 'bin', op: t.text, l, r, start: l.start, end: r.end };
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.cur.nextExpr();
      const deep = this.enter(t);
      if (deep) return deep;
      const e = this.parseUnary();
      this.depth--;
      return t.text === '-' ? { k: 'neg', e, start: t.start, end: e.end } : e;
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.cur.nextExpr();
    switch (t.kind) {
      case 'number':
        return { k: 'num', value: Number(t.text), start: t.start, end: t.end };
      case 'string':
        this.ctx.checkString(t);
        return { k: 'str', value: t.value, start: t.start, end: t.end };
      case 'qfield':
        this.ctx.checkString(t);
        return { k: 'field', name: t.value, start: t.start, end: t.end };
      case 'macro':
        return { k: 'field', name: t.text, start: t.start, end: t.end };
      case 'lparen': {
        const e = this.parseExpr();
        const close = this.cur.nextExpr();
        if (close.kind !== 'rparen') {
          this.fail(t, '`(` is not closed', 'add the matching `)`');
          if (close.kind !== 'eof') this.cur.pos = close.start;
          return e;
        }
        return { ...e, start: t.start, end: close.end };
      }
      case 'ident': {
        const lower = t.text.toLowerCase();
        if (lower === 'and' || lower === 'or' || lower === 'xor' || lower === 'like' || lower === 'in') {
          if (this.peek().kind !== 'lparen' || lower === 'and' || lower === 'or' || lower === 'xor') {
            this.fail(t, `\`${t.text}\` needs an operand before it`, 'write a value or field on both sides of the operator');
            this.cur.pos = t.start;
            return { k: 'bad', start: t.start, end: t.end };
          }
        }
        const next = this.peek();
        if (next.kind === 'lparen') {
          this.cur.nextExpr();
          const { args, end } = this.parseArgs(next);
          return { k: 'call', name: t.text.toLowerCase(), args, start: t.start, end };
        }
        return { k: 'field', name: t.text, start: t.start, end: t.end };
      }
      case 'eof':
        this.fail(t, 'expression ends too early', 'complete the expression');
        return { k: 'bad', start: t.start, end: t.end };
      default:
        this.fail(t, `unexpected \`${t.text}\` in expression`, 'check the operator; strings are written in double quotes, field names with spaces in single quotes');
        return { k: 'bad', start: t.start, end: t.end };
    }
  }

  /** Comma-separated arguments after `(` up to the matching `)`. */
  private parseArgs(open: Token): { args: Expr[]; end: number } {
    const args: Expr[] = [];
    if (this.peek().kind === 'rparen') return { args, end: this.cur.nextExpr().end };
    for (;;) {
      args.push(this.parseExpr());
      const t = this.cur.nextExpr();
      if (t.kind === 'comma') continue;
      if (t.kind === 'rparen') return { args, end: t.end };
      this.fail(t.kind === 'eof' ? open : t, t.kind === 'eof' ? '`(` is not closed' : `unexpected \`${t.text}\` in argument list`, 'separate arguments with commas and close the list with `)`');
      if (t.kind === 'eof') return { args, end: t.end };
      // resynchronise at the next comma or closing paren of this list
      let depth = 0;
      for (;;) {
        const u = this.cur.nextExpr();
        if (u.kind === 'eof') return { args, end: u.end };
        if (u.kind === 'lparen') depth++;
        else if (u.kind === 'rparen') {
          if (depth === 0) return { args, end: u.end };
          depth--;
        } else if (u.kind === 'comma' && depth === 0) break;
      }
    }
  }

  fail(t: Token, message: string, hint: string): void {
    if (this.aborted) return;
    this.ctx.report(this.severity === 'error' ? 'spl/expression-syntax' : 'spl/eval-syntax', message, hint, t.start, Math.max(t.end, t.start + 1), this.severity);
  }
}
