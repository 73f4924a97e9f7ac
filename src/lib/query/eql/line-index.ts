/** Maps offsets to 1-based line/column in O(log n) after one linear pass. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  private line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  position(offset: number): { line: number; column: number } {
    const l = this.line(offset);
    return { line: l + 1, column: offset - this.starts[l]! + 1 };
  }
  span(start: number, end: number): { line: number; column: number; length: number } {
    const l = this.line(start);
    return { line: l + 1, column: start - this.starts[l]! + 1, length: end > start ? end - start : 1 };
  }
}
