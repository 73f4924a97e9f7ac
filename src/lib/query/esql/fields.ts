import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { and, not, or, pred, type Logic, type Operator, type RawPredicate, type Scalar } from '../../model/logic.js';
import type { LineIndex } from '../kql/line-index.js';
import type { EsqlCommand, EsqlCompareOp, EsqlExpr, EsqlQuery } from './ast.js';
import { embeddedQueryToLogic } from './embedded.js';
import { escapeGlob, fieldRef, likeToGlob, literalValue, type FieldRef } from './values.js';

const RANGE: Record<string, Operator> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<EsqlCompareOp, EsqlCompareOp> = { '==': '==', '!=': '!=', '=~': '=~', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/**
 * Turns WHERE conditions into logic, in pipeline order, knowing which fields earlier commands
 * created (EVAL, STATS aggregates and computed BY keys, GROK, DISSECT, RENAME, ENRICH, ROW,
 * CHANGE_POINT, COMPLETION, FORK): predicates on those get `derived: true`. A plain `BY field`
 * keeps the field's own values, so it stays a real field.
 */
export class EsqlLogicBuilder {
  private readonly derived = new Set<string>();
  readonly derivedFields: string[] = [];

  constructor(
    private readonly query: EsqlQuery,
    private readonly lines: LineIndex,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** The AND of every WHERE (and FORK branch) in the pipeline; `any` when nothing filters. */
  pipelineLogic(commands: EsqlCommand[] = this.query.commands): Logic {
    const conditions: Logic[] = [];
    for (const c of commands) {
      switch (c.type) {
        case 'where':
          conditions.push(this.toLogic(c.condition));
          break;
        case 'row':
        case 'eval':
          for (const f of c.fields) this.derive(f.name);
          break;
        case 'stats':
          for (const a of c.aggregates) this.derive(a.name);
          for (const b of c.by) if (b.named || b.expr.type !== 'field') this.derive(b.name);
          break;
        case 'rename':
          for (const p of c.pairs) this.derive(p.to);
          break;
        case 'grok':
        case 'dissect':
        case 'enrich':
        case 'change_point':
          for (const f of c.fields) this.derive(f);
          break;
        case 'completion':
          this.derive(c.target);
          break;
        case 'fork': {
          const branches = c.branches.map((b) => this.pipelineLogic(b));
          conditions.push(or(branches));
          this.derive('_fork');
          break;
        }
        default:
          break;
      }
    }
    return conditions.length === 0 ? { kind: 'any' } : and(conditions.flatMap((c) => (c.kind === 'and' ? c.children : [c])));
  }

  private derive(name: string): void {
    if (this.derived.has(name)) return;
    this.derived.add(name);
    this.derivedFields.push(name);
  }

  private opaque(e: EsqlExpr, reason: string): Logic {
    return { kind: 'opaque', text: this.query.text.slice(e.start, e.end), reason };
  }

  private predicate(ref: FieldRef, operator: Operator, value: Scalar, e: EsqlExpr, caseSensitive: boolean): Logic {
    const p: RawPredicate = { field: ref.name, operator, value, span: this.lines.span(e.start, e.end) };
    if (caseSensitive && !ref.caseInsensitive && typeof value === 'string') p.caseSensitive = true;
    if (this.derived.has(ref.name)) p.derived = true;
    return pred(p);
  }

  toLogic(e: EsqlExpr): Logic {
    switch (e.type) {
      case 'logical':
        return e.op === 'and' ? and(e.children.map((c) => this.toLogic(c))) : or(e.children.map((c) => this.toLogic(c)));
      case 'not':
        return not(this.toLogic(e.expr));
      case 'compare':
        return this.compareToLogic(e.op, e.left, e.right, e);
      case 'in':
        return this.inToLogic(e);
      case 'like':
        return this.likeToLogic(e);
      case 'isnull': {
        const ref = fieldRef(e.expr);
        return ref ? this.predicate(ref, 'exists', e.negated, e, false) : this.opaque(e, 'IS NULL on an expression');
      }
      case 'match': {
        const ref = fieldRef(e.field);
        const v = literalValue(e.query);
        return ref && v !== undefined && v !== null ? this.predicate(ref, 'match', v, e, false) : this.opaque(e, 'match on an expression');
      }
      case 'call':
        return this.callToLogic(e);
      case 'field':
      case 'cast': {
        const ref = fieldRef(e);
        return ref ? this.predicate(ref, 'eq', true, e, false) : this.opaque(e, 'boolean expression');
      }
      case 'literal':
        return e.value === true ? { kind: 'any' } : this.opaque(e, 'constant condition');
      default:
        return this.opaque(e, 'expression without a field predicate');
    }
  }

  private compareToLogic(op: EsqlCompareOp, left: EsqlExpr, right: EsqlExpr, e: EsqlExpr): Logic {
    const l = fieldRef(left);
    const r = fieldRef(right);
    const rv = literalValue(right);
    const lv = literalValue(left);
    if (l && rv !== undefined) return this.comparison(l, op, rv, e);
    if (r && lv !== undefined) return this.comparison(r, FLIP[op], lv, e);
    if (l && r && (op === '==' || op === '!=')) {
      const p = this.predicate(l, 'fieldref', r.name, e, false);
      return op === '==' ? p : not(p);
    }
    return this.opaque(e, l || r ? 'comparison with a computed value' : 'comparison on a computed value');
  }

  private comparison(ref: FieldRef, op: EsqlCompareOp, value: Scalar, e: EsqlExpr): Logic {
    if (value === null) return this.opaque(e, 'comparison with null is never true');
    if (op === '==' || op === '!=') {
      const p = this.predicate(ref, 'eq', value, e, true);
      return op === '==' ? p : not(p);
    }
    if (op === '=~') return this.predicate(ref, 'eq', value, e, false);
    return this.predicate(ref, RANGE[op]!, value, e, false);
  }

  private inToLogic(e: Extract<EsqlExpr, { type: 'in' }>): Logic {
    if (e.expr.type === 'literal' && e.expr.value === true && e.list.length > 0) {
      // `true IN (cond1, cond2)`: an idiom for "any of these conditions".
      const any = or(e.list.map((c) => this.toLogic(c)));
      return e.negated ? not(any) : any;
    }
    const ref = fieldRef(e.expr);
    if (!ref) return this.opaque(e, 'IN on an expression');
    const items: Logic[] = [];
    for (const item of e.list) {
      const v = literalValue(item);
      const other = fieldRef(item);
      if (v === null) continue;
      if (v !== undefined) items.push(this.predicate(ref, 'eq', v, item, true));
      else if (other) items.push(this.predicate(ref, 'fieldref', other.name, item, false));
      else items.push(this.opaque(item, 'computed IN value'));
    }
    const logic = items.length === 0 ? this.opaque(e, 'empty IN list') : or(items);
    return e.negated ? not(logic) : logic;
  }

  private likeToLogic(e: Extract<EsqlExpr, { type: 'like' }>): Logic {
    const ref = fieldRef(e.expr);
    if (!ref) return this.opaque(e, `${e.regex ? 'RLIKE' : 'LIKE'} on an expression`);
    const items = e.patterns.map((p): Logic => {
      if (p.type !== 'literal' || p.kind !== 'string') return this.opaque(p, 'computed pattern');
      const span = e.patterns.length === 1 ? e : p;
      if (e.regex) {
        const l = this.predicate(ref, 'regex_match', p.value, span, true);
        if (l.kind === 'pred') l.pred.dialect = 'lucene';
        return l;
      }
      const { glob, literal, wildcard } = likeToGlob(p.value);
      const l = this.predicate(ref, wildcard ? 'wildcard' : 'eq', wildcard ? glob : literal, span, true);
      if (l.kind === 'pred' && p.value !== l.pred.value) l.pred.raw = p.value;
      return l;
    });
    const logic = or(items);
    return e.negated ? not(logic) : logic;
  }

  private callToLogic(e: Extract<EsqlExpr, { type: 'call' }>): Logic {
    const [a0, a1] = e.args;
    switch (e.name) {
      case 'KQL':
      case 'QSTR': {
        if (a0?.type !== 'literal' || a0.kind !== 'string') return this.opaque(e, `${e.name} needs a string literal`);
        const logic = embeddedQueryToLogic(e.name === 'KQL' ? 'kql' : 'lucene', this.query.text, this.lines, a0, this.diagnostics);
        return logic ?? this.opaque(e, `${e.name} query does not parse`);
      }
      case 'MATCH':
      case 'MATCH_PHRASE': {
        const ref = a0 && fieldRef(a0);
        const v = a1 && literalValue(a1);
        return ref && v !== undefined && v !== null ? this.predicate(ref, 'match', v, e, false) : this.opaque(e, `${e.name} on an expression`);
      }
      case 'STARTS_WITH':
      case 'ENDS_WITH':
      case 'CONTAINS': {
        const ref = a0 && fieldRef(a0);
        if (!ref || a1?.type !== 'literal' || a1.kind !== 'string') return this.opaque(e, `${e.name} on an expression`);
        const text = escapeGlob(a1.value);
        const glob = e.name === 'STARTS_WITH' ? `${text}*` : e.name === 'ENDS_WITH' ? `*${text}` : `*${text}*`;
        return this.predicate(ref, 'wildcard', glob, e, true);
      }
      case 'CIDR_MATCH': {
        const ref = a0 && fieldRef(a0);
        if (!ref) return this.opaque(e, 'CIDR_MATCH on an expression');
        const nets = e.args.slice(1).map((n) => (n.type === 'literal' && n.kind === 'string' ? this.predicate(ref, 'cidr', n.value, n, false) : this.opaque(n, 'computed network')));
        return nets.length === 0 ? this.opaque(e, 'CIDR_MATCH without networks') : or(nets);
      }
      case 'MV_CONTAINS': {
        const ref = a0 && fieldRef(a0);
        if (!ref || !a1) return this.opaque(e, 'MV_CONTAINS on an expression');
        const values = a1.type === 'list' ? a1.items : [a1];
        const preds = values.map((v) => {
          const lit = literalValue(v);
          return lit !== undefined && lit !== null ? this.predicate(ref, 'eq', lit, v, true) : this.opaque(v, 'computed value');
        });
        return and(preds);
      }
      default:
        return this.opaque(e, `function ${e.name}`);
    }
  }
}
