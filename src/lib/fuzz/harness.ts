import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCatalog } from '../catalog/load.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AdapterResult, SourceFile, Vendor } from '../model/rule.js';
import { listSourceFiles } from '../pipeline/collect.js';
import { loadSourcesConfig } from '../pipeline/config.js';
import { macroTable } from '../query/spl/index.js';
import type { AdapterContext, SourceAdapter } from '../sources/adapter.js';
import { elasticAdapter, loadElasticFile, type ElasticPrepared } from '../sources/elastic/index.js';
import { loadSigmaFile, sigmaAdapter } from '../sources/sigma/index.js';
import { splunkAdapter, type SplunkPrepared } from '../sources/splunk/index.js';
import { loadSplunkFile } from '../sources/splunk/rule.js';
import { generateMutant, type FuzzSeed, type Mutant } from './generate.js';
import { checkAdapterResult } from './invariants.js';

/** Everything needed to run mutants of one format: seeds, catalog, the adapter's prepared data. */
export interface FuzzEnv {
  format: Vendor;
  seeds: FuzzSeed[];
  ctx: AdapterContext;
  prepared: unknown;
}

export interface FuzzEnvOptions {
  /** Repository root the sources file's dirs are relative to (default: cwd). */
  root?: string;
  /** Default: catalog/sources.yaml under root (the sample corpora). */
  sourcesFile?: string;
  catalogDir?: string;
}

const ADAPTERS: Record<Vendor, SourceAdapter<any>> = { sigma: sigmaAdapter, elastic: elasticAdapter, splunk: splunkAdapter };

/**
 * The adapters' `load` minus any safety net: the Elastic adapter wraps its loader in a try/catch
 * (reporting `elastic/internal-error`), which would hide exactly the crashes fuzzing looks for.
 */
const RAW_LOADERS: Record<Vendor, (file: SourceFile, ctx: AdapterContext, prepared: any) => AdapterResult> = {
  sigma: (file, ctx, prepared) => loadSigmaFile(file, ctx, prepared),
  elastic: (file, _ctx, prepared: ElasticPrepared) => loadElasticFile(file, prepared),
  splunk: (file, ctx, prepared: SplunkPrepared) => loadSplunkFile(file, ctx, prepared),
};

/** Seeds = the sample rules of the format's first source in the sources file; prepared once. */
export function createFuzzEnv(format: Vendor, opts: FuzzEnvOptions = {}): FuzzEnv {
  const root = resolve(opts.root ?? '.');
  const cfg = loadSourcesConfig(opts.sourcesFile ?? join(root, 'catalog/sources.yaml'), root);
  const src = cfg.file.sources.find((s) => s.format === format);
  if (!src) throw new Error(`no ${format} source in ${cfg.path}`);
  const dir = resolve(cfg.root, src.dir);
  const catalog = loadCatalog(resolve(opts.catalogDir ?? join(root, 'catalog')));
  const ctx: AdapterContext = { catalog, sourceDir: dir };
  const seeds = listSourceFiles(dir, src).map((path) => ({ path, text: readFileSync(join(dir, path), 'utf8') }));
  const { prepared } = ADAPTERS[format].prepare(ctx);
  return { format, seeds, ctx, prepared };
}

export type OutcomeStatus = 'published' | 'rejected' | 'ignored' | 'crash';

/** What one mutant did; `problems` lists broken invariants (the test wants none). */
export interface MutantOutcome {
  index: number;
  seed: number;
  seedPath: string;
  ops: string[];
  status: OutcomeStatus;
  rules: number;
  failed: number;
  diagnostics: number;
  ms: number;
  problems: string[];
}

/** Load one file through the raw loader, timing it (with JSON serialization of what came back). */
export function loadFile(env: FuzzEnv, file: SourceFile, extraMacros: Mutant['extraMacros'] = []): { result: AdapterResult | null; error: Error | null; ms: number; json: number } {
  let prepared = env.prepared;
  if (extraMacros.length > 0) {
    const p = prepared as SplunkPrepared;
    prepared = { ...p, macros: new Map([...p.macros, ...macroTable(extraMacros)]) };
  }
  const t0 = performance.now();
  try {
    const result = RAW_LOADERS[env.format](file, env.ctx, prepared);
    // Whatever an adapter returns is serialized later (index cache, site index): an alias bomb
    // that survives loading would explode there, so serialization is part of the timed work.
    const json = JSON.stringify(result).length;
    return { result, error: null, ms: performance.now() - t0, json };
  } catch (e) {
    return { result: null, error: e instanceof Error ? e : new Error(String(e)), ms: performance.now() - t0, json: 0 };
  }
}

