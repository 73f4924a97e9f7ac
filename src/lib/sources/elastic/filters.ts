import { and, not, or, pred, type Logic, type RawPredicate, type Scalar } from '../../model/logic.js';
import { analyzeLucene } from '../../query/lucene/index.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Problems met while reading a filter; the adapter turns them into diagnostics at the filter's line. */
export interface FilterProblem {
  message: string;
  hint: string;
}

/**
 * An Elasticsearch wildcard/prefix value in the canonical glob notation: `\x` is a literal x,
 * a literal `*`/`?` becomes `[*]`/`[?]`, other backslashes stay literal.
 */
export function esWildcardToGlob(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      const e = value[++i]!;
      out += e === '*' || e === '?' ? `[${e}]` : e;
    } else out += c;
  }
  return out;
}

const hasGlob = (s: string): boolean => /(?<!\[)[*?](?!\])/.test(s);

/** `{ field: value }` or `{ field: { <valueKey>: value, ...options } }` -> [field, value, options]. */
function fieldValue(body: unknown, valueKey: string): [string, unknown, Json] | null {
  if (!isObject(body)) return null;
  const entries = Object.entries(body).filter(([k]) => k !== 'boost' && k !== '_name');
  if (entries.length !== 1) return null;
  const [field, v] = entries[0]!;
  if (isObject(v)) return [field, v[valueKey], v];
  return [field, v, {}];
}

/** Convert one Query DSL clause to logic; unknown clauses become opaque with a problem noted. */
export function dslToLogic(clause: unknown, problems: FilterProblem[]): Logic {
  if (!isObject(clause)) {
    problems.push({ message: 'filter query is not an object', hint: 'a filter query is a Query DSL object such as { match_phrase: { field: value } }' });
    return { kind: 'opaque', text: JSON.stringify(clause) ?? String(clause), reason: 'unreadable filter' };
  }
  const children: Logic[] = [];
  for (const [kind, body] of Object.entries(clause)) children.push(oneClause(kind, body, problems));
  return children.length === 0 ? { kind: 'any' } : and(children);
}

function eqPred(field: string, value: unknown, caseSensitive: boolean): Logic {
  const p: RawPredicate = { field, operator: 'eq', value: isScalar(value) ? value : JSON.stringify(value) };
  if (caseSensitive && typeof value === 'string') p.caseSensitive = true;
  return pred(p);
}

function oneClause(kind: string, body: unknown, problems: FilterProblem[]): Logic {
  const opaque = (reason: string): Logic => {
    problems.push({ message: `filter clause ${kind} ${reason}`, hint: 'kept as text; the rest of the rule is still indexed' });
    return { kind: 'opaque', text: JSON.stringify({ [kind]: body }), reason: `filter ${kind}` };
  };
  switch (kind) {
    case 'match_all':
      return { kind: 'any' };
    case 'match':
    case 'match_phrase': {
      const fv = fieldValue(body, 'query');
      return fv ? eqPred(fv[0], fv[1], false) : opaque('has an unexpected shape');
    }
    case 'term': {
      const fv = fieldValue(body, 'value');
      return fv ? eqPred(fv[0], fv[1], fv[2].case_insensitive !== true) : opaque('has an unexpected shape');
    }
    case 'terms': {
      if (!isObject(body)) return opaque('has an unexpected shape');
      const entries = Object.entries(body).filter(([k]) => k !== 'boost');
      if (entries.length !== 1 || !Array.isArray(entries[0]![1])) return opaque('has an unexpected shape');
      const [field, values] = entries[0]! as [string, unknown[]];
      return or(values.map((v) => eqPred(field, v, true)));
    }
    case 'wildcard':
    case 'prefix': {
      const fv = fieldValue(body, 'value') ?? fieldValue(body, 'wildcard');
      if (!fv || typeof fv[1] !== 'string') return opaque('has an unexpected shape');
      let glob = esWildcardToGlob(fv[1]);
      if (kind === 'prefix') glob = `${glob.replace(/[*?]/g, (c) => `[${c}]`)}*`;
      const p: RawPredicate = hasGlob(glob)
        ? { field: fv[0], operator: 'wildcard', value: glob }
        : { field: fv[0], operator: 'eq', value: glob.replace(/\[([*?])\]/g, '$1') };
      if (fv[2].case_insensitive !== true) p.caseSensitive = true;
      return pred(p);
    }
    case 'regexp': {
      const fv = fieldValue(body, 'value');
      if (!fv || typeof fv[1] !== 'string') return opaque('has an unexpected shape');
      const p: RawPredicate = { field: fv[0], operator: 'regex_match', value: fv[1], dialect: 'lucene' };
      if (fv[2].case_insensitive === true) p.flags = 'i';
      else p.caseSensitive = true;
      return pred(p);
    }
    case 'exists': {
      const field = isObject(body) ? body.field : undefined;
      return typeof field === 'string' ? pred({ field, operator: 'exists', value: true }) : opaque('has no field');
    }
    case 'range': {
      if (!isObject(body)) return opaque('has an unexpected shape');
      const preds: Logic[] = [];
      for (const [field, bounds] of Object.entries(body)) {
        if (!isObject(bounds)) continue;
        for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
          const v = bounds[op];
          if (isScalar(v) && v !== null) preds.push(pred({ field, operator: op, value: v }));
        }
      }
      return preds.length ? and(preds) : opaque('has no bounds');
    }
    case 'bool': {
      if (!isObject(body)) return opaque('has an unexpected shape');
      const parts: Logic[] = [];
      for (const c of [...asArray(body.must), ...asArray(body.filter)]) parts.push(dslToLogic(c, problems));
      const should = asArray(body.should).map((c) => dslToLogic(c, problems));
      if (should.length) parts.push(or(should));
      const mustNot = asArray(body.must_not).map((c) => dslToLogic(c, problems));
      if (mustNot.length) parts.push(not(or(mustNot)));
      return parts.length ? and(parts) : { kind: 'any' };
    }
    case 'query_string': {
      const q = isObject(body) ? body.query : undefined;
      if (typeof q !== 'string') return opaque('has no query');
      const a = analyzeLucene(q);
      if (a.diagnostics.some((d) => d.severity === 'error') || a.parts.length !== 1) return opaque('could not be parsed as Lucene');
      return a.parts[0]!.logic;
    }
    default:
      return opaque('is not a Query DSL clause we read');
  }
}

/**
 * A Kibana filter as stored in `[[rule.filters]]`: its query (or legacy top-level clause such as
 * `exists`), negated when `meta.negate` is true so that it reads as an exclusion; null when disabled.
 */
export function filterToLogic(filter: unknown, problems: FilterProblem[]): Logic | null {
  if (!isObject(filter)) {
    problems.push({ message: 'filter is not a table', hint: 'each [[rule.filters]] entry is a table with meta and query' });
    return null;
  }
  const meta = isObject(filter.meta) ? filter.meta : {};
  if (meta.disabled === true) return null;
  let logic: Logic;
  if (isObject(filter.query)) logic = dslToLogic(filter.query, problems);
  else {
    const legacy = Object.fromEntries(Object.entries(filter).filter(([k]) => k !== 'meta' && k !== '$state' && k !== 'query'));
    if (Object.keys(legacy).length === 0) {
      problems.push({ message: 'filter has no query', hint: 'add a query table, e.g. [rule.filters.query.match_phrase]' });
      return null;
    }
    logic = dslToLogic(legacy, problems);
  }
  return meta.negate === true ? not(logic) : logic;
}
