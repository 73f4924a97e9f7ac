import type { Logic } from '../../model/logic.js';
import { not } from '../../model/logic.js';
import type { ParseResult } from '../types.js';
import { isWord, readArg, readOption } from './args.js';
import type { SplCommand, SplPipeline, SplSubsearch } from './ast.js';
import { parseEval, parseFixedOutputs, parseLookup, parseRename, parseRex, parseSpath } from './command-fields.js';
import { parseDatamodel, parseFrom, parseStats, parseTstats, type CommandFacets } from './command-stats.js';
import { ParseContext } from './context.js';
import { exprToLogic } from './expr-logic.js';
import { ExprParser } from './expr-parser.js';
import { parseSearch } from './search-parser.js';
import { Cursor, splitPipeline } from './tokens.js';

const STATS = new Set(['stats', 'eventstats', 'streamstats', 'chart', 'timechart', 'sistats', 'sichart', 'sitimechart', 'geostats']);
const FIXED = new Set(['iplocation', 'transaction', 'top', 'rare', 'addtotals']);
/** Commands whose bracketed subsearch brings in other events (a second filtering stage). */
const FEEDING = new Set(['join', 'append', 'appendcols', 'union', 'multisearch', 'set']);
const MAX_NESTING = 8;

/**
 * Parse an (already macro-expanded) SPL search into its commands. Never throws: problems are
 * diagnostics with 1-based positions relative to `text`.
 */
export function parseSpl(text: string): ParseResult<SplPipeline> {
  const ctx = new ParseContext(text);
  const ast = parsePipeline(ctx, 0, text.length, 0);
  return { ast, diagnostics: ctx.diagnostics };
}

/** Parse `text[start, end)` as a pipeline (the whole search or a subsearch body). */
export function parsePipeline(ctx: ParseContext, start: number, end: number, nesting: number): SplPipeline {
  const commands: SplCommand[] = [];
  const segments = splitPipeline(ctx.text, start, end);
  segments.forEach(([s, e], i) => {
    const cur = new Cursor(ctx.text, s, e);
    if (cur.atEnd()) {
      if (cur.unterminatedComment >= 0) ctx.report('spl/unterminated-comment', 'comment is not closed', 'close the comment with ```', cur.unterminatedComment, cur.unterminatedComment + 3);
      else if (i > 0) {
        // segment 0 is empty when the search starts with a generating command (`| tstats …`)
        ctx.report('spl/empty-command', 'empty command between pipes', 'remove the extra `|`', Math.max(s - 1, start), s, 'warning');
      }
      return;
    }
    const first = cur.peek('search');
    let name: string;
    let argsStart: number;
    if (i === 0) {
      // the leading segment is an implicit search (possibly spelled `search …`)
      name = 'search';
      argsStart = isWord(first, 'search') ? first.end : first.start;
    } else if (first.kind === 'macro') {
      name = 'macro';
      argsStart = first.end;
    } else if (first.kind === 'word') {
      name = first.text.toLowerCase();
      argsStart = first.end;
    } else {
      ctx.report('spl/expected-command', `expected a command name after \`|\`, found \`${first.text}\``, 'write a command after each pipe: `| stats count by dest`', first.start, first.end);
      return;
    }
    const facets = parseCommand(ctx, name, argsStart, e, nesting);
    commands.push({
      name,
      text: ctx.text.slice(first.start, e).trim(),
      start: first.start,
      end: e,
      creates: facets.creates ?? [],
      subsearches: facets.subsearches ?? [],
      ...(facets.filter ? { filter: facets.filter } : {}),
      ...(facets.datamodel ? { datamodel: facets.datamodel } : {}),
      ...(facets.nodes?.length ? { nodes: facets.nodes } : {}),
      ...(facets.by ? { by: facets.by } : {}),
      ...(facets.table ? { table: facets.table } : {}),
    });
  });
  return { commands };
}

