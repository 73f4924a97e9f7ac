import { and, not, or, type Logic, type RawPredicate } from '../../model/logic.js';
import type { ParseContext } from './context.js';
import { Cursor, type Token } from './tokens.js';
import { rangeOperator, scalarOf, searchEquality } from './values.js';

/** Time modifiers set the search window; they select no events and are not predicates. */
const TIME_MODIFIERS = new Set(['earliest', 'latest', '_index_earliest', '_index_latest', 'index_earliest', 'index_latest', 'starttime', 'endtime', 'timeformat']);
const MAX_DEPTH = 200;

export interface SearchOptions {
  /** Lower-case words that end the expression at depth 0 (`by` in a tstats where clause). */
  stopWords?: ReadonlySet<string>;
}

/**
 * Parse the search language over `text[start, end)`. SPL precedence: NOT binds tightest, then OR,
 * then AND (explicit or by juxtaposition), so `a b OR c` is `a AND (b OR c)`. Boolean operators
 * are upper-case only; lower-case `and`/`or`/`not` are search terms (reported as a warning).
 * Returns the logic (null when empty) and where parsing stopped.
 */
export function parseSearch(ctx: ParseContext, start: number, end: number, opts: SearchOptions = {}): { logic: Logic | null; end: number } {
  const p = new SearchParser(ctx, new Cursor(ctx.text, start, end), opts.stopWords);
  const logic = p.parseAnd(0);
  if (p.cur.unterminatedComment >= 0) {
    ctx.report('spl/unterminated-comment', 'comment is not closed', 'close the comment with ```', p.cur.unterminatedComment, p.cur.unterminatedComment + 3);
  }
  return { logic, end: p.cur.pos };
}

class SearchParser {
  /** Set once `spl/too-deep` skipped the rest: the unclosed parentheses it leaves are not reported again. */
  private aborted = false;

  constructor(readonly ctx: ParseContext, readonly cur: Cursor, readonly stopWords?: ReadonlySet<string>) {}

  /** Past MAX_DEPTH levels of parentheses and `NOT`: report once and skip the rest of the search. */
  private tooDeep(tok: Token): void {
    if (!this.aborted) {
      this.ctx.report('spl/too-deep', `search nested deeper than ${MAX_DEPTH} levels of parentheses or \`NOT\``, 'simplify the search: real searches need a few levels', tok.start, tok.end);
    }
    this.aborted = true;
    this.cur.pos = this.cur.end;
  }

  private isKeyword(tok: Token, kw: string): boolean {
    return tok.kind === 'word' && tok.text === kw;
  }

  private isStop(tok: Token): boolean {
    return !!this.stopWords && tok.kind === 'word' && this.stopWords.has(tok.text.toLowerCase());
  }

  /** Conjunction: operands separated by `AND` or juxtaposition, until `)` / end / a stop word. */
  parseAnd(depth: number): Logic | null {
    const items: Logic[] = [];
    for (;;) {
      const tok = this.cur.peek('search');
      if (tok.kind === 'eof') break;
      if (tok.kind === 'rparen') {
        if (depth > 0) break;
        this.cur.nextSearch();
        this.ctx.report('spl/unexpected-token', 'unexpected `)`', 'remove it or add the matching `(`', tok.start, tok.end);
        continue;
      }
      if (depth === 0 && this.isStop(tok)) break;
      if (tok.kind === 'comma') {
        this.cur.nextSearch();
        continue;
      }
      if (this.isKeyword(tok, 'AND')) {
        this.cur.nextSearch();
        if (items.length === 0) this.missingOperand(tok, 'left');
        const next = this.cur.peek('search');
        if (next.kind === 'eof' || next.kind === 'rparen' || (depth === 0 && this.isStop(next))) this.missingOperand(tok, 'right');
        continue;
      }
      if (this.isKeyword(tok, 'OR')) {
        this.cur.nextSearch();
        this.missingOperand(tok, 'left');
        continue;
      }
      const operand = this.parseOr(depth);
      if (operand) items.push(operand);
    }
    return items.length === 0 ? null : and(spread(items, 'and'));
  }

  private parseOr(depth: number): Logic | null {
    const first = this.parseNot(depth);
    const alts: Logic[] = first ? [first] : [];
    for (;;) {
      const tok = this.cur.peek('search');
      if (!this.isKeyword(tok, 'OR')) break;
      this.cur.nextSearch();
      const next = this.cur.peek('search');
      if (next.kind === 'eof' || next.kind === 'rparen' || this.isKeyword(next, 'AND') || this.isKeyword(next, 'OR') || (depth === 0 && this.isStop(next))) {
        this.missingOperand(tok, 'right');
        break;
      }
      const alt = this.parseNot(depth);
      if (alt) alts.push(alt);
    }
    return alts.length === 0 ? null : or(spread(alts, 'or'));
  }

