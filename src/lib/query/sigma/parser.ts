import { diagnosticAt, type Diagnostic, type Span } from '../../diagnostics/diagnostic.js';
import type { ParseResult } from '../types.js';
import { tokenizeCondition, type ConditionToken, type ConditionTokenKind } from './tokens.js';

/**
 * A Sigma condition as a tree. `of` keeps its quantifier and pattern as written and, when the
 * selection names were given to the parser, the names the pattern resolved to (so the adapter does
 * not need to know the matching rules).
 */
export type ConditionNode =
  | { kind: 'and' | 'or'; children: ConditionNode[]; span: Span }
  | { kind: 'not'; child: ConditionNode; span: Span }
  | { kind: 'ref'; name: string; span: Span }
  | {
      kind: 'of';
      /** `all of`, or the count of `1 of` / `2 of` (`any of` is 1). */
      quantifier: 'all' | number;
      /** Selection-name pattern with `*` wildcards; null for `them`. */
      pattern: string | null;
      /** Names matched, in detection order (empty when the parser was not given the names). */
      names: string[];
      span: Span;
    };

/** Sigma 1.0 tail after `|`: an aggregation (`count() by x > 5`) or a `near` correlation. */
export interface ConditionTail {
  kind: 'aggregation' | 'near';
  text: string;
  span: Span;
}

export interface SigmaConditionResult extends ParseResult<ConditionNode> {
  /** The legacy `| ...` tail, reported as a warning and kept for the rule page. */
  tail: ConditionTail | null;
}

export interface ConditionParseOptions {
  /** Search identifiers of the detection, in order: enables unknown-name errors and resolves `of`. */
  selections?: readonly string[];
}

class ConditionSyntaxError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

const DESCRIBE: Record<ConditionTokenKind, string> = {
  ident: 'a selection name',
  number: 'a number',
  and: "'and'",
  or: "'or'",
  not: "'not'",
  of: "'of'",
  all: "'all'",
  any: "'any'",
  them: "'them'",
  lparen: "'('",
  rparen: "')'",
  pipe: "'|'",
  eof: 'the end of the condition',
};

function describe(t: ConditionToken): string {
  return t.kind === 'eof' ? DESCRIBE.eof : `'${t.text}'`;
}

/** True when a selection name matches a Sigma `x of` pattern (`*` = any run; case-sensitive like pySigma). */
export function matchesSelectionPattern(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === name;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!name.startsWith(first) || name.length < first.length + last.length || !name.endsWith(last)) return false;
  let pos = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const idx = name.indexOf(parts[i]!, pos);
    if (idx < 0 || idx + parts[i]!.length > end) return false;
    pos = idx + parts[i]!.length;
  }
  return true;
}

/** Deeper nesting (parentheses, `not` chains) is refused: it would overflow the stack here or downstream. */
const MAX_NESTING = 200;

class Parser {
  private pos = 0;
  private depth = 0;
  readonly warnings: Diagnostic[] = [];
  tail: ConditionTail | null = null;

  constructor(
    private readonly text: string,
    private readonly tokens: ConditionToken[],
    private readonly selections: readonly string[] | undefined,
  ) {}

  private peek(): ConditionToken {
    return this.tokens[this.pos]!;
  }

  private next(): ConditionToken {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private fail(code: string, message: string, hint: string, span: Span): never {
    throw new ConditionSyntaxError(diagnosticAt(code, message, hint, span));
  }

  private spanFrom(start: ConditionToken, endOffset: number): Span {
    return { line: start.span.line, column: start.span.column, length: Math.max(1, endOffset - start.offset) };
  }

  private lastEnd(): number {
    const t = this.tokens[Math.max(0, this.pos - 1)]!;
    return t.offset + t.text.length;
  }

  parseCondition(): ConditionNode {
    if (this.peek().kind === 'eof' || this.peek().kind === 'pipe') {
      this.fail('sigma/empty-condition', 'the condition is empty', 'write which selections must match, e.g. `selection and not filter`', this.peek().span);
    }
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind === 'pipe') {
      this.readTail(t);
    } else if (t.kind === 'rparen') {
      this.fail('sigma/unbalanced-paren', "this ')' has no matching '('", "remove the ')' or add the missing '(' before it", t.span);
    } else if (t.kind !== 'eof') {
      this.fail(
        'sigma/trailing-tokens',
        `unexpected ${describe(t)} after a complete condition`,
        "join the parts with 'and' or 'or', or remove the extra text",
        t.span,
      );
    }
    return node;
  }

  /** `| count() by x > 5` or `| near a and b`: Sigma 1.0 syntax, replaced by correlation rules. */
  private readTail(pipe: ConditionToken): void {
    const rest = this.text.slice(pipe.offset + 1).trim();
    const isNear = /^near\b/i.test(rest);
    const span: Span = { ...pipe.span, length: Math.max(1, this.text.trimEnd().length - pipe.offset) };
    this.tail = { kind: isNear ? 'near' : 'aggregation', text: rest, span };
    this.warnings.push(
      diagnosticAt(
        isNear ? 'sigma/legacy-near' : 'sigma/legacy-aggregation',
        isNear
          ? `the legacy 'near' operator is not part of Sigma 2: only the part before '|' is analysed`
          : `the legacy aggregation '| ${rest}' is not part of Sigma 2: only the part before '|' is analysed`,
        'rewrite it as a Sigma correlation rule (event_count, value_count, temporal) that references this rule',
        span,
        'warning',
      ),
    );
  }

  /** Count one nesting level; a syntax error ends the parse, so only successful exits decrement. */
  private enter(t: ConditionToken): void {
    if (++this.depth > MAX_NESTING) {
      this.fail('sigma/too-deep', `the condition nests deeper than ${MAX_NESTING} levels of parentheses or 'not'`, 'flatten the condition: real rules need a few levels', t.span);
    }
  }

