import yaml from 'js-yaml';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import type { Vendor } from '../model/rule.js';
import { ELASTIC_OPS } from './elastic-ops.js';
import { genericQueryOps, type QueryOp } from './query-ops.js';
import { SIGMA_OPS, sigmaQueryPaths } from './sigma-ops.js';
import { SPLUNK_OPS } from './splunk-ops.js';
import { getAt, type Path } from './tree.js';
import type { TreeOp } from './tree-ops.js';

/** How to read, write and mutate one rule format. */
export interface FormatSpec {
  format: Vendor;
  syntax: 'yaml' | 'toml';
  parse(text: string): unknown[];
  serialize(docs: unknown[]): string;
  /** Paths of query strings in a document (a path may repeat to weight it). */
  queryPaths(doc: unknown): Path[];
  ops: readonly TreeOp[];
  queryOps: readonly QueryOp[];
  /** Keys a valid rule of the format has (for `missing-required-key`). */
  required: readonly Path[];
}

const dumpYaml = (doc: unknown): string => yaml.dump(doc, { lineWidth: -1, schema: yaml.CORE_SCHEMA });

const SIGMA_KEYWORDS = ['and', 'or', 'not', '1 of', 'all of', 'them', '|', 'near', 'count()', 'by', '>', '*', 'selection'];
const ELASTIC_KEYWORDS = ['and', 'or', 'not', ':', '==', '!=', ':*', 'where', 'by', 'sequence', 'with maxspan=1m', '|', 'in', '~', 'like~', 'FROM', 'WHERE', 'EVAL', 'STATS', 'KEEP', '`', '?', 'process', 'until', '[', '{', '->', 'TO', '^', 'AND', 'OR', 'NOT'];
const SPLUNK_KEYWORDS = ['AND', 'OR', 'NOT', '|', 'where', 'by', '=', '!=', 'IN', 'tstats', 'from datamodel=', 'eval', 'search', '`sysmon`', 'stats', '[', ']', 'as', '*', 'like(', 'earliest=-1d'];

const SIGMA: FormatSpec = {
  format: 'sigma',
  syntax: 'yaml',
  parse: (text) => yaml.loadAll(text, undefined, { schema: yaml.CORE_SCHEMA }),
  serialize: (docs) => docs.map(dumpYaml).join('---\n'),
  queryPaths: sigmaQueryPaths,
  ops: SIGMA_OPS,
  queryOps: genericQueryOps(SIGMA_KEYWORDS),
  required: [['title'], ['id'], ['logsource'], ['detection'], ['detection', 'condition'], ['correlation', 'rules'], ['correlation', 'type']],
};

const ELASTIC: FormatSpec = {
  format: 'elastic',
  syntax: 'toml',
  parse: (text) => [parseToml(text)],
  serialize: (docs) => stringifyToml(docs[0] as Record<string, unknown>),
  queryPaths: (doc) => (typeof getAt(doc, ['rule', 'query']) === 'string' ? [['rule', 'query']] : []),
  ops: ELASTIC_OPS,
  queryOps: genericQueryOps(ELASTIC_KEYWORDS),
  required: [['rule'], ['metadata'], ['rule', 'rule_id'], ['rule', 'name'], ['rule', 'type'], ['rule', 'query'], ['rule', 'language'], ['rule', 'threat']],
};

const SPLUNK: FormatSpec = {
  format: 'splunk',
  syntax: 'yaml',
  parse: (text) => [yaml.load(text, { schema: yaml.CORE_SCHEMA })],
  serialize: (docs) => dumpYaml(docs[0]),
  queryPaths: (doc) => (typeof getAt(doc, ['search']) === 'string' ? [['search']] : []),
  ops: SPLUNK_OPS,
  queryOps: genericQueryOps(SPLUNK_KEYWORDS),
  required: [['search'], ['name'], ['id'], ['tags'], ['tags', 'mitre_attack_id'], ['data_source'], ['type']],
};

export const FORMAT_SPECS: Record<Vendor, FormatSpec> = { sigma: SIGMA, elastic: ELASTIC, splunk: SPLUNK };
