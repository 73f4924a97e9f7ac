import type { Logic } from '../../model/logic.js';
import type { ParseResult, QueryAnalysis } from '../types.js';
import { luceneToLogic as astToLogic } from './fields.js';
import { parseLuceneText, type LuceneNode } from './parser.js';

export type { LuceneClause, LuceneNode, LuceneOccur } from './parser.js';

/**
 * Parse Lucene query syntax (`language = "lucene"`); never throws. The default operator between
 * clauses is OR, as in Lucene and Elasticsearch's `query_string`.
 */
export function parseLucene(text: string): ParseResult<LuceneNode> {
  return parseLuceneText(text);
}

/** The filtering logic of a parsed Lucene query. */
export function luceneToLogic(ast: LuceneNode): Logic {
  return astToLogic(ast);
}

/** Parse and reduce a Lucene query to one part; no part when the query does not parse. */
export function analyzeLucene(text: string): QueryAnalysis {
  const { ast, diagnostics } = parseLuceneText(text);
  return { parts: ast ? [{ logic: astToLogic(ast) }] : [], diagnostics, meta: {} };
}
