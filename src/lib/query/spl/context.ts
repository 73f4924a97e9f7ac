import { diagnosticAt, type Diagnostic, type Severity, type Span } from '../../diagnostics/diagnostic.js';
import type { Logic } from '../../model/logic.js';
import { Positions, type Token } from './tokens.js';

/** Shared state of one parse: the text, its line table and the diagnostics collected so far. */
export class ParseContext {
  readonly positions: Positions;
  readonly diagnostics: Diagnostic[] = [];
  private readonly reported = new Set<string>();

  constructor(readonly text: string) {
    this.positions = new Positions(text);
  }

  span(start: number, end: number): Span {
    return this.positions.span(start, end);
  }

  report(code: string, message: string, hint: string, start: number, end: number, severity: Severity = 'error'): void {
    const key = `${code}@${start}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(diagnosticAt(code, message, hint, this.span(start, end), severity));
  }

  /** Report a string token whose closing quote is missing (once per token). */
  checkString(tok: Token): void {
    if (tok.kind === 'string' || tok.kind === 'qfield') {
      if (tok.unterminated) {
        this.report('spl/unterminated-string', 'string is not closed', 'add the closing quote; a `\\"` inside a string is an escaped quote', tok.start, tok.start + 1);
      }
    }
  }

  /** Opaque node for text we keep but do not model. */
  opaque(start: number, end: number, reason: string): Logic {
    return { kind: 'opaque', text: this.text.slice(start, end).trim(), reason };
  }
}
