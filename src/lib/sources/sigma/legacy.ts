import type { SigmaFileContext } from './context.js';
import type { YamlDocument, YEntry, YNode } from './yaml-positions.js';

/**
 * Sigma 1.0 "rule collections": a document with `action: global` is merged into every following
 * document, `action: repeat` into the previous one, `action: reset` drops the global. Sigma 2
 * removed them but old rules (upstream `unsupported/`) still use them; we merge them as pySigma's
 * legacy loader did and say so with an info diagnostic.
 */
export interface MergedDocument extends YamlDocument {
  /** Index of the document in the file (for derived ids). */
  index: number;
  /** True when the document was merged with a global/previous one (the query is then the whole file). */
  merged: boolean;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function mergeValues(a: unknown, b: unknown): unknown {
  if (!isMap(a) || !isMap(b)) return b === undefined ? a : b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? mergeValues(a[k], v) : v;
  return out;
}

function mergeNodes(a: YNode | null, b: YNode | null): YNode | null {
  if (!a || !b || a.kind !== 'mapping' || b.kind !== 'mapping') return b ?? a;
  const entries = new Map<string, YEntry>(a.entries);
  for (const [k, e] of b.entries ?? []) {
    const prev = entries.get(k);
    entries.set(k, prev ? { key: e.key, value: mergeNodes(prev.value, e.value) } : e);
  }
  return { start: b.start, end: b.end, kind: 'mapping', entries };
}

function merge(a: YamlDocument, b: YamlDocument): YamlDocument {
  return { value: mergeValues(a.value, b.value), node: mergeNodes(a.node, b.node) };
}

function stripAction(d: YamlDocument): YamlDocument {
  if (!isMap(d.value)) return d;
  const { action: _action, ...rest } = d.value;
  return { value: rest, node: d.node };
}

/** Apply `action: global|repeat|reset` across the documents of one file. */
export function applyLegacyActions(ctx: SigmaFileContext, docs: readonly YamlDocument[]): MergedDocument[] {
  const out: MergedDocument[] = [];
  let global: YamlDocument | null = null;
  let previous: YamlDocument | null = null;
  docs.forEach((doc, index) => {
    const action = isMap(doc.value) ? doc.value.action : undefined;
    if (action === undefined) {
      const merged = global ? merge(global, doc) : doc;
      out.push({ ...merged, index, merged: global !== null });
      previous = merged;
      return;
    }
    const actionNode = doc.node?.entries?.get('action')?.value ?? doc.node;
    if (action === 'global') {
      ctx.reportAt('sigma/legacy-action', 'info', "legacy 'action: global' document merged into the following documents", 'split the collection into standalone Sigma 2 rules', actionNode);
      global = stripAction(doc);
    } else if (action === 'reset') {
      global = null;
    } else if (action === 'repeat') {
      ctx.reportAt('sigma/legacy-action', 'info', "legacy 'action: repeat' document merged with the previous document", 'split the collection into standalone Sigma 2 rules', actionNode);
      const base: YamlDocument | null = previous;
      const merged: YamlDocument = base ? merge(base, stripAction(doc)) : stripAction(doc);
      out.push({ ...merged, index, merged: true });
      previous = merged;
    } else {
      ctx.reportAt('sigma/legacy-action', 'warning', `unknown 'action: ${String(action)}'`, "Sigma 1.0 collections know 'global', 'repeat' and 'reset'", actionNode);
      out.push({ ...stripAction(doc), index, merged: false });
    }
  });
  return out;
}
