import { diagnosticAt, type Diagnostic, type Span } from '../../diagnostics/diagnostic.js';
import { hasErrors, type ParseResult } from '../types.js';
import { LineIndex } from '../kql/line-index.js';
import { lexLucene, type LuceneToken } from './tokens.js';

/**
 * Lucene AST, following the classic QueryParser that Elasticsearch's `query_string` uses: a group
 * is a flat list of clauses, each MUST / SHOULD / MUST_NOT. With the default operator OR, a bare
 * clause is SHOULD; `+x` or a clause joined by `AND` is MUST (and `AND` also makes the clause
 * before it MUST); `-x`, `!x` and `NOT x` are MUST_NOT. So `a OR b AND c` means `b AND c` —
 * Lucene has no operator precedence.
 */
export type LuceneOccur = 'must' | 'should' | 'must_not';

export interface LuceneClause {
  occur: LuceneOccur;
  node: LuceneNode;
}

export type LuceneNode =
  | { type: 'group'; clauses: LuceneClause[]; span: Span }
  /** Unquoted term; `field` null for a default-field search. */
  | { type: 'term'; field: string | null; text: string; glob: string; wildcard: boolean; fuzzy: boolean; raw: string; span: Span }
  | { type: 'phrase'; field: string | null; text: string; proximity: boolean; raw: string; span: Span }
  | { type: 'regex'; field: string | null; pattern: string; raw: string; span: Span }
  /** `[a TO b]`, `{a TO *}`, `>=a`: a null bound is open. */
  | { type: 'range'; field: string | null; lower: string | null; upper: string | null; includeLower: boolean; includeUpper: boolean; raw: string; span: Span }
  /** `_exists_:field`. */
  | { type: 'exists'; field: string; span: Span };

class LuceneSyntaxError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

const CLAUSE_END = new Set(['eof', 'rparen']);

/** Deeper parenthesis nesting is refused: it would overflow the stack here or downstream. */
const MAX_NESTING = 200;

class LuceneParser {
  private depth = 0;
  private pos = 0;
  readonly warnings: Diagnostic[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: LuceneToken[],
    private readonly lines: LineIndex,
  ) {}

  parseQuery(): LuceneNode {
    if (this.peek().kind === 'eof') throw this.error('lucene/empty-query', 'The query is empty', 'Write at least one term, e.g. `process.name:cmd.exe`.', this.peek());
    const node = this.parseGroup(null, 0);
    const t = this.peek();
    if (t.kind !== 'eof') throw this.error('lucene/unbalanced-paren', 'This `)` has no matching `(`', 'Remove it or add the opening `(`.', t);
    return node;
  }

  private peek(ahead = 0): LuceneToken {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): LuceneToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private error(code: string, message: string, hint: string, t: LuceneToken): LuceneSyntaxError {
    return new LuceneSyntaxError(diagnosticAt(code, message, hint, this.lines.span(t.start, t.end)));
  }

  /** A clause list up to `)` or the end, combined with QueryParserBase.addClause's rules. */
  private parseGroup(field: string | null, start: number): LuceneNode {
    const clauses: LuceneClause[] = [];
    let first = true;
    while (!CLAUSE_END.has(this.peek().kind)) {
      let conj: 'and' | 'or' | null = null;
      const c = this.peek();
      if (c.kind === 'and' || c.kind === 'or') {
        if (first) throw this.error('lucene/unexpected-token', `\`${c.text}\` needs a clause before it`, 'Remove the leading operator.', c);
        conj = c.kind;
        this.next();
      }
      let mod: 'req' | 'not' | null = null;
      const m = this.peek();
      if (m.kind === 'plus') mod = 'req';
      else if (m.kind === 'minus' || m.kind === 'not') mod = 'not';
      if (mod) this.next();
      if (CLAUSE_END.has(this.peek().kind)) {
        const at = mod ? m : c;
        throw this.error('lucene/unexpected-end', `\`${at.text}\` is not followed by a clause`, 'Complete the query after the operator or remove it.', at);
      }
      const node = this.parseClause(field);
      if (conj === 'and' && clauses.length > 0) {
        const prev = clauses[clauses.length - 1]!;
        if (prev.occur !== 'must_not') prev.occur = 'must';
      }
      const occur: LuceneOccur = mod === 'not' ? 'must_not' : mod === 'req' || conj === 'and' ? 'must' : 'should';
      clauses.push({ occur, node });
      first = false;
    }
    const end = this.tokens[this.pos - 1]?.end ?? start;
    return { type: 'group', clauses, span: this.lines.span(start, Math.max(end, start + 1)) };
  }

