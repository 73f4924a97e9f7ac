import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Logic } from '../../model/logic.js';
import { analyzeKql } from '../kql/index.js';
import { LineIndex } from '../kql/line-index.js';
import { analyzeLucene } from '../lucene/index.js';
import type { EsqlExpr } from './ast.js';
import { decodeEscape } from './tokens.js';

type StringLiteral = Extract<EsqlExpr, { type: 'literal'; kind: 'string' }>;

/**
 * For each character of a decoded string literal, its offset in the ES|QL text, so positions
 * inside `KQL("...")` land on the right column even when the string holds escapes.
 */
function sourceOffsets(text: string, lit: StringLiteral): (k: number) => number {
  if (lit.raw) return (k) => lit.start + 3 + k;
  const offsets: number[] = [];
  for (let i = lit.start + 1; i < lit.end - 1; ) {
    const d = text[i] === '\\' ? decodeEscape(text, i) : null;
    offsets.push(i);
    i += d ? d.length : 1;
  }
  return (k) => offsets[k] ?? lit.end - 1;
}

/**
 * Parse the query string of `KQL(...)` or `QSTR(...)` with our KQL / Lucene parser and move its
 * diagnostics and predicate spans from the embedded text into ES|QL coordinates.
 */
export function embeddedQueryToLogic(
  language: 'kql' | 'lucene',
  esqlText: string,
  esqlLines: LineIndex,
  lit: StringLiteral,
  diagnostics: Diagnostic[],
): Logic | null {
  const analysis = language === 'kql' ? analyzeKql(lit.value) : analyzeLucene(lit.value);
  const inner = new LineIndex(lit.value);
  const toSource = sourceOffsets(esqlText, lit);
  const move = <T extends { line: number; column: number }>(p: T): T => {
    const pos = esqlLines.position(toSource(inner.offset(p.line, p.column)));
    return { ...p, line: pos.line, column: pos.column };
  };
  for (const d of analysis.diagnostics) diagnostics.push(move(d));
  const part = analysis.parts[0];
  if (!part) return null;
  const shift = (l: Logic): Logic => {
    switch (l.kind) {
      case 'and':
      case 'or':
        return { kind: l.kind, children: l.children.map(shift) };
      case 'not':
        return { kind: 'not', child: shift(l.child) };
      case 'pred':
        return l.pred.span ? { kind: 'pred', pred: { ...l.pred, span: move(l.pred.span) } } : l;
      default:
        return l;
    }
  };
  return shift(part.logic);
}
