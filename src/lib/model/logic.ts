import type { Span } from '../diagnostics/diagnostic.js';

/**
 * Canonical operators. Every vendor's comparison lands on one of these so that the same indicator
 * written in Sigma, KQL, EQL, ES|QL or SPL groups onto one row.
 *
 * - `eq`          exact value (string compare is case-insensitive unless `caseSensitive`)
 * - `wildcard`    glob: `*` any run, `?` one char; a literal `*` or `?` is written `[*]` / `[?]`;
 *                 backslashes are literal (Windows paths read as written)
 * - `regex_match` regular expression kept as text with its `dialect`; never compiled
 * - `match`       full-text / keyword search (Sigma keywords, SPL bare terms, ES|QL MATCH); field may be null
 * - `cidr`        IP in network (value `10.0.0.0/8`)
 * - `exists`      field present (`value: true`) or absent/null (`value: false`)
 * - `gt` `gte` `lt` `lte`  range comparison on numbers or strings
 * - `fieldref`    compares to another field; `value` is that field's raw name
 */
export type Operator =
  | 'eq'
  | 'wildcard'
  | 'regex_match'
  | 'match'
  | 'cidr'
  | 'exists'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'fieldref';

export const OPERATORS: readonly Operator[] = [
  'eq', 'wildcard', 'regex_match', 'match', 'cidr', 'exists', 'gt', 'gte', 'lt', 'lte', 'fieldref',
];

/** Regex dialects found in the corpus; kept so a reader knows how to read the pattern. */
export type RegexDialect = 'pcre' | 'lucene' | 're2' | 'java';

export type Scalar = string | number | boolean | null;

/**
 * One comparison as the vendor wrote it, before field normalization. Parsers produce these;
 * the normalize step adds the canonical field with provenance.
 */
export interface RawPredicate {
  /** Vendor field name as written (`Image`, `process.name`, `Processes.process_name`); null for keyword/bare-term search. */
  field: string | null;
  operator: Operator;
  /** Canonical value: for `wildcard` a glob in the notation above; for `regex_match` the pattern text. */
  value: Scalar;
  /** The value as written in the rule, for display, when it differs from `value`. */
  raw?: string;
  /** True when the vendor compares case-sensitively (Sigma `|cased`, EQL `==`, SPL `case()`...). */
  caseSensitive?: boolean;
  /** Regex dialect and flags (i, m, s) for `regex_match`. */
  dialect?: RegexDialect;
  flags?: string;
  /** Field computed inside the query (EVAL, STATS, rex, eval...): shown, never mapped to a real field. */
  derived?: boolean;
  /** Value encodings applied before matching, in order: base64, base64offset, utf16le, utf16be, wide, windash, expand. */
  transforms?: string[];
  /** Where the predicate sits in the query text (1-based, relative to the query text). */
  span?: Span;
}

/**
 * A rule's boolean logic over predicates. Exclusions are derived from polarity (a predicate under an
 * odd number of `not`s), never from a selection's name.
 */
export type Logic =
  | { kind: 'and'; children: Logic[] }
  | { kind: 'or'; children: Logic[] }
  | { kind: 'not'; child: Logic }
  | { kind: 'pred'; pred: RawPredicate }
  /** Matches every event (`process where true`, `*`, an empty selection list). */
  | { kind: 'any' }
  /** A part we keep as text because it carries no field predicate we model (a function we do not know, a lookup...). */
  | { kind: 'opaque'; text: string; reason: string };

/**
 * One filtering stage of a rule. Plain queries have one part; EQL sequences and samples have one
 * per subquery (`step` 1..n), shown as steps on the rule page.
 */
export interface QueryPart {
  /** 1-based step in a sequence/sample; absent for a single query. */
  step?: number;
  /** Short label: EQL event category (`process`), `until`, a Sigma correlation's referenced rule... */
  label?: string;
  /** EQL event category of the subquery (`process`, `network`, `any`). */
  category?: string;
  /** Join keys (`by` fields) for this step, raw names. */
  by?: string[];
  logic: Logic;
}

export const and = (children: Logic[]): Logic =>
  children.length === 1 ? children[0]! : { kind: 'and', children };
export const or = (children: Logic[]): Logic =>
  children.length === 1 ? children[0]! : { kind: 'or', children };
export const not = (child: Logic): Logic => ({ kind: 'not', child });
export const pred = (p: RawPredicate): Logic => ({ kind: 'pred', pred: p });

/** A predicate with its polarity in the tree: `exclusion` when under an odd number of `not`s. */
export interface PolarPredicate {
  pred: RawPredicate;
  exclusion: boolean;
  step?: number;
}

/** Walk a logic tree and list its predicates with polarity, in source order. */
export function polarPredicates(logic: Logic, step?: number): PolarPredicate[] {
  const out: PolarPredicate[] = [];
  const walk = (node: Logic, negated: boolean): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        for (const c of node.children) walk(c, negated);
        return;
      case 'not':
        walk(node.child, !negated);
        return;
      case 'pred':
        out.push(step === undefined ? { pred: node.pred, exclusion: negated } : { pred: node.pred, exclusion: negated, step });
        return;
      case 'any':
      case 'opaque':
        return;
    }
  };
  walk(logic, false);
  return out;
}