  private parseClause(field: string | null): LuceneNode {
    const t = this.peek();
    if ((t.kind === 'term' || t.kind === 'phrase') && this.peek(1).kind === 'colon') {
      this.next();
      this.next();
      if (t.text === '_exists_') {
        const f = this.next();
        if (f.kind !== 'term' && f.kind !== 'phrase') throw this.error('lucene/expected-value', 'Expected a field name after `_exists_:`', 'Write `_exists_:field.name`.', f);
        return { type: 'exists', field: f.text, span: this.lines.span(t.start, f.end) };
      }
      return this.parseFieldValue(t.text);
    }
    return this.parseFieldValue(field);
  }

  private parseFieldValue(field: string | null): LuceneNode {
    const t = this.peek();
    let node: LuceneNode;
    switch (t.kind) {
      case 'lparen': {
        this.next();
        if (++this.depth > MAX_NESTING) {
          throw this.error('lucene/too-deep', `The query nests deeper than ${MAX_NESTING} levels of parentheses`, 'Flatten the nesting: real queries need a few levels.', t);
        }
        node = this.parseGroup(field, t.start);
        this.depth--;
        const close = this.peek();
        if (close.kind !== 'rparen') throw this.error('lucene/unclosed-paren', 'This `(` is never closed', 'Add the matching `)`.', t);
        this.next();
        break;
      }
      case 'term':
        this.next();
        this.warnLowercaseOperator(t);
        node = { type: 'term', field, text: t.text, glob: t.glob, wildcard: t.wildcard, fuzzy: false, raw: this.raw(t.start, t.end), span: this.lines.span(t.start, t.end) };
        break;
      case 'phrase':
        this.next();
        node = { type: 'phrase', field, text: t.text, proximity: false, raw: this.raw(t.start, t.end), span: this.lines.span(t.start, t.end) };
        break;
      case 'regex':
        this.next();
        node = { type: 'regex', field, pattern: t.text, raw: this.raw(t.start, t.end), span: this.lines.span(t.start, t.end) };
        break;
      case 'lbracket':
      case 'lbrace':
        node = this.parseRange(field);
        break;
      case 'cmp':
        node = this.parseComparison(field);
        break;
      case 'eof':
        throw this.error('lucene/unexpected-end', 'The query ends where a value was expected', 'Complete the last clause, e.g. `field:value`.', t);
      default:
        throw this.error(
          'lucene/unexpected-token',
          t.kind === 'colon' ? 'Unexpected `:`' : `Unexpected \`${this.raw(t.start, t.end)}\``,
          'Escape special characters with `\\` (e.g. `C\\:\\\\Windows`) or quote the value.',
          t,
        );
    }
    return this.parseSuffixes(node);
  }

