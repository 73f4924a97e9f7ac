import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Vendor } from '../model/rule.js';
import { addOutcome, emptySummary, type FuzzEnvOptions, type FuzzSummary, type MutantOutcome } from './harness.js';

/** What the worker is asked to run. */
export interface WorkerJob {
  entry: string;
  format: Vendor;
  baseSeed: number;
  from: number;
  count: number;
  slowMs: number;
  env: FuzzEnvOptions;
}

export type WorkerMessage =
  | { type: 'start'; index: number; seed: number; seedPath: string; ops: string[] }
  | { type: 'outcome'; outcome: MutantOutcome }
  | { type: 'done' };

export interface SupervisedSummary extends FuzzSummary {
  /** Mutants that ran past `hangMs` (the worker was stopped) or killed the worker (out of memory). */
  hangs: MutantOutcome[];
}

export interface SuperviseOptions {
  format: Vendor;
  baseSeed: number;
  count: number;
  /** Per-file time above which a mutant is listed as slow (default 2000 ms). */
  slowMs?: number;
  /** Per-file time after which the worker is stopped and the mutant reported as a hang (default 20 s). */
  hangMs?: number;
  /** Heap of the worker: a blow-up fails fast instead of taking the machine (default 1536 MB). */
  maxHeapMb?: number;
  env?: FuzzEnvOptions;
  /** Stop after this many hangs (each restarts the worker). */
  maxHangs?: number;
}

/**
 * Run mutants in a worker thread so a hang (an infinite loop, an exponential blow-up) or an
 * out-of-memory cannot take the test run with it: the stuck mutant is reported with its seed and
 * operators, and the run goes on from the next one in a fresh worker.
 */
export async function superviseFuzz(opts: SuperviseOptions): Promise<SupervisedSummary> {
  const slowMs = opts.slowMs ?? 2000;
  const hangMs = opts.hangMs ?? 20_000;
  const summary: SupervisedSummary = { ...emptySummary(opts.format), hangs: [] };
  const end = opts.count;
  let from = 0;
  while (from < end && summary.hangs.length < (opts.maxHangs ?? 5)) {
    const stuck = await runWorker({ ...opts, slowMs, hangMs }, from, end - from, summary);
    if (!stuck) break;
    summary.hangs.push(stuck);
    addOutcome(summary, stuck, slowMs);
    from = stuck.index + 1;
  }
  return summary;
}

function runWorker(opts: SuperviseOptions & { slowMs: number; hangMs: number }, from: number, count: number, summary: FuzzSummary): Promise<MutantOutcome | null> {
  const job: WorkerJob = { entry: fileURLToPath(new URL('./worker.ts', import.meta.url)), format: opts.format, baseSeed: opts.baseSeed, from, count, slowMs: opts.slowMs, env: opts.env ?? {} };
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb ?? 1536 }, stdout: false, stderr: false });
  return new Promise((resolve, reject) => {
    let current: Extract<WorkerMessage, { type: 'start' }> | null = null;
    let startedAt = 0;
    let settled = false;
    const finish = (stuck: MutantOutcome | null, err?: Error): void => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate();
      if (err) reject(err);
      else resolve(stuck);
    };
    const stuckOutcome = (why: string): MutantOutcome | null =>
      current && { index: current.index, seed: current.seed, seedPath: current.seedPath, ops: current.ops, status: 'crash', rules: 0, failed: 0, diagnostics: 0, ms: performance.now() - startedAt, problems: [why] };
    const timer = setInterval(() => {
      if (current && performance.now() - startedAt > opts.hangMs) finish(stuckOutcome(`no result after ${opts.hangMs} ms: hang or blow-up (worker stopped)`));
    }, 100);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') {
        current = m;
        startedAt = performance.now();
      } else if (m.type === 'outcome') {
        current = null;
        addOutcome(summary, m.outcome, opts.slowMs);
      } else finish(null);
    });
    worker.on('error', (e) => {
      const o = stuckOutcome(`worker died: ${e.message}`);
      if (o) finish(o);
      else finish(null, e);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      const o = stuckOutcome(`worker exited with code ${code}`);
      if (o) finish(o);
      else finish(null, code === 0 ? undefined : new Error(`fuzz worker exited with code ${code} before its first mutant`));
    });
  });
}