  private parseNot(depth: number): Logic | null {
    const tok = this.cur.peek('search');
    if (this.isKeyword(tok, 'NOT')) {
      this.cur.nextSearch();
      const next = this.cur.peek('search');
      if (next.kind === 'eof' || next.kind === 'rparen' || this.isKeyword(next, 'AND') || this.isKeyword(next, 'OR')) {
        this.missingOperand(tok, 'right');
        return null;
      }
      if (depth >= MAX_DEPTH) {
        this.tooDeep(tok);
        return null;
      }
      // `NOT` counts as a level: 5,000 of them would build logic too deep to serialize
      const inner = this.parseNot(depth + 1);
      return inner ? not(inner) : null;
    }
    return this.parsePrimary(depth);
  }

  private parsePrimary(depth: number): Logic | null {
    const tok = this.cur.nextSearch();
    switch (tok.kind) {
      case 'lparen': {
        if (depth >= MAX_DEPTH) {
          this.tooDeep(tok);
          return null;
        }
        const inner = this.parseAnd(depth + 1);
        const close = this.cur.nextSearch();
        if (close.kind !== 'rparen' && !this.aborted) {
          this.ctx.report('spl/unbalanced-paren', '`(` is not closed', 'add the matching `)`', tok.start, tok.end);
        }
        return inner;
      }
      case 'lbracket': {
        const { end, closed } = this.cur.skipBalanced(tok.start);
        if (!closed) this.ctx.report('spl/unterminated-subsearch', 'subsearch `[` is not closed', 'add the matching `]`', tok.start, tok.end);
        return this.ctx.opaque(tok.start, end, 'subsearch');
      }
      case 'rbracket':
        this.ctx.report('spl/unexpected-token', 'unexpected `]`', 'remove it or add the matching `[`', tok.start, tok.end);
        return null;
      case 'macro':
        return this.ctx.opaque(tok.start, tok.end, 'unknown macro');
      case 'op':
        this.ctx.report('spl/unexpected-token', `unexpected \`${tok.text}\``, 'a comparison needs a field name on its left: `field=value`', tok.start, tok.end);
        this.cur.readSearchValue();
        return null;
      case 'pipe':
      case 'comma':
      case 'rparen':
      case 'eof':
        return null;
      case 'string':
      case 'word':
        return this.parseTerm(tok);
      default:
        return null;
    }
  }

  /** A comparison, an IN list, a TERM()/CASE() directive or a bare term. */
  private parseTerm(tok: Token): Logic | null {
    this.ctx.checkString(tok);
    const next = this.cur.peek('search');
    if (next.kind === 'op') {
      this.cur.nextSearch();
      return this.parseComparison(tok, next);
    }
    if (tok.kind === 'word' && next.kind === 'word' && next.text.toLowerCase() === 'in') {
      const save = this.cur.pos;
      this.cur.nextSearch();
      if (this.cur.peek('search').kind === 'lparen') return this.parseIn(tok);
      this.cur.pos = save;
    }
    if (tok.kind === 'word' && next.kind === 'lparen' && !next.spaced) {
      const directive = tok.text.toUpperCase();
      if (directive === 'TERM' || directive === 'CASE') return this.parseDirective(tok, directive, null);
    }
    if (tok.kind === 'word') {
      if (tok.text === '*') return { kind: 'any' };
      const lower = tok.text.toLowerCase();
      if (lower === 'and' || lower === 'or' || lower === 'not') {
        this.ctx.report('spl/lowercase-boolean', `\`${tok.text}\` is a search term here, not a boolean operator`, `write \`${tok.text.toUpperCase()}\`: SPL operators are upper-case`, tok.start, tok.end, 'warning');
      }
    }
    return this.leaf(searchEquality(null, tok.value, tok.kind === 'string', rawOf(tok)), tok.start, tok.end);
  }

