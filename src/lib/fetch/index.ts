/** Fetching pinned upstream rule repositories into the source cache (see scripts/fetch-sources.ts). */
export { FetchError, formatFetchError, classifyGitFailure, type FetchErrorCode, type GitFailureKind } from './errors.js';
export { runGit, gitEnv, type GitOptions, type GitResult } from './git.js';
export { readLock, writeLock, serializeLock, sourcesLockSchema, type LockEntry, type SourcesLock } from './lock.js';
export { fetchTargets, ATTACK_TARGET_ID, type FetchTarget } from './targets.js';
export { fetchSource, type FetchSourceInput, type FetchSourceOptions, type FetchOutcome } from './fetch-source.js';
export { sourceCommit } from './source-commit.js';
export { fetchAll, pinFor, type FetchAllOptions, type FetchAllResult } from './fetch-all.js';
