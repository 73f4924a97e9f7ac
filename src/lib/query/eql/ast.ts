/**
 * EQL syntax tree. Every node keeps its offsets in the query text so conversions can quote the
 * source (opaque parts, derived fields) and point diagnostics at it.
 */
interface NodeBase {
  /** Offsets into the query text, end exclusive. */
  start: number;
  end: number;
}

export type EqlLiteralValue = string | number | boolean | null;

export type EqlExpr =
  | (NodeBase & { type: 'field'; name: string; optional: boolean })
  | (NodeBase & { type: 'literal'; value: EqlLiteralValue; raw: boolean })
  | (NodeBase & { type: 'call'; name: string; insensitive: boolean; args: EqlExpr[] })
  | (NodeBase & { type: 'not'; expr: EqlExpr })
  | (NodeBase & { type: 'bool'; op: 'and' | 'or'; children: EqlExpr[] })
  | (NodeBase & { type: 'compare'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: EqlExpr; right: EqlExpr })
  /** `:`, `like`, `like~`, `regex`, `regex~` with one value or a parenthesised list. */
  | (NodeBase & { type: 'match'; op: ':' | 'like' | 'like~' | 'regex' | 'regex~'; left: EqlExpr; values: EqlExpr[] })
  | (NodeBase & { type: 'in'; insensitive: boolean; negated: boolean; left: EqlExpr; values: EqlExpr[] })
  | (NodeBase & { type: 'arith'; op: '+' | '-' | '*' | '/' | '%'; left: EqlExpr; right: EqlExpr })
  | (NodeBase & { type: 'neg'; expr: EqlExpr });

/** `category where condition`. */
export interface EqlEventQuery extends NodeBase {
  /** Event category as written (`process`, `any`, a quoted category). */
  category: string;
  condition: EqlExpr;
}

/** One bracketed subquery of a sequence or sample. */
export interface EqlTerm extends NodeBase {
  query: EqlEventQuery;
  by: EqlExpr[];
  /** `with runs=N`. */
  runs?: number;
  /** `![...]`: a missing-event step. */
  missing?: boolean;
}

export interface EqlPipe extends NodeBase {
  name: string;
  /** The pipe as written without the bar, e.g. `head 5`. */
  text: string;
}

export type EqlQuery =
  | (NodeBase & { kind: 'event'; event: EqlEventQuery; pipes: EqlPipe[] })
  | (NodeBase & { kind: 'sequence'; by: EqlExpr[]; maxspan?: string; terms: EqlTerm[]; until?: EqlTerm; pipes: EqlPipe[] })
  | (NodeBase & { kind: 'sample'; by: EqlExpr[]; terms: EqlTerm[]; pipes: EqlPipe[] });
