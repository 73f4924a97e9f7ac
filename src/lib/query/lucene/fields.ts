import { and, not, or, pred, type Logic, type RawPredicate, type Scalar } from '../../model/logic.js';
import type { LuceneNode } from './parser.js';

const NUMBER = /^-?\d+(?:\.\d+)?$/;

const bound = (text: string): Scalar => (NUMBER.test(text) ? Number(text) : text);

/**
 * Lucene AST -> logic tree. A group keeps Lucene's clause semantics: with a MUST clause present,
 * SHOULD clauses only change scoring and do not filter, so they are left out; without one, at
 * least one SHOULD must match (an `or`). MUST_NOT clauses become `not`. Terms become `eq` (or
 * `match` with no field), `*`/`?` terms `wildcard`, `field:*` `exists`, `/re/` `regex_match`
 * (dialect `lucene`), ranges a `gte`/`gt` and `lte`/`lt` pair. Fuzzy terms and sloppy phrases
 * (`~`) are approximate, so they become `match`.
 */
export function luceneToLogic(node: LuceneNode): Logic {
  switch (node.type) {
    case 'group': {
      const must: Logic[] = [];
      const should: Logic[] = [];
      const mustNot: Logic[] = [];
      for (const c of node.clauses) {
        const l = luceneToLogic(c.node);
        if (c.occur === 'must') must.push(l);
        else if (c.occur === 'should') should.push(l);
        else mustNot.push(not(l));
      }
      if (must.length === 0 && should.length === 0 && mustNot.length === 0) return { kind: 'any' };
      const required = must.length > 0 ? must : should.length > 0 ? [or(should)] : [];
      return and([...required, ...mustNot]);
    }
    case 'term': {
      if (node.wildcard && isOnlyStars(node.glob)) {
        return node.field === null ? { kind: 'any' } : pred({ field: node.field, operator: 'exists', value: true, raw: node.raw, span: node.span });
      }
      if (node.wildcard) return pred(withRaw({ field: node.field, operator: 'wildcard', value: node.glob, span: node.span }, node.raw));
      const operator = node.field === null || node.fuzzy ? 'match' : 'eq';
      return pred(withRaw({ field: node.field, operator, value: node.text, span: node.span }, node.raw));
    }
    case 'phrase': {
      const operator = node.field === null || node.proximity ? 'match' : 'eq';
      return pred(withRaw({ field: node.field, operator, value: node.text, span: node.span }, node.raw));
    }
    case 'regex':
      return pred({ field: node.field, operator: 'regex_match', value: node.pattern, dialect: 'lucene', raw: node.raw, span: node.span });
    case 'range': {
      const parts: Logic[] = [];
      if (node.lower !== null) parts.push(pred({ field: node.field, operator: node.includeLower ? 'gte' : 'gt', value: bound(node.lower), raw: node.raw, span: node.span }));
      if (node.upper !== null) parts.push(pred({ field: node.field, operator: node.includeUpper ? 'lte' : 'lt', value: bound(node.upper), raw: node.raw, span: node.span }));
      if (parts.length === 0) {
        return node.field === null ? { kind: 'any' } : pred({ field: node.field, operator: 'exists', value: true, raw: node.raw, span: node.span });
      }
      return and(parts);
    }
    case 'exists':
      return pred({ field: node.field, operator: 'exists', value: true, span: node.span });
  }
}

function isOnlyStars(glob: string): boolean {
  for (let i = 0; i < glob.length; i++) if (glob[i] !== '*') return false;
  return glob.length > 0;
}

function withRaw(p: RawPredicate, raw: string): RawPredicate {
  if (raw !== String(p.value)) p.raw = raw;
  return p;
}
