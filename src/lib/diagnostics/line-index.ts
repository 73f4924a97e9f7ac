import type { Span } from './diagnostic.js';

/**
 * Offset -> 1-based line/column lookups for one text (a query or a rule file). Lexers record plain
 * character offsets (cheap); spans are built only for tokens that reach an AST or a diagnostic,
 * through a binary search over line starts, so positions stay linear-time on the largest rules.
 * Shared by every parser and adapter.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 0-based index of the line holding a character offset. */
  private lineOf(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const l = this.lineOf(offset);
    return { line: l + 1, column: offset - this.starts[l]! + 1 };
  }

  /** Character offset of a 1-based line/column (clamped to the text). */
  offset(line: number, column: number): number {
    return Math.min(this.lineStart(line) + column - 1, this.text.length);
  }

  /** Offset where a 1-based line starts (clamped to the existing lines). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }

  /** Span of the text between two offsets; length is at least 1 so a caret always shows. */
  span(start: number, end: number): Span {
    const { line, column } = this.position(start);
    return { line, column, length: Math.max(1, end - start) };
  }
}
