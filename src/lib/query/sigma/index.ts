import type { ConditionNode } from './parser.js';

export { tokenizeCondition, type ConditionToken, type ConditionTokenKind } from './tokens.js';
export {
  parseSigmaCondition,
  matchesSelectionPattern,
  type ConditionNode,
  type ConditionTail,
  type ConditionParseOptions,
  type SigmaConditionResult,
} from './parser.js';
export { parseFieldKey, fieldNamesOfKeys, type FieldKey, type FieldKeyModifier } from './fields.js';

/**
 * Compact text form of a condition tree for golden files and debugging:
 * `(and selection (not (1-of filter_* filter_a filter_b)))`. Resolved names follow an `of` pattern.
 */
export function conditionToSexpr(node: ConditionNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.kind} ${node.children.map(conditionToSexpr).join(' ')})`;
    case 'not':
      return `(not ${conditionToSexpr(node.child)})`;
    case 'ref':
      return node.name;
    case 'of': {
      const head = `${node.quantifier}-of ${node.pattern ?? 'them'}`;
      return node.names.length ? `(${head} ${node.names.join(' ')})` : `(${head})`;
    }
  }
}
