import { and, or, type Logic, type RawPredicate } from '../../model/logic.js';
import type { SigmaFileContext } from './context.js';
import { fieldEntryLogic } from './field-values.js';
import { parseSigmaString } from './values.js';
import { alignedItems, type YNode } from './yaml-positions.js';

/** Keys of a `detection:` block that are not search identifiers. */
export const DETECTION_RESERVED = new Set(['condition', 'timeframe']);

/** AND/OR with same-kind children spliced in (`all of sel_*` over maps gives one flat AND). */
export function flat(kind: 'and' | 'or', children: Logic[]): Logic {
  const out: Logic[] = [];
  for (const c of children) {
    if (c.kind === kind) out.push(...c.children);
    else out.push(c);
  }
  return kind === 'and' ? and(out) : or(out);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A bare keyword (list item or scalar selection) -> `match` over the whole event. */
function keywordLogic(ctx: SigmaFileContext, value: string | number | boolean, node: YNode | null): Logic {
  const p: RawPredicate = { field: null, operator: 'match', value };
  if (typeof value === 'string') {
    const pattern = parseSigmaString(value);
    p.value = pattern.hasWildcard ? pattern.glob : pattern.literal;
    if (p.value !== value) p.raw = value;
  }
  const span = ctx.span(node);
  if (span) p.span = span;
  return { kind: 'pred', pred: p };
}

/** A map of `Field|mods: values` -> AND of its entries (null after an error was reported). */
function mapLogic(ctx: SigmaFileContext, map: Record<string, unknown>, node: YNode | null, ownerNode: YNode): Logic | null {
  const keys = Object.keys(map);
  if (keys.length === 0) {
    ctx.reportAt('sigma/empty-selection', 'error', 'empty field map', 'give at least one `Field: value` pair', node ?? ownerNode);
    return null;
  }
  const children: Logic[] = [];
  let ok = true;
  for (const key of keys) {
    const entry = node?.entries?.get(key);
    const keyNode = entry?.key ?? node ?? ownerNode;
    const l = fieldEntryLogic(ctx, key, keyNode, map[key], entry?.value ?? null);
    if (l) children.push(l);
    else ok = false;
  }
  return ok ? and(children) : null;
}

/** Items of a selection list -> logic children; false after an error was reported. */
function listItemsLogic(ctx: SigmaFileContext, name: string, items: unknown[], node: YNode | null, keyNode: YNode, children: Logic[]): boolean {
  let ok = true;
  const nodes = alignedItems(node, items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const itemNode = nodes?.[i] ?? null;
    if (isMap(item)) {
      const l = mapLogic(ctx, item, itemNode, keyNode);
      if (l) children.push(l);
      else ok = false;
    } else if (Array.isArray(item)) {
      ctx.reportAt('sigma/nested-list', 'warning', `selection '${name}' holds a list inside its list`, 'flatten the list: nested lists are read as one OR-list', itemNode ?? keyNode);
      if (!listItemsLogic(ctx, name, item, itemNode, keyNode, children)) ok = false;
    } else if (item === null || item === undefined) {
      ctx.reportAt('sigma/invalid-selection', 'error', `selection '${name}' has an empty list item`, 'remove the empty `-` item or give it a value', itemNode ?? keyNode);
      ok = false;
    } else {
      children.push(keywordLogic(ctx, item as string | number | boolean, itemNode));
    }
  }
  return ok;
}

/**
 * One search identifier -> logic. Maps are AND-ed fields, lists are OR-ed items (keywords or maps),
 * a scalar is a single keyword. Errors are reported at the selection's line and return null.
 */
export function selectionLogic(ctx: SigmaFileContext, name: string, value: unknown, keyNode: YNode, valueNode: YNode | null): Logic | null {
  if (name.includes('|')) {
    ctx.reportAt(
      'sigma/selection-name-modifier',
      'warning',
      `selection name '${name}' contains '|': modifiers on a selection name are ignored`,
      'move the modifier onto the field names inside the selection',
      keyNode,
    );
  }
  if (isMap(value)) return mapLogic(ctx, value, valueNode, keyNode);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      ctx.reportAt('sigma/empty-selection', 'error', `selection '${name}' is an empty list`, 'add keywords or field maps, or remove the selection', valueNode ?? keyNode);
      return null;
    }
    const children: Logic[] = [];
    const ok = listItemsLogic(ctx, name, value, valueNode, keyNode, children);
    return ok ? flat('or', children) : null;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return keywordLogic(ctx, value, valueNode);
  }
  ctx.reportAt(
    'sigma/empty-selection',
    'error',
    `selection '${name}' is empty`,
    'give the selection a field map (`Field: value`) or a keyword list, or remove it',
    keyNode,
  );
  return null;
}
