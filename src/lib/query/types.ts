import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { QueryPart } from '../model/logic.js';

/** What every parser returns: never throws; `ast` is null only when nothing could be recovered. */
export interface ParseResult<A> {
  ast: A | null;
  diagnostics: Diagnostic[];
}

/**
 * A parsed query reduced to what the catalog needs: the filtering logic per step, plus the
 * language's own facts for the rule page. Diagnostics carry positions relative to the query text
 * (line 1, column 1 = first character of the query); the source adapter shifts them to the file.
 */
export interface QueryAnalysis<M = Record<string, unknown>> {
  parts: QueryPart[];
  diagnostics: Diagnostic[];
  /** Language facts: EQL sequence `by`/`maxspan`/`until`, ES|QL `from` indices, SPL datamodel... */
  meta: M;
}

export type QueryLanguage = 'sigma' | 'kuery' | 'eql' | 'esql' | 'lucene' | 'spl';

/** True when any diagnostic is an error (the query is then reported, not published). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
