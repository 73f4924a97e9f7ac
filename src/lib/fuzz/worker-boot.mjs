// Worker entry: worker threads cannot take tsx through execArgv on Node 20, so load the
// TypeScript worker through tsx's API (tsx is a dev dependency of the project).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