  private parseComparison(fieldTok: Token, opTok: Token): Logic | null {
    const field = fieldTok.value;
    const value = this.cur.readSearchValue();
    if (value.kind === 'eof') {
      this.ctx.report('spl/empty-value', `\`${field}${opTok.text}\` has no value`, 'write a value after the operator, or `""` for an empty value', opTok.start, opTok.end, 'warning');
      return this.leaf({ field, operator: 'eq', value: '' }, fieldTok.start, opTok.end);
    }
    this.ctx.checkString(value);
    if (TIME_MODIFIERS.has(field.toLowerCase())) return null;
    if (value.kind === 'macro') return this.ctx.opaque(fieldTok.start, value.end, 'unknown macro');
    if (value.kind === 'word' && !value.text.startsWith('"')) {
      const up = value.text.slice(0, 5).toUpperCase();
      if ((up === 'CASE(' || up === 'TERM(') && value.text.endsWith(')')) {
        const inner = value.value.slice(5, -1);
        const p = searchEquality(field, unquote(inner), inner.startsWith('"'), value.text);
        if (up === 'CASE(') p.caseSensitive = true;
        return this.finish(opTok.text, p, fieldTok.start, value.end);
      }
    }
    const range = rangeOperator(opTok.text);
    if (range) {
      const v = scalarOf(value.value, value.kind === 'string');
      return this.leaf({ field, operator: range, value: v, ...(rawOf(value) !== String(v) ? { raw: rawOf(value) } : {}) }, fieldTok.start, value.end);
    }
    return this.finish(opTok.text, searchEquality(field, value.value, value.kind === 'string', rawOf(value)), fieldTok.start, value.end);
  }

  private finish(op: string, p: RawPredicate, start: number, end: number): Logic {
    const leaf = this.leaf(p, start, end);
    return op === '!=' ? not(leaf) : leaf;
  }

  /** `field IN (a, "b", c*)` -> OR of equalities. */
  private parseIn(fieldTok: Token): Logic | null {
    const open = this.cur.nextSearch();
    const alts: Logic[] = [];
    for (;;) {
      const tok = this.cur.nextSearch();
      if (tok.kind === 'rparen') break;
      if (tok.kind === 'eof') {
        this.ctx.report('spl/unbalanced-paren', '`IN (` list is not closed', 'add the closing `)`', open.start, open.end);
        break;
      }
      if (tok.kind === 'comma') continue;
      if (tok.kind === 'string' || tok.kind === 'word') {
        this.ctx.checkString(tok);
        alts.push(this.leaf(searchEquality(fieldTok.value, tok.value, tok.kind === 'string', rawOf(tok)), tok.start, tok.end));
        continue;
      }
      if (tok.kind === 'macro') {
        alts.push(this.ctx.opaque(tok.start, tok.end, 'unknown macro'));
        continue;
      }
      this.ctx.report('spl/unexpected-token', `unexpected \`${tok.text}\` in IN list`, 'list values separated by commas: `field IN (a, "b c", d*)`', tok.start, tok.end);
    }
    if (alts.length === 0) {
      this.ctx.report('spl/empty-in', `\`${fieldTok.text} IN ()\` lists no values`, 'add at least one value', fieldTok.start, open.end, 'warning');
      return null;
    }
    return or(alts);
  }

  /** `TERM(x)` / `CASE(x)` as a bare term. */
  private parseDirective(tok: Token, directive: string, field: string | null): Logic | null {
    this.cur.nextSearch();
    const inner = this.cur.readSearchValue();
    const close = this.cur.nextSearch();
    if (close.kind !== 'rparen') this.ctx.report('spl/unbalanced-paren', `\`${directive}(\` is not closed`, 'add the closing `)`', tok.start, tok.end + 1);
    const p = searchEquality(field, inner.value, inner.kind === 'string', rawOf(inner));
    if (directive === 'CASE') p.caseSensitive = true;
    return this.leaf(p, tok.start, close.end);
  }

  private leaf(p: RawPredicate, start: number, end: number): Logic {
    p.span = this.ctx.span(start, end);
    return { kind: 'pred', pred: p };
  }

  private missingOperand(tok: Token, side: 'left' | 'right'): void {
    this.ctx.report('spl/missing-operand', `\`${tok.text}\` has no ${side} operand`, `write a term on the ${side} of \`${tok.text}\`, or remove it`, tok.start, tok.end);
  }
}

/** `(a OR b) OR c` -> one OR of three: nested groups of the same operator add nothing. */
function spread(items: Logic[], kind: 'and' | 'or'): Logic[] {
  if (!items.some((i) => i.kind === kind)) return items;
  return items.flatMap((i) => (i.kind === kind ? i.children : [i]));
}

/** The value as written, without the quotes of a string (they are syntax, not content). */
function rawOf(tok: Token): string {
  return tok.kind === 'string' && !tok.unterminated ? tok.text.slice(1, -1) : tok.text;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}