  /** `~` (fuzzy / proximity) and `^boost` change scoring or matching slack; we keep the term. */
  private parseSuffixes(node: LuceneNode): LuceneNode {
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'tilde' && t.kind !== 'caret') return node;
      this.next();
      const num = this.peek();
      if (num.kind === 'term' && num.start === t.end && !Number.isNaN(Number(num.text))) this.next();
      else if (t.kind === 'caret') throw this.error('lucene/expected-value', 'Expected a boost number after `^`', 'Write a boost like `term^2`, or escape the caret as `\\^`.', t);
      if (t.kind === 'tilde') {
        if (node.type === 'term') node.fuzzy = true;
        if (node.type === 'phrase') node.proximity = true;
      }
    }
  }

  private parseRange(field: string | null): LuceneNode {
    const open = this.next();
    const lower = this.parseBound(open);
    const to = this.next();
    if (to.kind !== 'term' || to.text !== 'TO') throw this.error('lucene/expected-to', 'Expected `TO` in the range', 'Write a range as `[low TO high]`; `TO` is upper case.', to);
    const upper = this.parseBound(open);
    const close = this.next();
    if (close.kind !== 'rbracket' && close.kind !== 'rbrace') {
      throw this.error('lucene/unclosed-range', 'The range is never closed', 'End the range with `]` (inclusive) or `}` (exclusive).', close.kind === 'eof' ? open : close);
    }
    return {
      type: 'range',
      field,
      lower,
      upper,
      includeLower: open.kind === 'lbracket',
      includeUpper: close.kind === 'rbracket',
      raw: this.raw(open.start, close.end),
      span: this.lines.span(open.start, close.end),
    };
  }

  /** One range bound; `*` is open. A `-` glued to the following term is a negative number. */
  private parseBound(open: LuceneToken): string | null {
    const t = this.next();
    if (t.kind === 'minus' && this.peek().kind === 'term' && this.peek().start === t.end) return `-${this.next().text}`;
    if (t.kind === 'term') return t.text === '*' ? null : t.text;
    if (t.kind === 'phrase') return t.text;
    throw this.error('lucene/expected-value', 'Expected a range bound', 'Write a value or `*` for an open bound, e.g. `[10 TO *]`.', t.kind === 'eof' ? open : t);
  }

  /** Elasticsearch's one-sided range shorthand `field:>=10`. */
  private parseComparison(field: string | null): LuceneNode {
    const op = this.next();
    let t = this.next();
    let text: string;
    if (t.kind === 'minus' && this.peek().kind === 'term' && this.peek().start === t.end) {
      t = this.next();
      text = `-${t.text}`;
    } else if (t.kind === 'term' || t.kind === 'phrase') {
      text = t.text;
    } else {
      throw this.error('lucene/expected-value', `Expected a value after \`${op.text}\``, 'Write the bound, e.g. `bytes:>=1024`.', t.kind === 'eof' ? op : t);
    }
    const lowerSide = op.text.startsWith('>');
    return {
      type: 'range',
      field,
      lower: lowerSide ? text : null,
      upper: lowerSide ? null : text,
      includeLower: op.text === '>=',
      includeUpper: op.text === '<=',
      raw: this.raw(op.start, t.end),
      span: this.lines.span(op.start, t.end),
    };
  }

  private warnLowercaseOperator(t: LuceneToken): void {
    const lower = t.text;
    if (lower !== 'and' && lower !== 'or' && lower !== 'not') return;
    this.warnings.push(
      diagnosticAt(
        'lucene/lowercase-operator',
        `\`${lower}\` is searched as a word: Lucene operators are upper case`,
        `Write \`${lower.toUpperCase()}\` if an operator was meant.`,
        this.lines.span(t.start, t.end),
        'warning',
      ),
    );
  }

  private raw(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}

/** Parse Lucene query syntax; never throws. The first syntax error stops the parse (ast null). */
export function parseLuceneText(text: string): ParseResult<LuceneNode> {
  const lines = new LineIndex(text);
  const lexed = lexLucene(text, lines);
  if (hasErrors(lexed.diagnostics)) return { ast: null, diagnostics: lexed.diagnostics };
  const parser = new LuceneParser(text, lexed.tokens, lines);
  try {
    const ast = parser.parseQuery();
    return { ast, diagnostics: [...lexed.diagnostics, ...parser.warnings] };
  } catch (e) {
    if (e instanceof LuceneSyntaxError) return { ast: null, diagnostics: [...lexed.diagnostics, ...parser.warnings, e.diagnostic] };
    const message = e instanceof Error ? e.message : String(e);
    return { ast: null, diagnostics: [diagnosticAt('lucene/internal-error', `Lucene parser failure: ${message}`, 'This is a bug in the parser; please report the query.')] };
  }
}
