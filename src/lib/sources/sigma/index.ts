export { sigmaAdapter, loadSigmaFile, type SigmaPrepared } from './adapter.js';
export { SIGMA_MODIFIERS, lookupModifier, type Modifier, type ModifierState } from './modifiers.js';
export { parseSigmaString, anchorGlob, type SigmaPattern, type Anchor } from './values.js';
export { logsourceLabel, findLogsourceEntry, createLogsourceLookup, resolveEvents, positiveEventIds, GENERIC_TABLES, type RuleLogsource } from './logsource.js';
export { CORRELATION_TYPES, type CorrelationMeta, type CorrelationRef } from './correlation.js';
export { loadYamlWithPositions, type YNode, type YEntry, type YamlDocument } from './yaml-positions.js';
