import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineIndex } from '../kql/line-index.js';
import type { ParseResult } from '../types.js';
import type { EsqlCommand, EsqlQuery } from './ast.js';
import { EsqlCommandParser } from './commands.js';
import { EsqlSyntaxError } from './expressions.js';
import { dissectFieldNames, grokFieldNames } from './patterns.js';
import { lexEsql } from './tokens.js';

/** Commands that do not filter on fields; their arguments are kept as text. */
const PASSTHROUGH: Record<string, string> = { sort: 'SORT', limit: 'LIMIT', sample: 'SAMPLE', rerank: 'RERANK', fuse: 'FUSE', show: 'SHOW' };
const SOURCE_COMMANDS = new Set(['from', 'ts', 'row', 'show']);
/** Only these commands' syntax errors make the query unusable; elsewhere we warn and keep going. */
const STRICT = new Set(['from', 'ts', 'where']);

/**
 * ES|QL pipeline parser: `source | command | ...`. The token list is split into stages at
 * top-level pipes first, so one stage we cannot read never hides the others: a syntax error in
 * FROM or WHERE is an error (its predicates would be wrong), anywhere else a warning and the
 * stage is kept as text.
 */
class EsqlParser extends EsqlCommandParser {
  readonly diagnostics: Diagnostic[] = [];

  parsePipeline(from: number, to: number, nested: boolean): EsqlCommand[] {
    const stages = this.splitStages(from, to);
    const commands: EsqlCommand[] = [];
    stages.forEach(([s, e], index) => {
      const c = this.parseStage(s, e, index === 0 && !nested);
      if (c) commands.push(c);
    });
    return commands;
  }

  /**
   * [start, end) token ranges between pipes. Only FORK holds pipes inside its parentheses, so
   * brackets are counted there alone: an unclosed `(` elsewhere cannot swallow the next stages.
   */
  private splitStages(from: number, to: number): [number, number][] {
    const stages: [number, number][] = [];
    let depth = 0;
    let start = from;
    let fork = this.isKw(this.tokens[from]!, 'fork');
    for (let i = from; i < to; i++) {
      const k = this.tokens[i]!.kind;
      if (k === 'lparen' || k === 'lbracket' || k === 'lbrace') depth++;
      else if ((k === 'rparen' || k === 'rbracket' || k === 'rbrace') && depth > 0) depth--;
      else if (k === 'pipe' && (depth === 0 || !fork)) {
        stages.push([start, i]);
        start = i + 1;
        depth = 0;
        fork = i + 1 < to && this.isKw(this.tokens[i + 1]!, 'fork');
      }
    }
    stages.push([start, to]);
    return stages;
  }

  private parseStage(from: number, to: number, first: boolean): EsqlCommand | null {
    const saved = this.saveStage();
    const depth = this.depth;
    this.setStage(from, to);
    const head = this.peek();
    try {
      if (head.kind === 'eof') {
        const pipe = this.tokens[from - 1] ?? head;
        this.diagnostics.push(diagnosticAt('esql/empty-command', 'Empty command between pipes', 'Remove the extra `|` or write the command.', this.lines.span(pipe.start, pipe.start + 1)));
        return null;
      }
      if (head.kind !== 'ident') throw this.unexpected(head, 'a command name');
      if (first && !SOURCE_COMMANDS.has(head.lower)) {
        throw this.error('esql/missing-source', `A query starts with FROM, not \`${this.text.slice(head.start, head.end)}\``, 'Begin with `FROM index-pattern`, then `| WHERE ...`.', head);
      }
      const command = this.parseCommand(from, to);
      const rest = this.peek();
      if (rest.kind !== 'eof') throw this.unexpected(rest, '`|` or the end of the query');
      return command;
    } catch (e) {
      if (!(e instanceof EsqlSyntaxError)) throw e;
      this.depth = depth;
      const strict = STRICT.has(head.lower);
      this.diagnostics.push(
        strict
          ? e.diagnostic
          : { ...e.diagnostic, severity: 'warning', code: 'esql/unparsed-command', message: `${head.text.toUpperCase()} not understood: ${e.diagnostic.message}`, hint: `${e.diagnostic.hint} The command is kept as text; fields it creates are not tracked.` },
      );
      return { type: 'other', name: head.text.toUpperCase(), text: this.stageText(from, to), start: this.tokens[from]!.start, end: this.tokens[to - 1]!.end };
    } finally {
      this.restoreStage(saved);
    }
  }

  private saveStage(): [number, number] {
    return [this.pos, this.stageLimit];
  }

  private restoreStage([pos, end]: [number, number]): void {
    this.setStage(pos, end);
  }

  private stageText(from: number, to: number): string {
    return to > from ? this.text.slice(this.tokens[from]!.start, this.tokens[to - 1]!.end) : '';
  }

