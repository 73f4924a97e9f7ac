import { shiftDiagnostic } from '../../diagnostics/diagnostic.js';
import { not, or, type Logic } from '../../model/logic.js';
import { parseSigmaCondition, type ConditionNode, type ConditionTail } from '../../query/sigma/parser.js';
import type { SigmaFileContext } from './context.js';
import { flat } from './detection.js';
import { alignedItems, type YNode } from './yaml-positions.js';

/**
 * Where to parse a condition scalar from so token positions map back to the file: the source
 * slice itself for plain, block and escape-free quoted scalars (folding only changes whitespace,
 * which the grammar ignores); the loaded value at the scalar's start otherwise.
 */
function conditionSource(ctx: SigmaFileContext, value: string, node: YNode | null): { text: string; offset: number } {
  if (!node || node.kind !== 'scalar') return { text: value, offset: node?.start ?? 0 };
  const src = ctx.source(node);
  const c = src[0];
  if (c === "'" && src.endsWith("'") && !src.slice(1, -1).includes("''")) return { text: src.slice(1, -1), offset: node.start + 1 };
  if (c === '"' && src.endsWith('"') && !src.includes('\\')) return { text: src.slice(1, -1), offset: node.start + 1 };
  if (c === '|' || c === '>') {
    const nl = src.indexOf('\n');
    return nl < 0 ? { text: value, offset: node.start } : { text: src.slice(nl + 1), offset: node.start + nl + 1 };
  }
  // Escapes shift columns after them: positions before the first escape stay exact.
  if (c === "'" || c === '"') return { text: value, offset: node.start + 1 };
  return { text: src, offset: node.start };
}

export interface ConditionLogicResult {
  logic: Logic | null;
  tails: ConditionTail[];
  /** Selections some condition refers to (the others are reported as unused). */
  used: Set<string>;
}

/**
 * Parse a rule's condition (a string or a list of strings, OR-ed) against its selections and
 * replace each selection by its logic. Exclusions then follow from polarity: whatever sits under
 * `not` is an exclusion, whatever the selection is called.
 */
export function conditionLogic(
  ctx: SigmaFileContext,
  condition: unknown,
  conditionNode: YNode | null,
  selections: ReadonlyMap<string, Logic>,
  names: readonly string[],
): ConditionLogicResult {
  const used = new Set<string>();
  const tails: ConditionTail[] = [];
  const list = Array.isArray(condition) ? condition : [condition];
  const nodes = Array.isArray(condition) ? alignedItems(conditionNode, condition.length) ?? [] : [conditionNode];
  if (list.length === 0) {
    ctx.reportAt('sigma/empty-condition', 'error', 'the condition list is empty', 'write at least one condition, e.g. `selection`', conditionNode);
    return { logic: null, tails, used };
  }
  const parts: Logic[] = [];
  let ok = true;
  list.forEach((c, i) => {
    const node = nodes[i] ?? conditionNode;
    if (typeof c !== 'string') {
      ctx.reportAt('sigma/invalid-condition', 'error', 'the condition must be a string', 'write the condition as text, e.g. `selection and not filter`', node);
      ok = false;
      return;
    }
    const src = conditionSource(ctx, c, node);
    const base = ctx.lines.position(src.offset);
    const res = parseSigmaCondition(src.text, { selections: names });
    for (const d of res.diagnostics) ctx.diagnostics.push(shiftDiagnostic(d, base, ctx.file));
    if (res.tail) tails.push(res.tail);
    if (!res.ast) {
      ok = false;
      return;
    }
    parts.push(toLogic(ctx, res.ast, selections, used, src.offset));
  });
  return { logic: ok ? or(parts) : null, tails, used };
}

function toLogic(ctx: SigmaFileContext, node: ConditionNode, selections: ReadonlyMap<string, Logic>, used: Set<string>, baseOffset: number): Logic {
  switch (node.kind) {
    case 'and':
      return flat('and', node.children.map((c) => toLogic(ctx, c, selections, used, baseOffset)));
    case 'or':
      return flat('or', node.children.map((c) => toLogic(ctx, c, selections, used, baseOffset)));
    case 'not':
      return not(toLogic(ctx, node.child, selections, used, baseOffset));
    case 'ref':
      used.add(node.name);
      return selections.get(node.name) ?? { kind: 'opaque', text: node.name, reason: 'unknown selection' };
    case 'of': {
      for (const n of node.names) used.add(n);
      const children = node.names.map((n) => selections.get(n) ?? ({ kind: 'opaque', text: n, reason: 'unknown selection' } as Logic));
      if (node.quantifier === 'all') return flat('and', children);
      if (node.quantifier === 1) return flat('or', children);
      const q = node.quantifier;
      if (q >= children.length) {
        if (q > children.length) {
          reportQuantifier(ctx, node, baseOffset, `'${q} of' needs more selections than the ${children.length} matched: it can never match`, 'warning');
        }
        return flat('and', children);
      }
      reportQuantifier(ctx, node, baseOffset, `'${q} of' is read as '1 of': the catalog keeps which selections are involved, not the threshold`, 'info');
      return flat('or', children);
    }
  }
}

function reportQuantifier(ctx: SigmaFileContext, node: Extract<ConditionNode, { kind: 'of' }>, baseOffset: number, message: string, severity: 'warning' | 'info'): void {
  const base = ctx.lines.position(baseOffset);
  const line = base.line + node.span.line - 1;
  const column = node.span.line === 1 ? base.column + node.span.column - 1 : node.span.column;
  ctx.diagnostics.push({
    code: 'sigma/quantifier',
    severity,
    message,
    hint: "use '1 of' or 'all of', or split the rule, to make the intent explicit",
    file: ctx.file,
    line,
    column,
    length: node.span.length,
  });
}
