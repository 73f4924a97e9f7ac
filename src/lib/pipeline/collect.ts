import { readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import type { SourceConfig } from '../catalog/schema.js';
import type { Catalog } from '../catalog/load.js';
import { diagnosticAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleDraft, SourceFile } from '../model/rule.js';
import { polarPredicates } from '../model/logic.js';
import { sha256Raw } from '../cache/hash.js';
import type { AdapterContext, SourceAdapter } from '../sources/adapter.js';
import type { SourceReport } from '../aggregate/types.js';
import type { LoadedSource } from '../aggregate/build-index.js';

/** Rule files larger than this are rejected with a diagnostic instead of being parsed. */
export const MAX_RULE_BYTES = 1024 * 1024;

/** Diagnostics kept per file: a garbage query can yield one per character, which would swamp the report. */
export const MAX_FILE_DIAGNOSTICS = 200;

/** The first MAX_FILE_DIAGNOSTICS diagnostics of a file, plus one that counts the rest. */
function capDiagnostics(diags: Diagnostic[], file: string): Diagnostic[] {
  if (diags.length <= MAX_FILE_DIAGNOSTICS) return diags;
  const kept = diags.slice(0, MAX_FILE_DIAGNOSTICS);
  const more = diags.length - kept.length;
  kept.push({
    ...diagnosticAt(
      'source/too-many-diagnostics',
      `${more} more diagnostics in this file are not listed`,
      'fix the problems above first; they usually cause the rest',
      { line: 1, column: 1 },
      'info',
    ),
    file,
  });
  return kept;
}

export interface CollectTimings {
  /** Listing and reading files. */
  load: number;
  /** Adapter work: YAML/TOML + query parsing. */
  parse: number;
}

/** What one file gave, as cached by content hash. */
export interface FileResult {
  drafts: RuleDraft[];
  diagnostics: Diagnostic[];
  failed: number;
  ignored: boolean;
  failedLanguage?: string | undefined;
}

/** What one file of a collected source was, for the incremental index (see CollectOptions.trace). */
export interface FileTrace {
  path: string;
  size: number;
  mtimeMs: number;
  /** sha256 (hex) of the text; '' when not traced or not read. */
  hash: string;
  result: FileResult;
}

export interface CollectOptions {
  /** Record every file read (stat, hash, result) in `LoadedSource.trace`, in listing order. */
  trace?: boolean;
  /** Keep only some files (benchmarks index fractions of the corpus to check linearity). */
  filter?: (source: string, path: string) => boolean;
  /** Called after each file, for progress output. */
  onFile?: (done: number, total: number) => void;
  /** Cache hook: return a previous result for identical content, or null. */
  cache?: {
    get(source: string, path: string, text: string): FileResult | null;
    set(source: string, path: string, text: string, value: FileResult): void;
  };
}

/** List a source's files: include/exclude globs, sorted for determinism. */
export function listSourceFiles(dir: string, config: SourceConfig): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return fg
    .sync(config.include, {
      cwd: dir,
      ignore: config.exclude,
      onlyFiles: true,
      dot: false,
      followSymbolicLinks: false,
    })
    .sort();
}

/** Run one source through its adapter: every file read, every problem collected, nothing thrown. */
export function collectSource(
  config: SourceConfig,
  dir: string,
  commit: string | null,
  adapter: SourceAdapter,
  catalog: Catalog,
  timings: CollectTimings,
  opts: CollectOptions = {},
): LoadedSource {
  const report: SourceReport = {
    id: config.id,
    format: config.format,
    title: config.title ?? config.id,
    commit,
    repo: config.repo ?? null,
    files: 0,
    rules: 0,
    published: 0,
    noQuery: 0,
    failed: 0,
    byLanguage: {},
    diagnostics: [],
  };
  const drafts: RuleDraft[] = [];
  const trace: FileTrace[] | undefined = opts.trace ? [] : undefined;
  let t0 = performance.now();
  if (!existsSync(dir)) {
    report.diagnostics.push({
      ...diagnosticAt('source/missing-dir', `source folder ${dir} does not exist`, 'check --root and the source `dir`, or run `npm run fetch-sources`', { line: 0, column: 0 }),
      file: '',
    });
    timings.load += performance.now() - t0;
    return { config, report, drafts };
  }
  const all = listSourceFiles(dir, config);
  const files = opts.filter ? all.filter((f) => opts.filter!(config.id, f)) : all;
  report.files = files.length;
  timings.load += performance.now() - t0;

  const ctx = { catalog, sourceDir: dir };
  t0 = performance.now();
  const { prepared, diagnostics: prepDiags } = adapter.prepare(ctx);
  report.diagnostics.push(...prepDiags);
  timings.parse += performance.now() - t0;

  for (const [i, rel] of files.entries()) {
    const t = collectFile({ config, dir, rel, adapter, ctx, prepared }, timings, opts);
    trace?.push(t);
    accountFile(report, t.result, config.format);
    for (const d of t.result.drafts) drafts.push(d);
    opts.onFile?.(i + 1, files.length);
  }
  return trace ? { config, report, drafts, prepDiagnostics: prepDiags, trace } : { config, report, drafts };
}

/** One file of a source and what reading it needs. */
export interface FileJob<P = unknown> {
  config: SourceConfig;
  dir: string;
  rel: string;
  adapter: SourceAdapter<P>;
  ctx: AdapterContext;
  prepared: P;
}