  private parseCommand(from: number, to: number): EsqlCommand {
    const head = this.next();
    const start = head.start;
    const at = (): { start: number; end: number } => ({ start, end: Math.max(this.prevEnd(), head.end) });
    const kw = head.lower;
    switch (kw) {
      case 'from':
      case 'ts': {
        const indices = this.parseRuns('an index pattern');
        let metadata: string[] = [];
        if (this.isKw(this.peek(), 'metadata')) {
          this.next();
          metadata = this.parseRuns('a metadata field such as `_id`');
        }
        return { type: 'from', name: kw === 'ts' ? 'TS' : 'FROM', indices, metadata, ...at() };
      }
      case 'row':
        return { type: 'row', name: 'ROW', fields: this.parseAssignments(), ...at() };
      case 'where':
        return { type: 'where', name: 'WHERE', condition: this.parseBoolean(), ...at() };
      case 'eval':
        return { type: 'eval', name: 'EVAL', fields: this.parseAssignments(), ...at() };
      case 'stats':
      case 'inlinestats':
        return this.parseStats(kw === 'stats' ? 'STATS' : 'INLINE STATS', start);
      case 'inline': {
        const s = this.peek();
        if (!this.isKw(s, 'stats')) throw this.unexpected(s, '`STATS` after `INLINE`');
        this.next();
        return this.parseStats('INLINE STATS', start);
      }
      case 'keep':
        return { type: 'keep', name: 'KEEP', patterns: this.parseRuns('a field name or pattern'), ...at() };
      case 'drop':
        return { type: 'drop', name: 'DROP', patterns: this.parseRuns('a field name or pattern'), ...at() };
      case 'rename':
        return { type: 'rename', name: 'RENAME', pairs: this.parseRenames(), ...at() };
      case 'grok':
      case 'dissect': {
        const input = this.parsePrimary();
        const p = this.expect('string', `a ${kw.toUpperCase()} pattern string`);
        while (this.peek().kind !== 'eof') this.next(); // DISSECT's APPEND_SEPARATOR="..."
        const fields = kw === 'grok' ? grokFieldNames(p.text) : dissectFieldNames(p.text);
        return { type: kw, name: kw === 'grok' ? 'GROK' : 'DISSECT', input, pattern: p.text, fields, ...at() };
      }
      case 'mv_expand':
        return { type: 'mv_expand', name: 'MV_EXPAND', field: this.expect('ident', 'a field name').text, ...at() };
      case 'enrich':
        return this.parseEnrich(start);
      case 'lookup': {
        const j = this.peek();
        if (!this.isKw(j, 'join')) throw this.unexpected(j, '`JOIN` after `LOOKUP`');
        this.next();
        const index = this.parseRun('a lookup index');
        const on = this.peek();
        if (!this.isKw(on, 'on')) throw this.unexpected(on, '`ON` and the join fields');
        this.next();
        return { type: 'lookup_join', name: 'LOOKUP JOIN', index, on: this.parseRuns('a join field'), ...at() };
      }
      case 'change_point':
        return this.parseChangePoint(start);
      case 'completion':
        return this.parseCompletion(start);
      case 'fork':
        return this.parseFork(start);
    }
    while (this.peek().kind !== 'eof') this.next();
    const text = this.stageText(from, to);
    const passthrough = PASSTHROUGH[kw];
    if (passthrough) return { type: 'passthrough', name: passthrough, text, ...at() };
    this.diagnostics.push(
      diagnosticAt(
        'esql/unknown-command',
        `Unknown command \`${head.text}\``,
        'The command is kept as text; predicates after it are still read. Check the spelling if this is not a new ES|QL command.',
        this.lines.span(head.start, head.end),
        'warning',
      ),
    );
    return { type: 'other', name: head.text.toUpperCase(), text, ...at() };
  }

  /** `FORK (WHERE a | LIMIT 10) (WHERE b)`: each branch is a sub-pipeline. */
  private parseFork(start: number): EsqlCommand {
    const branches: EsqlCommand[][] = [];
    while (this.peek().kind === 'lparen') {
      const open = this.next();
      const from = this.pos;
      let depth = 1;
      let i = from;
      for (; i < this.stageLimit; i++) {
        const k = this.tokens[i]!.kind;
        if (k === 'lparen') depth++;
        else if (k === 'rparen' && --depth === 0) break;
      }
      if (depth !== 0) throw this.error('esql/unclosed-paren', 'This `(` is never closed', 'Add the matching `)` to end the FORK branch.', open);
      const saved = this.saveStage();
      this.enter(open);
      branches.push(this.parsePipeline(from, i, true));
      this.depth--;
      this.restoreStage(saved);
      this.pos = i + 1;
    }
    if (branches.length === 0) throw this.unexpected(this.peek(), 'a `(` branch after FORK');
    return { type: 'fork', name: 'FORK', branches, start, end: this.prevEnd() };
  }
}

/** Parse an ES|QL query; never throws. Failed stages are kept as `other` commands next to their diagnostics. */
export function parseEsqlText(text: string, lines: LineIndex = new LineIndex(text)): ParseResult<EsqlQuery> {
  const lexed = lexEsql(text, lines);
  const parser = new EsqlParser(text, lexed.tokens, lines);
  try {
    if (lexed.tokens.length === 1) {
      return { ast: null, diagnostics: [...lexed.diagnostics, diagnosticAt('esql/empty-query', 'The query is empty', 'Write a query such as `FROM logs-* | WHERE ...`.')] };
    }
    const commands = parser.parsePipeline(0, lexed.tokens.length - 1, false);
    return { ast: { text, commands }, diagnostics: [...lexed.diagnostics, ...parser.diagnostics] };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ast: null, diagnostics: [...lexed.diagnostics, diagnosticAt('esql/internal-error', `ES|QL parser failure: ${message}`, 'This is a bug in the parser; please report the query.')] };
  }
}

