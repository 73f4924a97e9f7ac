import { and, not, or, type Logic, type RawPredicate } from '../../model/logic.js';
import { parseFieldKey } from '../../query/sigma/fields.js';
import type { SigmaFileContext } from './context.js';
import { initialModifierState, lookupModifier, suggestModifier, type ModifierState } from './modifiers.js';
import { anchorGlob, isNonCanonicalNumber, parseSigmaString } from './values.js';
import { alignedItems, type YNode } from './yaml-positions.js';

/** Fields whose numeric-looking strings are event IDs (`EventID: '4688'` reads as 4688). */
const EVENT_ID_FIELD = /^(?:EventID|EventCode|event_id|event\.code)$/i;
const DIGITS = /^(?:0|[1-9]\d{0,14})$/;
/** Transforms that re-encode the value itself: a number under them is matched as text. */
const VALUE_ENCODINGS = new Set(['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash']);

/** Offset of the key text inside its node (after an opening quote). */
function keyTextOffset(ctx: SigmaFileContext, keyNode: YNode): number {
  const c = ctx.text[keyNode.start];
  return keyNode.start + (c === '"' || c === "'" ? 1 : 0);
}

/**
 * Run a key's modifier chain through the registry. Unknown tokens and impossible combinations are
 * errors at the column of `|token` in the file; the selection (and so the rule) is then skipped.
 */
export function modifierChain(ctx: SigmaFileContext, key: string, keyNode: YNode): { field: string | null; state: ModifierState } | null {
  const parsed = parseFieldKey(key);
  const state = initialModifierState();
  const base = keyTextOffset(ctx, keyNode);
  let ok = true;
  for (const m of parsed.modifiers) {
    const offset = base + m.offset;
    const mod = lookupModifier(m.token);
    if (!mod) {
      const guess = suggestModifier(m.token);
      ctx.report(
        'sigma/unknown-modifier',
        'error',
        m.token === '' ? `empty modifier in '${key}'` : `unknown modifier '|${m.token}'`,
        guess ? `did you mean '|${guess}'? Modifiers are case-sensitive` : 'see the Sigma modifiers appendix: contains, startswith, endswith, all, re, base64offset, windash, cidr, exists, fieldref, gt, lt, expand, cased...',
        offset,
        m.token.length + 1,
      );
      ok = false;
      continue;
    }
    const err = mod.apply(state, m.token);
    if (err) {
      ctx.report('sigma/invalid-modifier-combination', 'error', err, 'reorder or remove modifiers; they apply left to right', offset, m.token.length + 1);
      ok = false;
    }
  }
  return ok ? { field: parsed.field, state } : null;
}

interface ValueItem {
  value: unknown;
  node: YNode | null;
}

/** Flatten a field's value (scalar, list, list of lists) into items with their nodes. */
function valueItems(ctx: SigmaFileContext, value: unknown, node: YNode | null, out: ValueItem[], depth: number): void {
  if (Array.isArray(value)) {
    if (depth > 0) {
      ctx.reportAt('sigma/nested-list', 'warning', 'a value list inside a value list', 'flatten the list: nested lists are read as one OR-list', node);
    }
    const nodes = alignedItems(node, value.length);
    value.forEach((v, i) => valueItems(ctx, v, nodes?.[i] ?? null, out, depth + 1));
    return;
  }
  // An empty value (`Field:` then a new line) has no text to point at: use the key instead.
  out.push({ value, node: node && node.kind !== 'empty' ? node : null });
}

/**
 * One `Field|mods: value(s)` entry -> logic: one predicate per value, OR-ed (AND-ed with `|all`).
 * Returns null after reporting an error.
 */
export function fieldEntryLogic(ctx: SigmaFileContext, key: string, keyNode: YNode, value: unknown, valueNode: YNode | null): Logic | null {
  const chain = modifierChain(ctx, key, keyNode);
  if (!chain) return null;
  const { field, state } = chain;
  const items: ValueItem[] = [];
  valueItems(ctx, value, valueNode, items, 0);
  if (items.length === 0) {
    ctx.reportAt('sigma/empty-value-list', 'warning', `'${key}' has an empty value list`, 'give at least one value or remove the field', valueNode ?? keyNode);
    return { kind: 'opaque', text: `${key}: []`, reason: 'empty value list' };
  }
  if (state.all && items.length === 1 && field !== null) {
    ctx.reportAt('sigma/all-single-value', 'warning', `'|all' on a single value has no effect`, "remove '|all' or give several values", keyNode);
  }
  if (items.length > 1 && items.some((i) => i.value === null)) {
    ctx.reportAt('sigma/null-in-list', 'warning', 'null inside a value list', 'put the null check in its own selection (the specification forbids null in lists)', valueNode);
  }
  const out: Logic[] = [];
  let ok = true;
  for (const item of items) {
    const p = valuePredicate(ctx, field, key, state, item, keyNode);
    if (!p) {
      ok = false;
      continue;
    }
    const leaf: Logic = { kind: 'pred', pred: p };
    out.push(state.negate ? not(leaf) : leaf);
  }
  if (!ok) return null;
  return state.all ? and(out) : or(out);
}

