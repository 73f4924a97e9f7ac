import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineIndex } from '../kql/line-index.js';
import { hasErrors, type ParseResult, type QueryAnalysis } from '../types.js';
import type { EsqlQuery } from './ast.js';
import { EsqlLogicBuilder } from './fields.js';
import { parseEsqlText } from './parser.js';

export type { EsqlAggregate, EsqlAssignment, EsqlCommand, EsqlCompareOp, EsqlExpr, EsqlQuery } from './ast.js';
export { likeToGlob } from './values.js';

/** ES|QL facts shown on a rule page (a type alias, so it is assignable to `Record<string, unknown>`). */
export type EsqlMeta = {
  /** Index patterns of FROM, as written. */
  from: string[];
  /** METADATA fields (`_id`, `_version`, `_index`). */
  metadata: string[];
  /** Command names in pipeline order (`FROM`, `WHERE`, `INLINE STATS`...); an unknown command is kept as its full text. */
  commands: string[];
  /** Fields created inside the query (EVAL, STATS, GROK, DISSECT, RENAME, ENRICH...), in order of creation. */
  derivedFields: string[];
};

/** Parse ES|QL; never throws. Positions are relative to `text`. */
export function parseEsql(text: string): ParseResult<EsqlQuery> {
  return parseEsqlText(text);
}

/**
 * Parse an ES|QL query and reduce it to one part: the AND of its WHERE conditions, with predicates
 * on fields the query computes marked `derived`. `KQL()` and `QSTR()` arguments are parsed with
 * the KQL and Lucene parsers, their diagnostics moved into the ES|QL text. No part on errors.
 */
export function analyzeEsql(text: string): QueryAnalysis<EsqlMeta> {
  const lines = new LineIndex(text);
  const { ast, diagnostics } = parseEsqlText(text, lines);
  const meta: EsqlMeta = { from: [], metadata: [], commands: [], derivedFields: [] };
  if (!ast) return { parts: [], diagnostics, meta };
  for (const c of ast.commands) {
    if (c.type === 'from') {
      meta.from.push(...c.indices);
      meta.metadata.push(...c.metadata);
    }
    meta.commands.push(c.type === 'other' ? c.text : c.name);
  }
  const all: Diagnostic[] = [...diagnostics];
  const builder = new EsqlLogicBuilder(ast, lines, all);
  const logic = builder.pipelineLogic();
  meta.derivedFields = builder.derivedFields;
  return { parts: hasErrors(all) ? [] : [{ logic }], diagnostics: all, meta };
}
