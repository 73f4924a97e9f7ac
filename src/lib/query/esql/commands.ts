import type { EsqlAggregate, EsqlAssignment, EsqlCommand } from './ast.js';
import { EsqlCursor } from './expressions.js';

/**
 * Argument grammars of the ES|QL commands that name or create fields (FROM patterns, EVAL and
 * STATS assignments, RENAME, ENRICH, CHANGE_POINT, COMPLETION). The pipeline parser dispatches here.
 */
export class EsqlCommandParser extends EsqlCursor {
  /**
   * One index pattern, field pattern or policy name: a run of tokens with no space between them
   * (`logs-endpoint.events.process-*`, `.alerts-security.*`, `_any:policy`) or one quoted string.
   */
  protected parseRun(what: string): string {
    const first = this.peek();
    if (first.kind === 'eof' || first.kind === 'comma') throw this.unexpected(first, what);
    this.next();
    if (first.kind === 'string') return first.text;
    let end = first.end;
    while (this.peek().kind !== 'eof' && this.peek().kind !== 'comma' && this.peek().start === end) end = this.next().end;
    return this.text.slice(first.start, end);
  }

  protected parseRuns(what: string): string[] {
    const out = [this.parseRun(what)];
    while (this.peek().kind === 'comma') {
      this.next();
      out.push(this.parseRun(what));
    }
    return out;
  }

  /** `name = expr` or a bare `expr` (ES|QL then names the column after the expression text). */
  protected parseAssignment(): EsqlAssignment {
    const t = this.peek();
    if (t.kind === 'ident' && this.isOp(this.peek(1), '=')) {
      this.next();
      this.next();
      return { name: t.text, expr: this.parseBoolean(), named: true };
    }
    const expr = this.parseBoolean();
    return { name: expr.type === 'field' ? expr.name : this.text.slice(expr.start, expr.end), expr, named: false };
  }

  protected parseAssignments(): EsqlAssignment[] {
    const out = [this.parseAssignment()];
    while (this.peek().kind === 'comma') {
      this.next();
      out.push(this.parseAssignment());
    }
    return out;
  }

  protected parseStats(name: 'STATS' | 'INLINE STATS', start: number): EsqlCommand {
    const aggregates: EsqlAggregate[] = [];
    if (this.peek().kind !== 'eof' && !this.isKw(this.peek(), 'by')) {
      for (;;) {
        const a = this.parseAssignment();
        let filter = null;
        if (this.isKw(this.peek(), 'where')) {
          this.next();
          filter = this.parseBoolean();
        }
        aggregates.push({ ...a, filter });
        if (this.peek().kind !== 'comma') break;
        this.next();
      }
    }
    let by: EsqlAssignment[] = [];
    if (this.isKw(this.peek(), 'by')) {
      this.next();
      by = this.parseAssignments();
    }
    return { type: 'stats', name, aggregates, by, start, end: this.prevEnd() };
  }

  protected parseRenames(): { from: string; to: string }[] {
    const pairs: { from: string; to: string }[] = [];
    for (;;) {
      const a = this.parseRun('a field to rename');
      const op = this.peek();
      if (this.isKw(op, 'as')) {
        this.next();
        pairs.push({ from: a, to: this.parseRun('the new field name') });
      } else if (this.isOp(op, '=')) {
        this.next();
        pairs.push({ from: this.parseRun('the field to rename'), to: a });
      } else {
        throw this.unexpected(op, '`AS` and the new name');
      }
      if (this.peek().kind !== 'comma') return pairs;
      this.next();
    }
  }

  protected parseEnrich(start: number): EsqlCommand {
    const policy = this.parseRun('an enrich policy name');
    let on: string | null = null;
    const fields: string[] = [];
    if (this.isKw(this.peek(), 'on')) {
      this.next();
      on = this.parseRun('the match field');
    }
    if (this.isKw(this.peek(), 'with')) {
      this.next();
      for (;;) {
        const a = this.parseRun('an enrich field');
        if (this.isOp(this.peek(), '=')) {
          this.next();
          this.parseRun('an enrich field');
        }
        fields.push(a);
        if (this.peek().kind !== 'comma') break;
        this.next();
      }
    }
    return { type: 'enrich', name: 'ENRICH', policy, on, fields, start, end: this.prevEnd() };
  }

  protected parseChangePoint(start: number): EsqlCommand {
    const value = this.parseRun('the value field');
    let key: string | null = null;
    let fields = ['type', 'pvalue'];
    if (this.isKw(this.peek(), 'on')) {
      this.next();
      key = this.parseRun('the key field');
    }
    if (this.isKw(this.peek(), 'as')) {
      this.next();
      fields = this.parseRuns('the output field names');
    }
    return { type: 'change_point', name: 'CHANGE_POINT', value, key, fields, start, end: this.prevEnd() };
  }

  /** `COMPLETION target = prompt WITH {...}` (or the older `... AS target`); the default column is `completion`. */
  protected parseCompletion(start: number): EsqlCommand {
    let target = 'completion';
    const t = this.peek();
    if (t.kind === 'ident' && this.isOp(this.peek(1), '=')) target = t.text;
    let depth = 0;
    while (this.peek().kind !== 'eof') {
      const n = this.next();
      if (n.kind === 'lparen' || n.kind === 'lbrace' || n.kind === 'lbracket') depth++;
      else if (n.kind === 'rparen' || n.kind === 'rbrace' || n.kind === 'rbracket') depth--;
      else if (depth === 0 && this.isKw(n, 'as') && this.peek().kind === 'ident') target = this.next().text;
    }
    return { type: 'completion', name: 'COMPLETION', target, start, end: this.prevEnd() };
  }
}
