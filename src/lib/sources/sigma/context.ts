import type { Diagnostic, Severity, Span } from '../../diagnostics/diagnostic.js';
import type { LineIndex } from './line-index.js';
import type { YNode } from './yaml-positions.js';

/**
 * Per-file state shared by the detection, condition and metadata builders: the text and its line
 * index (for file positions in diagnostics) and the first line of the rule's query text (predicate
 * spans are relative to it, as the RawPredicate contract says).
 */
export class SigmaFileContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Line where the current rule's query text starts (1 when the whole file is the query). */
  queryLine = 1;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly lines: LineIndex,
  ) {}

  /** Report a problem at a file offset (underlining `length` characters). */
  report(code: string, severity: Severity, message: string, hint: string, offset: number, length = 1): Diagnostic {
    const { line, column } = this.lines.position(offset);
    const d: Diagnostic = { code, severity, message, hint, file: this.file, line, column, length: Math.max(1, length) };
    this.diagnostics.push(d);
    return d;
  }

  /** Report at a YAML node (its whole first line of source is underlined). */
  reportAt(code: string, severity: Severity, message: string, hint: string, node: YNode | null | undefined, fallbackOffset = 0): Diagnostic {
    if (!node) return this.report(code, severity, message, hint, fallbackOffset, 1);
    return this.report(code, severity, message, hint, node.start, this.nodeLength(node));
  }

  /** Length of the node's source on its first line. */
  nodeLength(node: YNode): number {
    let end = node.end;
    const nl = this.text.indexOf('\n', node.start);
    if (nl >= 0 && nl < end) end = nl;
    while (end > node.start) {
      const c = this.text.charCodeAt(end - 1);
      if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
      end--;
    }
    return Math.max(1, end - node.start);
  }

  /** Source text of a node as written (quotes included). */
  source(node: YNode): string {
    return this.text.slice(node.start, node.end);
  }

  /** Predicate span of a node, relative to the query text. */
  span(node: YNode | null | undefined): Span | undefined {
    if (!node) return undefined;
    const { line, column } = this.lines.position(node.start);
    return { line: line - this.queryLine + 1, column, length: this.nodeLength(node) };
  }
}
