import { diagnosticAt } from '../../diagnostics/diagnostic.js';
import type { ParseResult } from '../types.js';
import type { EqlEventQuery, EqlExpr, EqlPipe, EqlQuery, EqlTerm } from './ast.js';
import { SyntaxFailure } from './cursor.js';
import { ExpressionParser } from './expressions.js';
import { LineIndex } from './line-index.js';
import { tokenizeEql } from './tokens.js';

/** Pipes Elasticsearch EQL accepts; others are kept but flagged. */
const KNOWN_PIPES = new Set(['head', 'tail', 'filter', 'unique', 'unique_count', 'count', 'sort', 'window']);
const DURATION_UNITS = new Set(['ms', 's', 'm', 'h', 'd']);

/** Query level: event queries, `sequence` and `sample` with their subqueries, and pipes. */
class EqlParser extends ExpressionParser {
  parseQuery(): EqlQuery {
    const first = this.peek();
    if (first.kind === 'eof') this.fail('eql/empty-query', 'the query is empty', 'write `category where condition`, e.g. process where process.name == "cmd.exe"');
    let query: EqlQuery;
    if (this.isKw('sequence')) query = this.parseSequence();
    else if (this.isKw('sample')) query = this.parseSample();
    else if (this.isKw('join')) this.fail('eql/unsupported-join', '`join` is not supported by Elasticsearch EQL', 'rewrite the join as a `sequence by ...`');
    else {
      const event = this.parseEventQuery();
      query = { kind: 'event', event, pipes: [], start: event.start, end: event.end };
    }
    query.pipes = this.parsePipes();
    const last = query.pipes[query.pipes.length - 1];
    if (last) query.end = last.end;
    if (this.peek().kind !== 'eof') {
      this.unexpected('end of query', this.isOp(']') ? 'remove the extra ]' : 'join conditions with `and`/`or`, or start a pipe with |');
    }
    return query;
  }

  private parseEventQuery(): EqlEventQuery {
    const t = this.peek();
    let category: string;
    if (t.kind === 'ident' && !t.optional) category = t.text;
    else if (t.kind === 'string') category = String(t.value);
    else if (t.kind === 'keyword' && !this.isKw('where', t)) category = t.text;
    else this.unexpected('an event category', 'start with an event category and `where`, e.g. process where ... (use `any` for every category)');
    this.next();
    if (!this.isKw('where')) {
      const found = this.peek();
      this.fail(
        'eql/expected-where',
        `expected 'where' after event category ${JSON.stringify(category)} but found ${this.describe(found)}`,
        'write `category where condition`; field comparisons go after `where`',
        found,
      );
    }
    this.next();
    const condition = this.parseExpression();
    return { category, condition, start: t.start, end: condition.end };
  }

  private parseJoinKeys(): EqlExpr[] {
    const keys = [this.parseArith()];
    while (this.isOp(',')) {
      this.next();
      keys.push(this.parseArith());
    }
    return keys;
  }

  private parseDuration(): string {
    const t = this.peek();
    if (t.kind !== 'number') this.unexpected('a time span such as 30s, 5m or 1h', 'write maxspan=<number><unit> with unit ms, s, m, h or d');
    this.next();
    let unit = t.unit ?? '';
    const u = this.peek();
    if (!unit && u.kind === 'ident' && DURATION_UNITS.has(u.text)) {
      unit = u.text;
      this.next();
    }
    if (unit && !DURATION_UNITS.has(unit)) {
      this.fail('eql/bad-duration', `unknown time unit ${JSON.stringify(unit)}`, 'use one of ms, s, m, h, d', t);
    }
    return `${t.text}${unit}`;
  }

  private parseSequence(): EqlQuery {
    const start = this.next().start;
    let by: EqlExpr[] = [];
    let maxspan: string | undefined;
    for (let round = 0; round < 2; round++) {
      if (this.isKw('by') && by.length === 0) {
        this.next();
        by = this.parseJoinKeys();
      } else if (this.isKw('with') && maxspan === undefined) {
        this.next();
        const key = this.peek();
        if (key.kind !== 'ident' || key.text.toLowerCase() !== 'maxspan') this.unexpected("'maxspan'", 'sequence options are written `with maxspan=5m`');
        this.next();
        this.expectOp('=', 'write maxspan=<time span>, e.g. maxspan=5m');
        maxspan = this.parseDuration();
      }
    }
    const terms = this.parseTerms('sequence');
    let until: EqlTerm | undefined;
    if (this.isKw('until')) {
      this.next();
      until = this.parseTerm();
    }
    const count = terms.reduce((n, t) => n + (t.runs ?? 1), 0);
    if (count < 2) {
      const t = terms[0]!;
      this.diagnostics.push(
        diagnosticAt('eql/sequence-too-short', 'a sequence needs at least two subqueries', 'add another [category where ...] step, or `with runs=N` on the single step', this.lines.span(start, t.end)),
      );
    }
    const end = (until ?? terms[terms.length - 1]!).end;
    const q: EqlQuery = { kind: 'sequence', by, terms, pipes: [], start, end };
    if (maxspan !== undefined) q.maxspan = maxspan;
    if (until) q.until = until;
    return q;
  }

