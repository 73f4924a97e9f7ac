import type { EqlExpr } from './ast.js';
import { TokenCursor } from './cursor.js';
import type { EqlToken } from './tokens.js';

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const MATCH_KEYWORDS = new Set(['like', 'like~', 'regex', 'regex~']);
/** Deeper nesting (parentheses, `not`, unary minus) is refused: it would overflow the stack here or downstream. */
const MAX_NESTING = 200;

/**
 * Recursive descent over EQL conditions. Precedence, loosest first: `or`, `and`, `not`,
 * predicates (`==`, `:`, `in`, `like`...), `+ -`, `* / %`, unary minus, primaries.
 */
export class ExpressionParser extends TokenCursor {
  private depth = 0;

  parseExpression(): EqlExpr {
    return this.parseOr();
  }

  /** Count one nesting level; a syntax error ends the parse, so only successful exits decrement. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) {
      this.fail('eql/too-deep', `the query nests deeper than ${MAX_NESTING} levels of parentheses, \`not\` or unary minus`, 'flatten the nesting: real queries need a few levels');
    }
  }

  private parseOr(): EqlExpr {
    this.enter();
    const first = this.parseAnd();
    if (!this.isKw('or')) {
      this.depth--;
      return first;
    }
    const children = [first];
    while (this.isKw('or')) {
      this.next();
      children.push(this.parseAnd());
    }
    this.depth--;
    return { type: 'bool', op: 'or', children, start: first.start, end: children[children.length - 1]!.end };
  }

  private parseAnd(): EqlExpr {
    const first = this.parseNot();
    if (!this.isKw('and')) return first;
    const children = [first];
    while (this.isKw('and')) {
      this.next();
      children.push(this.parseNot());
    }
    return { type: 'bool', op: 'and', children, start: first.start, end: children[children.length - 1]!.end };
  }

  private parseNot(): EqlExpr {
    if (this.isKw('not') && !this.isKw('in', this.peek(1)) && !this.isKw('in~', this.peek(1))) {
      const t = this.next();
      this.enter();
      const expr = this.parseNot();
      this.depth--;
      return { type: 'not', expr, start: t.start, end: expr.end };
    }
    return this.parsePredicate();
  }

  private parsePredicate(): EqlExpr {
    const left = this.parseArith();
    const t = this.peek();
    if (t.kind === 'op' && COMPARE_OPS.has(t.text)) {
      this.next();
      const right = this.parseArith();
      return { type: 'compare', op: t.text as '==', left, right, start: left.start, end: right.end };
    }
    if (this.isOp('=')) {
      this.fail('eql/single-equals', "'=' is not a comparison in EQL", 'compare with == (case-sensitive) or : (case-insensitive)', t);
    }
    let negated = false;
    if (this.isKw('not') && (this.isKw('in', this.peek(1)) || this.isKw('in~', this.peek(1)))) {
      this.next();
      negated = true;
    }
    if (this.isKw('in') || this.isKw('in~')) {
      const kw = this.next();
      this.expectOp('(', `write the values in parentheses: ${kw.text} ("a", "b")`);
      const values = this.parseList(() => this.parseExpression());
      const close = this.expectOp(')', 'close the value list with )');
      return { type: 'in', insensitive: kw.text === 'in~', negated, left, values, start: left.start, end: close.end };
    }
    if (this.isOp(':') || (t.kind === 'keyword' && MATCH_KEYWORDS.has(t.text))) {
      this.next();
      const op = t.text as ':';
      if (this.isOp('(')) {
        this.next();
        const values = this.parseList(() => this.parseConstant(op));
        const close = this.expectOp(')', 'close the value list with )');
        return { type: 'match', op, left, values, start: left.start, end: close.end };
      }
      const value = this.parseConstant(op);
      return { type: 'match', op, left, values: [value], start: left.start, end: value.end };
    }
    return left;
  }

  private parseList(item: () => EqlExpr): EqlExpr[] {
    if (this.isOp(')')) this.unexpected('a value', 'a value list needs at least one value');
    const values = [item()];
    while (this.isOp(',')) {
      this.next();
      if (this.isOp(')')) break; // tolerate a trailing comma
      values.push(item());
    }
    return values;
  }

  private parseConstant(op: string): EqlExpr {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return { type: 'literal', value: t.value as string, raw: !!t.raw, start: t.start, end: t.end };
    }
    if (t.kind === 'number') {
      this.next();
      return { type: 'literal', value: t.value as number, raw: false, start: t.start, end: t.end };
    }
    if (this.isKw('true') || this.isKw('false') || this.isKw('null')) {
      this.next();
      return { type: 'literal', value: t.text === 'null' ? null : t.text === 'true', raw: false, start: t.start, end: t.end };
    }
    if (this.isOp('-') && this.peek(1).kind === 'number') {
      this.next();
      const n = this.next();
      return { type: 'literal', value: -(n.value as number), raw: false, start: t.start, end: n.end };
    }
    this.unexpected(`a constant after '${op}'`, `'${op}' compares a field to a quoted value, e.g. process.name ${op} "cmd.exe"`);
  }

  protected parseArith(): EqlExpr {
    let left = this.parseTermArith();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as '+';
      const right = this.parseTermArith();
      left = { type: 'arith', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseTermArith(): EqlExpr {
    let left = this.parseUnary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().text as '*';
      const right = this.parseUnary();
      left = { type: 'arith', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseUnary(): EqlExpr {
    if (this.isOp('-')) {
      const t = this.next();
      this.enter();
      const expr = this.parseUnary();
      this.depth--;
      if (expr.type === 'literal' && typeof expr.value === 'number') return { ...expr, value: -expr.value, start: t.start };
      return { type: 'neg', expr, start: t.start, end: expr.end };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): EqlExpr {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
      case 'number':
        return this.parseConstant('value');
      case 'keyword':
        if (this.isKw('true') || this.isKw('false') || this.isKw('null')) return this.parseConstant('value');
        break;
      case 'ident':
        this.next();
        if (this.isOp('(') && !t.optional && this.peek().start === t.end) return this.parseCall(t);
        if (this.isOp('(') && !t.optional && !t.text.includes('.')) return this.parseCall(t);
        return { type: 'field', name: t.text, optional: !!t.optional, start: t.start, end: t.end };
      case 'op':
        if (t.text === '(') {
          this.next();
          const inner = this.parseExpression();
          const close = this.expectOp(')', 'close the parenthesis (check the nesting of ( and ))');
          return { ...inner, start: t.start, end: close.end };
        }
        break;
      case 'eof':
        break;
    }
    if (t.kind === 'keyword') {
      this.fail('eql/unexpected-keyword', `unexpected keyword '${t.text}'`, `'${t.text}' is reserved; quote a field of that name with backticks, or check the condition before it`, t);
    }
    this.unexpected('a field, value or function call', 'a condition compares a field to a value, e.g. process.name : "cmd.exe"');
  }

  private parseCall(name: EqlToken): EqlExpr {
    this.next(); // (
    const args: EqlExpr[] = [];
    if (!this.isOp(')')) args.push(...this.parseList(() => this.parseExpression()));
    const close = this.expectOp(')', `close the argument list of ${name.text.replace(/~$/, '')}() with )`);
    const insensitive = name.text.endsWith('~');
    return { type: 'call', name: insensitive ? name.text.slice(0, -1) : name.text, insensitive, args, start: name.start, end: close.end };
  }
}
