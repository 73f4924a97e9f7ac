/**
 * ES|QL AST. Nodes carry character offsets (`start`, `end`) into the query text kept on
 * `EsqlQuery.text`; spans are computed only for what ends up in predicates or diagnostics.
 */

export type EsqlCompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~';

interface At {
  start: number;
  end: number;
}

export type EsqlExpr = At &
  (
    | { type: 'literal'; kind: 'string'; value: string; /** `"""raw"""` */ raw: boolean }
    | { type: 'literal'; kind: 'number'; value: number }
    | { type: 'literal'; kind: 'boolean'; value: boolean }
    | { type: 'literal'; kind: 'null'; value: null }
    /** Time span such as `1 hour`. */
    | { type: 'interval'; value: number; unit: string }
    | { type: 'field'; name: string }
    | { type: 'param'; name: string }
    /** `*` as a function argument (`COUNT(*)`). */
    | { type: 'star' }
    /** `[1, 2]` */
    | { type: 'list'; items: EsqlExpr[] }
    /** `{ "fuzziness": 1 }`: named function options. */
    | { type: 'map'; entries: { key: string; value: EsqlExpr }[] }
    /** Function name upper-cased (`TO_LOWER`). */
    | { type: 'call'; name: string; args: EsqlExpr[] }
    | { type: 'unary'; op: '-' | '+'; expr: EsqlExpr }
    | { type: 'arith'; op: '+' | '-' | '*' | '/' | '%'; left: EsqlExpr; right: EsqlExpr }
    /** `expr::type` */
    | { type: 'cast'; expr: EsqlExpr; to: string }
    | { type: 'compare'; op: EsqlCompareOp; left: EsqlExpr; right: EsqlExpr }
    | { type: 'in'; expr: EsqlExpr; list: EsqlExpr[]; negated: boolean }
    /** `LIKE` (`regex` false) or `RLIKE`, with one pattern or a `(list)`. */
    | { type: 'like'; expr: EsqlExpr; patterns: EsqlExpr[]; regex: boolean; negated: boolean }
    | { type: 'isnull'; expr: EsqlExpr; negated: boolean }
    /** The `field : "query"` match operator. */
    | { type: 'match'; field: EsqlExpr; query: EsqlExpr }
    | { type: 'logical'; op: 'and' | 'or'; children: EsqlExpr[] }
    | { type: 'not'; expr: EsqlExpr }
  );

/** `name = expr` in EVAL/STATS/ROW; `named` false when ES|QL names the column after the expression text. */
export interface EsqlAssignment {
  name: string;
  expr: EsqlExpr;
  named: boolean;
}

/** One STATS aggregate with its optional per-aggregate `WHERE` filter. */
export interface EsqlAggregate extends EsqlAssignment {
  filter: EsqlExpr | null;
}

export type EsqlCommand = At &
  (
    | { type: 'from'; name: 'FROM' | 'TS'; indices: string[]; metadata: string[] }
    | { type: 'row'; name: 'ROW'; fields: EsqlAssignment[] }
    | { type: 'where'; name: 'WHERE'; condition: EsqlExpr }
    | { type: 'eval'; name: 'EVAL'; fields: EsqlAssignment[] }
    | { type: 'stats'; name: 'STATS' | 'INLINE STATS'; aggregates: EsqlAggregate[]; by: EsqlAssignment[] }
    | { type: 'keep' | 'drop'; name: 'KEEP' | 'DROP'; patterns: string[] }
    | { type: 'rename'; name: 'RENAME'; pairs: { from: string; to: string }[] }
    | { type: 'grok' | 'dissect'; name: 'GROK' | 'DISSECT'; input: EsqlExpr; pattern: string; fields: string[] }
    | { type: 'mv_expand'; name: 'MV_EXPAND'; field: string }
    | { type: 'enrich'; name: 'ENRICH'; policy: string; on: string | null; fields: string[] }
    | { type: 'lookup_join'; name: 'LOOKUP JOIN'; index: string; on: string[] }
    | { type: 'change_point'; name: 'CHANGE_POINT'; value: string; key: string | null; fields: string[] }
    | { type: 'completion'; name: 'COMPLETION'; target: string }
    | { type: 'fork'; name: 'FORK'; branches: EsqlCommand[][] }
    /** SORT, LIMIT, SAMPLE...: kept as text; they do not filter on fields. */
    | { type: 'passthrough'; name: string; text: string }
    /** A command we do not know: kept as text (with a warning) so the rule is not lost. */
    | { type: 'other'; name: string; text: string }
  );

export interface EsqlQuery {
  /** The query text the offsets refer to. */
  text: string;
  commands: EsqlCommand[];
}
