import { diagnosticAt, shiftDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { AdapterResult, RuleDraft, RuleSection, SourceFile } from '../../model/rule.js';
import { analyzeSplSearch, type SplSearchAnalysis } from '../../query/spl/index.js';
import { Positions } from '../../query/spl/text.js';
import { hasErrors } from '../../query/types.js';
import type { AdapterContext } from '../adapter.js';
import { datamodelEvents, eventsFromPredicates, resolveDataSource, splitDataSources } from './events.js';
import { analyticStories, isRecord, riskMeta, riskSeverity, str, strList, techniqueTags, testsMeta, type Doc } from './metadata.js';
import { RuleFilePositions } from './positions.js';
import type { SplunkPrepared } from './prepare.js';
import { loadSplunkYaml } from './yaml-load.js';

/**
 * One `detections/**.yml` file -> a RuleDraft. Never throws: YAML problems and SPL syntax errors come
 * back as diagnostics at their position in the file, and the rule is counted as failed.
 */
export function loadSplunkFile(file: SourceFile, ctx: AdapterContext, prepared: SplunkPrepared): AdapterResult {
  const { path, text } = file;
  if (!path.startsWith('detections/')) {
    return { rules: [], diagnostics: [], ignored: 'not a detection: macros, data sources, stories and lookups are read once per source' };
  }
  const loaded = loadSplunkYaml(text, path);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if ((loaded.data === undefined || loaded.data === null) && !hasErrors(loaded.diagnostics)) {
    // Empty, blank or comment-only: a truncated or broken rule file, reported at 1:1 like every whole-file problem.
    diagnostics.push({ ...diagnosticAt('splunk/empty-file', 'the file holds no YAML document', 'restore the detection or delete the empty file', { line: 1, column: 1 }), file: path });
    return { rules: [], diagnostics, failed: 1 };
  }
  if (loaded.data === undefined) return { rules: [], diagnostics, failed: 1 };
  if (!isRecord(loaded.data)) {
    diagnostics.push({ ...diagnosticAt('splunk/not-a-rule', 'the file is not a YAML mapping', 'a detection is a mapping with name, id, search...', { line: 1, column: 1 }), file: path });
    return { rules: [], diagnostics, failed: 1 };
  }
  const doc = loaded.data;
  const pos = new RuleFilePositions(text);
  const at = (code: string, message: string, hint: string, key: string, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
    ...diagnosticAt(code, message, hint, { line: pos.keyLine(key) || 1, column: 1 }, severity),
    file: path,
  });
  const search = str(doc.search);
  if (search === undefined || search.trim() === '') {
    diagnostics.push(at('splunk/missing-search', 'the detection has no `search`', 'add the SPL search under `search:`', 'search'));
    return { rules: [], diagnostics, failed: 1 };
  }

  const analysis = analyzeSplSearch(search, prepared.macros);
  const place = searchPlacer(pos, search);
  // A loop, not push(...spread): a hostile search can yield more diagnostics than a call has argument slots.
  for (const d of analysis.diagnostics) diagnostics.push(place.diagnostic(d, path));
  if (hasErrors(analysis.diagnostics)) return { rules: [], diagnostics, failed: 1, failedLanguage: 'spl' };

  const title = str(doc.name)?.trim();
  if (!title) diagnostics.push(at('splunk/missing-name', 'the detection has no `name`', 'add a `name:`', 'name', 'warning'));
  let id = str(doc.id)?.trim();
  if (!id) {
    id = `splunk:${path}`;
    diagnostics.push(at('splunk/missing-id', 'the detection has no `id`; one was derived from its path', 'add an `id:` (a UUID)', 'id', 'warning'));
  }
  const tags = isRecord(doc.tags) ? doc.tags : {};
  const techniques = techniqueTags(tags, pos);
  for (const bad of techniques.invalid) {
    diagnostics.push({ ...diagnosticAt('splunk/bad-technique', `\`${bad.id}\` is not an ATT&CK technique ID`, 'write IDs as T1234 or T1234.001', { line: bad.line, column: bad.column, length: bad.id.length }, 'warning'), file: path });
  }
  const status = str(doc.status)?.trim() || 'unknown';
  const deprecated = path.split('/').includes('deprecated') || status.toLowerCase() === 'deprecated';
  const draft: RuleDraft = {
    id,
    title: title || path,
    description: str(doc.description)?.trim() ?? '',
    vendor: 'splunk',
    path,
    status,
    deprecated,
    references: strList(doc.references),
    falsePositives: strList(doc.known_false_positives),
    tags: [...techniques.tags.map((t) => t.id), ...strList(tags.cve)],
    techniqueTags: techniques.tags,
    type: str(doc.type)?.trim() || 'unknown',
    language: 'spl',
    query: search,
    queryLine: place.firstLine,
    queryExpanded: analysis.expanded,
    parts: analysis.parts,
    logsource: '',
    events: [],
    mappingTables: prepared.logsources.tables,
    meta: {},
    sections: sections(doc),
  };
  const { severity } = riskSeverity(tags);
  if (severity) draft.severity = severity;
  const author = str(doc.author)?.trim();
  if (author) draft.author = author;
  const date = str(doc.date)?.trim();
  if (date) draft.date = date;
  fillSources(draft, doc, analysis, prepared, ctx);
  draft.meta = { ...draft.meta, ...ruleMeta(doc, tags, analysis, prepared) };
  return { rules: [draft], diagnostics };
}

