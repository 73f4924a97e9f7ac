import yaml from 'js-yaml';
import { parse as parseYaml12 } from 'yaml';
import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';

export interface YamlLoad {
  /** The document, or undefined when neither parser could read it. */
  data: unknown;
  diagnostics: Diagnostic[];
  /** js-yaml rejected the file and the `yaml` package read it. */
  fallback: boolean;
}

/**
 * Read a security_content YAML file. js-yaml first (fast, and lenient with the multi-line
 * single-quoted scalars some files use); when it rejects a file, the `yaml` package (with duplicate
 * keys allowed) gets a second chance and an info diagnostic records the fallback. When both fail,
 * the error carries js-yaml's line and column. Never throws.
 */
export function loadSplunkYaml(text: string, file: string): YamlLoad {
  try {
    return { data: yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA }), diagnostics: [], fallback: false };
  } catch (e) {
    const err = e as yaml.YAMLException;
    const where = { line: (err.mark?.line ?? 0) + 1, column: (err.mark?.column ?? 0) + 1 };
    const reason = err.reason ?? err.message;
    try {
      const data: unknown = parseYaml12(text, { schema: 'core', uniqueKeys: false, strict: false, prettyErrors: false, logLevel: 'error' });
      return {
        data,
        fallback: true,
        diagnostics: [
          {
            ...diagnosticAt('splunk/yaml-fallback', `js-yaml rejected this file (${reason}); it was read with the YAML 1.2 parser instead`, 'make the file valid for both parsers (quote multi-line values consistently, remove duplicate keys)', where, 'info'),
            file,
          },
        ],
      };
    } catch {
      return {
        data: undefined,
        fallback: false,
        diagnostics: [{ ...diagnosticAt('splunk/yaml-syntax', reason, 'fix the YAML syntax of this file', where), file }],
      };
    }
  }
}
