import { analyzeEql } from '../../query/eql/index.js';
import { analyzeEsql } from '../../query/esql/index.js';
import { analyzeKql } from '../../query/kql/index.js';
import { analyzeLucene } from '../../query/lucene/index.js';
import type { QueryAnalysis, QueryLanguage } from '../../query/types.js';

/** The query languages of detection-rules TOML and their analyzers (a plain registry, see STYLE.md). */
export type ElasticLanguage = Extract<QueryLanguage, 'kuery' | 'eql' | 'esql' | 'lucene'>;

export const ELASTIC_ANALYZERS: Record<ElasticLanguage, (text: string) => QueryAnalysis<unknown>> = {
  kuery: analyzeKql,
  eql: analyzeEql,
  esql: analyzeEsql,
  lucene: analyzeLucene,
};

export function isElasticLanguage(v: unknown): v is ElasticLanguage {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ELASTIC_ANALYZERS, v);
}

/** Rule types that carry a query; when `language` is absent they are KQL. */
export const QUERY_RULE_TYPES = new Set(['query', 'threshold', 'new_terms', 'threat_match', 'eql', 'esql', 'saved_query']);

/** The language a rule's query is written in: `language`, else the rule type's default. */
export function ruleLanguage(type: string, language: unknown): ElasticLanguage | null {
  if (isElasticLanguage(language)) return language;
  if (language !== undefined) return null;
  if (type === 'eql') return 'eql';
  if (type === 'esql') return 'esql';
  return QUERY_RULE_TYPES.has(type) ? 'kuery' : null;
}
