import { hasErrors } from '../../query/types.js';
import type { AdapterResult, RuleDraft, SourceFile } from '../../model/rule.js';
import type { AdapterContext, SourceAdapter } from '../adapter.js';
import { SigmaFileContext } from './context.js';
import { correlationDraft, correlationSources, detectionDraft, filterDraft, isMap, type Doc, type InFileRule } from './drafts.js';
import { applyLegacyActions, type MergedDocument } from './legacy.js';
import { LineIndex } from './line-index.js';
import { createLogsourceLookup, type LogsourceLookup } from './logsource.js';
import { readMetadata, type SigmaMetadata } from './metadata.js';
import { loadYamlWithPositions } from './yaml-positions.js';

/**
 * Load one Sigma file: every YAML document becomes a detection, correlation or filter draft
 * (see drafts.ts). A correlation's referenced rules in the same file are published on their own;
 * the correlation lists them and takes their events. Never throws.
 */
export function loadSigmaFile(file: SourceFile, actx: AdapterContext, prepared?: SigmaPrepared): AdapterResult {
  const lookup = prepared?.lookup ?? createLogsourceLookup(actx.catalog);
  const ctx = new SigmaFileContext(file.path, file.text, new LineIndex(file.text));
  const loaded = loadYamlWithPositions(file.text);
  if (loaded.error) {
    const e = loaded.error;
    const hint = /duplicated mapping key/.test(e.message)
      ? 'each key may appear once per mapping: merge the two entries or rename one selection'
      : /tab/.test(e.message)
        ? 'indent with spaces, not tabs'
        : /through aliases/.test(e.message)
          ? 'remove the anchors and aliases (`&name`, `*name`) that repeat or nest the document into itself'
          : "fix the YAML syntax (quote values that contain ': ' or start with '*', '&', '!', '%' or '@')";
    ctx.diagnostics.push({ code: 'sigma/yaml-syntax', severity: 'error', message: e.message, hint, file: file.path, line: e.line, column: e.column, length: 1 });
    return { rules: [], diagnostics: ctx.diagnostics, failed: 1 };
  }
  if (loaded.docs.every((d) => d.value === null || d.value === undefined)) {
    // Empty, blank or comment-only: a truncated or broken rule file, reported at 1:1 like every whole-file problem.
    ctx.diagnostics.push({ code: 'sigma/empty-file', severity: 'error', message: 'the file holds no YAML document', hint: 'restore the rule or delete the empty file', file: file.path, line: 1, column: 1, length: 1 });
    return { rules: [], diagnostics: ctx.diagnostics, failed: 1, failedLanguage: 'sigma' };
  }
  const docs = applyLegacyActions(ctx, loaded.docs);
  const inFile = new Map<string, InFileRule>();
  const seenIds = new Map<string, number>();
  let failed = 0;
  const pending: { d: MergedDocument; doc: Doc; meta: SigmaMetadata; ref: InFileRule }[] = [];
  for (const d of docs) {
    if (d.value === null || d.value === undefined) continue;
    if (!isMap(d.value)) {
      ctx.reportAt('sigma/not-a-mapping', 'error', 'the YAML document is not a mapping', 'a Sigma rule is a mapping with title, logsource, detection...', d.node);
      failed++;
      continue;
    }
    const meta = readMetadata(ctx, d.value, d.node, file.path, d.index);
    const n = seenIds.get(meta.id) ?? 0;
    seenIds.set(meta.id, n + 1);
    if (n > 0) meta.id = `${meta.id}-${n + 1}`;
    // Register every document first so a correlation can reference one written after it.
    const ref: InFileRule = { id: meta.id, title: meta.title };
    inFile.set(meta.id, ref);
    if (typeof d.value.name === 'string') inFile.set(d.value.name, ref);
    pending.push({ d, doc: d.value, meta, ref });
  }
  const rules: RuleDraft[] = [];
  for (const { d, doc, meta, ref } of pending) {
    const before = ctx.diagnostics.length;
    let draft: RuleDraft;
    if ('correlation' in doc) draft = correlationDraft(ctx, d, doc, meta, file.path, inFile);
    else if ('filter' in doc && !('detection' in doc) && isMap(doc.filter)) draft = filterDraft(ctx, actx, lookup, d, doc, meta, file.path);
    else draft = detectionDraft(ctx, actx, lookup, d, doc, meta, file.path);
    if (hasErrors(ctx.diagnostics.slice(before))) {
      failed++;
      continue;
    }
    ref.draft = draft;
    rules.push(draft);
  }
  for (const draft of rules) {
    if (draft.type !== 'correlation') continue;
    const events = new Set<string>();
    const tables: string[] = [];
    correlationSources(draft, inFile, new Set(), events, tables);
    draft.events = [...events];
    draft.mappingTables = tables;
  }
  const result: AdapterResult = { rules, diagnostics: ctx.diagnostics };
  if (failed) {
    result.failed = failed;
    result.failedLanguage = 'sigma';
  }
  if (rules.length === 0 && failed === 0) result.ignored = 'no Sigma rule documents in the file';
  return result;
}

/** What `prepare` computes once per source: the memoised catalog log source lookup. */
export interface SigmaPrepared {
  lookup: LogsourceLookup;
}

/** Source adapter for Sigma rule repositories (SigmaHQ layout: rules*, deprecated, unsupported). */
export const sigmaAdapter: SourceAdapter<SigmaPrepared> = {
  format: 'sigma',
  prepare(ctx) {
    return { prepared: { lookup: createLogsourceLookup(ctx.catalog) }, diagnostics: [] };
  },
  load(file, ctx, prepared) {
    return loadSigmaFile(file, ctx, prepared);
  },
};

