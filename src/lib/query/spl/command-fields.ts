import { isWord, readArg, readOption } from './args.js';
import type { CommandFacets } from './command-stats.js';
import type { ParseContext } from './context.js';
import { ExprParser } from './expr-parser.js';
import { Cursor, type Token } from './tokens.js';

/**
 * `eval a=expr, b=expr`: the assigned names are derived. Expressions are parsed to find where
 * each assignment ends; a syntax error there is a warning (it cannot change the filtering logic).
 */
export function parseEval(ctx: ParseContext, start: number, end: number): CommandFacets {
  const p = new ExprParser(ctx, start, end, 'warning');
  const cur = p.cur;
  const creates: string[] = [];
  for (;;) {
    const name = readTarget(cur);
    if (name.kind === 'eof') break;
    if (name.kind === 'comma') continue;
    const eq = cur.nextExpr();
    if ((name.kind === 'word' || name.kind === 'qfield' || name.kind === 'string') && eq.kind === 'op' && eq.text === '=') {
      creates.push(name.value);
      p.parseExpr();
      const sep = cur.peek('expr');
      if (sep.kind === 'comma' || sep.kind === 'eof') continue;
      p.fail(sep, `unexpected \`${sep.text}\` after an eval expression`, 'separate assignments with commas: `eval a=1, b=2`');
    } else {
      p.fail(name, 'eval expects `field=expression`', 'write assignments as `eval new_field=expression`');
    }
    skipToComma(cur);
  }
  return { creates };
}

/**
 * The field an eval assigns: a quoted name, or a run of characters up to `=` (Splunk accepts
 * `feature_-value=…` on the left although `-` is an operator on the right).
 */
function readTarget(cur: Cursor): Token {
  cur.skipTrivia();
  const t = cur.text;
  const start = cur.pos;
  const c = t[start];
  if (c === undefined || start >= cur.end || c === "'" || c === '"' || c === ',') return cur.nextExpr();
  let i = start;
  while (i < cur.end && !' \t\r\n=,()'.includes(t[i]!)) i++;
  if (i === start) return cur.nextExpr();
  cur.pos = i;
  const text = t.slice(start, i);
  return { kind: 'word', text, value: text, start, end: i, spaced: false };
}

function skipToComma(cur: Cursor): void {
  let depth = 0;
  for (;;) {
    const t = cur.nextExpr();
    if (t.kind === 'eof') return;
    if (t.kind === 'lparen') depth++;
    else if (t.kind === 'rparen') depth = Math.max(0, depth - 1);
    else if (t.kind === 'comma' && depth === 0) return;
  }
}

/** Named capture groups of a regex, `(?<name>…)` and `(?P<name>…)`, read without compiling it. */
export function namedGroups(pattern: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== '(' || pattern[i + 1] !== '?') continue;
    let j = i + 2;
    if (pattern[j] === 'P') j++;
    if (pattern[j] !== '<' || pattern[j + 1] === '=' || pattern[j + 1] === '!') continue;
    const close = pattern.indexOf('>', j);
    if (close > j + 1) out.push(pattern.slice(j + 1, close));
  }
  return out;
}

/** `rex [field=f] [mode=sed] "(?<name>…)"`: named groups become fields (sed mode creates none). */
export function parseRex(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  let sed = false;
  const creates: string[] = [];
  for (;;) {
    const tok = cur.peek('search');
    if (tok.kind === 'eof') break;
    const opt = readOption(cur);
    if (opt) {
      if (opt.key === 'mode' && opt.value.toLowerCase() === 'sed') sed = true;
      continue;
    }
    const t = cur.nextSearch();
    ctx.checkString(t);
    if (t.kind === 'string' && !sed) for (const g of namedGroups(t.value)) creates.push(g);
  }
  return { creates: sed ? [] : creates };
}

/**
 * `rename a AS b, X.* AS *`: targets are derived, except the data-model prefix strip
 * (`drop_dm_object_name`), whose bare names are the real CIM fields.
 */
export function parseRename(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  const creates: string[] = [];
  for (;;) {
    const src = readArg(ctx, cur);
    if (!src) {
      if (cur.nextSearch().kind === 'eof') break;
      continue;
    }
    if (!isWord(cur.peek('search'), 'as')) continue;
    cur.nextSearch();
    const dst = readArg(ctx, cur);
    if (!dst) {
      ctx.report('spl/rename-syntax', '`rename … AS` has no new name', 'write `rename old AS new`', src.start, src.end, 'warning');
      continue;
    }
    const prefixStrip = dst.value === '*' && src.value.endsWith('.*');
    if (!prefixStrip) creates.push(dst.value);
  }
  return { creates };
}

/** `lookup [opts] table in [AS x] … OUTPUT|OUTPUTNEW out [AS y], …`: output fields are derived. */
export function parseLookup(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  while (readOption(cur));
  const table = readArg(ctx, cur);
  const creates: string[] = [];
  let output = false;
  for (;;) {
    const tok = cur.peek('search');
    if (tok.kind === 'eof') break;
    if (isWord(tok, 'output') || isWord(tok, 'outputnew')) {
      cur.nextSearch();
      output = true;
      continue;
    }
    const arg = readArg(ctx, cur);
    if (!arg) {
      cur.nextSearch();
      continue;
    }
    if (!output) {
      if (isWord(cur.peek('search'), 'as')) {
        cur.nextSearch();
        readArg(ctx, cur);
      }
      continue;
    }
    let name = arg.value;
    if (isWord(cur.peek('search'), 'as')) {
      cur.nextSearch();
      name = readArg(ctx, cur)?.value ?? name;
    }
    creates.push(name);
  }
  return table ? { creates, table: table.value } : { creates };
}

/** `spath [input=x] [output=y] [path=p | p]`: the output (or the path) is derived. */
export function parseSpath(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  let output: string | undefined;
  let path: string | undefined;
  for (;;) {
    const tok = cur.peek('search');
    if (tok.kind === 'eof') break;
    const opt = readOption(cur);
    if (opt) {
      if (opt.key === 'output') output = opt.value;
      else if (opt.key === 'path') path = opt.value;
      continue;
    }
    const arg = readArg(ctx, cur);
    if (arg) path ??= arg.value;
    else cur.nextSearch();
  }
  const name = output ?? path;
  return { creates: name ? [name] : [] };
}

/** Commands whose created fields are fixed: iplocation, transaction, top/rare, addtotals. */
export function parseFixedOutputs(ctx: ParseContext, name: string, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  const opts = new Map<string, string>();
  for (;;) {
    if (cur.peek('search').kind === 'eof') break;
    const opt = readOption(cur);
    if (opt) opts.set(opt.key, opt.value);
    else cur.nextSearch();
  }
  switch (name) {
    case 'iplocation': {
      const prefix = opts.get('prefix') ?? '';
      return { creates: ['City', 'Country', 'Region', 'lat', 'lon'].map((f) => prefix + f) };
    }
    case 'transaction':
      return { creates: ['duration', 'eventcount', 'closed_txn'] };
    case 'top':
    case 'rare':
      return { creates: [opts.get('countfield') ?? 'count', opts.get('percentfield') ?? 'percent'] };
    case 'addtotals':
      return { creates: [opts.get('fieldname') ?? 'Total'] };
    default:
      return { creates: [] };
  }
}