/** Run one mutant and check the adapter contract on its result. */
export function runMutant(env: FuzzEnv, m: Mutant): MutantOutcome {
  const { result, error, ms, json } = loadFile(env, { path: m.path, text: m.text }, m.extraMacros);
  const base = { index: m.index, seed: m.seed, seedPath: m.seedPath, ops: m.ops, ms };
  if (!result) {
    const where = (error?.stack ?? '').split('\n').slice(0, 4).join(' / ');
    return { ...base, status: 'crash', rules: 0, failed: 0, diagnostics: 0, problems: [`threw ${error?.name}: ${error?.message.slice(0, 200)} at ${where}`] };
  }
  const problems = checkAdapterResult(m.path, m.text, result, json);
  const crash = result.diagnostics.some(isCrashDiagnostic);
  const errors = result.diagnostics.some((d: Diagnostic) => d.severity === 'error');
  const status: OutcomeStatus = crash ? 'crash' : (result.failed ?? 0) > 0 || errors ? 'rejected' : result.rules.length > 0 ? 'published' : 'ignored';
  return { ...base, status, rules: result.rules.length, failed: result.failed ?? 0, diagnostics: result.diagnostics.length, problems };
}

/** An adapter's own safety net fired: a bug, not a diagnosis of the file. */
export function isCrashDiagnostic(d: Diagnostic): boolean {
  return /\/(internal-error|adapter-crash)$/.test(d.code);
}

export interface FuzzSummary {
  format: Vendor;
  mutants: number;
  published: number;
  rejected: number;
  ignored: number;
  crashes: number;
  maxMs: number;
  slowest: MutantOutcome | null;
  /** Mutants that crashed or broke an invariant (first 50). */
  bad: MutantOutcome[];
  /** Mutants over the time limit. */
  slow: MutantOutcome[];
  /** Count per operator name, to see what the run exercised. */
  opCounts: Record<string, number>;
}

export function emptySummary(format: Vendor): FuzzSummary {
  return { format, mutants: 0, published: 0, rejected: 0, ignored: 0, crashes: 0, maxMs: 0, slowest: null, bad: [], slow: [], opCounts: {} };
}

/** Fold one outcome into a summary. */
export function addOutcome(s: FuzzSummary, o: MutantOutcome, slowMs: number): void {
  s.mutants++;
  s[o.status === 'crash' ? 'crashes' : o.status]++;
  for (const op of o.ops) s.opCounts[op] = (s.opCounts[op] ?? 0) + 1;
  if (o.ms > s.maxMs) {
    s.maxMs = o.ms;
    s.slowest = o;
  }
  if ((o.status === 'crash' || o.problems.length > 0) && s.bad.length < 50) s.bad.push(o);
  if (o.ms > slowMs && s.slow.length < 50) s.slow.push(o);
}

/** Generate and run `count` mutants from `from` (in-process; see supervise.ts for hang protection). */
export function fuzzFormat(env: FuzzEnv, opts: { baseSeed: number; count: number; from?: number; slowMs?: number; onStart?: (m: Mutant) => void; onOutcome?: (o: MutantOutcome) => void }): FuzzSummary {
  const s = emptySummary(env.format);
  for (let i = opts.from ?? 0; i < (opts.from ?? 0) + opts.count; i++) {
    const m = generateMutant(env.format, env.seeds, opts.baseSeed, i);
    opts.onStart?.(m);
    const o = runMutant(env, m);
    addOutcome(s, o, opts.slowMs ?? 2000);
    opts.onOutcome?.(o);
  }
  return s;
}

/** One line to replay a mutant: `npx tsx scripts/fuzz.ts --format F --base-seed B --mutant I --write out`. */
export function reproLine(format: Vendor, baseSeed: number, o: Pick<MutantOutcome, 'index' | 'seed' | 'seedPath' | 'ops'>): string {
  return `${format} mutant #${o.index} (seed ${o.seed}, from ${o.seedPath}, ops ${o.ops.join(' + ')}): npx tsx scripts/fuzz.ts --format ${format} --base-seed ${baseSeed} --mutant ${o.index} --write /tmp/mutant`;
}
