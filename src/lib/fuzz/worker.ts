/** Runs mutants in a worker thread for supervise.ts, reporting each start and outcome. */
import { parentPort, workerData } from 'node:worker_threads';
import { createFuzzEnv, fuzzFormat } from './harness.js';
import type { WorkerJob, WorkerMessage } from './supervise.js';

const job = workerData as WorkerJob;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
const env = createFuzzEnv(job.format, job.env);
fuzzFormat(env, {
  baseSeed: job.baseSeed,
  count: job.count,
  from: job.from,
  slowMs: job.slowMs,
  onStart: (m) => post({ type: 'start', index: m.index, seed: m.seed, seedPath: m.seedPath, ops: m.ops }),
  onOutcome: (o) => post({ type: 'outcome', outcome: o }),
});
post({ type: 'done' });
