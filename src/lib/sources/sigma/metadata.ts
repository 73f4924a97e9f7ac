import { createHash } from 'node:crypto';
import type { RuleDraft, TechniqueTag } from '../../model/rule.js';
import type { SigmaFileContext } from './context.js';
import { alignedItems, type YNode } from './yaml-positions.js';

/** Metadata every Sigma document kind shares (detection, correlation, filter): the draft's own fields. */
export type SigmaMetadata = Pick<
  RuleDraft,
  'id' | 'title' | 'description' | 'status' | 'deprecated' | 'severity' | 'author' | 'date' | 'modified' | 'references' | 'falsePositives' | 'tags' | 'techniqueTags'
>;

const TECHNIQUE_TAG = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A list of strings from a YAML list or a single scalar; other items are dropped. */
export function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str).filter((x): x is string => x !== undefined);
  const s = str(v);
  return s === undefined ? [] : [s];
}

/** True for rules in the upstream `deprecated/` folder. */
export function isDeprecatedPath(path: string): boolean {
  return path.startsWith('deprecated/') || path.includes('/deprecated/');
}

/** Stable id for a rule without one: the same file and document always give the same id. */
export function derivedId(path: string, docIndex: number): string {
  const h = createHash('sha1').update(`${path}#${docIndex}`).digest('hex');
  return `sigma-derived-${h.slice(0, 16)}`;
}

/**
 * Read the shared metadata of one document. A missing `id` gets a derived stable id and a
 * warning; `attack.tNNNN[.NNN]` tags become technique tags with the position of the tag in the file.
 */
export function readMetadata(ctx: SigmaFileContext, doc: Record<string, unknown>, node: YNode | null, path: string, docIndex: number): SigmaMetadata {
  const entries = node?.entries;
  let id = str(doc.id)?.trim() ?? '';
  if (!id) {
    id = derivedId(path, docIndex);
    ctx.reportAt('sigma/missing-id', 'warning', `the rule has no id; using the derived id ${id}`, 'add `id:` with a random UUID v4 so links to this rule stay stable', node);
  } else if (!UUID.test(id)) {
    ctx.reportAt('sigma/invalid-id', 'info', `the id '${id}' is not a UUID`, 'Sigma ids should be random UUIDs (v4)', entries?.get('id')?.value);
  }
  let title = str(doc.title)?.trim() ?? '';
  if (!title) {
    title = path.split('/').pop() ?? path;
    ctx.reportAt('sigma/missing-title', 'warning', 'the rule has no title', 'add `title:` (mandatory in the Sigma specification)', node);
  }
  const status = str(doc.status) ?? 'unknown';
  const tags = strList(doc.tags);
  const techniqueTags: TechniqueTag[] = [];
  const tagsNode = entries?.get('tags')?.value;
  const rawTags: unknown[] = Array.isArray(doc.tags) ? doc.tags : typeof doc.tags === 'string' ? [doc.tags] : [];
  const tagItems = Array.isArray(doc.tags) ? alignedItems(tagsNode, rawTags.length) : tagsNode ? [tagsNode] : undefined;
  rawTags.forEach((t, i) => {
    if (typeof t !== 'string') return;
    const m = TECHNIQUE_TAG.exec(t.trim());
    if (!m) return;
    const tagNode = tagItems?.[i];
    const pos = ctx.lines.position(tagNode ? tagNode.start : node?.start ?? 0);
    techniqueTags.push({ id: m[1]!.toUpperCase(), line: pos.line, column: pos.column });
  });
  const out: SigmaMetadata = {
    id,
    title,
    description: str(doc.description) ?? '',
    status,
    deprecated: status === 'deprecated' || isDeprecatedPath(path),
    references: strList(doc.references),
    falsePositives: strList(doc.falsepositives),
    tags,
    techniqueTags,
  };
  const level = str(doc.level);
  if (level) out.severity = level;
  const author = str(doc.author);
  if (author) out.author = author;
  const date = str(doc.date);
  if (date) out.date = date;
  const modified = str(doc.modified);
  if (modified) out.modified = modified;
  return out;
}
