import type { Logic } from '../../model/logic.js';
import type { SigmaFileContext } from './context.js';
import { conditionLogic } from './condition-logic.js';
import { DETECTION_RESERVED, selectionLogic } from './detection.js';
import type { ConditionTail } from '../../query/sigma/parser.js';
import type { YEntry, YNode } from './yaml-positions.js';

/**
 * The YAML text of one top-level block (`detection:`, `correlation:`, `filter:`) from the start of
 * its key's line, so predicate columns in the query text equal file columns.
 */
export function blockQuery(ctx: SigmaFileContext, entry: YEntry): { query: string; queryLine: number } {
  const { line } = ctx.lines.position(entry.key.start);
  const start = ctx.lines.lineStart(line);
  const end = Math.max(entry.key.end, entry.value?.end ?? entry.key.end);
  return { query: ctx.text.slice(start, end).trimEnd(), queryLine: line };
}

export interface SearchLogic {
  logic: Logic | null;
  tails: ConditionTail[];
  /** Legacy `timeframe` inside the block (Sigma 1.0 aggregations). */
  timeframe?: string;
}

/**
 * Selections + condition of a detection (or filter) block -> one logic tree. `extraReserved` names
 * keys that are not selections (`rules` in a filter block). Returns logic null after an error.
 */
export function searchLogic(
  ctx: SigmaFileContext,
  block: Record<string, unknown>,
  blockNode: YNode | null,
  ownerNode: YNode | null,
  extraReserved: readonly string[] = [],
): SearchLogic {
  const selections = new Map<string, Logic>();
  const names: string[] = [];
  let ok = true;
  for (const [name, value] of Object.entries(block)) {
    if (DETECTION_RESERVED.has(name) || extraReserved.includes(name)) continue;
    names.push(name);
    const entry = blockNode?.entries?.get(name);
    const keyNode = entry?.key ?? blockNode ?? ownerNode!;
    const l = selectionLogic(ctx, name, value, keyNode, entry?.value ?? null);
    if (l) selections.set(name, l);
    else ok = false;
  }
  const out: SearchLogic = { logic: null, tails: [] };
  const tf = block.timeframe;
  if (tf !== undefined) {
    out.timeframe = String(tf);
    ctx.reportAt('sigma/legacy-timeframe', 'info', "legacy 'timeframe' (Sigma 1.0 aggregation window)", 'express time windows with a correlation rule `timespan`', blockNode?.entries?.get('timeframe')?.key);
  }
  if (!('condition' in block) || block.condition === null || block.condition === undefined) {
    ctx.reportAt('sigma/missing-condition', 'error', 'the block has no condition', 'add `condition:` naming the selections, e.g. `condition: selection`', blockNode?.entries?.get('condition')?.key ?? ownerNode ?? blockNode);
    return out;
  }
  const condEntry = blockNode?.entries?.get('condition');
  const res = conditionLogic(ctx, block.condition, condEntry?.value ?? null, selections, names);
  out.tails = res.tails;
  if (res.logic) {
    for (const n of names) {
      if (!res.used.has(n)) {
        ctx.reportAt('sigma/unused-selection', 'info', `selection '${n}' is not used by the condition`, 'remove it or reference it in the condition', blockNode?.entries?.get(n)?.key);
      }
    }
  }
  if (ok) out.logic = res.logic;
  return out;
}
