import { and, type Logic } from '../../model/logic.js';
import { isWord, readArg, readOption, readParenGroup } from './args.js';
import type { SplCommand } from './ast.js';
import type { ParseContext } from './context.js';
import { parseSearch } from './search-parser.js';
import { Cursor } from './tokens.js';

export type CommandFacets = Partial<Pick<SplCommand, 'filter' | 'creates' | 'datamodel' | 'nodes' | 'by' | 'subsearches'>> & { table?: string };

const CLAUSE_WORDS = new Set(['by', 'groupby', 'from', 'where', 'over']);

/**
 * Aggregations (`count`, `min(_time) as firstTime`, `values(X.y) as y`) up to a clause word.
 * Returns the names they create: the `as` name, else the call as written (`dc(user)`).
 */
function readAggregates(ctx: ParseContext, cur: Cursor, options: Map<string, string>): string[] {
  const names: string[] = [];
  for (;;) {
    const tok = cur.peek('search');
    if (tok.kind === 'eof') break;
    if (tok.kind === 'comma') {
      cur.nextSearch();
      continue;
    }
    if (tok.kind === 'macro') {
      cur.nextSearch();
      continue;
    }
    if (tok.kind !== 'word' && tok.kind !== 'string') {
      cur.nextSearch();
      continue;
    }
    if (tok.kind === 'word' && CLAUSE_WORDS.has(tok.text.toLowerCase())) break;
    const opt = readOption(cur);
    if (opt) {
      options.set(opt.key, opt.value);
      continue;
    }
    const fn = readArg(ctx, cur)!;
    let name = fn.value;
    const paren = cur.peek('search');
    if (paren.kind === 'lparen' && !paren.spaced) name += readParenGroup(cur).text;
    const as = cur.peek('search');
    if (isWord(as, 'as')) {
      cur.nextSearch();
      const alias = readArg(ctx, cur);
      if (alias) name = alias.value;
    }
    names.push(name);
  }
  return names;
}

/** `by a, b c span=1h` -> [a, b, c]. */
function readByFields(ctx: ParseContext, cur: Cursor, stop?: ReadonlySet<string>): string[] {
  const by: string[] = [];
  for (;;) {
    const tok = cur.peek('search');
    if (tok.kind === 'eof') break;
    if (stop && tok.kind === 'word' && stop.has(tok.text.toLowerCase())) break;
    if (readOption(cur)) continue;
    const arg = readArg(ctx, cur);
    if (arg) by.push(arg.value);
    else cur.nextSearch();
  }
  return by;
}

/** The data set named by `datamodel=X.Y`, `datamodel:X.Y`, `datamodel:"X.Y"`. */
function readDatamodelSpec(ctx: ParseContext, cur: Cursor): string | null {
  const opt = readOption(cur);
  if (opt) return opt.key === 'datamodel' ? opt.value : null;
  const arg = readArg(ctx, cur);
  if (!arg) return null;
  const lower = arg.value.toLowerCase();
  if (lower.startsWith('datamodel:')) {
    const rest = arg.value.slice('datamodel:'.length);
    return rest || readArg(ctx, cur)?.value || null;
  }
  if (lower === 'datamodel') return readArg(ctx, cur)?.value ?? null;
  return null;
}

/**
 * `| tstats [options] <aggregates> from datamodel=M.N where <search> by <fields>` (and mstats):
 * the where clause is search language; `nodename=` restrictions become nodes, not predicates.
 */
export function parseTstats(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  const options = new Map<string, string>();
  const creates: string[] = [];
  const filters: Logic[] = [];
  const nodes: string[] = [];
  let datamodel: string | undefined;
  let by: string[] = [];
  for (;;) {
    for (const name of readAggregates(ctx, cur, options)) creates.push(name);
    const tok = cur.nextSearch();
    if (tok.kind === 'eof') break;
    const kw = tok.text.toLowerCase();
    if (kw === 'from') {
      const dm = readDatamodelSpec(ctx, cur);
      if (dm) datamodel = dm;
    } else if (kw === 'where') {
      const stop = new Set(datamodel ? ['by', 'groupby'] : ['by', 'groupby', 'from']);
      const res = parseSearch(ctx, cur.pos, end, { stopWords: stop });
      cur.pos = res.end;
      if (res.logic) filters.push(extractNodes(res.logic, nodes));
    } else if (kw === 'by' || kw === 'groupby') {
      by = readByFields(ctx, cur, new Set(['where', 'from']));
    }
  }
  if (!datamodel && options.has('datamodel')) datamodel = options.get('datamodel');
  const facets: CommandFacets = { creates, by };
  if (datamodel) {
    facets.datamodel = datamodel;
    const dot = datamodel.indexOf('.');
    if (dot > 0) nodes.unshift(datamodel.slice(dot + 1));
  }
  if (nodes.length) facets.nodes = nodes;
  if (filters.length) facets.filter = and(filters);
  return facets;
}

/** Remove top-level `nodename=X.Y` predicates (a dataset selector) and record their node. */
function extractNodes(logic: Logic, nodes: string[]): Logic {
  const isNode = (l: Logic): boolean => l.kind === 'pred' && l.pred.field?.toLowerCase() === 'nodename' && typeof l.pred.value === 'string';
  const take = (l: Logic): void => {
    if (l.kind === 'pred') {
      const v = String(l.pred.value);
      const dot = v.lastIndexOf('.');
      nodes.push(dot >= 0 ? v.slice(dot + 1) : v);
    }
  };
  if (isNode(logic)) {
    take(logic);
    return { kind: 'any' };
  }
  if (logic.kind === 'and') {
    const kept = logic.children.filter((c) => {
      if (!isNode(c)) return true;
      take(c);
      return false;
    });
    return kept.length === 0 ? { kind: 'any' } : and(kept);
  }
  return logic;
}

/** stats / eventstats / streamstats / chart / timechart: aggregates create fields; `by` is kept. */
export function parseStats(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  const creates = readAggregates(ctx, cur, new Map());
  let by: string[] = [];
  for (;;) {
    const tok = cur.nextSearch();
    if (tok.kind === 'eof') break;
    const kw = tok.text.toLowerCase();
    if (kw === 'by' || kw === 'over') by = by.concat(readByFields(ctx, cur, new Set(['by', 'over'])));
  }
  return { creates, by };
}

/** `| from datamodel:Endpoint.Processes` / `| from datamodel Endpoint.Processes`. */
export function parseFrom(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  const dm = readDatamodelSpec(ctx, cur);
  return dm ? { datamodel: dm, nodes: dm.includes('.') ? [dm.slice(dm.indexOf('.') + 1)] : [] } : {};
}

/** `| datamodel Endpoint Processes search`. */
export function parseDatamodel(ctx: ParseContext, start: number, end: number): CommandFacets {
  const cur = new Cursor(ctx.text, start, end);
  const model = readArg(ctx, cur);
  const node = readArg(ctx, cur);
  if (!model) return {};
  const nodeName = node && !['search', 'flat', 'acceleration_search', 'acceleration_search_string'].includes(node.value.toLowerCase()) ? node.value : null;
  return nodeName ? { datamodel: `${model.value}.${nodeName}`, nodes: [nodeName] } : { datamodel: model.value };
}
