import type { Logic } from '../../model/logic.js';

/**
 * Fields computed inside a search (eval, rex, stats aggregates, rename targets, lookup outputs...),
 * tracked in pipeline order: a predicate on one of them after it is created is `derived` — shown,
 * never mapped to a real log field. Names may be globs (`B2BOld.*` from `rename X.* AS B2BOld.*`).
 */
export class DerivedFields {
  private readonly exact = new Set<string>();
  private readonly globs: string[] = [];
  /** Every name added, in order, unique. */
  readonly names: string[] = [];

  add(name: string): void {
    if (!name) return;
    if (name.indexOf('*') >= 0) {
      if (name === '*') return;
      if (!this.globs.includes(name)) this.globs.push(name);
    } else if (!this.exact.has(name)) this.exact.add(name);
    else return;
    this.names.push(name);
  }

  has(field: string): boolean {
    if (this.exact.has(field)) return true;
    for (const g of this.globs) if (globMatch(g, field)) return true;
    return false;
  }
}

/** `*`-only glob match, linear with backtracking on the last star (no RegExp). */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Copy of `logic` with `derived: true` on predicates whose field is derived at this point. */
export function markDerived(logic: Logic, derived: DerivedFields): Logic {
  switch (logic.kind) {
    case 'and':
    case 'or':
      return { kind: logic.kind, children: logic.children.map((c) => markDerived(c, derived)) };
    case 'not':
      return { kind: 'not', child: markDerived(logic.child, derived) };
    case 'pred':
      return logic.pred.field !== null && derived.has(logic.pred.field) ? { kind: 'pred', pred: { ...logic.pred, derived: true } } : logic;
    default:
      return logic;
  }
}

/** Field names of the predicates in a logic tree (for data-model node inference). */
export function predicateFields(logic: Logic, out: string[] = []): string[] {
  switch (logic.kind) {
    case 'and':
    case 'or':
      for (const c of logic.children) predicateFields(c, out);
      break;
    case 'not':
      predicateFields(logic.child, out);
      break;
    case 'pred':
      if (logic.pred.field) out.push(logic.pred.field);
      break;
    default:
      break;
  }
  return out;
}