function parseCommand(ctx: ParseContext, name: string, start: number, end: number, nesting: number): CommandFacets {
  if (STATS.has(name)) return parseStats(ctx, start, end);
  if (FIXED.has(name)) return parseFixedOutputs(ctx, name, start, end);
  if (FEEDING.has(name)) return parseFeeding(ctx, name, start, end, nesting);
  switch (name) {
    case 'search': {
      const logic = parseSearch(ctx, start, end).logic;
      return logic ? { filter: logic } : {};
    }
    case 'where':
      return parseWhere(ctx, start, end);
    case 'regex':
      return parseRegexCommand(ctx, start, end);
    case 'tstats':
    case 'mstats':
      return parseTstats(ctx, start, end);
    case 'from':
      return parseFrom(ctx, start, end);
    case 'datamodel':
      return parseDatamodel(ctx, start, end);
    case 'eval':
      return parseEval(ctx, start, end);
    case 'rex':
      return parseRex(ctx, start, end);
    case 'rename':
      return parseRename(ctx, start, end);
    case 'lookup':
      return parseLookup(ctx, start, end);
    case 'inputlookup':
    case 'outputlookup': {
      const cur = new Cursor(ctx.text, start, end);
      while (readOption(cur));
      const table = readArg(ctx, cur);
      return table ? { table: table.value } : {};
    }
    case 'spath':
      return parseSpath(ctx, start, end);
    default:
      return {};
  }
}

/** `| where <expr>`: eval-language logic, usual NOT > AND > OR precedence. */
function parseWhere(ctx: ParseContext, start: number, end: number): CommandFacets {
  const p = new ExprParser(ctx, start, end);
  if (p.cur.atEnd()) {
    ctx.report('spl/empty-where', '`where` has no expression', 'write a condition: `| where count > 5`', Math.max(0, start - 5), start);
    return {};
  }
  const expr = p.parseExpr();
  const rest = p.cur.nextExpr();
  if (rest.kind !== 'eof') p.fail(rest, `unexpected \`${rest.text}\` after the where expression`, 'join conditions with AND / OR; strings are written in double quotes');
  return { filter: exprToLogic(ctx, expr) };
}

/** `| regex field="re"` / `field!="re"` / `"re"` (on _raw): a PCRE filter. */
function parseRegexCommand(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  const first = cur.nextSearch();
  let field = '_raw';
  let negate = false;
  let pattern = first;
  const op = cur.peek('search');
  if (first.kind === 'word' && op.kind === 'op') {
    cur.nextSearch();
    field = first.value;
    negate = op.text === '!=';
    pattern = cur.readSearchValue();
  }
  ctx.checkString(pattern);
  if (pattern.kind !== 'string' && pattern.kind !== 'word') {
    ctx.report('spl/regex-syntax', '`regex` needs a pattern', 'write `| regex field="pattern"`', first.start, first.end);
    return {};
  }
  const leaf: Logic = { kind: 'pred', pred: { field, operator: 'regex_match', value: pattern.value, dialect: 'pcre', span: ctx.span(first.start, pattern.end) } };
  return { filter: negate ? not(leaf) : leaf };
}

/** join/append/union: parse the bracketed subsearch as its own pipeline; join keys before it. */
function parseFeeding(ctx: ParseContext, name: string, start: number, end: number, nesting: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  const by: string[] = [];
  const subsearches: SplSubsearch[] = [];
  for (;;) {
    const tok = cur.peek('search');
    if (tok.kind === 'eof') break;
    if (tok.kind === 'lbracket') {
      cur.nextSearch();
      const { end: close, closed } = cur.skipBalanced(tok.start);
      if (!closed) {
        ctx.report('spl/unterminated-subsearch', 'subsearch `[` is not closed', 'add the matching `]`', tok.start, tok.end);
      }
      if (nesting >= MAX_NESTING) {
        ctx.report('spl/too-deep', 'subsearches nested too deeply', 'simplify the search', tok.start, tok.end, 'warning');
        continue;
      }
      const pipeline = parsePipeline(ctx, tok.start + 1, closed ? close - 1 : close, nesting + 1);
      subsearches.push({ via: name, by: name === 'join' ? [...by] : [], pipeline });
      continue;
    }
    if (readOption(cur)) continue;
    const arg = readArg(ctx, cur);
    if (arg) by.push(arg.value);
    else cur.nextSearch();
  }
  return { subsearches };
}