  private parseOr(): ConditionNode {
    const start = this.peek();
    this.enter(start);
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
    return { kind: 'or', children, span: this.spanFrom(start, this.lastEnd()) };
  }

  private parseAnd(): ConditionNode {
    const start = this.peek();
    const first = this.parseNot();
    if (this.peek().kind !== 'and') return first;
    const children = [first];
    while (this.peek().kind === 'and') {
      this.next();
      children.push(this.parseNot());
    }
    return { kind: 'and', children, span: this.spanFrom(start, this.lastEnd()) };
  }

  private parseNot(): ConditionNode {
    const t = this.peek();
    if (t.kind === 'not') {
      this.next();
      this.enter(t);
      const child = this.parseNot();
      this.depth--;
      return { kind: 'not', child, span: this.spanFrom(t, this.lastEnd()) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ConditionNode {
    const t = this.next();
    switch (t.kind) {
      case 'lparen': {
        if (this.peek().kind === 'rparen') {
          this.fail('sigma/unexpected-token', "empty parentheses '()'", 'put a selection or an expression between the parentheses', this.peek().span);
        }
        const inner = this.parseOr();
        const close = this.peek();
        if (close.kind !== 'rparen') {
          if (close.kind === 'eof' || close.kind === 'pipe') {
            this.fail('sigma/unbalanced-paren', "this '(' is never closed", "add the missing ')' or remove this '('", t.span);
          }
          this.fail('sigma/unexpected-token', `expected 'and', 'or' or ')' but found ${describe(close)}`, "join the parts with 'and'/'or' or close the parenthesis", close.span);
        }
        this.next();
        return inner;
      }
      case 'ident':
        return this.resolveRef(t);
      case 'number':
      case 'all':
      case 'any':
        return this.parseOf(t);
      case 'rparen':
        return this.fail('sigma/unbalanced-paren', "this ')' has no matching '('", "remove the ')' or add the missing '(' before it", t.span);
      case 'eof':
      case 'pipe':
        return this.fail('sigma/unexpected-token', 'the condition ends where a selection was expected', "complete the expression after the last 'and'/'or'/'not'", t.span);
      default:
        return this.fail(
          'sigma/unexpected-token',
          `expected a selection name, 'not', '(' or 'x of' but found ${describe(t)}`,
          t.kind === 'them' || t.kind === 'of' ? "write '1 of them' or 'all of them'" : 'check the operator order: not > and > or',
          t.span,
        );
    }
  }

  private parseOf(q: ConditionToken): ConditionNode {
    const ofTok = this.peek();
    if (ofTok.kind !== 'of') {
      if (q.kind === 'number') {
        this.fail('sigma/unexpected-token', `expected 'of' after '${q.text}' but found ${describe(ofTok)}`, "write '1 of selection*' or '1 of them'", ofTok.span);
      }
      this.fail('sigma/unexpected-token', `'${q.text}' must be followed by 'of'`, "write 'all of selection*' / 'any of them', or rename the selection", q.span);
    }
    this.next();
    let quantifier: 'all' | number = 1;
    if (q.kind === 'all') quantifier = 'all';
    else if (q.kind === 'number') {
      quantifier = Number(q.text);
      if (quantifier < 1) this.fail('sigma/invalid-quantifier', `'${q.text} of' can never match`, "use '1 of' (any) or 'all of'", q.span);
    }
    const target = this.next();
    if (target.kind !== 'ident' && target.kind !== 'them') {
      this.fail('sigma/unexpected-token', `expected a selection pattern or 'them' after 'of' but found ${describe(target)}`, "write e.g. '1 of selection_*' or 'all of them'", target.span);
    }
    const pattern = target.kind === 'them' ? null : target.text;
    const span = this.spanFrom(q, target.offset + target.text.length);
    let names: string[] = [];
    if (this.selections) {
      names = pattern === null
        ? this.selections.filter((s) => !s.startsWith('_'))
        : this.selections.filter((s) => matchesSelectionPattern(pattern, s));
      if (names.length === 0) {
        this.fail(
          'sigma/no-matching-selection',
          pattern === null ? "'them' matches no selection" : `no selection matches the pattern '${pattern}'`,
          `defined selections: ${listNames(this.selections)}`,
          target.span,
        );
      }
    }
    return { kind: 'of', quantifier, pattern, names, span };
  }

  private resolveRef(t: ConditionToken): ConditionNode {
    if (this.selections && !this.selections.includes(t.text)) {
      const hint = t.text.includes('*')
        ? `a wildcard name needs a quantifier: write '1 of ${t.text}' or 'all of ${t.text}'`
        : `define '${t.text}' under detection or use one of: ${listNames(this.selections)}`;
      this.fail('sigma/unknown-selection', `unknown selection '${t.text}'`, hint, t.span);
    }
    return { kind: 'ref', name: t.text, span: t.span };
  }
}

function listNames(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown}, … (${names.length} in all)` : shown;
}

/**
 * Parse one Sigma condition (`selection and not 1 of filter_*`). Precedence, loosest first:
 * or, and, not, `x of`, parentheses. Keywords are case-insensitive whole words. Positions in the
 * diagnostics are relative to `text`; the adapter shifts them to the rule file. Never throws.
 */
export function parseSigmaCondition(text: string, options: ConditionParseOptions = {}): SigmaConditionResult {
  const parser = new Parser(text, tokenizeCondition(text), options.selections);
  try {
    const ast = parser.parseCondition();
    return { ast, diagnostics: parser.warnings, tail: parser.tail };
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return { ast: null, diagnostics: [...parser.warnings, e.diagnostic], tail: parser.tail };
    throw e;
  }
}