  private parseSample(): EqlQuery {
    const start = this.next().start;
    let by: EqlExpr[] = [];
    if (this.isKw('by')) {
      this.next();
      by = this.parseJoinKeys();
    }
    const terms = this.parseTerms('sample');
    return { kind: 'sample', by, terms, pipes: [], start, end: terms[terms.length - 1]!.end };
  }

  private parseTerms(what: string): EqlTerm[] {
    const terms: EqlTerm[] = [];
    while (this.isOp('[') || (this.isOp('!') && this.isOp('[', this.peek(1)))) terms.push(this.parseTerm());
    if (terms.length === 0) this.unexpected(`'[' starting the first ${what} subquery`, `write ${what} subqueries in brackets: [process where ...]`);
    return terms;
  }

  private parseTerm(): EqlTerm {
    const open = this.peek();
    let missing = false;
    if (this.isOp('!')) {
      missing = true;
      this.next();
    }
    this.expectOp('[', 'write each subquery in brackets: [process where ...]');
    const query = this.parseEventQuery();
    if (!this.isOp(']')) this.unexpected("']' closing the subquery", 'close the subquery with ] (check parentheses inside it)');
    let end = this.next().end;
    const term: EqlTerm = { query, by: [], start: open.start, end };
    if (missing) term.missing = true;
    if (this.isKw('by')) {
      this.next();
      term.by = this.parseJoinKeys();
      end = term.by[term.by.length - 1]!.end;
    }
    if (this.isKw('with')) {
      this.next();
      const key = this.peek();
      if (key.kind !== 'ident' || key.text.toLowerCase() !== 'runs') this.unexpected("'runs'", 'a subquery option is written `with runs=N`');
      this.next();
      this.expectOp('=', 'write runs=<number>, e.g. with runs=3');
      const n = this.peek();
      if (n.kind !== 'number' || n.unit || !Number.isInteger(n.value) || (n.value as number) < 1) {
        this.unexpected('a positive whole number', 'write runs=<number>, e.g. with runs=3');
      }
      this.next();
      term.runs = n.value as number;
      end = n.end;
    }
    term.end = end;
    return term;
  }

  private parsePipes(): EqlPipe[] {
    const pipes: EqlPipe[] = [];
    while (this.isOp('|')) {
      const bar = this.next();
      const name = this.peek();
      if (name.kind !== 'ident') this.unexpected('a pipe name', 'pipes are written `| head 5`, `| tail 10`, `| filter ...`, `| unique field`');
      let last = name;
      let depth = 0;
      while (this.peek().kind !== 'eof' && !(depth === 0 && this.isOp('|'))) {
        const t = this.next();
        if (this.isOp('(', t)) depth++;
        else if (this.isOp(')', t)) depth--;
        last = t;
      }
      if (!KNOWN_PIPES.has(name.text.toLowerCase())) {
        this.diagnostics.push(
          diagnosticAt('eql/unknown-pipe', `unknown pipe ${JSON.stringify(name.text)}`, 'Elasticsearch EQL pipes are head, tail, filter, unique, unique_count, count, sort, window', this.lines.span(name.start, name.end), 'warning'),
        );
      }
      pipes.push({ name: name.text.toLowerCase(), text: this.text.slice(name.start, last.end), start: bar.start, end: last.end });
    }
    return pipes;
  }
}


/**
 * Parse an EQL query (event query, sequence or sample, with pipes) into a syntax tree. Never
 * throws: a syntax error yields `ast: null` and a diagnostic at the offending token. `lines` lets
 * a caller that also converts the tree share one line index.
 */
export function parseEql(text: string, lines: LineIndex = new LineIndex(text)): ParseResult<EqlQuery> {
  const { tokens, diagnostics } = tokenizeEql(text, lines);
  const parser = new EqlParser(text, tokens, lines);
  let ast: EqlQuery | null = null;
  try {
    ast = parser.parseQuery();
  } catch (e) {
    if (e instanceof SyntaxFailure) {
      // a lexical error usually explains the syntax error; keep the syntax one only when it adds something
      if (!diagnostics.some((d) => d.severity === 'error')) diagnostics.push(e.diagnostic);
    } else {
      // never throw on input, not even on pathological nesting (stack overflow)
      diagnostics.push(diagnosticAt('eql/too-complex', `the query could not be parsed: ${(e as Error).message}`, 'simplify the query (very deep nesting?)', {}));
    }
  }
  diagnostics.push(...parser.diagnostics);
  if (ast === null && diagnostics.length === 0) {
    diagnostics.push(diagnosticAt('eql/parse-failed', 'the query could not be parsed', 'check the query syntax', {}));
  }
  return { ast, diagnostics };
}

