/** Seeded fuzzing of the rule adapters: mutant generator, harness and invariants (see tests/fuzz/). */
export { Rng, mutantSeed } from './prng.js';
export { TEXT_OPS, textOp, type TextOp } from './text-ops.js';
export { genericQueryOps, type QueryOp } from './query-ops.js';
export { GENERIC_TREE_OPS, aliasBomb, deepNesting, rawPlaceholder, spliceRaw, type MutationContext, type TreeOp } from './tree-ops.js';
export { FORMAT_SPECS, type FormatSpec } from './formats.js';
export { generateMutant, type FuzzSeed, type Mutant } from './generate.js';
export { checkAdapterResult, logicProblem, MAX_LOGIC_DEPTH, MAX_RESULT_JSON_RATIO } from './invariants.js';
export {
  createFuzzEnv,
  loadFile,
  runMutant,
  fuzzFormat,
  addOutcome,
  emptySummary,
  isCrashDiagnostic,
  reproLine,
  type FuzzEnv,
  type FuzzEnvOptions,
  type FuzzSummary,
  type MutantOutcome,
  type OutcomeStatus,
} from './harness.js';
export { superviseFuzz, type SuperviseOptions, type SupervisedSummary } from './supervise.js';
