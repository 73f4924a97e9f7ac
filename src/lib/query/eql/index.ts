import type { QueryPart } from '../../model/logic.js';
import type { QueryAnalysis } from '../types.js';
import type { EqlQuery, EqlTerm } from './ast.js';
import { convertContext, exprToLogic, keyText, type ConvertContext } from './fields.js';
import { LineIndex } from './line-index.js';
import { parseEql } from './parser.js';

export { parseEql } from './parser.js';
export { tokenizeEql } from './tokens.js';
export type { EqlExpr, EqlQuery, EqlTerm, EqlEventQuery, EqlPipe } from './ast.js';

/** EQL facts shown on a rule page: query shape, join keys, time window, pipes as written. */
export interface EqlMeta {
  kind: 'event' | 'sequence' | 'sample';
  /** Shared join keys (`sequence by host.id, process.entity_id`). */
  by: string[];
  maxspan?: string;
  /** True when a sequence ends with an `until` subquery. */
  until?: boolean;
  /** Pipes as written, without the bar: `head 5`, `unique user.name`. */
  pipes: string[];
}

function termToPart(ctx: ConvertContext, term: EqlTerm, shared: string[], step?: number): QueryPart {
  const category = term.query.category;
  const part: QueryPart = { category, logic: exprToLogic(ctx, term.query.condition) };
  if (step !== undefined) part.step = step;
  const by = [...shared, ...term.by.map((k) => keyText(ctx, k))];
  if (by.length > 0) part.by = by;
  const labels: string[] = [];
  if (term.missing) labels.push('missing');
  if (term.runs !== undefined) labels.push(`runs=${term.runs}`);
  if (labels.length > 0) part.label = `${category} ${labels.join(' ')}`;
  return part;
}

/** Parts and meta of a parsed query: one part per event query or subquery. */
export function eqlToParts(text: string, ast: EqlQuery, ctx: ConvertContext = convertContext(text)): { parts: QueryPart[]; meta: EqlMeta } {
  const pipes = ast.pipes.map((p) => p.text);
  if (ast.kind === 'event') {
    return {
      parts: [{ category: ast.event.category, logic: exprToLogic(ctx, ast.event.condition) }],
      meta: { kind: 'event', by: [], pipes },
    };
  }
  const shared = ast.by.map((k) => keyText(ctx, k));
  const parts = ast.terms.map((t, i) => termToPart(ctx, t, shared, i + 1));
  const meta: EqlMeta = { kind: ast.kind, by: shared, pipes };
  if (ast.kind === 'sequence') {
    if (ast.maxspan !== undefined) meta.maxspan = ast.maxspan;
    if (ast.until) {
      const u = termToPart(ctx, ast.until, shared);
      u.label = 'until';
      parts.push(u);
      meta.until = true;
    }
  }
  return { parts, meta };
}

/**
 * Parse an EQL query and reduce it to predicates per step. Never throws; on a syntax error the
 * parts are empty and the diagnostics say where (relative to the query text).
 */
export function analyzeEql(text: string): QueryAnalysis<EqlMeta> {
  const lines = new LineIndex(text);
  const { ast, diagnostics } = parseEql(text, lines);
  if (!ast) return { parts: [], diagnostics, meta: { kind: 'event', by: [], pipes: [] } };
  const ctx = convertContext(text, diagnostics, lines);
  const { parts, meta } = eqlToParts(text, ast, ctx);
  return { parts, diagnostics, meta };
}
