import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LineIndex } from './line-index.js';
import type { EqlToken } from './tokens.js';

/** Thrown inside the parser only; `parseEql` turns it into a diagnostic. */
export class SyntaxFailure extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * Position over the token list with the small helpers both parser layers use; a syntax error is
 * thrown as SyntaxFailure and turned into a diagnostic by `parseEql`.
 */
export class TokenCursor {
  protected pos = 0;
  /** Non-fatal problems (warnings, semantic errors) found while parsing. */
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    protected readonly text: string,
    protected readonly tokens: EqlToken[],
    protected readonly lines: LineIndex,
  ) {}

  // ---- token helpers -------------------------------------------------------------------------
  protected peek(ahead = 0): EqlToken {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }
  protected next(): EqlToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  protected isKw(word: string, t: EqlToken = this.peek()): boolean {
    return t.kind === 'keyword' && t.text === word;
  }
  protected isOp(op: string, t: EqlToken = this.peek()): boolean {
    return t.kind === 'op' && t.text === op;
  }
  protected fail(code: string, message: string, hint: string, t: EqlToken = this.peek()): never {
    throw new SyntaxFailure(diagnosticAt(code, message, hint, this.lines.span(t.start, t.end)));
  }
  protected describe(t: EqlToken): string {
    return t.kind === 'eof' ? 'end of query' : `${JSON.stringify(this.text.slice(t.start, t.end))}`;
  }
  protected unexpected(expected: string, hint: string): never {
    const t = this.peek();
    this.fail('eql/unexpected-token', `expected ${expected} but found ${this.describe(t)}`, hint, t);
  }
  protected expectOp(op: string, hint: string): EqlToken {
    if (!this.isOp(op)) this.unexpected(`'${op}'`, hint);
    return this.next();
  }
  protected expectKw(word: string, hint: string): EqlToken {
    if (!this.isKw(word)) this.unexpected(`'${word}'`, hint);
    return this.next();
  }
}
