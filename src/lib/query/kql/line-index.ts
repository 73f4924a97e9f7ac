import type { Span } from '../../diagnostics/diagnostic.js';

/**
 * Offset -> 1-based line/column lookups for one query text. Lexers record plain character offsets
 * (cheap); spans are only built for tokens that end up in the AST or a diagnostic, through a
 * binary search over line starts, so positions stay linear-time for the largest corpus queries.
 * Shared by the KQL, Lucene and ES|QL parsers.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  /** Character offset of a 1-based line/column (clamped to the text). */
  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
    return Math.min(start + column - 1, this.text.length);
  }

  /** Span of the text between two offsets; length is at least 1 so a caret always shows. */
  span(start: number, end: number): Span {
    const { line, column } = this.position(start);
    return { line, column, length: Math.max(1, end - start) };
  }
}