/**
 * Read and parse one file (through the cache hook when given): never throws. A file over
 * MAX_RULE_BYTES counts as one failed rule; an unreadable one is only reported (size -1, so an
 * incremental run always looks at it again).
 */
export function collectFile<P>(job: FileJob<P>, timings: CollectTimings, opts: Pick<CollectOptions, 'cache' | 'trace'> = {}): FileTrace {
  const { config, rel } = job;
  let t0 = performance.now();
  const abs = join(job.dir, rel);
  let text: string;
  let st: { size: number; mtimeMs: number };
  const only = (diag: Diagnostic, failed: number, size = -1, mtimeMs = 0): FileTrace => {
    timings.load += performance.now() - t0;
    return {
      path: rel,
      size,
      mtimeMs,
      hash: '',
      result: {
        drafts: [],
        diagnostics: [{ ...diag, file: rel }],
        failed,
        ignored: false,
      },
    };
  };
  try {
    st = statSync(abs);
    if (st.size > MAX_RULE_BYTES) {
      return only(
        diagnosticAt(
          'source/too-large',
          `file is ${st.size} bytes, over the ${MAX_RULE_BYTES}-byte limit for a rule`,
          'split the file or raise MAX_RULE_BYTES if this is a legitimate rule',
          { line: 1, column: 1 },
        ),
        1,
        st.size,
        st.mtimeMs,
      );
    }
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    return only(diagnosticAt('source/unreadable', `cannot read file: ${(e as Error).message}`, 'check file permissions', { line: 0, column: 0 }), 0);
  }
  timings.load += performance.now() - t0;
  t0 = performance.now();
  const file: SourceFile = { path: rel, text };
  let result = opts.cache?.get(config.id, rel, text) ?? null;
  if (!result) {
    try {
      const r = job.adapter.load(file, job.ctx, job.prepared);
      result = {
        drafts: r.rules,
        diagnostics: capDiagnostics(r.diagnostics, rel).map((d) => ({
          ...d,
          file: d.file || rel,
        })),
        failed: r.failed ?? 0,
        ignored: r.ignored !== undefined,
        failedLanguage: r.failedLanguage,
      };
    } catch (e) {
      // Adapters must not throw; if one does, the file is reported and the build goes on.
      result = {
        failedLanguage: undefined,
        drafts: [],
        diagnostics: [
          {
            ...diagnosticAt(
              'source/adapter-crash',
              `the ${config.format} adapter failed on this file: ${(e as Error).message}`,
              'this is a bug in our adapter: please report it with the file',
              { line: 1, column: 1 },
            ),
            file: rel,
          },
        ],
        failed: 1,
        ignored: false,
      };
    }
    opts.cache?.set(config.id, rel, text, result);
  }
  timings.parse += performance.now() - t0;
  return {
    path: rel,
    size: st.size,
    mtimeMs: st.mtimeMs,
    hash: opts.trace ? sha256Raw(text).toString('hex') : '',
    result,
  };
}

/**
 * Count one file's outcome into its source's report: its diagnostics, failed rules and each rule
 * as published (with predicates) or "no query", by language. The incremental index replays the
 * same calls for the files it did not read again, so both give the same report.
 */
export function accountFile(
  report: SourceReport,
  result: Pick<FileResult, 'diagnostics' | 'failed' | 'failedLanguage'>,
  format: string,
  rules:
    | readonly {
        language?: string | null | undefined;
        hasPredicates: boolean;
      }[]
    | null = null,
): void {
  // A loop, not push(...spread): a spread of a few hundred thousand items overflows the stack.
  for (const d of result.diagnostics) report.diagnostics.push(d);
  report.failed += result.failed;
  report.rules += result.failed;
  addLanguage(report, 'failed', result.failed, result.failedLanguage ?? languageOfFailed(result.diagnostics, format));
  for (const d of rules ??
    (result as FileResult).drafts.map((x) => ({
      language: x.language,
      hasPredicates: hasAnyPredicate(x),
    }))) {
    report.rules++;
    if (d.hasPredicates) {
      report.published++;
      addLanguage(report, 'published', 1, d.language ?? 'none');
    } else {
      report.noQuery++;
      addLanguage(report, 'noQuery', 1, d.language ?? 'none');
    }
  }
}

/** A rule is published "with predicates" when any part's logic holds at least one. */
export function hasAnyPredicate(d: RuleDraft): boolean {
  return d.parts.some((p) => polarPredicates(p.logic).length > 0);
}

function languageOfFailed(diags: Diagnostic[], format: string): string {
  const code = diags.find((d) => d.severity === 'error')?.code ?? '';
  const prefix = code.split('/')[0] ?? '';
  return ['kql', 'kuery', 'eql', 'esql', 'lucene', 'spl', 'sigma'].includes(prefix) ? (prefix === 'kql' ? 'kuery' : prefix) : format === 'sigma' ? 'sigma' : 'unknown';
}

function addLanguage(report: SourceReport, key: 'published' | 'noQuery' | 'failed', n: number, lang: string): void {
  if (n === 0) return;
  let e = report.byLanguage[lang];
  if (!e)
    report.byLanguage[lang] = e = {
      rules: 0,
      published: 0,
      noQuery: 0,
      failed: 0,
    };
  e[key] += n;
  e.rules += n;
}
