import { parse, TomlError } from 'smol-toml';
import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { and, type Logic, type QueryPart } from '../../model/logic.js';
import type { AdapterResult, RuleDraft, SourceFile } from '../../model/rule.js';
import { hasErrors } from '../../query/types.js';
import type { ElasticEventResolver } from './events.js';
import { filterToLogic, type FilterProblem } from './filters.js';
import { logsourceLabel, queryIndices } from './label.js';
import { dedent, isTable, isoDate, ruleMeta, ruleSections, str, strList, techniqueTags, type Table } from './metadata.js';
import { RuleFilePositions } from './positions.js';
import { ELASTIC_ANALYZERS, ruleLanguage } from './query.js';

/** What `load` needs from `prepare`: the compiled log source table. */
export interface ElasticPrepared {
  resolver: ElasticEventResolver;
}

const MAPPING_TABLES = ['ecs'];

function fail(diagnostics: Diagnostic[]): AdapterResult {
  return { rules: [], diagnostics, failed: 1 };
}

/** A TOML syntax error with the line and column smol-toml found it at. */
function tomlDiagnostic(e: unknown, path: string): Diagnostic {
  if (e instanceof TomlError) {
    const message = e.message.replace(/^Invalid TOML document:\s*/, '').split('\n')[0]!.trim();
    return { ...diagnosticAt('elastic/toml-syntax', message, 'fix the TOML syntax of this rule file', { line: e.line, column: e.column }), file: path };
  }
  return { ...diagnosticAt('elastic/toml-syntax', `cannot parse TOML: ${(e as Error).message}`, 'fix the TOML syntax of this rule file', { line: 1, column: 1 }), file: path };
}

/** AND the rule's Kibana filters into every part: a negated filter then reads as an exclusion. */
function withFilters(parts: QueryPart[], filters: Logic[]): QueryPart[] {
  if (filters.length === 0) return parts;
  return parts.map((p) => {
    const children = p.logic.kind === 'and' ? [...p.logic.children, ...filters] : [p.logic, ...filters];
    return { ...p, logic: and(children) };
  });
}

/**
 * Turn one detection-rules TOML file into a RuleDraft. Never throws: TOML and query syntax errors
 * come back as diagnostics at their position in the file, and the rule is counted as failed.
 */
export function loadElasticFile(file: SourceFile, prepared: ElasticPrepared): AdapterResult {
  const { path, text } = file;
  let doc: Table;
  try {
    doc = parse(text) as Table;
  } catch (e) {
    return fail([tomlDiagnostic(e, path)]);
  }
  if (Object.keys(doc).length === 0) {
    // Empty, blank or comment-only: a truncated or broken rule file, reported at 1:1 like every whole-file problem.
    return fail([{ ...diagnosticAt('elastic/empty-file', 'the file holds no TOML table', 'restore the rule or delete the empty file', { line: 1, column: 1 }), file: path }]);
  }
  const rule = doc.rule;
  if (!isTable(rule)) return { rules: [], diagnostics: [], ignored: 'no [rule] table: not a detection rule' };
  const metadata = isTable(doc.metadata) ? doc.metadata : {};
  const pos = new RuleFilePositions(text);
  const ruleHeader = pos.headerPosition('rule') ?? { line: 1, column: 1 };
  const at = (code: string, message: string, hint: string, where: { line: number; column: number } | null, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
    ...diagnosticAt(code, message, hint, where ?? ruleHeader, severity),
    file: path,
  });

  const missing = (['rule_id', 'name', 'type'] as const).filter((k) => typeof rule[k] !== 'string' || (rule[k] as string).trim() === '');
  if (missing.length > 0) {
    return fail([at('elastic/missing-field', `[rule] has no ${missing.join(', ')}`, 'every detection rule needs rule_id, name and type strings', ruleHeader)]);
  }
  const type = rule.type as string;
  const diagnostics: Diagnostic[] = [];
  const meta = ruleMeta(rule, metadata);

  // ---- query
  let parts: QueryPart[] = [];
  let query: string | null = null;
  let queryLine: number | undefined;
  const language = type === 'machine_learning' ? null : ruleLanguage(type, rule.language);
  if (type !== 'machine_learning') {
    if (language === null) {
      return fail([at('elastic/unknown-language', `unknown query language ${JSON.stringify(rule.language)}`, 'language must be kuery, eql, esql or lucene', pos.keyPosition('rule', 'language'))]);
    }
    if (typeof rule.query !== 'string' || rule.query.trim() === '') {
      return fail([at('elastic/missing-query', `a ${type} rule has no query`, 'add query = \'\'\'...\'\'\' to the [rule] table', ruleHeader)]);
    }
    query = rule.query;
    const base = pos.valueStart('rule', 'query') ?? ruleHeader;
    queryLine = base.line;
    const analysis = ELASTIC_ANALYZERS[language](query);
    // A loop, not push(...spread): a garbage query can yield hundreds of thousands of diagnostics.
    for (const d of analysis.diagnostics) diagnostics.push(pos.placeInValue(d, 'rule', 'query', query, base, path));
    if (hasErrors(analysis.diagnostics)) return fail(diagnostics);
    parts = analysis.parts;
    if (language === 'eql') meta.eql = analysis.meta;
    if (language === 'esql') meta.esql = analysis.meta;
  }

  // ---- filters
  const filters: Logic[] = [];
  (Array.isArray(rule.filters) ? rule.filters : []).forEach((f, i) => {
    const problems: FilterProblem[] = [];
    const logic = filterToLogic(f, problems);
    const where = pos.headerPosition('rule.filters', i);
    for (const p of problems) diagnostics.push(at('elastic/filter', p.message, p.hint, where, 'warning'));
    if (logic) filters.push(logic);
  });
  parts = withFilters(parts, filters);

  // ---- events
  const tags = strList(rule.tags);
  const indices = queryIndices(rule, meta);
  const events = parts.length
    ? prepared.resolver.resolve({ indices, tags, ...(typeof rule.event_category_override === 'string' ? { categoryField: rule.event_category_override } : {}) }, parts)
    : [];

  const draft: RuleDraft = {
    id: (rule.rule_id as string).trim(),
    title: (rule.name as string).trim(),
    description: dedent(str(rule.description) ?? ''),
    vendor: 'elastic',
    path,
    status: str(metadata.maturity) ?? 'unknown',
    deprecated: /(^|\/)_deprecated\//.test(path) || metadata.maturity === 'deprecated',
    references: strList(rule.references),
    falsePositives: strList(rule.false_positives).map(dedent).filter(Boolean),
    tags,
    techniqueTags: techniqueTags(rule.threat, pos.techniquePositions(), pos.headerPosition('rule.threat') ?? ruleHeader),
    type,
    language,
    query,
    parts,
    logsource: logsourceLabel(rule, meta, parts, indices),
    events,
    mappingTables: MAPPING_TABLES,
    meta,
    sections: ruleSections(rule),
  };
  const severity = str(rule.severity);
  if (severity) draft.severity = severity;
  const author = strList(rule.author).join(', ');
  if (author) draft.author = author;
  const date = isoDate(metadata.creation_date);
  if (date) draft.date = date;
  const modified = isoDate(metadata.updated_date);
  if (modified) draft.modified = modified;
  if (queryLine !== undefined) draft.queryLine = queryLine;
  return { rules: [draft], diagnostics };
}
