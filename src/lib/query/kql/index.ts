import type { Logic } from '../../model/logic.js';
import type { ParseResult, QueryAnalysis } from '../types.js';
import { kqlToLogic as astToLogic } from './fields.js';
import { parseKqlText, type KqlNode } from './parser.js';

export type { KqlNode, KqlValue, KqlValueExpr } from './parser.js';
export { isCidrValue } from './fields.js';

/** Parse Kibana KQL (`language = "kuery"`); never throws, positions are relative to `text`. */
export function parseKql(text: string): ParseResult<KqlNode> {
  return parseKqlText(text);
}

/** The filtering logic of a parsed KQL query. */
export function kqlToLogic(ast: KqlNode): Logic {
  return astToLogic(ast);
}

/** Parse and reduce a KQL query to one part; no part when the query does not parse. */
export function analyzeKql(text: string): QueryAnalysis {
  const { ast, diagnostics } = parseKqlText(text);
  return { parts: ast ? [{ logic: astToLogic(ast) }] : [], diagnostics, meta: {} };
}