/** Data sources, data sets, events and the log source label. */
function fillSources(draft: RuleDraft, doc: Doc, analysis: SplSearchAnalysis, prepared: SplunkPrepared, ctx: AdapterContext): void {
  const dataSources = splitDataSources(doc.data_source).map((n) => resolveDataSource(n, prepared, ctx.catalog));
  const seen = new Set<string>();
  for (const ds of dataSources) ds.events.forEach((e) => seen.add(e));
  datamodelEvents(analysis.meta.datamodels, prepared, ctx.catalog, [...seen]).forEach((e) => seen.add(e));
  if (seen.size === 0) eventsFromPredicates(analysis.parts, prepared, ctx.catalog).forEach((e) => seen.add(e));
  draft.events = [...seen];
  const names = dataSources.map((d) => d.name);
  const models = analysis.meta.datamodels;
  draft.logsource = [models.length ? `datamodel ${models.join(', ')}` : '', names.join(', ')].filter(Boolean).join(' · ') || 'unknown';
  draft.meta.dataSources = dataSources;
}

function ruleMeta(doc: Doc, tags: Doc, analysis: SplSearchAnalysis, prepared: SplunkPrepared): Record<string, unknown> {
  const m = analysis.meta;
  const meta: Record<string, unknown> = {
    analyticStories: analyticStories(tags, prepared),
    requiredFields: strList(tags.required_fields),
    risk: riskMeta(tags),
    product: strList(tags.product),
    tests: testsMeta(doc),
    filterMacros: m.filterMacros,
    macrosUsed: m.macrosUsed,
    unknownMacros: m.unknownMacros,
    spl: { datamodels: m.datamodels, nodes: m.nodes, by: m.by, commands: m.commands, derivedFields: m.derivedFields },
    lookups: m.lookups.map((name) => prepared.lookups.get(name) ?? { name }),
  };
  if (m.datamodel) meta.datamodel = m.datamodel;
  for (const [k, key] of [['securityDomain', 'security_domain'], ['assetType', 'asset_type']] as const) {
    const v = str(tags[key]);
    if (v) meta[k] = v;
  }
  const cve = strList(tags.cve);
  if (cve.length) meta.cve = cve;
  const version = str(doc.version);
  if (version) meta.version = version;
  return meta;
}

function sections(doc: Doc): RuleSection[] {
  const out: RuleSection[] = [];
  const how = str(doc.how_to_implement)?.trim();
  if (how) out.push({ title: 'How to implement', markdown: how });
  const fp = str(doc.known_false_positives)?.trim();
  if (fp) out.push({ title: 'Known false positives', markdown: fp });
  return out;
}

/**
 * Moves positions in the search text onto the file. When the `search:` scalar can be mapped
 * character by character (quoting and line folding undone) positions are exact; otherwise they are
 * shifted from the line where the value starts (the next line for block scalars). The character
 * map is only built when a diagnostic needs it.
 */
function searchPlacer(pos: RuleFilePositions, search: string): { firstLine: number; diagnostic(d: Diagnostic, file: string): Diagnostic } {
  const start = pos.valueStart('search');
  const keyLine = pos.keyLine('search') || 1;
  const base = start ?? { line: keyLine, column: 1 };
  let offsets: number[] | null | undefined;
  let inSearch: Positions | undefined;
  return {
    firstLine: base.line,
    diagnostic(d, file) {
      if (offsets === undefined) offsets = pos.scalarOffsets('search', search);
      if (!offsets) return shiftDiagnostic(d, base, file);
      inSearch ??= new Positions(search);
      const from = inSearch.offset(d.line, d.column);
      const last = Math.max(from, Math.min(search.length, from + Math.max(1, d.length ?? 1)) - 1);
      const a = pos.positions.span(offsets[from]!, offsets[from]! + 1);
      const b = pos.positions.span(offsets[last]!, offsets[last]! + 1);
      const length = a.line === b.line ? b.column - a.column + 1 : d.length ?? 1;
      return { ...d, file, line: a.line, column: a.column, length };
    },
  };
}