function typeError(ctx: SigmaFileContext, key: string, item: ValueItem, keyNode: YNode, expected: string): null {
  ctx.reportAt(
    'sigma/invalid-value',
    'error',
    `'${key}' expects ${expected}, got ${item.value === null ? 'null' : typeof item.value === 'object' ? 'a mapping' : JSON.stringify(item.value)}`,
    `write ${expected} as the value, or change the modifiers`,
    item.node ?? keyNode,
  );
  return null;
}

function makePredicate(
  ctx: SigmaFileContext,
  field: string | null,
  s: ModifierState,
  item: ValueItem,
  keyNode: YNode,
  operator: RawPredicate['operator'],
  value: RawPredicate['value'],
): RawPredicate {
  const p: RawPredicate = { field, operator, value };
  if (s.cased) p.caseSensitive = true;
  if (s.type === 're') {
    p.dialect = 'pcre';
    if (s.flags) p.flags = s.flags;
  }
  if (s.transforms.length > 0) p.transforms = [...s.transforms];
  const span = ctx.span(item.node ?? keyNode);
  if (span) p.span = span;
  return p;
}

function valuePredicate(ctx: SigmaFileContext, field: string | null, key: string, s: ModifierState, item: ValueItem, keyNode: YNode): RawPredicate | null {
  const v = item.value;
  if (v !== null && typeof v === 'object') return typeError(ctx, key, item, keyNode, 'a string, number, boolean or null');
  // Text of a plain YAML scalar as written (keeps `0x17` from becoming 23).
  const written = writtenText(ctx, item);
  switch (s.type) {
    case 'exists': {
      const b = v === true || v === 'true' ? true : v === false || v === 'false' ? false : null;
      if (b === null) return typeError(ctx, key, item, keyNode, 'true or false');
      return makePredicate(ctx, field, s, item, keyNode, 'exists', b);
    }
    case 're':
      if (v === null || typeof v === 'boolean') return typeError(ctx, key, item, keyNode, 'a regular expression');
      return makePredicate(ctx, field, s, item, keyNode, 'regex_match', written ?? String(v));
    case 'cidr':
      if (typeof v !== 'string' || !v.includes('/')) return typeError(ctx, key, item, keyNode, "a network such as '10.0.0.0/8'");
      return makePredicate(ctx, field, s, item, keyNode, 'cidr', v);
    case 'fieldref':
      if (typeof v !== 'string' || v.length === 0) return typeError(ctx, key, item, keyNode, 'a field name');
      return makePredicate(ctx, field, s, item, keyNode, 'fieldref', v);
    case 'compare': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v.trim()) ? Number(v) : null;
      if (n === null) return typeError(ctx, key, item, keyNode, 'a number');
      const p = makePredicate(ctx, field, s, item, keyNode, s.compare!, n);
      if (written !== null && written !== String(n)) p.raw = written;
      return p;
    }
    case 'string':
      break;
  }
  if (v === null) return makePredicate(ctx, field, s, item, keyNode, 'exists', false);
  if (typeof v === 'boolean' && s.anchor === 'exact') return makePredicate(ctx, field, s, item, keyNode, field === null ? 'match' : 'eq', v);
  if (typeof v === 'number' && s.anchor === 'exact' && written === null && !s.transforms.some((t) => VALUE_ENCODINGS.has(t))) {
    return makePredicate(ctx, field, s, item, keyNode, field === null ? 'match' : 'eq', v);
  }
  const text = written ?? String(v);
  const pattern = parseSigmaString(text);
  const glob = anchorGlob(pattern, s.anchor);
  if (field === null) {
    const p = makePredicate(ctx, field, s, item, keyNode, 'match', glob ?? pattern.literal);
    if (p.value !== text) p.raw = text;
    return p;
  }
  if (glob === null) {
    if (field !== null && EVENT_ID_FIELD.test(field) && DIGITS.test(pattern.literal) && s.transforms.length === 0) {
      const p = makePredicate(ctx, field, s, item, keyNode, 'eq', Number(pattern.literal));
      p.raw = text;
      return p;
    }
    const p = makePredicate(ctx, field, s, item, keyNode, 'eq', pattern.literal);
    if (pattern.literal !== text) p.raw = text;
    return p;
  }
  const p = makePredicate(ctx, field, s, item, keyNode, 'wildcard', glob);
  if (glob !== text) p.raw = text;
  return p;
}

/** The written form of a plain numeric scalar when it differs from the number js-yaml made of it. */
function writtenText(ctx: SigmaFileContext, item: ValueItem): string | null {
  if (typeof item.value !== 'number' || !item.node) return null;
  const src = ctx.source(item.node).trim();
  return isNonCanonicalNumber(item.value, src) ? src : null;
}
